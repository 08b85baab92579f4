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

/// A pool's connections at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolStats {
    /// Connections open (idle or in use).
    pub open: u32,
    /// Of which idle.
    pub idle: usize,
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
                    .after_release(|conn, _meta| rollback_if_left_open(conn))
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
        let (backend, pool) = (self.backend, self.write.clone());
        run_to_completion(async move {
            match backend {
                Backend::Sqlite => pool.begin_with("PRAGMA synchronous = FULL; BEGIN IMMEDIATE").await,
                Backend::Postgres => pool.begin().await,
            }
        })
        .await
    }

    /// Starts a write transaction that nobody is told was saved (rate-limit hits, session
    /// activity): its commit does not wait for the disk (SQLite `synchronous = NORMAL` in WAL
    /// mode, PostgreSQL `synchronous_commit = off`), so it costs no fsync. A power cut may
    /// lose the last few such writes, never corrupt the database or an acknowledged write.
    pub async fn begin_unacknowledged(&self) -> sqlx::Result<Transaction<'static, Any>> {
        let (backend, pool) = (self.backend, self.write.clone());
        run_to_completion(async move {
            match backend {
                Backend::Sqlite => pool.begin_with("PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE").await,
                Backend::Postgres => {
                    let mut tx = pool.begin().await?;
                    tx.execute("SET LOCAL synchronous_commit = off").await?;
                    Ok(tx)
                }
            }
        })
        .await
    }

    /// The pools' connections now: `("read", …)` and `("write", …)` on SQLite, one `("shared",
    /// …)` pool on PostgreSQL (for `/metrics`).
    pub fn pool_stats(&self) -> Vec<(&'static str, PoolStats)> {
        let stats = |p: &AnyPool| PoolStats { open: p.size(), idle: p.num_idle() };
        match self.backend {
            Backend::Sqlite => vec![("read", stats(&self.read)), ("write", stats(&self.write))],
            Backend::Postgres => vec![("shared", stats(&self.read))],
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

/// Runs the start of a transaction on its own task, so that it finishes even when the request
/// that asked for it is dropped half-way (a client that disconnects: axum then drops the
/// handler's future). sqlx 0.8's SQLite `begin_with` is not cancel-safe: dropped after the
/// worker ran `BEGIN` but before the [`Transaction`] exists, it leaves the connection inside a
/// transaction that nothing rolls back, and on the single writer connection every later
/// write then fails ("begin_with at non-zero transaction depth"). Run to completion, the
/// transaction is handed back, or dropped here if nobody waits for it any more, which rolls it
/// back.
async fn run_to_completion(
    begin: impl Future<Output = sqlx::Result<Transaction<'static, Any>>> + Send + 'static,
) -> sqlx::Result<Transaction<'static, Any>> {
    tokio::spawn(begin).await.map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?
}

/// The pool's check on every connection given back: a connection still inside a transaction
/// (whatever left it so) is rolled back before anyone else gets it, instead of poisoning every
/// later `BEGIN`. A `Transaction` dropped without commit (an error returned half-way) has
/// queued its own rollback: a ping waits for the queue to be worked off, so only a
/// transaction that nothing would end is rolled back (and reported) here.
fn rollback_if_left_open(
    conn: &mut sqlx::AnyConnection,
) -> futures_util::future::BoxFuture<'_, sqlx::Result<bool>> {
    use sqlx::{Connection as _, TransactionManager as _};
    type Manager = <Any as sqlx::Database>::TransactionManager;
    Box::pin(async move {
        if Manager::get_transaction_depth(conn) > 0 {
            conn.ping().await?;
            if Manager::get_transaction_depth(conn) > 0 {
                tracing::warn!("a connection came back inside a transaction: rolled back");
                Manager::rollback(conn).await?;
            }
        }
        Ok(true)
    })
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
        .after_release(|conn, _meta| rollback_if_left_open(conn))
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

    /// Polls `fut` `polls` times, `pause` apart (the SQLite worker is a thread of its own and
    /// answers meanwhile), then drops it if it has not finished: what axum does to a handler
    /// whose client disconnects.
    async fn abandon<F: Future>(fut: F, polls: u32, pause: Duration) {
        let mut fut = std::pin::pin!(fut);
        for _ in 0..polls {
            let ready =
                std::future::poll_fn(|cx| std::task::Poll::Ready(fut.as_mut().poll(cx).is_ready())).await;
            if ready {
                return;
            }
            std::thread::sleep(pause);
        }
    }

    async fn write_works(db: &Db) -> anyhow::Result<()> {
        let mut tx = tokio::time::timeout(Duration::from_secs(20), db.begin_write()).await??;
        sqlx::query("INSERT INTO rate_limit_hits (key, at) VALUES ('after', 1)").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_abandoned_while_its_transaction_starts_leaves_the_writer_usable() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = Db::connect(&url).await?;
        db.migrate().await?;
        // sqlx's own begin, dropped at every step: the pool's release check rolls back what it
        // left open
        for polls in 1..=4 {
            for pause_us in (0..300).step_by(20) {
                abandon(db.write.begin_with("BEGIN IMMEDIATE"), polls, Duration::from_micros(pause_us)).await;
            }
        }
        write_works(&db).await?;
        // the portal's begins, dropped at every step
        for polls in 1..=4 {
            for pause_us in (0..300).step_by(20) {
                let pause = Duration::from_micros(pause_us);
                abandon(db.begin_write(), polls, pause).await;
                abandon(db.begin_unacknowledged(), polls, pause).await;
            }
        }
        write_works(&db).await?;
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM rate_limit_hits").fetch_one(db.reader()).await?;
        assert_eq!(n, 2, "only the two finished writes were saved");
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
