//! The hash-chained audit log (`audit_log`, `audit_head`).

use sha2::{Digest as _, Sha256};
use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::to_db;

/// One entry to append.
#[derive(Debug, Clone, Default)]
pub struct Entry<'a> {
    /// Who (a user id), if a person.
    pub actor_id: Option<&'a str>,
    /// What, e.g. `dossier.accept`, `document.download`.
    pub action: &'a str,
    /// On what, e.g. a dossier or document id.
    pub subject: &'a str,
    /// From where.
    pub ip: &'a str,
    /// Anything else worth keeping.
    pub detail: &'a str,
}

/// A stored entry.
#[derive(Debug, Clone, FromRow)]
pub struct Row {
    /// Sequence number (1, 2, …).
    pub seq: i64,
    /// When.
    pub at: i64,
    /// Who.
    pub actor_id: Option<String>,
    /// What.
    pub action: String,
    /// On what.
    pub subject: String,
    /// From where.
    pub ip: String,
    /// Detail.
    pub detail: String,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// The hash of a row: SHA-256 over the previous hash and every field, separated by a unit
/// separator so that fields cannot run into each other.
#[allow(clippy::too_many_arguments)]
pub fn hash_of(
    prev: &str,
    seq: i64,
    at: i64,
    actor: Option<&str>,
    action: &str,
    subject: &str,
    ip: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), &at.to_string(), actor.unwrap_or(""), action, subject, ip, detail] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Appends an entry in the caller's transaction (so it commits or rolls back with the change
/// it records).
pub async fn append(conn: &mut AnyConnection, e: &Entry<'_>, now: OffsetDateTime) -> sqlx::Result<i64> {
    let (seq, prev): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *conn)
            .await?;
    let at = to_db(now);
    let hash = hash_of(&prev, seq, at, e.actor_id, e.action, e.subject, e.ip, e.detail);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, action, subject, ip, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(at)
    .bind(e.actor_id)
    .bind(e.action)
    .bind(e.subject)
    .bind(e.ip)
    .bind(e.detail)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(conn).await?;
    Ok(seq)
}

/// The latest entries, newest first.
pub async fn latest(db: &Db, limit: i64) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as(&format!(
        "SELECT seq, at, actor_id, action, subject, ip, detail, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT {}",
        limit.clamp(1, 1000)
    ))
    .fetch_all(db.reader())
    .await
}

/// Checks the whole chain; `Ok(n)` with the number of rows, or `Err(seq)` of the first row
/// that does not match (edited, inserted, or following a deleted one).
pub async fn verify(db: &Db) -> sqlx::Result<Result<i64, i64>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, at, actor_id, action, subject, ip, detail, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch_all(db.reader())
    .await?;
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(db.reader()).await?;
    let mut prev = "0".repeat(64);
    let mut expected_seq = 1;
    for r in &rows {
        let hash =
            hash_of(&prev, r.seq, r.at, r.actor_id.as_deref(), &r.action, &r.subject, &r.ip, &r.detail);
        if r.seq != expected_seq || r.prev_hash != prev || r.hash != hash {
            return Ok(Err(r.seq));
        }
        prev = hash;
        expected_seq += 1;
    }
    if head_seq != expected_seq - 1 || head_hash != prev {
        // the newest rows were removed
        return Ok(Err(expected_seq));
    }
    Ok(Ok(i64::try_from(rows.len()).unwrap_or(i64::MAX)))
}
