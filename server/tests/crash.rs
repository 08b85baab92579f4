//! The real server binary killed with SIGKILL in the middle of an upload, and during a burst
//! of submissions with uploads. In the first case, after a restart the
//! acknowledged scan is intact and attached, and nothing of the interrupted one is attached
//! or visible in the blob store (its temporary file is swept by the janitor).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Duration;

use sha2::Digest as _;

use crate::common::process;
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

/// One citizen's draft of the demo procedure 1.004873 (marital status certificate), filled
/// in, with its two required scans, submitted; `Some(id)` once the server acknowledged it.
async fn file_one(client: &reqwest::Client, base: &str, n: usize) -> Option<String> {
    let post = |url: String| client.post(format!("{base}{url}")).header("origin", base);
    let draft =
        post("/dossiers".into()).form(&[("procedure", "1.004873"), ("filer", "self")]).send().await.ok()?;
    let id = draft.headers().get("location")?.to_str().ok()?.trim_start_matches("/dossiers/").to_string();
    let saved = post(format!("/dossiers/{id}/save"))
        .form(&[
            ("full_name", "Nguyễn Văn An"),
            ("citizen_id", "033099001234"),
            ("marital_status", "chua_ket_hon"),
            ("purpose", "ket_hon"),
            ("delivery", "electronic"),
            ("next", "stay"),
        ])
        .send()
        .await
        .ok()?;
    if saved.status() != 303 {
        return None;
    }
    for paper in [0, 2] {
        let mut pdf = format!("%PDF-1.4\n% burst {n} paper {paper}\n").into_bytes();
        pdf.extend((0..200_000u32).map(|i| ((i + n as u32) % 251) as u8));
        let boundary = format!("B{n}x{paper}");
        let r = upload_request(
            client,
            base,
            &format!("/dossiers/{id}/papers/{paper}"),
            reqwest::Body::from(part(&boundary, "giay.pdf", &pdf, true)),
            &boundary,
        )
        .send()
        .await
        .ok()?;
        if r.status() != 303 {
            return None;
        }
    }
    let submitted =
        post(format!("/dossiers/{id}/submit")).form(&[("token", format!("burst-{n}"))]).send().await.ok()?;
    (submitted.status() == 303 && submitted.headers().get("location")?.to_str().ok()?.contains("submitted=1"))
        .then_some(id)
}

#[tokio::test]
async fn sigkill_during_a_burst_of_submissions_loses_no_acknowledged_dossier_or_file() {
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

    // six filers at once, each filing dossier after dossier; the server dies under them
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut filers = Vec::new();
    for f in 0..6 {
        let (client, base, acknowledged) = (client.clone(), server.base.clone(), acknowledged.clone());
        filers.push(tokio::spawn(async move {
            for k in 0.. {
                match file_one(&client, &base, f * 1000 + k).await {
                    Some(id) => acknowledged.lock().unwrap().push(id),
                    None => break,
                }
            }
        }));
    }
    for _ in 0..600 {
        if acknowledged.lock().unwrap().len() >= 8 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL, with requests in flight
    server.child.wait().unwrap();
    for f in filers {
        let _ = f.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 8, "the burst got going ({} acknowledged)", acknowledged.len());
    drop(server);

    // restarted: every acknowledged dossier is submitted with its code and both scans intact
    let _restarted = start(&data).await;
    let db =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join("motcua.db").display())).await.unwrap();
    for id in &acknowledged {
        let (state, code): (String, Option<String>) =
            sqlx::query_as("SELECT state, code FROM dossiers WHERE id = ?")
                .bind(id)
                .fetch_one(&db)
                .await
                .unwrap();
        assert!(code.is_some() && !state.contains("draft"), "{id}: {state}");
        let files: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT d.blob_key, d.sha256, d.size_bytes FROM dossier_files f JOIN documents d ON d.id = f.document_id \
             WHERE f.dossier_id = ?",
        )
        .bind(id)
        .fetch_all(&db)
        .await
        .unwrap();
        assert_eq!(files.len(), 2, "{id}: both scans attached");
        for (key, sha, size) in files {
            let bytes = std::fs::read(data.join("files").join(&key)).unwrap();
            assert_eq!(bytes.len() as i64, size);
            assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), sha, "{id}: scan intact");
        }
    }
    // no half file is visible: every stored blob is whole (its name is its content's hash)
    for path in blob_files(&data.join("files")) {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let digest = hex::encode(sha2::Sha256::digest(&bytes));
        assert_eq!(digest, name, "{} is whole", path.display());
    }
}
