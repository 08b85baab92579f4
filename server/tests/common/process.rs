//! The real `server` binary as a child process on a free port (crash, backup and restore
//! tests): killed and reaped when dropped.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server process.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The binary with its settings pointed at `data` (SQLite and files inside), demo data on.
pub fn command(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_server"));
    c.env("MOTCUA_DATA_DIR", data)
        .env("MOTCUA_DATABASE_URL", format!("sqlite://{}", data.join("motcua.db").display()))
        .env("MOTCUA_DEMO_DATA", "true")
        .env("MOTCUA_LOG", "warn")
        .env_remove("MOTCUA_SMTP_URL")
        .env_remove("MOTCUA_STORAGE")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Starts the server on `data` with extra environment, and waits until `/readyz` answers.
pub async fn start_with(data: &Path, env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let mut c = command(data);
    c.env("MOTCUA_LISTEN", format!("127.0.0.1:{port}"));
    for (k, v) in env {
        c.env(k, v);
    }
    let child = c.spawn().expect("server starts");
    // owned at once, so that Drop kills and reaps it on every path
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    for _ in 0..600 {
        if reqwest::get(format!("{}/readyz", server.base)).await.is_ok_and(|r| r.status() == 200) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not become ready");
}

/// Starts the server on `data` (demo data) and waits until it is ready.
pub async fn start(data: &Path) -> Server {
    start_with(data, &[]).await
}
