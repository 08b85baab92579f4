//! Satisfaction ratings of returned dossiers (one per dossier) and the reminder to rate.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::columns::{new_id, to_db};

/// A new rating, each criterion 1 (not satisfied), 2 (satisfied) or 3 (very satisfied).
#[derive(Debug, Clone)]
pub struct NewRating<'a> {
    /// The dossier rated.
    pub dossier_id: &'a str,
    /// Its receiving unit (national code).
    pub agency_code: &'a str,
    /// Its procedure.
    pub procedure_id: &'a str,
    /// `account` or `kiosk`.
    pub channel: &'a str,
    /// Reception and guidance.
    pub reception: i64,
    /// Processing time.
    pub timing: i64,
    /// Officers' attitude.
    pub attitude: i64,
    /// Correctness of the result.
    pub correctness: i64,
    /// Optional comment.
    pub comment: &'a str,
    /// The person who rated (none at the kiosk).
    pub rated_by: Option<&'a str>,
}

/// A stored rating.
#[derive(Debug, Clone, FromRow)]
pub struct RatingRow {
    /// `account` or `kiosk`.
    pub channel: String,
    /// Reception and guidance (1–3).
    pub reception: i64,
    /// Processing time (1–3).
    pub timing: i64,
    /// Officers' attitude (1–3).
    pub attitude: i64,
    /// Correctness of the result (1–3).
    pub correctness: i64,
    /// Comment.
    pub comment: String,
    /// When.
    pub created_at: i64,
}

/// Inserts the rating unless the dossier has one; returns whether it was inserted (the
/// unique index on `dossier_id` decides when two arrive at once).
pub async fn insert(conn: &mut AnyConnection, r: &NewRating<'_>, now: OffsetDateTime) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO ratings (id, dossier_id, agency_code, procedure_id, channel, reception, timing, attitude, \
         correctness, comment, rated_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (dossier_id) DO NOTHING",
    )
    .bind(new_id())
    .bind(r.dossier_id)
    .bind(r.agency_code)
    .bind(r.procedure_id)
    .bind(r.channel)
    .bind(r.reception)
    .bind(r.timing)
    .bind(r.attitude)
    .bind(r.correctness)
    .bind(r.comment)
    .bind(r.rated_by)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The rating of a dossier, if any.
pub async fn of_dossier(conn: &mut AnyConnection, dossier_id: &str) -> sqlx::Result<Option<RatingRow>> {
    sqlx::query_as(
        "SELECT channel, CAST(reception AS BIGINT) AS reception, CAST(timing AS BIGINT) AS timing, \
         CAST(attitude AS BIGINT) AS attitude, CAST(correctness AS BIGINT) AS correctness, comment, created_at \
         FROM ratings WHERE dossier_id = $1",
    )
    .bind(dossier_id)
    .fetch_optional(conn)
    .await
}

/// A dossier whose applicant is reminded to rate.
#[derive(Debug, Clone, FromRow)]
pub struct Reminder {
    /// Dossier id.
    pub id: String,
}

/// The query of [`mark_reminded`] (`$1` now, `$2` the latest return time). Its first two
/// conditions are those of the partial index `dossiers_rating_due`, which holds only the
/// returned dossiers not reminded yet; a test checks the plan.
pub const MARK_REMINDED_SQL: &str = "UPDATE dossiers SET rating_reminded_at = $1 \
     WHERE rating_reminded_at IS NULL AND national_status = 10 \
     AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.dossier_id = dossiers.id) \
     AND EXISTS (SELECT 1 FROM dossier_events e WHERE e.dossier_id = dossiers.id AND e.kind = 'returned' \
                 AND e.at <= $2) \
     RETURNING id";

/// Returned dossiers not rated and not yet reminded whose result went back before `before`,
/// marked as reminded (each once, even with several processes sweeping).
pub async fn mark_reminded(
    conn: &mut AnyConnection,
    now: OffsetDateTime,
    before: OffsetDateTime,
) -> sqlx::Result<Vec<Reminder>> {
    sqlx::query_as(MARK_REMINDED_SQL).bind(to_db(now)).bind(to_db(before)).fetch_all(conn).await
}
