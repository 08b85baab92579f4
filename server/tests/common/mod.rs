//! The integration-test harness: each test gets the real server, in-process, on port 0,
//! with a fresh migrated database: a SQLite file in a temp dir, or, when
//! `MOTCUA_TEST_DATABASE_URL` points at a PostgreSQL server, a new database on it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use motcua_server::Running;
use motcua_server::config::{Settings, SettingsArgs};
use sqlx::Connection as _;

/// A running server and what it needs.
pub struct TestApp {
    pub running: Running,
    pub base: String,
    pub client: reqwest::Client,
    pub settings: Settings,
    _dir: tempfile::TempDir,
}

/// Which backend this test run uses (printed so the output says it).
pub fn backend_name() -> &'static str {
    if std::env::var("MOTCUA_TEST_DATABASE_URL").is_ok() { "postgres" } else { "sqlite" }
}

async fn fresh_database_url(dir: &std::path::Path) -> String {
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
        adjust(&mut args);
        let settings = Settings::resolve(&args).expect("settings");
        let running = motcua_server::start(&settings).await.expect("server starts");
        let base = format!("http://{}", running.addr);
        let client =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        TestApp { running, base, client, settings, _dir: dir }
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
