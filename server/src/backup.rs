//! `server backup` and `server restore`: an online, consistent copy of the database and the
//! stored files, and putting it back.
//!
//! A backup is a directory:
//!
//! ```text
//! <dir>/manifest.json    what is in it: engine, time, every file with its size and SHA-256
//! <dir>/motcua.db        SQLite: a snapshot written by `VACUUM INTO` (one read transaction)
//! <dir>/motcua.pgdump    PostgreSQL: `pg_dump --format=custom` (one snapshot)
//! <dir>/files/<key>      every stored blob, under its key
//! ```
//!
//! The database is copied first, then the files. Blobs are named by their content and never
//! change, and a row refers to a blob only after the blob is stored, so every file the
//! snapshot refers to is in the store when the files are copied (files added after the
//! snapshot are copied too; they are harmless). The server keeps running meanwhile.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use app::ssr::db::{Backend, Db};
use app::ssr::storage::BlobStore;
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use tokio::io::AsyncWriteExt as _;

use crate::config::Settings;

/// What a backup holds.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// Format version of this manifest.
    pub format: u32,
    /// `sqlite` or `postgres`.
    pub engine: String,
    /// When the backup started (RFC 3339, UTC).
    pub created_at: String,
    /// The database file inside the backup directory.
    pub database: String,
    /// Every stored file.
    pub files: Vec<FileEntry>,
}

/// One stored file in a backup.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// Its key in the blob store (also its path under `files/`).
    pub key: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

const SQLITE_FILE: &str = "motcua.db";
const PG_FILE: &str = "motcua.pgdump";

/// The SQLite database file named by a `sqlite:` URL.
pub fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest =
        url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).context("not a sqlite URL")?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        bail!("an in-memory SQLite database cannot be backed up or restored");
    }
    Ok(PathBuf::from(path))
}

/// Writes a backup of the running (or stopped) portal into `dest`, which must not exist or
/// be empty. Returns the manifest.
pub async fn backup(settings: &Settings, dest: &Path) -> anyhow::Result<Manifest> {
    if dest.exists() && std::fs::read_dir(dest)?.next().is_some() {
        bail!("{} is not empty: choose a new directory for the backup", dest.display());
    }
    std::fs::create_dir_all(dest.join("files")).with_context(|| format!("creating {}", dest.display()))?;
    let created_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let backend = Backend::from_url(&settings.database_url)?;
    let database = match backend {
        Backend::Sqlite => {
            let db = Db::connect(&settings.database_url).await?;
            let target = dest.join(SQLITE_FILE);
            let quoted = target.to_str().context("backup path is not UTF-8")?.replace('\'', "''");
            // one read transaction: a consistent snapshot while writers go on
            sqlx::query(&format!("VACUUM INTO '{quoted}'"))
                .execute(db.reader())
                .await
                .context("VACUUM INTO the backup")?;
            db.close().await;
            SQLITE_FILE
        }
        Backend::Postgres => {
            let status = std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(dest.join(PG_FILE))
                .arg(&settings.database_url)
                .status()
                .context("running pg_dump (install the PostgreSQL client tools)")?;
            if !status.success() {
                bail!("pg_dump failed ({status})");
            }
            PG_FILE
        }
    };
    let store = crate::blob_store(settings)?;
    let mut files = Vec::new();
    for key in store.keys().await? {
        files.push(copy_out(&store, &key, &dest.join("files")).await?);
    }
    let manifest = Manifest {
        format: 1,
        engine: backend.name().to_string(),
        created_at,
        database: database.to_string(),
        files,
    };
    std::fs::write(dest.join("manifest.json"), serde_json::to_vec_pretty(&manifest)?)?;
    Ok(manifest)
}

async fn copy_out(store: &BlobStore, key: &str, dir: &Path) -> anyhow::Result<FileEntry> {
    let target = safe_join(dir, key)?;
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let mut out = tokio::fs::File::create(&target).await?;
    let mut stream = store.get(key).await?;
    let (mut hasher, mut bytes) = (Sha256::new(), 0u64);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        hasher.update(&chunk);
        bytes += chunk.len() as u64;
        out.write_all(&chunk).await?;
    }
    out.sync_all().await?;
    Ok(FileEntry { key: key.to_string(), bytes, sha256: hex::encode(hasher.finalize()) })
}

/// `dir/key`, refusing keys that would leave `dir`.
fn safe_join(dir: &Path, key: &str) -> anyhow::Result<PathBuf> {
    if key.split('/').any(|p| p.is_empty() || p == "." || p == "..") || key.starts_with('/') {
        bail!("unexpected file key {key:?}");
    }
    Ok(dir.join(key))
}

/// Reads and checks a backup: every file listed is there with its size and checksum.
pub fn verify(src: &Path) -> anyhow::Result<Manifest> {
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(src.join("manifest.json"))
            .with_context(|| format!("reading {}/manifest.json", src.display()))?,
    )
    .context("manifest.json is not a MotCua backup manifest")?;
    if manifest.format != 1 {
        bail!("unknown backup format {}", manifest.format);
    }
    if !src.join(&manifest.database).is_file() {
        bail!("the backup has no database file {}", manifest.database);
    }
    for f in &manifest.files {
        let bytes = std::fs::read(safe_join(&src.join("files"), &f.key)?)
            .with_context(|| format!("the backup lacks the file {}", f.key))?;
        if bytes.len() as u64 != f.bytes || hex::encode(Sha256::digest(&bytes)) != f.sha256 {
            bail!("the file {} in the backup is damaged (size or checksum differs)", f.key);
        }
    }
    Ok(manifest)
}

/// Restores a backup into the database and store the settings name. The server must be
/// stopped. A SQLite target must not exist yet unless `force`; a PostgreSQL target is
/// cleaned and reloaded. Migrations newer than the backup are applied afterwards.
pub async fn restore(settings: &Settings, src: &Path, force: bool) -> anyhow::Result<Manifest> {
    let manifest = verify(src)?;
    let backend = Backend::from_url(&settings.database_url)?;
    if backend.name() != manifest.engine {
        bail!("this backup is of a {} database; the settings name a {} one", manifest.engine, backend.name());
    }
    match backend {
        Backend::Sqlite => {
            let target = sqlite_path(&settings.database_url)?;
            if target.exists() && !force {
                bail!("{} exists: stop the server and pass --force to replace it", target.display());
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // write beside, then rename: a cut-off restore never leaves a half database
            let partial = target.with_extension("db.restoring");
            std::fs::copy(src.join(&manifest.database), &partial)?;
            std::fs::File::open(&partial)?.sync_all()?;
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
            }
            std::fs::rename(&partial, &target)?;
        }
        Backend::Postgres => {
            let status = std::process::Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname"])
                .arg(&settings.database_url)
                .arg(src.join(&manifest.database))
                .status()
                .context("running pg_restore (install the PostgreSQL client tools)")?;
            if !status.success() {
                bail!("pg_restore failed ({status})");
            }
        }
    }
    let store = crate::blob_store(settings)?;
    for f in &manifest.files {
        let bytes = tokio::fs::read(safe_join(&src.join("files"), &f.key)?).await?;
        store.put_raw(&f.key, bytes.into()).await?;
    }
    let db = crate::open_database(settings).await?;
    db.close().await;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_from_urls() -> anyhow::Result<()> {
        assert_eq!(sqlite_path("sqlite://./data/motcua.db")?, PathBuf::from("./data/motcua.db"));
        assert_eq!(sqlite_path("sqlite:///srv/m.db?mode=rwc")?, PathBuf::from("/srv/m.db"));
        assert!(sqlite_path("sqlite::memory:").is_err());
        assert!(sqlite_path("postgres://x/y").is_err());
        Ok(())
    }

    #[test]
    fn keys_cannot_leave_the_directory() {
        let dir = Path::new("/b/files");
        assert!(safe_join(dir, "ab/cd/ef").is_ok());
        for bad in ["../x", "a/../../x", "/etc/passwd", "a//b", "./a"] {
            assert!(safe_join(dir, bad).is_err(), "{bad}");
        }
    }
}
