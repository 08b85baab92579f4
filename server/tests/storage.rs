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
