//! The blob store: where uploaded scans and issued results live, through the `object_store`
//! crate — a local directory by default, S3-compatible object storage for several machines.
//!
//! An upload is streamed to a temporary file (never whole in memory) while it is hashed
//! (SHA-256), measured against its cap and recognised by its first bytes. Only a complete,
//! accepted file is then put under its content hash: on local disk by fsync + rename +
//! fsync of the directory, on S3 by a multipart upload that becomes visible only when
//! complete. The database row that attaches it is written after that, so an interrupted
//! upload leaves at most a temporary file, which [`BlobStore::sweep_temp`] removes.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use object_store::path::Path;
use object_store::{ObjectStore, WriteMultipart};
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::domain::document::{MediaType, SNIFF_LEN};
use crate::ssr::scanner::{Clamd, Verdict};

/// Where blobs are kept.
#[derive(Clone)]
enum Backend {
    /// A directory on this machine (the `object_store` local backend reads it).
    Local { root: PathBuf },
    /// Any other object store (S3-compatible, memory).
    Remote,
}

/// The blob store shared by every request.
#[derive(Clone)]
pub struct BlobStore {
    store: Arc<dyn ObjectStore>,
    backend: Backend,
    temp_dir: PathBuf,
    scanner: Option<Clamd>,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BlobStore({})", self.store)
    }
}

/// A file that was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// The key under which the bytes are kept (the SHA-256 in hex, sharded).
    pub key: String,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// What the content is.
    pub media: MediaType,
}

/// Why an upload was not stored.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// Larger than the cap (bytes).
    #[error("file larger than {0} bytes")]
    TooLarge(u64),
    /// Not a PDF, JPEG or PNG by content (or empty).
    #[error("unsupported file type")]
    UnsupportedType,
    /// The malware scanner found something (its signature name).
    #[error("malware found: {0}")]
    Infected(String),
    /// The client's stream broke off.
    #[error("upload interrupted: {0}")]
    Interrupted(String),
    /// Our side failed.
    #[error("storage failed: {0:#}")]
    Storage(#[from] anyhow::Error),
}

impl BlobStore {
    /// Files under `root` on local disk (temporary files in `root/.tmp`).
    pub fn local(root: &FsPath) -> anyhow::Result<BlobStore> {
        std::fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
        let temp_dir = root.join(".tmp");
        std::fs::create_dir_all(&temp_dir)?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(root)?;
        Ok(BlobStore {
            store: Arc::new(store),
            backend: Backend::Local { root: root.to_path_buf() },
            temp_dir,
            scanner: None,
        })
    }

    /// Any object store (S3-compatible in production), with temporary files in `temp_dir`.
    pub fn remote(store: Arc<dyn ObjectStore>, temp_dir: &FsPath) -> anyhow::Result<BlobStore> {
        std::fs::create_dir_all(temp_dir)?;
        Ok(BlobStore { store, backend: Backend::Remote, temp_dir: temp_dir.to_path_buf(), scanner: None })
    }

    /// An S3-compatible bucket configured from the standard `AWS_*` variables
    /// (`AWS_ENDPOINT`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
    /// `AWS_ALLOW_HTTP`…).
    pub fn s3(bucket: &str, temp_dir: &FsPath) -> anyhow::Result<BlobStore> {
        let store = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket).build()?;
        Self::remote(Arc::new(store), temp_dir)
    }

    /// An S3-compatible bucket at an explicit endpoint (tests, or configuration without the
    /// environment).
    pub fn s3_at(
        endpoint: &str,
        bucket: &str,
        access_key: &str,
        secret_key: &str,
        temp_dir: &FsPath,
    ) -> anyhow::Result<BlobStore> {
        let store = object_store::aws::AmazonS3Builder::new()
            .with_endpoint(endpoint)
            .with_bucket_name(bucket)
            .with_access_key_id(access_key)
            .with_secret_access_key(secret_key)
            .with_region("us-east-1")
            .with_allow_http(endpoint.starts_with("http://"))
            .with_virtual_hosted_style_request(false)
            .build()?;
        Self::remote(Arc::new(store), temp_dir)
    }

    /// How many objects the store holds (for tests and checks; lists everything).
    pub async fn object_count(&self) -> anyhow::Result<usize> {
        use futures_util::TryStreamExt as _;
        let all: Vec<_> = self.store.list(None).try_collect().await?;
        Ok(all.iter().filter(|m| !m.location.as_ref().starts_with(".tmp")).count())
    }

    /// Every stored key, temporary files left out (for backups).
    pub async fn keys(&self) -> anyhow::Result<Vec<String>> {
        use futures_util::TryStreamExt as _;
        let all: Vec<_> = self.store.list(None).try_collect().await?;
        let mut keys: Vec<String> =
            all.into_iter().map(|m| m.location.to_string()).filter(|k| !k.starts_with(".tmp")).collect();
        keys.sort_unstable();
        Ok(keys)
    }

    /// Writes `bytes` under `key` as they are (restoring a backup; uploads go through
    /// [`BlobStore::put_stream`], which checks and names them by content).
    pub async fn put_raw(&self, key: &str, bytes: Bytes) -> anyhow::Result<()> {
        self.store.put(&Path::from(key), bytes.into()).await?;
        Ok(())
    }

    /// Scans every upload with clamd before it is stored.
    pub fn with_scanner(mut self, scanner: Option<Clamd>) -> BlobStore {
        self.scanner = scanner;
        self
    }

    fn key_for(sha256: &str) -> String {
        format!("{}/{}", &sha256[..2], sha256)
    }

    /// Streams `body` into the store, refusing it beyond `max_bytes` or when its content is
    /// not a PDF, JPEG or PNG. Nothing is visible under a key unless it is complete.
    pub async fn put_stream<S, E>(&self, mut body: S, max_bytes: u64) -> Result<StoredBlob, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let temp = tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(&self.temp_dir)
            .context("creating a temporary file")?;
        let (std_file, temp_path) = temp.into_parts();
        let mut file = tokio::fs::File::from_std(std_file);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
        let mut media = None;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| UploadError::Interrupted(e.to_string()))?;
            size += chunk.len() as u64;
            if size > max_bytes {
                return Err(UploadError::TooLarge(max_bytes));
            }
            if media.is_none() {
                let need = SNIFF_LEN.saturating_sub(head.len());
                head.extend_from_slice(&chunk[..need.min(chunk.len())]);
                if head.len() >= SNIFF_LEN {
                    media = Some(MediaType::sniff(&head).ok_or(UploadError::UnsupportedType)?);
                }
            }
            hasher.update(&chunk);
            file.write_all(&chunk).await.context("writing the temporary file")?;
        }
        let media = match media {
            Some(m) => m,
            // shorter than the sniffing window: decide on what there is
            None => MediaType::sniff(&head).ok_or(UploadError::UnsupportedType)?,
        };
        file.sync_all().await.context("fsync of the temporary file")?;
        drop(file);
        if let Some(scanner) = &self.scanner {
            match scanner.scan_file(&temp_path).await.context("malware scan")? {
                Verdict::Clean => {}
                Verdict::Infected(name) => return Err(UploadError::Infected(name)),
            }
        }
        let sha256 = hex::encode(hasher.finalize());
        let key = Self::key_for(&sha256);
        self.commit(&temp_path, &key, size).await?;
        Ok(StoredBlob { key, sha256, size, media })
    }

    /// Moves a complete temporary file under `key` (a no-op if the same content is there).
    async fn commit(&self, temp: &tempfile::TempPath, key: &str, size: u64) -> anyhow::Result<()> {
        let path = Path::from(key);
        if let Ok(meta) = self.store.head(&path).await
            && meta.size == size
        {
            return Ok(());
        }
        match &self.backend {
            Backend::Local { root } => {
                let target = root.join(key);
                let dir = target.parent().context("blob key without a directory")?.to_path_buf();
                tokio::fs::create_dir_all(&dir).await?;
                tokio::fs::rename(temp, &target).await.context("renaming the blob into place")?;
                let dir = tokio::fs::File::open(&dir).await?;
                dir.sync_all().await.context("fsync of the blob directory")?;
            }
            Backend::Remote => {
                let upload = self.store.put_multipart(&path).await?;
                let mut writer = WriteMultipart::new_with_chunk_size(upload, 5 * 1024 * 1024);
                let mut file = tokio::fs::File::open(temp).await?;
                let mut buf = vec![0u8; 256 * 1024];
                loop {
                    let n = file.read(&mut buf).await?;
                    if n == 0 {
                        break;
                    }
                    writer.wait_for_capacity(4).await?;
                    writer.write(&buf[..n]);
                }
                writer.finish().await?;
            }
        }
        Ok(())
    }

    /// The bytes under `key`, as a stream.
    pub async fn get(
        &self,
        key: &str,
    ) -> anyhow::Result<impl Stream<Item = Result<Bytes, object_store::Error>> + Send + 'static> {
        Ok(self.store.get(&Path::from(key)).await?.into_stream())
    }

    /// The bytes under `key`, whole (for small files: previews in PDFs, tests).
    pub async fn read_all(&self, key: &str) -> anyhow::Result<Bytes> {
        Ok(self.store.get(&Path::from(key)).await?.bytes().await?)
    }

    /// Whether `key` exists.
    pub async fn exists(&self, key: &str) -> bool {
        self.store.head(&Path::from(key)).await.is_ok()
    }

    /// Removes a blob (callers check that no row refers to it any more).
    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes temporary files older than `age` (left by uploads cut off by a crash).
    /// Returns how many were removed.
    pub fn sweep_temp(&self, age: Duration) -> usize {
        let Ok(entries) = std::fs::read_dir(&self.temp_dir) else { return 0 };
        let now = SystemTime::now();
        let mut removed = 0;
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).unwrap_or_default() >= age);
            if old && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// Number of temporary files (for tests and metrics).
    pub fn temp_files(&self) -> usize {
        std::fs::read_dir(&self.temp_dir).map(|d| d.flatten().count()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: Vec<&'static [u8]>) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
        futures_util::stream::iter(parts.into_iter().map(|p| Ok(Bytes::from_static(p))))
    }

    #[tokio::test]
    async fn stores_by_content_hash_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::local(dir.path()).unwrap();
        let blob = store.put_stream(chunks(vec![b"%PD", b"F-1.4\nhello"]), 1000).await.unwrap();
        assert_eq!(blob.media, MediaType::Pdf);
        assert_eq!(blob.size, 14);
        assert_eq!(blob.sha256, hex::encode(Sha256::digest(b"%PDF-1.4\nhello")));
        assert_eq!(&store.read_all(&blob.key).await.unwrap()[..], b"%PDF-1.4\nhello");
        // the same content again is the same blob
        let again = store.put_stream(chunks(vec![b"%PDF-1.4\nhello"]), 1000).await.unwrap();
        assert_eq!(again, blob);
        assert_eq!(store.temp_files(), 0);
    }

    #[tokio::test]
    async fn refuses_by_content_and_size_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::local(dir.path()).unwrap();
        let exe = store.put_stream(chunks(vec![b"MZ\x90\x00\x03\x00\x00\x00rest"]), 1000).await;
        assert!(matches!(exe, Err(UploadError::UnsupportedType)), "{exe:?}");
        let big = store.put_stream(chunks(vec![b"%PDF-1.4\n", &[0u8; 600], &[0u8; 600]]), 1000).await;
        assert!(matches!(big, Err(UploadError::TooLarge(1000))), "{big:?}");
        let empty = store.put_stream(chunks(vec![]), 1000).await;
        assert!(matches!(empty, Err(UploadError::UnsupportedType)));
        let broken = store
            .put_stream(
                futures_util::stream::iter(vec![
                    Ok(Bytes::from_static(b"%PDF-1.4\n")),
                    Err(std::io::Error::other("reset")),
                ]),
                1000,
            )
            .await;
        assert!(matches!(broken, Err(UploadError::Interrupted(_))));
        assert_eq!(store.temp_files(), 0, "temporary files are removed on every failure");
        let blobs: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().flatten().filter(|e| e.file_name() != ".tmp").collect();
        assert!(blobs.is_empty(), "nothing stored: {blobs:?}");
    }

    #[tokio::test]
    async fn the_remote_path_works_on_an_in_memory_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::remote(Arc::new(object_store::memory::InMemory::new()), dir.path()).unwrap();
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        let blob = store.put_stream(chunks(vec![Box::leak(Box::new(png))]), 1000).await.unwrap();
        assert_eq!(blob.media, MediaType::Png);
        assert!(store.exists(&blob.key).await);
        assert_eq!(&store.read_all(&blob.key).await.unwrap()[..], &png);
        store.delete(&blob.key).await.unwrap();
        assert!(!store.exists(&blob.key).await);
    }
}
