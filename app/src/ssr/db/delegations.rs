//! Delegations of signing: a leader lets a deputy of the same unit approve for a period.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::{new_id, to_db};

/// A delegation as its leader sees it.
#[derive(Debug, Clone, FromRow)]
pub struct DelegationRow {
    /// Id.
    pub id: String,
    /// The deputy's name.
    pub deputy_name: String,
    /// Their email.
    pub deputy_email: String,
    /// The unit's national code.
    pub agency_code: String,
    /// From.
    pub starts_at: i64,
    /// Until (exclusive).
    pub ends_at: i64,
    /// Revoked.
    pub revoked_at: Option<i64>,
}

/// Records a delegation; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    agency_id: &str,
    leader_id: &str,
    deputy_id: &str,
    starts: OffsetDateTime,
    ends: OffsetDateTime,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO delegations (id, agency_id, leader_id, deputy_id, starts_at, ends_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(agency_id)
    .bind(leader_id)
    .bind(deputy_id)
    .bind(to_db(starts))
    .bind(to_db(ends))
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// The units where `user_id` signs for a leader at `now`.
pub async fn active_for(
    conn: &mut AnyConnection,
    user_id: &str,
    now: OffsetDateTime,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT agency_id FROM delegations WHERE deputy_id = $1 AND revoked_at IS NULL \
         AND starts_at <= $2 AND ends_at > $2",
    )
    .bind(user_id)
    .bind(to_db(now))
    .fetch_all(conn)
    .await
}

/// The delegations a leader gave, newest first.
pub async fn given_by(db: &Db, leader_id: &str) -> sqlx::Result<Vec<DelegationRow>> {
    sqlx::query_as(
        "SELECT d.id, u.full_name AS deputy_name, u.email AS deputy_email, a.code AS agency_code, d.starts_at, \
         d.ends_at, d.revoked_at FROM delegations d JOIN users u ON u.id = d.deputy_id \
         JOIN agencies a ON a.id = d.agency_id WHERE d.leader_id = $1 ORDER BY d.created_at DESC LIMIT 50",
    )
    .bind(leader_id)
    .fetch_all(db.reader())
    .await
}

/// Revokes a delegation the leader gave. Returns whether one was revoked.
pub async fn revoke(
    conn: &mut AnyConnection,
    id: &str,
    leader_id: &str,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE delegations SET revoked_at = $3 WHERE id = $1 AND leader_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(leader_id)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
