//! `server backup` while the portal runs, then `server restore` into a fresh directory: the
//! restored portal has the same rows and the same files, byte for byte, and starts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use sha2::Digest as _;

use crate::common::process;

use crate::common;

/// Tables whose rows are compared (the jobs table changes on its own while the server runs).
const TABLES: [&str; 14] = [
    "agencies",
    "users",
    "officer_roles",
    "procedures",
    "procedure_versions",
    "documents",
    "dossiers",
    "dossier_files",
    "dossier_events",
    "dossier_steps",
    "audit_log",
    "payments",
    "ratings",
    "feedback",
];

async fn snapshot(db: &Path) -> Vec<(String, i64, String)> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display())).await.unwrap();
    let mut out = Vec::new();
    for t in TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}")).fetch_one(&pool).await.unwrap();
        // a fingerprint of the ids too, not only the count
        let ids: Vec<String> =
            sqlx::query_scalar(&format!("SELECT CAST(rowid AS TEXT) FROM {t} ORDER BY rowid"))
                .fetch_all(&pool)
                .await
                .unwrap();
        out.push((t.to_string(), n, hex::encode(sha2::Sha256::digest(ids.join(",").as_bytes()))));
    }
    pool.close().await;
    out
}

fn files(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if e.file_name() == ".tmp" {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                out.push((rel, hex::encode(sha2::Sha256::digest(std::fs::read(&p).unwrap()))));
            }
        }
    }
    out.sort();
    out
}

fn output(cmd: &mut std::process::Command) -> std::process::Output {
    cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).output().unwrap()
}

fn run(cmd: &mut std::process::Command) -> std::process::Output {
    let out = output(cmd);
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[tokio::test]
async fn an_online_backup_restores_into_a_fresh_directory_with_the_same_rows_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = process::start_with(&data, &[("MOTCUA_DEMO_DOSSIERS", "12")]).await;
    let original_files = files(&data.join("files"));
    assert!(!original_files.is_empty(), "the demo dossiers carry scans");

    // online: the server keeps running and answering
    let backup = dir.path().join("backup");
    let out = run(process::command(&data).args(["backup", "--to"]).arg(&backup));
    assert!(String::from_utf8_lossy(&out.stdout).contains("backup written"));
    assert_eq!(reqwest::get(format!("{}/readyz", server.base)).await.unwrap().status(), 200);
    // a second backup into the same directory is refused, nothing overwritten
    let again = output(process::command(&data).args(["backup", "--to"]).arg(&backup));
    assert!(!again.status.success());

    let original = snapshot(&data.join("motcua.db")).await;
    drop(server);

    // restore into a directory that has never seen the portal
    let fresh = dir.path().join("fresh");
    run(process::command(&fresh).args(["restore", "--from"]).arg(&backup));
    assert_eq!(snapshot(&fresh.join("motcua.db")).await, original, "the same rows");
    assert_eq!(files(&fresh.join("files")), original_files, "the same files, byte for byte");
    // restoring over it again needs --force
    let over = output(process::command(&fresh).args(["restore", "--from"]).arg(&backup));
    assert!(!over.status.success());
    assert!(String::from_utf8_lossy(&over.stderr).contains("--force"));

    // a damaged backup is refused before anything is written
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    let key = manifest["files"][0]["key"].as_str().unwrap();
    std::fs::write(backup.join("files").join(key), b"tampered").unwrap();
    let elsewhere = dir.path().join("elsewhere");
    let damaged = output(process::command(&elsewhere).args(["restore", "--from"]).arg(&backup));
    assert!(!damaged.status.success());
    assert!(String::from_utf8_lossy(&damaged.stderr).contains("damaged"));
    assert!(!elsewhere.join("motcua.db").exists());

    // the restored portal starts and serves its demo citizen's dossiers
    let restored = process::start(&fresh).await;
    assert_demo_citizen_sees_their_dossiers(&restored.base).await;
}

/// The demo citizen signs in on `base` and opens "My dossiers".
async fn assert_demo_citizen_sees_their_dossiers(base: &str) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = client
        .post(format!("{base}/login"))
        .header("origin", base)
        .form(&[("email", "citizen@demo.motcua.vn"), ("password", "MotCua-demo-2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    assert_eq!(client.get(format!("{base}/dossiers")).send().await.unwrap().status(), 200);
}

/// Each compared table of a PostgreSQL database: its row count and a digest of every row's
/// text, in order (so a changed value shows, not only a missing row).
async fn pg_snapshot(url: &str) -> Vec<(String, i64, String)> {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let mut out = Vec::new();
    for t in TABLES {
        let (n, digest): (i64, Option<String>) = sqlx::query_as(&format!(
            "SELECT COUNT(*), md5(string_agg(r::text, ',' ORDER BY r::text)) FROM {t} r"
        ))
        .fetch_one(&pool)
        .await
        .unwrap();
        out.push((t.to_string(), n, digest.unwrap_or_default()));
    }
    pool.close().await;
    out
}

/// The same on PostgreSQL (`pg_dump` / `pg_restore`), in the run with
/// `MOTCUA_TEST_DATABASE_URL`: a backup of a running portal restored into a new, empty
/// database and a fresh file store has the same rows and files, and the portal starts on it.
#[tokio::test]
async fn a_postgres_backup_restores_into_a_new_database_with_the_same_rows_and_files() {
    if std::env::var("MOTCUA_TEST_DATABASE_URL").is_err() {
        eprintln!("[backup on PostgreSQL: runs in the PostgreSQL pass only]");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (data, fresh) = (dir.path().join("data"), dir.path().join("fresh"));
    let original_url = common::fresh_database_url(&data).await;
    let restored_url = common::fresh_database_url(&fresh).await;
    let server =
        process::start_with(&data, &[("MOTCUA_DEMO_DOSSIERS", "12"), ("MOTCUA_DATABASE_URL", &original_url)])
            .await;
    let original_files = files(&data.join("files"));
    assert!(!original_files.is_empty(), "the demo dossiers carry scans");

    let backup = dir.path().join("backup");
    let out = run(process::command(&data)
        .env("MOTCUA_DATABASE_URL", &original_url)
        .args(["backup", "--to"])
        .arg(&backup));
    assert!(String::from_utf8_lossy(&out.stdout).contains("backup written"));
    assert!(backup.join("motcua.pgdump").is_file());
    assert_eq!(reqwest::get(format!("{}/readyz", server.base)).await.unwrap().status(), 200);
    let original = pg_snapshot(&original_url).await;
    assert!(original.iter().find(|(t, ..)| t == "dossiers").is_some_and(|(_, n, _)| *n >= 12));
    drop(server);

    run(process::command(&fresh)
        .env("MOTCUA_DATABASE_URL", &restored_url)
        .args(["restore", "--from"])
        .arg(&backup));
    assert_eq!(pg_snapshot(&restored_url).await, original, "the same rows");
    assert_eq!(files(&fresh.join("files")), original_files, "the same files, byte for byte");

    // a SQLite target refuses a PostgreSQL backup
    let sqlite = output(process::command(&dir.path().join("other")).args(["restore", "--from"]).arg(&backup));
    assert!(!sqlite.status.success());

    // the restored portal starts and serves its demo citizen's dossiers
    let restored = process::start_with(&fresh, &[("MOTCUA_DATABASE_URL", &restored_url)]).await;
    assert_demo_citizen_sees_their_dossiers(&restored.base).await;
}
