//! Benchmark: catalogue search over 5,000 published procedures, timed at the service (the
//! server side of `/procedures`), on SQLite or on `MOTCUA_DATABASE_URL`. Prints p50/p95/max.
//! Run with `bench/catalogue-search` (release build). Target: < 50 ms.

use std::sync::Arc;
use std::time::Instant;

use app::domain::procedure::CatalogueFile;
use app::ssr::ports::SystemClock;
use app::ssr::services::catalogue::{CatalogueSearch, import, search};
use motcua_server::config::{Settings, SettingsArgs};

const SMALL: &str = include_str!("../tests/fixtures/catalogue-small.json");
const WORDS: [&str; 12] = [
    "đăng ký",
    "giấy phép",
    "xây dựng",
    "chứng thực",
    "hộ kinh doanh",
    "đất đai",
    "khai sinh",
    "kết hôn",
    "trợ cấp",
    "lý lịch",
    "điều chỉnh",
    "cấp lại",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let args = SettingsArgs {
        data_dir: Some(dir.path().to_path_buf()),
        database_url: std::env::var("MOTCUA_DATABASE_URL").ok(),
        ..SettingsArgs::default()
    };
    let settings = Settings::resolve(&args)?;
    let db = motcua_server::open_database(&settings).await?;
    let state = motcua_server::app_state(&settings, db, Arc::new(SystemClock))?;

    let base: CatalogueFile = serde_json::from_str(SMALL)?;
    let mut file = base.clone();
    file.procedures.clear();
    for i in 0..5_000u32 {
        let mut p = base.procedures[(i % 2) as usize].clone();
        p.code = format!("9.{:06}", i);
        let (a, b) = (WORDS[(i % 12) as usize], WORDS[((i / 12) % 12) as usize]);
        p.name_vi = format!("Thủ tục {a} {b} số {i}");
        p.name_en = format!("Procedure {i}");
        file.procedures.push(p);
    }
    let started = Instant::now();
    import(&state, &file).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("imported 5,000 procedures in {:.1} s", started.elapsed().as_secs_f64());

    let queries = [
        "giay phep xay dung",
        "dang ky ho kinh doanh",
        "chung thuc",
        "9.004321",
        "khai sinh so 12",
        "ket hon",
    ];
    let mut times = Vec::new();
    for round in 0..50 {
        for q in queries {
            let s = CatalogueSearch { q: q.into(), page: 1 + (round % 3), ..CatalogueSearch::default() };
            let t = Instant::now();
            let page = search(&state, &s).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if round == 0 {
                println!("  {q:?}: {} matches", page.total);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize];
    println!(
        "catalogue search over 5,000 procedures ({}): {} searches, p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms (target < 50 ms)",
        state.db.backend().name(),
        times.len(),
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
    Ok(())
}
