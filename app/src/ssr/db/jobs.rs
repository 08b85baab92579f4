//! The outbox / job queue (table `jobs`). Jobs are enqueued inside the transaction of the
//! change that causes them, so a rolled-back change sends nothing and a committed one is
//! never lost. Workers lease a job, run it, and mark it done; a crashed worker's lease
//! expires and another process picks the job up (at least once: jobs are idempotent).

use sqlx::{Any, AnyConnection, Row as _};
use time::{Duration, OffsetDateTime};

use super::columns::{new_id, to_db};
use super::{Backend, Db};

/// A claimed job.
#[derive(Debug, Clone)]
pub struct Job {
    /// Row id.
    pub id: String,
    /// What to do, e.g. `send_email`.
    pub kind: String,
    /// JSON arguments.
    pub payload: String,
    /// How many times it has been claimed, this time included.
    pub attempts: i64,
}

/// Adds a job to run at `run_at`, on the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    kind: &str,
    payload: &str,
    run_at: OffsetDateTime,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query("INSERT INTO jobs (id, kind, payload, run_at, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(kind)
        .bind(payload)
        .bind(to_db(run_at))
        .bind(to_db(now))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Leases the oldest due job for `lease`, or returns `None`.
pub async fn claim(db: &Db, now: OffsetDateTime, lease: Duration) -> sqlx::Result<Option<Job>> {
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $2 \
                     AND (locked_until IS NULL OR locked_until < $2) ORDER BY run_at LIMIT 1{lock}) \
         RETURNING id, kind, payload, attempts"
    );
    let mut tx = db.begin_write().await?;
    let row =
        sqlx::query::<Any>(&sql).bind(to_db(now + lease)).bind(to_db(now)).fetch_optional(&mut *tx).await?;
    tx.commit().await?;
    row.map(|row| {
        Ok(Job {
            id: row.try_get(0)?,
            kind: row.try_get(1)?,
            payload: row.try_get(2)?,
            attempts: row.try_get(3)?,
        })
    })
    .transpose()
}

/// Marks a job done.
pub async fn complete(db: &Db, id: &str, now: OffsetDateTime) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE jobs SET done_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2")
        .bind(to_db(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Records a failure and schedules the next attempt after `retry_in`.
pub async fn fail(db: &Db, id: &str, error: &str, retry_at: OffsetDateTime) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE jobs SET last_error = $1, run_at = $2, locked_until = NULL WHERE id = $3")
        .bind(error)
        .bind(to_db(retry_at))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Number of jobs not yet done (tests check that nothing was left behind).
pub async fn pending_count(db: &Db) -> sqlx::Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE done_at IS NULL").fetch_one(db.reader()).await?;
    Ok(n)
}
