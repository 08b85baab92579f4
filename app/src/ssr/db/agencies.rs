//! The `agencies` table (the unit tree). The catalogue work extends it.

use sqlx::AnyConnection;
use time::OffsetDateTime;

use super::columns::{new_id, to_db};

/// Inserts a unit (idempotent on its code) and returns its id.
pub async fn upsert(
    conn: &mut AnyConnection,
    code: &str,
    name_vi: &str,
    name_en: &str,
    parent_id: Option<&str>,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    if let Some((id,)) = sqlx::query_as::<_, (String,)>("SELECT id FROM agencies WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(id);
    }
    let id = new_id();
    sqlx::query("INSERT INTO agencies (id, code, name_vi, name_en, parent_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(code)
        .bind(name_vi)
        .bind(name_en)
        .bind(parent_id)
        .bind(to_db(now))
        .execute(conn)
        .await?;
    Ok(id)
}

/// The id of the unit with this national code.
pub async fn id_by_code(conn: &mut AnyConnection, code: &str) -> sqlx::Result<Option<String>> {
    Ok(sqlx::query_as::<_, (String,)>("SELECT id FROM agencies WHERE code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await?
        .map(|(id,)| id))
}

/// The unit's names and address (Vietnamese, English, address) by national code.
pub async fn names_by_code(
    conn: &mut AnyConnection,
    code: &str,
) -> sqlx::Result<Option<(String, String, String)>> {
    sqlx::query_as("SELECT name_vi, name_en, address FROM agencies WHERE code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await
}

/// The national code of the unit with this id.
pub async fn code_by_id(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT code FROM agencies WHERE id = $1").bind(id).fetch_optional(conn).await
}
