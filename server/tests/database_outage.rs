//! The server starts while its database is away (PostgreSQL): it answers `/healthz`, says
//! "not ready" on `/readyz` and 503 with `Retry-After` on pages, retries with backoff, and
//! serves once the database comes; when the database goes away later and comes back, the
//! server recovers by itself. On SQLite (a local file) a database that cannot be opened
//! fails the start at once instead.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::time::Duration;

use common::process::free_port;
use common::{backend_name, fresh_database_url};
use motcua_server::Ports;
use motcua_server::config::{Settings, SettingsArgs};

/// A TCP forwarder to PostgreSQL that can be switched off (closing every new connection at
/// once and cutting every forwarded one) and on again: the database "going away" as seen from
/// the server. Its port stays bound for the whole test: a port given back while the database
/// is "away" could be taken by any other test of the binary (they run side by side, and every
/// outgoing connection takes a port from the same range).
struct Outage {
    port: u16,
    up: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Outage {
    /// A forwarder to `target`, switched off.
    async fn new(target: String) -> Outage {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (up, watch) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else { break };
                if !*watch.borrow() {
                    continue; // dropped: closed at once
                }
                let target = target.clone();
                let mut watch = watch.clone();
                tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                            _ = watch.wait_for(|up| !*up) => {}
                        }
                    }
                });
            }
        });
        Outage { port, up, task }
    }

    /// Forwards new connections.
    fn up(&self) {
        self.up.send_replace(true);
    }

    /// Closes new connections at once and cuts every forwarded one.
    fn down(&self) {
        self.up.send_replace(false);
    }
}

impl Drop for Outage {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn status(base: &str, path: &str) -> Option<reqwest::Response> {
    reqwest::Client::new().get(format!("{base}{path}")).send().await.ok()
}

async fn wait_for(base: &str, path: &str, code: u16) {
    for _ in 0..300 {
        if status(base, path).await.is_some_and(|r| r.status() == code) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{path} never answered {code}");
}

#[tokio::test]
async fn the_server_waits_for_its_database_and_recovers_when_it_returns() {
    eprintln!("[test database: {}]", backend_name());
    let dir = tempfile::tempdir().unwrap();
    if backend_name() == "sqlite" {
        // a database file that cannot be created: the start fails at once with the reason
        let blocker = dir.path().join("not-a-directory");
        std::fs::write(&blocker, b"").unwrap();
        let args = SettingsArgs {
            listen: Some("127.0.0.1:0".parse().unwrap()),
            data_dir: Some(dir.path().join("data")),
            database_url: Some(format!("sqlite://{}/motcua.db", blocker.display())),
            log: Some("warn".into()),
            ..SettingsArgs::default()
        };
        let settings = Settings::resolve(&args).unwrap();
        let started = std::time::Instant::now();
        let result = motcua_server::start_with(&settings, Ports::from_settings(&settings).unwrap()).await;
        assert!(result.is_err());
        assert!(started.elapsed() < Duration::from_secs(10), "no waiting for a local file");
        return;
    }

    let real = fresh_database_url(dir.path()).await;
    let rest = real.split_once("://").unwrap().1;
    let (userinfo_host, dbname) = rest.split_once('/').unwrap();
    let (user, host) = userinfo_host.rsplit_once('@').unwrap();
    let db = Outage::new(host.to_string()).await;
    let url = format!("postgres://{user}@127.0.0.1:{}/{dbname}", db.port);

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let args = SettingsArgs {
        listen: Some(format!("127.0.0.1:{port}").parse().unwrap()),
        data_dir: Some(dir.path().join("data")),
        database_url: Some(url),
        log: Some("warn".into()),
        ..SettingsArgs::default()
    };
    let settings = Settings::resolve(&args).unwrap();
    let starting = tokio::spawn(async move {
        let ports = Ports::from_settings(&settings).unwrap();
        motcua_server::start_with(&settings, ports).await
    });

    // the database is away: alive, not ready, pages say so
    wait_for(&base, "/healthz", 200).await;
    assert_eq!(status(&base, "/readyz").await.unwrap().status(), 503);
    let page = status(&base, "/").await.unwrap();
    assert_eq!(page.status(), 503);
    assert_eq!(page.headers()["retry-after"], "5");
    assert!(page.text().await.unwrap().contains("đang khởi động"));
    assert!(!starting.is_finished(), "still waiting for the database");

    // it comes: the server migrates, takes over the socket and serves
    db.up();
    let running = starting.await.unwrap().expect("the server starts once the database answers");
    wait_for(&base, "/readyz", 200).await;
    assert_eq!(status(&base, "/").await.unwrap().status(), 200);

    // it goes away again, then comes back: not ready meanwhile, then ready by itself
    db.down();
    wait_for(&base, "/readyz", 503).await;
    db.up();
    wait_for(&base, "/readyz", 200).await;
    assert_eq!(status(&base, "/procedures").await.unwrap().status(), 200);
    running.shutdown().await.unwrap();
}
