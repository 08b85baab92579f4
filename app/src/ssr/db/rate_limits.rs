//! Sliding-window rate limits in the database, so every server process sees the same
//! count: each attempt is a row; a key's rows older than its window are deleted as it is
//! counted. The rows are written without waiting for the disk
//! ([`Db::begin_unacknowledged`]): a power cut may forget the last attempts, which only
//! makes a limit briefly more lenient.

use time::{Duration, OffsetDateTime};

use super::Db;
use super::columns::to_db;

/// Records one attempt for `key` and returns how many attempts (this one included) were
/// made in the `window` up to `now`.
pub async fn hit(db: &Db, key: &str, window_secs: i64, now: OffsetDateTime) -> sqlx::Result<i64> {
    let since = to_db(now - Duration::seconds(window_secs.max(1)));
    // a count, not a record anyone is told was saved: no fsync on the hot path
    let mut tx = db.begin_unacknowledged().await?;
    sqlx::query("DELETE FROM rate_limit_hits WHERE key = $1 AND at <= $2")
        .bind(key)
        .bind(since)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO rate_limit_hits (key, at) VALUES ($1, $2)")
        .bind(key)
        .bind(to_db(now))
        .execute(&mut *tx)
        .await?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM rate_limit_hits WHERE key = $1")
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(count)
}
