//! The integration-test harness: each test gets the real server, in-process, on port 0,
//! with a fresh migrated database: a SQLite file in a temp dir, or, when
//! `MOTCUA_TEST_DATABASE_URL` points at a PostgreSQL server, a new database on it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod dossiers;
pub mod office;
pub mod process;
pub mod smtp;

use std::path::PathBuf;
use std::sync::Arc;

use app::ssr::ports::OffsetClock;
use motcua_server::config::{Settings, SettingsArgs};
use motcua_server::{Ports, Running};
use sqlx::Connection as _;

/// A running server and what it needs.
pub struct TestApp {
    pub running: Running,
    pub base: String,
    pub client: reqwest::Client,
    pub settings: Settings,
    pub mail: smtp::SmtpSink,
    pub clock: Arc<OffsetClock>,
    _dir: tempfile::TempDir,
}

/// Which backend this test run uses (printed so the output says it).
pub fn backend_name() -> &'static str {
    if std::env::var("MOTCUA_TEST_DATABASE_URL").is_ok() { "postgres" } else { "sqlite" }
}

pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("MOTCUA_TEST_DATABASE_URL") {
        Ok(base) => {
            let name = format!("motcua_test_{}", uuid_like());
            let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create database");
            let (prefix, _) = base.rsplit_once('/').expect("database URL has a path");
            format!("{prefix}/{name}")
        }
        Err(_) => format!("sqlite://{}", dir.join("motcua.db").display()),
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{}_{}_{}", std::process::id(), nanos, COUNTER.fetch_add(1, Ordering::Relaxed))
}

impl TestApp {
    /// Starts a server with default settings on a fresh database.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts a server, letting the test adjust the settings first.
    pub async fn spawn_with(adjust: impl FnOnce(&mut SettingsArgs)) -> TestApp {
        eprintln!("[test database: {}]", backend_name());
        let dir = tempfile::tempdir().expect("temp dir");
        let mut args = SettingsArgs {
            listen: Some("127.0.0.1:0".parse().unwrap()),
            data_dir: Some(dir.path().join("data")),
            database_url: Some(fresh_database_url(dir.path()).await),
            site_root: Some(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"))),
            log: Some("warn".into()),
            ..SettingsArgs::default()
        };
        let mail = smtp::SmtpSink::start().await;
        args.smtp_url = Some(mail.url.clone());
        adjust(&mut args);
        let settings = Settings::resolve(&args).expect("settings");
        let clock = Arc::new(OffsetClock::default());
        let mut ports = Ports::from_settings(&settings).expect("ports");
        ports.clock = clock.clone();
        let running = motcua_server::start_with(&settings, ports).await.expect("server starts");
        let base = format!("http://{}", running.addr);
        let client =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        TestApp { running, base, client, settings, mail, clock, _dir: dir }
    }

    /// A second server process on the same database and mail sink (several machines).
    pub async fn second_server(&self) -> TestApp {
        let database_url = self.settings.database_url.clone();
        let mail_url = self.mail.url.clone();
        let mut other = TestApp::spawn_with(|args| {
            args.database_url = Some(database_url);
            args.smtp_url = Some(mail_url);
        })
        .await;
        other.mail = self.mail.clone();
        other
    }

    /// A browser-like client that keeps cookies, sends Origin on posts and accepts HTML.
    pub fn browser(&self) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base: self.base.clone(),
        }
    }

    /// `GET path` as a browser would (accepts HTML).
    pub async fn get_html(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .send()
            .await
            .expect("request")
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A cookie-keeping client that behaves like a browser posting the portal's forms.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

impl Browser {
    /// The same cookies against another server (second process).
    pub fn against(&self, base: &str) -> Browser {
        Browser { client: self.client.clone(), base: base.to_string() }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        let url = if path.starts_with("http") { path.to_string() } else { format!("{}{path}", self.base) };
        self.client.get(url).header("accept", "text/html").send().await.expect("GET")
    }

    /// Posts a form as the portal's pages do (same origin).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.client
            .post(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .header("origin", &self.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST")
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Location header of a redirect.
/// Signs an officer in through the pages for the first time: password, then TOTP enrolment
/// with a code computed from the secret the page shows.
pub async fn signed_in_officer(app: &TestApp, email: &str, password: &str) -> Browser {
    let b = app.browser();
    let r = b.post("/login", &[("email", email), ("password", password)]).await;
    assert_eq!(location(&r), "/account/security/enrol", "{email}");
    let page = b.get("/account/security/enrol").await.text().await.unwrap();
    let secret = page.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let code = app::ssr::auth::totp::code_at(&secret, u64::try_from(app.clock.now_unix()).unwrap()).unwrap();
    assert_eq!(b.post("/account/security/enrol", &[("code", &code)]).await.status(), 200);
    b
}

pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}
