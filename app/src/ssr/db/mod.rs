//! The database: SQLite (embedded default) or PostgreSQL, chosen by the URL.
//!
//! All SQL of the application lives under this module. Queries go through sqlx's `Any`
//! driver with `$1`-style placeholders, which both SQLite and PostgreSQL accept; where the
//! dialects differ, the module branches on [`Backend`]. Writes on SQLite go through a
//! single-connection pool and `BEGIN IMMEDIATE`, so concurrent writers queue instead of
//! failing with `SQLITE_BUSY`; every SQLite connection runs in WAL mode with
//! `synchronous=FULL`, so an acknowledged write survives a power cut.

use std::time::Duration;

use anyhow::Context as _;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor as _, Transaction};

pub mod agencies;
pub mod api;
pub mod audit;
pub mod catalogue;
pub mod catalogue_edit;
pub mod columns;
pub mod delegations;
pub mod dossiers;
pub mod email_tokens;
pub mod feedback;
pub mod jobs;
pub mod organisations;
pub mod payments;
pub mod rate_limits;
pub mod ratings;
pub mod sessions;
pub mod stats;
pub mod users;
pub mod webhooks;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database engine is behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: one file, one machine.
    Sqlite,
    /// PostgreSQL (or a Postgres-compatible engine): several server processes.
    Postgres,
}

impl Backend {
    /// Recognises the engine from a connection URL.
    pub fn from_url(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("unsupported database URL scheme (expected sqlite: or postgres://)")
        }
    }

    /// A short name for logs and test output.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Connection pools to the portal's database.
#[derive(Clone, Debug)]
pub struct Db {
    backend: Backend,
    read: AnyPool,
    write: AnyPool,
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

impl Db {
    /// Opens the pools for `url` (creating the SQLite file if needed). Does not migrate.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        install_default_drivers();
        let backend = Backend::from_url(url)?;
        match backend {
            Backend::Sqlite => {
                let url = sqlite_url_with_create(url);
                let write = sqlite_pool(&url, 1).await?;
                // WAL mode is persistent: set it once through the writer before readers open.
                let read = sqlite_pool(&url, 4).await?;
                Ok(Db { backend, read, write })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(url)
                    .await
                    .context("connecting to PostgreSQL")?;
                Ok(Db { backend, read: pool.clone(), write: pool })
            }
        }
    }

    /// Applies the migrations of this backend that are not applied yet.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.write).await.context("running database migrations")?;
        Ok(())
    }

    /// The engine behind this handle.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool for reads (several connections on both engines).
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// Starts a write transaction: `BEGIN IMMEDIATE` on SQLite (takes the write lock up
    /// front, so two writers never deadlock), a plain `BEGIN` on PostgreSQL.
    ///
    /// On SQLite each write transaction says at its start how durable it is (the pragma runs
    /// before `BEGIN`, in the same call): this one `synchronous = FULL`, so a connection that
    /// last ran an [unacknowledged](Db::begin_unacknowledged) write is durable again.
    pub async fn begin_write(&self) -> sqlx::Result<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self.write.begin_with("PRAGMA synchronous = FULL; BEGIN IMMEDIATE").await,
            Backend::Postgres => self.write.begin().await,
        }
    }

    /// Starts a write transaction that nobody is told was saved (rate-limit hits, session
    /// activity): its commit does not wait for the disk (SQLite `synchronous = NORMAL` in WAL
    /// mode, PostgreSQL `synchronous_commit = off`), so it costs no fsync. A power cut may
    /// lose the last few such writes, never corrupt the database or an acknowledged write.
    pub async fn begin_unacknowledged(&self) -> sqlx::Result<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self.write.begin_with("PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE").await,
            Backend::Postgres => {
                let mut tx = self.write.begin().await?;
                tx.execute("SET LOCAL synchronous_commit = off").await?;
                Ok(tx)
            }
        }
    }

    /// Whether the database answers a trivial query (for `/readyz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.read).await.is_ok()
    }

    /// Closes every connection (at shutdown).
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

fn sqlite_url_with_create(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

async fn sqlite_pool(url: &str, max: u32) -> anyhow::Result<AnyPool> {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute(SQLITE_PRAGMAS).await?;
                Ok(())
            })
        })
        .connect(url)
        .await
        .context("opening the SQLite database")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_recognised_from_the_url() {
        assert_eq!(Backend::from_url("sqlite://data/x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("postgres://u@h/db").ok(), Some(Backend::Postgres));
        assert_eq!(Backend::from_url("postgresql://u@h/db").ok(), Some(Backend::Postgres));
        assert!(Backend::from_url("mysql://u@h/db").is_err());
    }

    #[test]
    fn sqlite_url_gets_create_mode() {
        assert_eq!(sqlite_url_with_create("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(sqlite_url_with_create("sqlite://a.db?x=1"), "sqlite://a.db?x=1&mode=rwc");
        assert_eq!(sqlite_url_with_create("sqlite://a.db?mode=ro"), "sqlite://a.db?mode=ro");
    }

    #[tokio::test]
    async fn sqlite_runs_durable_wal_with_foreign_keys() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = Db::connect(&url).await?;
        db.migrate().await?;
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(db.reader()).await?;
        assert_eq!(mode.to_lowercase(), "wal");
        let mut tx = db.begin_write().await?;
        let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous").fetch_one(&mut *tx).await?;
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys").fetch_one(&mut *tx).await?;
        tx.commit().await?;
        assert_eq!(sync, 2, "synchronous=FULL");
        assert_eq!(fk, 1);
        assert!(db.ping().await);
        Ok(())
    }

    #[tokio::test]
    async fn an_unacknowledged_write_leaves_the_next_write_durable() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = Db::connect(&url).await?;
        db.migrate().await?;
        async fn synchronous(tx: &mut Transaction<'static, Any>) -> sqlx::Result<i64> {
            sqlx::query_as::<_, (i64,)>("PRAGMA synchronous").fetch_one(&mut **tx).await.map(|r| r.0)
        }
        let mut tx = db.begin_unacknowledged().await?;
        assert_eq!(synchronous(&mut tx).await?, 1, "synchronous=NORMAL");
        sqlx::query("INSERT INTO rate_limit_hits (key, at) VALUES ('k', 1)").execute(&mut *tx).await?;
        tx.commit().await?;
        // the same (only) writer connection, durable again for the next write
        let mut tx = db.begin_write().await?;
        assert_eq!(synchronous(&mut tx).await?, 2, "synchronous=FULL");
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM rate_limit_hits").fetch_one(&mut *tx).await?;
        tx.commit().await?;
        assert_eq!(n, 1, "the unacknowledged write was committed");
        Ok(())
    }
}
