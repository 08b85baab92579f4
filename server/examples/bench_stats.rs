//! Benchmark: the statistics pages over 1,000,000 dossiers filed over three years, timed at
//! the service (the server side of `/officer/stats` for one unit and of `/statistics`), on
//! SQLite or on `MOTCUA_DATABASE_URL`. Prints p50/p95/max. Run with `bench/statistics`
//! (release build). Target: < 200 ms each.
//!
//! The history is generated straight into the tables (1,000,000 dossier rows for the live
//! "open" counts, and the daily aggregates of three years × 10 units × 28 procedures that
//! those dossiers' events would give): what the pages read, at full size.

use std::sync::Arc;
use std::time::Instant;

use app::ssr::ports::SystemClock;
use app::ssr::services::stats;
use motcua_server::config::{Settings, SettingsArgs};

const SMALL: &str = include_str!("../tests/fixtures/catalogue-small.json");
const DOSSIERS: u32 = 1_000_000;
const UNITS: [&str; 10] = [
    "000.00.31.H26",
    "000.00.32.H26",
    "000.00.21.H26",
    "000.00.01.H26",
    "000.00.11.H26",
    "000.00.12.H26",
    "000.00.13.H26",
    "000.00.14.H26",
    "000.00.15.H26",
    "000.00.00.H26",
];

fn percentiles(mut times: Vec<f64>) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize];
    (pct(0.5), pct(0.95), pct(1.0))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // BENCH_DATA_DIR keeps the seeded database between runs (seeding takes minutes)
    let kept = std::env::var_os("BENCH_DATA_DIR").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir()?;
    let data_dir = kept.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let args = SettingsArgs {
        listen: Some("127.0.0.1:0".parse()?),
        // every request rendered: the figures are the page's own, not the page cache's
        page_cache_seconds: Some(0),
        data_dir: Some(data_dir),
        database_url: std::env::var("MOTCUA_DATABASE_URL").ok(),
        ..SettingsArgs::default()
    };
    let settings = Settings::resolve(&args)?;
    let db = motcua_server::open_database(&settings).await?;
    let state = motcua_server::app_state(&settings, db, Arc::new(SystemClock))?;
    let (seeded,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM dossiers").fetch_one(state.db.reader()).await?;
    let today = state.clock.now().to_offset(app::domain::VIETNAM_OFFSET).date();
    if seeded == 0 {
        seed(&state).await?;
    } else {
        println!("reusing {seeded} dossiers in {:?}", kept.unwrap_or_default());
    }
    measure(&state, today).await?;
    state.db.close().await;
    page(&settings).await
}

/// The whole public page over HTTP from a running server (render and middleware included).
async fn page(settings: &Settings) -> anyhow::Result<()> {
    let running = motcua_server::start(settings).await?;
    let url = format!("http://{}/statistics", running.addr);
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        let response = client.get(&url).send().await?;
        let status = response.status();
        let body = response.text().await?;
        anyhow::ensure!(status.is_success() && body.contains("<svg"), "GET /statistics answered {status}");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, p95, max) = percentiles(times);
    println!(
        "GET /statistics over HTTP (this year, rendered): p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms (target < 200 ms)"
    );
    running.shutdown().await
}

async fn seed(state: &app::ssr::state::AppState) -> anyhow::Result<()> {
    app::ssr::services::catalogue::import_json(state, SMALL).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let (procedure_id, version_id): (String, String) =
        sqlx::query_as("SELECT id, published_version_id FROM procedures LIMIT 1")
            .fetch_one(state.db.reader())
            .await?;
    let now = state.clock.now();
    let started = Instant::now();
    let mut tx = state.db.begin_write().await?;
    let user = app::ssr::db::users::insert(
        &mut tx,
        &app::ssr::db::users::NewUser {
            kind: "citizen",
            email: "bench@example.vn",
            full_name: "Người Thử Tải",
            phone: None,
            citizen_id: None,
            password_hash: "!",
            verified: true,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    // 1,000,000 dossiers over three years; 3 % still open (half of them late)
    let mut i = 0u32;
    while i < DOSSIERS {
        let mut tx = state.db.begin_write().await?;
        let mut sql = String::from(
            "INSERT INTO dossiers (id, code, procedure_id, version_id, applicant_id, receiving_agency, state, \
             national_status, form_values, created_at, updated_at, submitted_at, due_at) VALUES ",
        );
        let batch = 2_000.min(DOSSIERS - i);
        for k in 0..batch {
            let n = i + k;
            let age = i64::from(n % (3 * 365)) * 86_400_000_000;
            let at = app::ssr::db::columns::to_db(now) - age;
            let open = n.is_multiple_of(33);
            let (st, national) = if open { ("\"in_process\"", 4) } else { ("\"returned\"", 10) };
            let due =
                if open && n.is_multiple_of(66) { at - 86_400_000_000 } else { at + 20 * 86_400_000_000 };
            if k > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "('b{n}', 'B-{n}', '{procedure_id}', '{version_id}', '{user}', '{}', '{st}', {national}, '{{}}', {at}, {at}, {at}, {due})",
                UNITS[(n % 10) as usize]
            ));
        }
        sqlx::query(&sql).execute(&mut *tx).await?;
        tx.commit().await?;
        i += batch;
    }
    // the daily aggregates of three years
    let mut tx = state.db.begin_write().await?;
    let today = now.to_offset(app::domain::VIETNAM_OFFSET).date();
    let mut rows = Vec::new();
    let mut rated = Vec::new();
    for d in 0..(3 * 365) {
        let day = (today - time::Duration::days(d)).to_string();
        for (u, unit) in UNITS.iter().enumerate() {
            for p in 0..28 {
                if !(d as usize + u + p).is_multiple_of(3) {
                    continue;
                }
                let c = app::ssr::db::stats::Counters {
                    submitted_online: 3,
                    submitted_desk: 1,
                    accepted: 4,
                    resolved_early: 2,
                    resolved_on_time: 1,
                    resolved_late: (p % 2) as i64,
                    returned: 3,
                    returned_electronic: 2,
                    paid_online: 1,
                    ..Default::default()
                };
                let key = (day.clone(), unit.to_string(), format!("9.{p:06}"));
                // two ratings a day and procedure, summed per criterion
                let mut s = app::domain::quality::Satisfaction::default();
                s.count([3, 3, 2, 3]);
                s.count([2, 3, 1, 3]);
                rated.push((key.clone(), s));
                rows.push((key, c));
            }
        }
    }
    app::ssr::db::stats::replace_days(&mut tx, "0000", "9999", &rows, &rated).await?;
    tx.commit().await?;
    println!(
        "seeded {DOSSIERS} dossiers and {} daily rows in {:.0} s ({})",
        rows.len(),
        started.elapsed().as_secs_f64(),
        state.db.backend().name()
    );
    Ok(())
}

async fn measure(state: &app::ssr::state::AppState, today: time::Date) -> anyhow::Result<()> {
    let year_ago = today - time::Duration::days(365);
    let ward = vec![UNITS[0].to_string()];
    let mut unit_times = Vec::new();
    let mut public_times = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        let (lines, _) = stats::report(state, Some(&ward), year_ago, today, None)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        assert_eq!(lines.len(), 1);
        unit_times.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        // as the page does: the monthly chart and the report side by side
        let (report, months) = tokio::join!(
            stats::report(state, None, year_ago, today, None),
            stats::monthly(state, None, year_ago, today)
        );
        let (lines, _) = report.map_err(|e| anyhow::anyhow!("{e}"))?;
        let months = months.map_err(|e| anyhow::anyhow!("{e}"))?;
        assert!(lines.len() == UNITS.len() && !months.is_empty());
        public_times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, p95, max) = percentiles(unit_times);
    println!(
        "unit dashboard (one unit, one year): p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms (target < 200 ms)"
    );
    let (p50, p95, max) = percentiles(public_times);
    println!(
        "public page (all units, one year, with the monthly chart): p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms (target < 200 ms)"
    );
    breakdown(state, year_ago, today).await
}

/// Each query of the public page on its own (p50 over 10 runs), to show where the time goes.
async fn breakdown(
    state: &app::ssr::state::AppState,
    from: time::Date,
    to: time::Date,
) -> anyhow::Result<()> {
    use app::ssr::db::stats as db;
    let (from, end) = (from.to_string(), to.next_day().unwrap_or(to).to_string());
    let now = state.clock.now();
    let mut parts: Vec<(&str, Vec<f64>)> = Vec::new();
    for _ in 0..10 {
        let mut times = Vec::new();
        let t = Instant::now();
        db::sums_by_unit(&state.db, &from, &end, None, None).await?;
        times.push(("sums in the period", t.elapsed()));
        let t = Instant::now();
        db::carried_by_unit(&state.db, &from, None, None).await?;
        times.push(("carried over (before the period)", t.elapsed()));
        let t = Instant::now();
        db::open_counts(&state.db, None, now).await?;
        times.push(("open now", t.elapsed()));
        let t = Instant::now();
        db::satisfaction_by_unit(&state.db, &from, &end, None, None).await?;
        times.push(("satisfaction", t.elapsed()));
        let t = Instant::now();
        db::monthly_resolution(&state.db, &from, &end, None).await?;
        times.push(("monthly chart", t.elapsed()));
        for (i, (name, d)) in times.into_iter().enumerate() {
            if parts.len() <= i {
                parts.push((name, Vec::new()));
            }
            parts[i].1.push(d.as_secs_f64() * 1000.0);
        }
    }
    for (name, times) in parts {
        let (p50, _, max) = percentiles(times);
        println!("  {name}: p50 {p50:.1} ms, max {max:.1} ms");
    }
    Ok(())
}
