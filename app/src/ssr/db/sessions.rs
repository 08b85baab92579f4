//! The `sessions` table.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::to_db;

/// A session row.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    /// SHA-256 of the cookie token.
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// 1 while the owner still owes the second factor.
    pub mfa_pending: i64,
    /// Last request seen.
    pub last_seen_at: i64,
    /// Absolute expiry.
    pub expires_at: i64,
}

/// A session to create.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// SHA-256 of the cookie token.
    pub id: &'a str,
    /// Owner.
    pub user_id: &'a str,
    /// Still owes the second factor.
    pub mfa_pending: bool,
    /// Absolute expiry.
    pub expires_at: OffsetDateTime,
    /// Client address.
    pub ip: Option<&'a str>,
    /// Client user agent.
    pub user_agent: Option<&'a str>,
}

/// Creates a session.
pub async fn insert(conn: &mut AnyConnection, s: &NewSession<'_>, now: OffsetDateTime) -> sqlx::Result<()> {
    let NewSession { id, user_id, mfa_pending, expires_at, ip, user_agent } = *s;
    sqlx::query(
        "INSERT INTO sessions (id, user_id, mfa_pending, created_at, last_seen_at, expires_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(user_id)
    .bind(i64::from(mfa_pending))
    .bind(to_db(now))
    .bind(to_db(expires_at))
    .bind(ip)
    .bind(user_agent)
    .execute(conn)
    .await?;
    Ok(())
}

/// The session with this id, if any (expiry is checked by the caller).
pub async fn find(db: &Db, id: &str) -> sqlx::Result<Option<SessionRow>> {
    sqlx::query_as("SELECT id, user_id, mfa_pending, last_seen_at, expires_at FROM sessions WHERE id = $1")
        .bind(id)
        .fetch_optional(db.reader())
        .await
}

/// Records activity (for the idle timeout; lost in a power cut, it only shortens a session).
pub async fn touch(db: &Db, id: &str, now: OffsetDateTime) -> sqlx::Result<()> {
    let mut tx = db.begin_unacknowledged().await?;
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
        .bind(to_db(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Ends one session.
pub async fn delete(conn: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Ends every session of a user ("log out everywhere", password change).
pub async fn delete_all_for_user(conn: &mut AnyConnection, user_id: &str) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?
        .rows_affected())
}

/// Removes expired sessions (janitor job).
pub async fn delete_expired(
    conn: &mut AnyConnection,
    now: OffsetDateTime,
    idle_micros: i64,
) -> sqlx::Result<u64> {
    let now = to_db(now);
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - idle_micros)
        .execute(conn)
        .await?
        .rows_affected())
}
