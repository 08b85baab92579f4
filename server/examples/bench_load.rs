//! The load generator behind `bench/load` (see that script and README "Performance").
//!
//! - `seed`: into a fresh data directory, the demo catalogue and accounts, `--citizens`
//!   citizens (one password), `--dossiers` submitted dossiers spread over them and over three
//!   years (straight into the table, as `bench_stats` does), signed-in sessions for a citizen
//!   and the demo officers, and a plan (`plan.json`) and a wrk script of lookups for the rest.
//! - `rate`: an open-loop load at a fixed rate on one URL; latency is measured from when each
//!   request was due, so a slow server cannot hide its queue (no coordinated omission).
//! - `submit`: prepares drafts through the pages, then submits them at a fixed rate.
//! - `burst`: N sign-ins at once while a probe loads a public page at a fixed rate.
//! - `journey`: virtual citizens (browse, sign in, file with a 1 MB scan, follow it) and
//!   officers (queues, dossiers) with think time, for a while.
//! - `reference`: a plain axum server answering the bytes of one portal page, the physical
//!   ceiling the portal's own figures are compared with.
//!
//! Every command prints its figures; nothing here asserts a target.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};
use app::domain::procedure::{Delivery, ProcedureDef};
use app::ssr::auth::password::{self, Password};
use app::ssr::db::{columns::to_db, sessions, users};
use clap::{Parser, Subcommand};
use motcua_server::config::{Settings, SettingsArgs};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

/// The password of the bench citizens.
const PASSWORD: &str = "Tải thử cổng dịch vụ công 2026";
const WARD: &str = "000.00.31.H26";

#[derive(Parser)]
#[command(about = "MotCua load generator (bench/load)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Seeds a fresh data directory and writes the plan.
    Seed {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        dossiers: u32,
        #[arg(long, default_value_t = 1_000)]
        citizens: u32,
    },
    /// An open-loop load at `rate` requests per second on one path.
    Rate {
        #[arg(long)]
        plan: PathBuf,
        #[arg(long)]
        path: String,
        #[arg(long)]
        rate: u32,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Send the seeded citizen's session cookie.
        #[arg(long)]
        signed_in: bool,
    },
    /// Submissions at `rate` per second (drafts prepared first, not timed).
    Submit {
        #[arg(long)]
        plan: PathBuf,
        #[arg(long, default_value_t = 100)]
        rate: u32,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// `logins` sign-ins at once while a public page is loaded at `probe_rate`.
    Burst {
        #[arg(long)]
        plan: PathBuf,
        #[arg(long, default_value_t = 200)]
        logins: u32,
        #[arg(long, default_value_t = 50)]
        probe_rate: u32,
    },
    /// Virtual citizens and officers with think time.
    Journey {
        #[arg(long)]
        plan: PathBuf,
        #[arg(long, default_value_t = 1_000)]
        citizens: u32,
        #[arg(long, default_value_t = 50)]
        officers: u32,
        #[arg(long, default_value_t = 600)]
        seconds: u64,
        /// Mean think time between a person's steps.
        #[arg(long, default_value_t = 10.0)]
        think_seconds: f64,
    },
    /// A plain axum server answering the bytes of `path` as fetched from the portal once.
    Reference {
        #[arg(long)]
        plan: PathBuf,
        #[arg(long)]
        path: String,
        #[arg(long)]
        listen: std::net::SocketAddr,
    },
}

/// What `seed` leaves for the other commands.
#[derive(Serialize, Deserialize)]
struct Plan {
    base: String,
    procedure: String,
    /// Form values of a complete draft (required fields and the delivery choice).
    values: Vec<(String, String)>,
    /// Indexes of the required papers.
    papers: Vec<usize>,
    citizen_emails: Vec<String>,
    password: String,
    /// Session cookie tokens: one citizen who owns dossiers, and the officers.
    citizen_session: String,
    officer_sessions: Vec<String>,
    /// The queues each officer works (the reception queue is the desk's only).
    officer_queues: Vec<Vec<String>>,
    /// Some seeded dossiers' codes and lookup keys.
    lookups: Vec<(String, String)>,
}

impl Plan {
    fn read(path: &PathBuf, base: Option<String>) -> anyhow::Result<Plan> {
        let mut plan: Plan = serde_json::from_slice(&std::fs::read(path).context("reading the plan")?)?;
        if let Some(base) = base.or_else(|| std::env::var("BENCH_BASE").ok()) {
            plan.base = base;
        }
        Ok(plan)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Seed { data_dir, dossiers, citizens } => seed(data_dir, dossiers, citizens).await,
        Command::Rate { plan, path, rate, seconds, signed_in } => {
            let plan = Plan::read(&plan, None)?;
            let cookie = signed_in.then(|| plan.citizen_session.clone());
            let client = client()?;
            let url = format!("{}{path}", plan.base);
            let stats = open_loop(rate, seconds, move |_| {
                let mut r = client.get(&url).header("accept", "text/html");
                if let Some(c) = &cookie {
                    r = r.header("cookie", format!("motcua_session={c}"));
                }
                async move { r.send().await.map(|r| r.status().as_u16()).unwrap_or(0) }
            })
            .await;
            stats.print(&format!("GET {path} at {rate}/s"), Duration::from_secs(seconds));
            Ok(())
        }
        Command::Submit { plan, rate, seconds } => submit(Plan::read(&plan, None)?, rate, seconds).await,
        Command::Burst { plan, logins, probe_rate } => {
            burst(Plan::read(&plan, None)?, logins, probe_rate).await
        }
        Command::Journey { plan, citizens, officers, seconds, think_seconds } => {
            journey(Plan::read(&plan, None)?, citizens, officers, seconds, think_seconds).await
        }
        Command::Reference { plan, path, listen } => reference(Plan::read(&plan, None)?, &path, listen).await,
    }
}

// The portal is reached over plain http: no client loads the system's TLS roots (reading and
// parsing /etc/ssl/certs took tens of milliseconds of the generator's CPU per client, and the
// burst and the journeys make a client per sign-in).
fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1_024)
        .timeout(Duration::from_secs(60))
        .build()?)
}

fn cookie_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(60))
        .build()?)
}

// ---------------------------------------------------------------------------------------
// seed

async fn seed(data_dir: PathBuf, dossiers: u32, citizens: u32) -> anyhow::Result<()> {
    let started = Instant::now();
    let args = SettingsArgs {
        data_dir: Some(data_dir.clone()),
        database_url: std::env::var("MOTCUA_DATABASE_URL").ok(),
        ..SettingsArgs::default()
    };
    let settings = Settings::resolve(&args)?;
    let db = motcua_server::open_database(&settings).await?;
    let state = motcua_server::app_state(&settings, db, Arc::new(app::ssr::ports::SystemClock))?;
    motcua_server::demo::load(&state).await?;
    let now = state.clock.now();

    // a procedure of the ward, without a fee at submission, filed electronically
    let def: ProcedureDef = app::ssr::db::catalogue::published_definitions(&state.db)
        .await?
        .iter()
        .filter_map(|json| serde_json::from_str::<ProcedureDef>(json).ok())
        .find(|d| {
            d.receiving.iter().any(|r| r == WARD)
                && d.fees.is_empty()
                && d.delivery.contains(&Delivery::Electronic)
        })
        .ok_or_else(|| anyhow!("no fee-free electronic procedure of the ward in the demo catalogue"))?;
    let mut values: Vec<(String, String)> = def
        .form
        .iter()
        .filter(|f| f.required)
        .map(|f| (f.key.clone(), motcua_server::demo_dossiers::sample(&f.kind)))
        .collect();
    values.push(("delivery".into(), "electronic".into()));
    let papers: Vec<usize> =
        def.papers.iter().enumerate().filter(|(_, p)| p.required).map(|(i, _)| i).collect();
    let (procedure_id, version_id): (String, String) =
        sqlx::query_as("SELECT id, published_version_id FROM procedures WHERE code = $1")
            .bind(&def.code)
            .fetch_one(state.db.reader())
            .await?;

    // the citizens, one argon2 hash for all
    let hash = password::hash(Password::new(PASSWORD.to_string())).await?;
    let mut emails = Vec::new();
    let mut ids = Vec::new();
    let mut tx = state.db.begin_write().await?;
    for i in 0..citizens {
        let email = format!("citizen{i}@bench.motcua.vn");
        let id = users::insert(
            &mut tx,
            &users::NewUser {
                kind: "citizen",
                email: &email,
                full_name: "Người Thử Tải",
                phone: Some("0912345678"),
                citizen_id: None,
                password_hash: &hash,
                verified: true,
            },
            now,
        )
        .await?;
        emails.push(email);
        ids.push(id);
    }
    tx.commit().await?;

    // the dossiers: the ward's, 100 a day going back, every citizen a share of them
    let mut lookups = Vec::new();
    let mut i = 0u32;
    while i < dossiers {
        let mut tx = state.db.begin_write().await?;
        let mut sql = String::from(
            "INSERT INTO dossiers (id, code, procedure_id, version_id, applicant_id, receiving_agency, state, \
             national_status, form_values, delivery, lookup_secret, created_at, updated_at, submitted_at, due_at) VALUES ",
        );
        let batch = 2_000.min(dossiers - i);
        for k in 0..batch {
            let n = i + k;
            let day = now.to_offset(app::domain::VIETNAM_OFFSET).date()
                - time::Duration::days(1 + i64::from(n / 100));
            let code =
                app::domain::DossierCode::new(&WARD.parse()?, day, u16::try_from(n % 100 + 1)?)?.to_string();
            let at = to_db(now) - (1 + i64::from(n / 100)) * 86_400_000_000;
            let (st, national) =
                if n.is_multiple_of(20) { ("\"in_process\"", 4) } else { ("\"returned\"", 10) };
            let secret = format!("K{n:07}");
            if n.is_multiple_of(100) && lookups.len() < 1_000 {
                lookups.push((code.clone(), secret.clone()));
            }
            if k > 0 {
                sql.push(',');
            }
            let applicant = &ids[(n % citizens.max(1)) as usize];
            sql.push_str(&format!(
                "('bench{n}', '{code}', '{procedure_id}', '{version_id}', '{applicant}', '{WARD}', '{st}', {national}, \
                 '{{}}', 'electronic', '{secret}', {at}, {at}, {at}, {})",
                at + 15 * 86_400_000_000
            ));
        }
        sqlx::query(&sql).execute(&mut *tx).await?;
        tx.commit().await?;
        i += batch;
    }

    // sessions: the first citizen, and each demo officer (second factor done)
    let expires = now + time::Duration::hours(12);
    let mut conn = state.db.reader().acquire().await?;
    let mut officers = Vec::new();
    let mut officer_queues = Vec::new();
    for email in
        ["desk@demo.motcua.vn", "specialist@demo.motcua.vn", "leader@demo.motcua.vn", "clerk@demo.motcua.vn"]
    {
        if let Some(u) = users::by_email(&mut conn, email).await? {
            officers.push(u.id);
            let desk = email.starts_with("desk@");
            officer_queues.push(
                if desk { vec!["/officer/reception", "/officer/work"] } else { vec!["/officer/work"] }
                    .into_iter()
                    .map(String::from)
                    .collect::<Vec<_>>(),
            );
        }
    }
    drop(conn);
    let mut tx = state.db.begin_write().await?;
    let (citizen_session, officer_sessions) = {
        let mut mint = async |user_id: &str| -> anyhow::Result<String> {
            let token = app::ssr::auth::tokens::new_token();
            let id = app::ssr::auth::tokens::token_hash(&token);
            let s = sessions::NewSession {
                id: &id,
                user_id,
                mfa_pending: false,
                expires_at: expires,
                ip: None,
                user_agent: Some("bench"),
            };
            sessions::insert(&mut tx, &s, now).await?;
            Ok(token)
        };
        let citizen_session = mint(ids.first().ok_or_else(|| anyhow!("no citizens"))?).await?;
        let mut officer_sessions = Vec::new();
        for id in &officers {
            officer_sessions.push(mint(id).await?);
        }
        (citizen_session, officer_sessions)
    };
    tx.commit().await?;

    let plan = Plan {
        base: "http://127.0.0.1:3000".into(),
        procedure: def.code.clone(),
        values,
        papers,
        citizen_emails: emails,
        password: PASSWORD.into(),
        citizen_session,
        officer_sessions,
        officer_queues,
        lookups,
    };
    std::fs::write(data_dir.join("plan.json"), serde_json::to_vec_pretty(&plan)?)?;
    // wrk: each lookup for another seeded dossier, from another client address
    let mut lua = String::from("local lookups = {\n");
    for (code, key) in &plan.lookups {
        lua.push_str(&format!("  \"/lookup?code={code}&key={key}\",\n"));
    }
    lua.push_str(
        "}\nlocal n = 0\nrequest = function()\n  n = n + 1\n  local path = lookups[(n % #lookups) + 1]\n  \
         local ip = \"10.\" .. (math.floor(n / 65536) % 256) .. \".\" .. (math.floor(n / 256) % 256) .. \".\" .. (n % 256)\n  \
         return wrk.format(\"GET\", path, { [\"X-Forwarded-For\"] = ip, [\"Accept\"] = \"text/html\" })\nend\n",
    );
    std::fs::write(data_dir.join("lookups.lua"), lua)?;
    println!(
        "seeded {} citizens, {dossiers} dossiers of {} into {} in {:.0} s",
        citizens,
        def.code,
        data_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// measuring

/// Latencies (ms) and outcomes of a run.
#[derive(Default)]
struct Stats {
    latencies: Vec<f64>,
    errors: BTreeMap<u16, u64>,
}

impl Stats {
    fn record(&mut self, ms: f64, status: u16) {
        self.latencies.push(ms);
        if !(200..400).contains(&status) {
            *self.errors.entry(status).or_default() += 1;
        }
    }

    fn pct(&self, p: f64) -> f64 {
        let mut v = self.latencies.clone();
        v.sort_by(f64::total_cmp);
        v.get(((v.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(f64::NAN)
    }

    fn print(&self, what: &str, over: Duration) {
        let n = self.latencies.len();
        let errors: u64 = self.errors.values().sum();
        println!(
            "{what}: {n} requests, {:.0} req/s, p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms, errors {errors}{}",
            n as f64 / over.as_secs_f64(),
            self.pct(0.50),
            self.pct(0.95),
            self.pct(0.99),
            self.pct(1.0),
            if errors > 0 { format!(" {:?}", self.errors) } else { String::new() },
        );
    }
}

/// Fires `call(i)` at `rate` per second for `seconds`, each latency counted from when the
/// request was due.
async fn open_loop<F, Fut>(rate: u32, seconds: u64, call: F) -> Stats
where
    F: Fn(u64) -> Fut,
    Fut: std::future::Future<Output = u16> + Send + 'static,
{
    let stats = Arc::new(Mutex::new(Stats::default()));
    let total = u64::from(rate) * seconds;
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 / f64::from(rate));
        tokio::time::sleep_until(due).await;
        let fut = call(i);
        let stats = stats.clone();
        tasks.push(tokio::spawn(async move {
            let status = fut.await;
            let ms = due.elapsed().as_secs_f64() * 1000.0;
            stats.lock().await.record(ms, status);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Arc::try_unwrap(stats).map(Mutex::into_inner).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// the pages, as a browser posts them

fn form(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(k, v)| format!("{}={}", urlencoding(k), urlencoding(v))).collect::<Vec<_>>().join("&")
}

fn urlencoding(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

async fn post(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    fields: &[(&str, &str)],
    ip: &str,
) -> anyhow::Result<reqwest::Response> {
    Ok(c.post(format!("{base}{path}"))
        .header("accept", "text/html")
        .header("origin", base)
        .header("x-forwarded-for", ip)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(fields))
        .send()
        .await?)
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// A PDF of `size` bytes (a real header and trailer around a comment).
fn scan(size: usize) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n%".to_vec();
    pdf.resize(size.saturating_sub(64), b'x');
    pdf.extend_from_slice(b"\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    pdf
}

/// Starts a complete draft (form filled, papers attached); its id.
async fn draft(
    c: &reqwest::Client,
    plan: &Plan,
    scan_bytes: &[u8],
    ip: &str,
    times: &Times,
) -> anyhow::Result<String> {
    let t = Instant::now();
    let r =
        post(c, &plan.base, "/dossiers", &[("procedure", &plan.procedure), ("filer", "self")], ip).await?;
    times.add("start a draft", t, r.status().as_u16()).await;
    let id = location(&r).trim_start_matches("/dossiers/").to_string();
    if r.status() != 303 || id.is_empty() {
        return Err(anyhow!("start a draft: {}", r.status()));
    }
    let mut fields: Vec<(&str, &str)> = plan.values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("next", "stay"));
    let t = Instant::now();
    let r = post(c, &plan.base, &format!("/dossiers/{id}/save"), &fields, ip).await?;
    times.add("save the form", t, r.status().as_u16()).await;
    for p in &plan.papers {
        let part = reqwest::multipart::Part::bytes(scan_bytes.to_vec()).file_name("scan.pdf");
        let t = Instant::now();
        let r = c
            .post(format!("{}/dossiers/{id}/papers/{p}", plan.base))
            .header("accept", "text/html")
            .header("origin", &plan.base)
            .header("x-forwarded-for", ip)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await?;
        times.add("upload a scan", t, r.status().as_u16()).await;
        if r.status() != 303 {
            return Err(anyhow!("upload: {}", r.status()));
        }
    }
    Ok(id)
}

/// Latencies by step name.
#[derive(Default)]
struct Times(Mutex<BTreeMap<String, Stats>>);

impl Times {
    async fn add(&self, what: &str, since: Instant, status: u16) {
        let ms = since.elapsed().as_secs_f64() * 1000.0;
        self.0.lock().await.entry(what.to_string()).or_default().record(ms, status);
    }

    async fn print(&self, over: Duration) {
        let map = self.0.lock().await;
        let mut all = Stats::default();
        for (what, s) in map.iter() {
            s.print(&format!("  {what}"), over);
            all.latencies.extend(&s.latencies);
            for (k, v) in &s.errors {
                *all.errors.entry(*k).or_default() += v;
            }
        }
        all.print("  all requests", over);
    }
}

async fn signed_in(plan: &Plan, email: &str, ip: &str, times: &Times) -> anyhow::Result<reqwest::Client> {
    let c = cookie_client()?;
    let t = Instant::now();
    let r = post(&c, &plan.base, "/login", &[("email", email), ("password", &plan.password)], ip).await?;
    times.add("sign in", t, r.status().as_u16()).await;
    if r.status() != 303 {
        return Err(anyhow!("sign in as {email}: {}", r.status()));
    }
    Ok(c)
}

// ---------------------------------------------------------------------------------------
// submit, burst, journey, reference

async fn submit(plan: Plan, rate: u32, seconds: u64) -> anyhow::Result<()> {
    let n = (u64::from(rate) * seconds) as usize;
    let times = Times::default();
    let pdf = scan(2_000);
    // drafts of several citizens, prepared 8 at a time (not timed)
    let mut clients = Vec::new();
    for (k, email) in plan.citizen_emails.iter().take(20).enumerate() {
        clients.push(signed_in(&plan, email, &format!("10.9.0.{k}"), &times).await?);
    }
    let prepared = Arc::new(Mutex::new(Vec::with_capacity(n)));
    let plan = Arc::new(plan);
    let started = Instant::now();
    futures_util::future::try_join_all((0..8).map(|w| {
        let (plan, prepared, clients, pdf, times) =
            (plan.clone(), prepared.clone(), clients.clone(), pdf.clone(), &times);
        async move {
            for i in (w..n).step_by(8) {
                let c = &clients[i % clients.len()];
                let id = draft(c, &plan, &pdf, &format!("10.9.1.{}", i % 250), times).await?;
                prepared.lock().await.push((i % clients.len(), id));
            }
            anyhow::Ok(())
        }
    }))
    .await?;
    println!("prepared {n} drafts in {:.0} s", started.elapsed().as_secs_f64());
    let prepared = Arc::new(std::mem::take(&mut *prepared.lock().await));
    let stats = open_loop(rate, seconds, move |i| {
        let (who, id) = prepared[i as usize].clone();
        let c = clients[who].clone();
        let base = plan.base.clone();
        async move {
            let r = post(
                &c,
                &base,
                &format!("/dossiers/{id}/submit"),
                &[("token", &format!("bench-{id}"))],
                "10.9.2.1",
            )
            .await;
            match r {
                // a redirect anywhere but to the submitted dossier is a refusal
                Ok(r) if r.status() == 303 && !location(&r).contains("submitted") => 599,
                Ok(r) => r.status().as_u16(),
                Err(_) => 0,
            }
        }
    })
    .await;
    stats.print(&format!("POST /dossiers/{{id}}/submit at {rate}/s"), Duration::from_secs(seconds));
    Ok(())
}

async fn burst(plan: Plan, logins: u32, probe_rate: u32) -> anyhow::Result<()> {
    let plan = Arc::new(plan);
    let probe_client = client()?;
    let probe_url = format!("{}/procedures/{}", plan.base, plan.procedure);
    // The probe runs alone for 5 s, then with the burst for 10 s, on a thread and runtime of
    // its own, so that the work of sending 200 sign-ins does not delay its requests.
    let probe = std::thread::spawn(move || -> anyhow::Result<Stats> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        Ok(runtime.block_on(open_loop(probe_rate, 15, move |_| {
            let r = probe_client.get(&probe_url).header("accept", "text/html");
            async move { r.send().await.map(|r| r.status().as_u16()).unwrap_or(0) }
        })))
    });
    tokio::time::sleep(Duration::from_secs(5)).await;
    let times = Arc::new(Times::default());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..logins {
        let (plan, times) = (plan.clone(), times.clone());
        tasks.push(tokio::spawn(async move {
            let email = &plan.citizen_emails[k as usize % plan.citizen_emails.len()];
            let _ = signed_in(&plan, email, &format!("10.8.{}.{}", k / 250, k % 250), &times).await;
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let burst_took = started.elapsed();
    let probe = tokio::task::spawn_blocking(move || probe.join())
        .await?
        .map_err(|_| anyhow!("the probe's thread panicked"))??;
    println!("{logins} sign-ins at once took {:.1} s", burst_took.as_secs_f64());
    times.print(burst_took).await;
    probe.print(
        &format!("  probe GET /procedures/{} at {probe_rate}/s during the 15 s", plan.procedure),
        Duration::from_secs(15),
    );
    Ok(())
}

fn think(mean: f64, rng: &mut u64) -> Duration {
    *rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let u = ((*rng >> 11) as f64) / ((1u64 << 53) as f64); // 0..1
    Duration::from_secs_f64(mean * (0.5 + u))
}

async fn journey(
    plan: Plan,
    citizens: u32,
    officers: u32,
    seconds: u64,
    think_seconds: f64,
) -> anyhow::Result<()> {
    let plan = Arc::new(plan);
    let times = Arc::new(Times::default());
    let filed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let pdf = Arc::new(scan(1_000_000));
    let mut tasks = Vec::new();
    for v in 0..citizens {
        let (plan, times, filed, pdf) = (plan.clone(), times.clone(), filed.clone(), pdf.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = u64::from(v) + 1;
            // people arrive over the first think time
            tokio::time::sleep(think(think_seconds, &mut rng).mul_f64(f64::from(v % 100) / 100.0)).await;
            let ip = format!("10.7.{}.{}", v / 250, v % 250);
            let email = plan.citizen_emails[v as usize % plan.citizen_emails.len()].clone();
            let anonymous = match client() {
                Ok(c) => c,
                Err(_) => return,
            };
            while Instant::now() < deadline {
                for path in [
                    "/".to_string(),
                    "/procedures?q=khai+sinh".into(),
                    format!("/procedures/{}", plan.procedure),
                ] {
                    let t = Instant::now();
                    let s = anonymous
                        .get(format!("{}{path}", plan.base))
                        .header("accept", "text/html")
                        .send()
                        .await;
                    times.add("browse", t, s.map(|r| r.status().as_u16()).unwrap_or(0)).await;
                    tokio::time::sleep(think(think_seconds, &mut rng)).await;
                }
                let Ok(c) = signed_in(&plan, &email, &ip, &times).await else { continue };
                tokio::time::sleep(think(think_seconds, &mut rng)).await;
                let Ok(id) = draft(&c, &plan, &pdf, &ip, &times).await else { continue };
                tokio::time::sleep(think(think_seconds, &mut rng)).await;
                let t = Instant::now();
                let r = post(&c, &plan.base, &format!("/dossiers/{id}/submit"), &[("token", &id)], &ip).await;
                times.add("submit", t, r.map(|r| r.status().as_u16()).unwrap_or(0)).await;
                filed.fetch_add(1, Ordering::Relaxed);
                for path in [format!("/dossiers/{id}"), "/dossiers".into()] {
                    tokio::time::sleep(think(think_seconds, &mut rng)).await;
                    let t = Instant::now();
                    let s = c.get(format!("{}{path}", plan.base)).header("accept", "text/html").send().await;
                    times.add("follow the dossier", t, s.map(|r| r.status().as_u16()).unwrap_or(0)).await;
                }
            }
        }));
    }
    for v in 0..officers {
        let (plan, times) = (plan.clone(), times.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = u64::from(v) + 7_919;
            let token = plan.officer_sessions[v as usize % plan.officer_sessions.len()].clone();
            let queues = plan.officer_queues[v as usize % plan.officer_queues.len()].clone();
            let Ok(c) = client() else { return };
            let get = async |path: &str| {
                let t = Instant::now();
                let r = c
                    .get(format!("{}{path}", plan.base))
                    .header("accept", "text/html")
                    .header("cookie", format!("motcua_session={token}"))
                    .send()
                    .await;
                let status = r.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
                times.add("officer queues and dossiers", t, status).await;
                match r {
                    Ok(r) => r.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                }
            };
            while Instant::now() < deadline {
                for queue in &queues {
                    let page = get(queue).await;
                    tokio::time::sleep(think(think_seconds / 2.0, &mut rng)).await;
                    if let Some(id) =
                        page.split("href=\"/officer/dossiers/").nth(1).and_then(|s| s.split('"').next())
                    {
                        get(&format!("/officer/dossiers/{id}")).await;
                        tokio::time::sleep(think(think_seconds / 2.0, &mut rng)).await;
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    println!(
        "journeys: {citizens} citizens and {officers} officers for {seconds} s, think time ~{think_seconds} s: {} dossiers filed",
        filed.load(Ordering::Relaxed)
    );
    times.print(Duration::from_secs(seconds)).await;
    Ok(())
}

async fn reference(plan: Plan, path: &str, listen: std::net::SocketAddr) -> anyhow::Result<()> {
    let body = client()?
        .get(format!("{}{path}", plan.base))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    println!("reference: {} bytes of {path} on http://{listen}", body.len());
    let body = Arc::new(body);
    let router = axum::Router::new().route(
        path,
        axum::routing::get(move || {
            let body = body.clone();
            async move { axum::response::Html(body.as_str().to_string()) }
        }),
    );
    let listener = tokio::net::TcpListener::bind(listen).await?;
    axum::serve(listener, router).await?;
    Ok(())
}
