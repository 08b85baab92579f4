//! The blob-store contract, on local disk and on an S3-compatible server on loopback
//! (`scripts/test` starts moto's server and sets `MOTCUA_TEST_S3_ENDPOINT`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::domain::document::MediaType;
use app::ssr::storage::{BlobStore, UploadError};
use bytes::Bytes;

fn stream(
    data: Vec<u8>,
    chunk: usize,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
    let chunks: Vec<Result<Bytes, std::io::Error>> =
        data.chunks(chunk).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    futures_util::stream::iter(chunks)
}

async fn contract(store: &BlobStore, name: &str) {
    eprintln!("[blob store: {name}]");
    let before = store.object_count().await.unwrap();
    // 6 MB in 64 KiB chunks: more than one part of a multipart upload
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend((0..6_000_000u32).map(|i| (i % 251) as u8));
    let blob = store.put_stream(stream(pdf.clone(), 64 * 1024), 20_000_000).await.unwrap();
    assert_eq!(blob.media, MediaType::Pdf);
    assert_eq!(blob.size, pdf.len() as u64);
    assert!(store.exists(&blob.key).await);
    assert_eq!(store.read_all(&blob.key).await.unwrap().as_ref(), &pdf[..], "{name}: bytes round-trip");
    assert_eq!(store.object_count().await.unwrap(), before + 1);

    // the same content is the same object
    let again = store.put_stream(stream(pdf.clone(), 1 << 20), 20_000_000).await.unwrap();
    assert_eq!(again.key, blob.key);
    assert_eq!(store.object_count().await.unwrap(), before + 1);

    // refusals leave nothing behind
    let mut exe = b"MZ\x90\x00".to_vec();
    exe.extend(vec![0u8; 100_000]);
    assert!(matches!(
        store.put_stream(stream(exe, 4096), 20_000_000).await,
        Err(UploadError::UnsupportedType)
    ));
    let mut big = b"%PDF-1.7\n".to_vec();
    big.extend(vec![b'x'; 3_000_000]);
    assert!(matches!(
        store.put_stream(stream(big, 64 * 1024), 1_000_000).await,
        Err(UploadError::TooLarge(_))
    ));
    assert_eq!(store.object_count().await.unwrap(), before + 1, "{name}: nothing stored on refusal");
    assert_eq!(store.temp_files(), 0);

    store.delete(&blob.key).await.unwrap();
    assert!(!store.exists(&blob.key).await);
    store.delete(&blob.key).await.unwrap(); // deleting twice is fine
    assert_eq!(store.object_count().await.unwrap(), before);
}

#[tokio::test]
async fn the_blob_store_contract_holds_on_local_disk_and_on_s3() {
    let dir = tempfile::tempdir().unwrap();
    contract(&BlobStore::local(&dir.path().join("files")).unwrap(), "local").await;

    match std::env::var("MOTCUA_TEST_S3_ENDPOINT") {
        Ok(endpoint) => {
            let store =
                BlobStore::s3_at(&endpoint, "motcua-test", "test", "test", &dir.path().join("tmp")).unwrap();
            contract(&store, "s3").await;
        }
        // Printed so the output says what ran; scripts/test always sets it.
        Err(_) => eprintln!("[blob store: s3 not run: MOTCUA_TEST_S3_ENDPOINT is not set]"),
    }
}

const EICAR: &[u8] = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

#[tokio::test]
async fn with_clamd_configured_infected_files_are_refused_and_clean_ones_stored() {
    use app::ssr::scanner::Clamd;
    let dir = tempfile::tempdir().unwrap();
    // a scanner that cannot be reached refuses uploads rather than letting them through
    let down = BlobStore::local(&dir.path().join("down"))
        .unwrap()
        .with_scanner(Some(Clamd::parse("tcp://127.0.0.1:1").unwrap()));
    let refused = down.put_stream(stream(b"%PDF-1.4\nclean".to_vec(), 1024), 1_000_000).await;
    assert!(matches!(refused, Err(UploadError::Storage(_))), "fail closed: {refused:?}");
    assert_eq!(down.object_count().await.unwrap(), 0);

    let Ok(url) = std::env::var("MOTCUA_TEST_CLAMD") else {
        eprintln!("[clamd not run: MOTCUA_TEST_CLAMD is not set]");
        return;
    };
    let store =
        BlobStore::local(&dir.path().join("files")).unwrap().with_scanner(Some(Clamd::parse(&url).unwrap()));
    let mut infected = b"%PDF-1.4\n".to_vec();
    infected.extend_from_slice(EICAR);
    infected.extend(vec![b' '; 200_000]);
    match store.put_stream(stream(infected, 8192), 1_000_000).await {
        Err(UploadError::Infected(name)) => assert!(name.contains("MotCua.Test.EICAR"), "{name}"),
        other => panic!("expected the test signature to be found, got {other:?}"),
    }
    assert_eq!(store.object_count().await.unwrap(), 0, "nothing stored");
    assert_eq!(store.temp_files(), 0);
    let clean =
        store.put_stream(stream(b"%PDF-1.4\nan honest scan".to_vec(), 1024), 1_000_000).await.unwrap();
    assert!(store.exists(&clean.key).await);
}
