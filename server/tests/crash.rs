//! The real server binary killed with SIGKILL in the middle of an upload: after a restart the
//! acknowledged scan is intact and attached, and nothing of the interrupted one is attached
//! or visible in the blob store (its temporary file is swept by the janitor).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Duration;

use sha2::Digest as _;

#[path = "common/process.rs"]
mod process;
use process::start;

fn upload_request(
    client: &reqwest::Client,
    base: &str,
    url: &str,
    body: reqwest::Body,
    boundary: &str,
) -> reqwest::RequestBuilder {
    client
        .post(format!("{base}{url}"))
        .header("origin", base)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
}

fn part(boundary: &str, name: &str, bytes: &[u8], last: bool) -> Vec<u8> {
    let mut v = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    v.extend_from_slice(bytes);
    if last {
        v.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    }
    v
}

fn blob_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).into_iter().flatten().flatten() {
        if dir.file_name() == ".tmp" || !dir.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir.path()).into_iter().flatten().flatten() {
            out.push(f.path());
        }
    }
    out
}

#[tokio::test]
async fn sigkill_mid_upload_leaves_no_attached_or_visible_half_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = start(&data).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = client
        .post(format!("{}/login", server.base))
        .header("origin", &server.base)
        .form(&[("email", "citizen@demo.motcua.vn"), ("password", "MotCua-demo-2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let draft = client
        .post(format!("{}/dossiers", server.base))
        .header("origin", &server.base)
        .form(&[("procedure", "1.004873"), ("filer", "self")])
        .send()
        .await
        .unwrap();
    assert_eq!(draft.status(), 303);
    let id = draft.headers()["location"].to_str().unwrap().trim_start_matches("/dossiers/").to_string();
    let url = format!("/dossiers/{id}/papers/0");

    // one scan acknowledged before the crash
    let mut good = b"%PDF-1.4\n".to_vec();
    good.extend((0..300_000u32).map(|i| (i % 97) as u8));
    let ok = upload_request(
        &client,
        &server.base,
        &url,
        reqwest::Body::from(part("B1", "ok.pdf", &good, true)),
        "B1",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(ok.status(), 303, "acknowledged");

    // a second one that is still streaming when the server dies
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let body = reqwest::Body::wrap_stream(tokio_stream_from(rx));
    let request = upload_request(&client, &server.base, &url, body, "B2").send();
    let in_flight = tokio::spawn(request);
    tx.send(Ok(part("B2", "half.pdf", b"%PDF-1.4\n", false))).await.unwrap();
    tx.send(Ok(vec![b'x'; 2_000_000])).await.unwrap();
    let temp_dir = data.join("files").join(".tmp");
    let mut seen = false;
    for _ in 0..100 {
        if std::fs::read_dir(&temp_dir).map(|d| d.count()).unwrap_or(0) > 0 {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(seen, "the upload is being written to a temporary file");
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    drop(tx);
    let _ = in_flight.await;
    drop(server);

    // restart on the same data: the acknowledged scan is there and intact, nothing else
    let restarted = start(&data).await;
    let db =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join("motcua.db").display())).await.unwrap();
    let docs: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT blob_key, sha256, size_bytes FROM documents").fetch_all(&db).await.unwrap();
    assert_eq!(docs.len(), 1, "only the acknowledged scan is recorded");
    let attached: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM dossier_files").fetch_one(&db).await.unwrap();
    assert_eq!(attached, 1);
    let (key, sha, size) = &docs[0];
    let stored = std::fs::read(data.join("files").join(key)).unwrap();
    assert_eq!(stored.len() as i64, *size);
    assert_eq!(hex::encode(sha2::Sha256::digest(&stored)), *sha, "the acknowledged bytes are intact");
    assert_eq!(blob_files(&data.join("files")).len(), 1, "no half file among the blobs");
    // the interrupted upload's temporary file is what the janitor removes
    let store = app::ssr::storage::BlobStore::local(&data.join("files")).unwrap();
    assert!(store.temp_files() <= 1);
    store.sweep_temp(Duration::ZERO);
    assert_eq!(store.temp_files(), 0);
    // and the page still works
    let page = client.get(format!("{}/dossiers/{id}", restarted.base)).send().await.unwrap();
    assert!(page.status() == 200 || page.status() == 303, "{}", page.status());
}

fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}
