//! The API's tables: tokens (`api_tokens`), idempotency keys (`api_idempotency`), and the
//! organisation-wide dossier list the API serves.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::{new_id, to_db};

/// A stored token (never its secret: only the hash is kept). Not `Serialize` on purpose.
#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    /// Id.
    pub id: String,
    /// The organisation it acts for.
    pub organisation_id: String,
    /// The owner who created it (the API acts as this person, within the organisation).
    pub created_by: String,
    /// Name given by the owner.
    pub name: String,
    /// `read` or `write`.
    pub scope: String,
    /// First characters of the token, to recognise it in the list.
    pub prefix: String,
    /// Created.
    pub created_at: i64,
    /// Expires.
    pub expires_at: i64,
    /// Revoked, if it was.
    pub revoked_at: Option<i64>,
    /// Last call.
    pub last_used_at: Option<i64>,
}

const TOKEN_COLUMNS: &str =
    "id, organisation_id, created_by, name, scope, prefix, created_at, expires_at, revoked_at, last_used_at";

/// A new token's facts.
#[derive(Debug, Clone)]
pub struct NewToken<'a> {
    /// Organisation.
    pub organisation_id: &'a str,
    /// Creator.
    pub created_by: &'a str,
    /// Name.
    pub name: &'a str,
    /// `read` or `write`.
    pub scope: &'a str,
    /// SHA-256 (hex) of the secret.
    pub token_hash: &'a str,
    /// Visible prefix.
    pub prefix: &'a str,
    /// Expiry.
    pub expires_at: OffsetDateTime,
}

/// Stores a token; returns its id.
pub async fn insert_token(
    conn: &mut AnyConnection,
    t: &NewToken<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO api_tokens (id, organisation_id, created_by, name, scope, token_hash, prefix, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(t.organisation_id)
    .bind(t.created_by)
    .bind(t.name)
    .bind(t.scope)
    .bind(t.token_hash)
    .bind(t.prefix)
    .bind(to_db(now))
    .bind(to_db(t.expires_at))
    .execute(conn)
    .await?;
    Ok(id)
}

/// The organisation's tokens, newest first.
pub async fn tokens_of(conn: &mut AnyConnection, organisation_id: &str) -> sqlx::Result<Vec<TokenRow>> {
    sqlx::query_as(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}

/// The token with this hash, if it is live (not revoked, not expired) and its creator is still
/// a member of the organisation.
pub async fn live_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: OffsetDateTime,
) -> sqlx::Result<Option<TokenRow>> {
    sqlx::query_as(&format!(
        "SELECT {} FROM api_tokens t WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 \
         AND EXISTS (SELECT 1 FROM organisation_members m WHERE m.organisation_id = t.organisation_id AND m.user_id = t.created_by)",
        TOKEN_COLUMNS.split(", ").map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ")
    ))
    .bind(token_hash)
    .bind(to_db(now))
    .fetch_optional(conn)
    .await
}

/// Notes the time of the latest call.
pub async fn touch_token(conn: &mut AnyConnection, id: &str, now: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(to_db(now))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Revokes a token of the organisation; `false` if there is no such live token.
pub async fn revoke_token(
    conn: &mut AnyConnection,
    organisation_id: &str,
    id: &str,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND organisation_id = $3 AND revoked_at IS NULL",
    )
    .bind(to_db(now))
    .bind(id)
    .bind(organisation_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// What is stored under an idempotency key.
#[derive(Debug, Clone, FromRow)]
pub struct IdempotencyRow {
    /// SHA-256 of the first request.
    pub fingerprint: String,
    /// Its status, once answered.
    pub status: Option<i64>,
    /// Its body, once answered.
    pub response: Option<String>,
}

/// Claims `key` for a request with `fingerprint`: `None` if the key is new (now claimed by
/// the caller), else what was stored before.
pub async fn claim_key(
    db: &Db,
    organisation_id: &str,
    key: &str,
    fingerprint: &str,
    now: OffsetDateTime,
) -> sqlx::Result<Option<IdempotencyRow>> {
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO api_idempotency (organisation_id, idem_key, fingerprint, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (organisation_id, idem_key) DO NOTHING",
    )
    .bind(organisation_id)
    .bind(key)
    .bind(fingerprint)
    .bind(to_db(now))
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() > 0 {
        tx.commit().await?;
        return Ok(None);
    }
    let row: Option<IdempotencyRow> = sqlx::query_as(
        "SELECT fingerprint, status, response FROM api_idempotency WHERE organisation_id = $1 AND idem_key = $2",
    )
    .bind(organisation_id)
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    // deleted in between (a failed first attempt): treat as taken by a request in flight
    Ok(Some(row.unwrap_or(IdempotencyRow {
        fingerprint: fingerprint.to_string(),
        status: None,
        response: None,
    })))
}

/// Stores the answer given under a claimed key.
pub async fn save_answer(
    db: &Db,
    organisation_id: &str,
    key: &str,
    status: u16,
    body: &str,
) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE api_idempotency SET status = $1, response = $2 WHERE organisation_id = $3 AND idem_key = $4",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(organisation_id)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Releases a claimed key whose request failed on our side (so a retry may run again).
pub async fn release_key(db: &Db, organisation_id: &str, key: &str) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "DELETE FROM api_idempotency WHERE organisation_id = $1 AND idem_key = $2 AND status IS NULL",
    )
    .bind(organisation_id)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// A line of the organisation's dossier list.
#[derive(Debug, Clone, FromRow)]
pub struct OrgDossierRow {
    /// Id.
    pub id: String,
    /// Code, once submitted.
    pub code: Option<String>,
    /// Procedure code.
    pub procedure_code: String,
    /// State (JSON).
    pub state: String,
    /// National status code (1–10), once submitted.
    pub national_status: Option<i64>,
    /// Submitted.
    pub submitted_at: Option<i64>,
    /// Due.
    pub due_at: Option<i64>,
    /// Last change.
    pub updated_at: i64,
}

/// A page of the dossiers filed for the organisation, newest change first, and the total.
pub async fn organisation_dossiers(
    db: &Db,
    organisation_id: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<OrgDossierRow>, i64)> {
    let rows = sqlx::query_as(&format!(
        "SELECT d.id, d.code, p.code AS procedure_code, d.state, d.national_status, d.submitted_at, d.due_at, d.updated_at \
         FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE d.organisation_id = $1 \
         ORDER BY d.updated_at DESC, d.id DESC LIMIT {} OFFSET {}",
        limit.clamp(1, 100),
        offset.max(0)
    ))
    .bind(organisation_id)
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dossiers WHERE organisation_id = $1")
        .bind(organisation_id)
        .fetch_one(db.reader())
        .await?;
    Ok((rows, total))
}

/// The oldest hit of `key` still inside its window (for `Retry-After`).
pub async fn oldest_hit(db: &Db, key: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(at) FROM rate_limit_hits WHERE key = $1")
        .bind(key)
        .fetch_one(db.reader())
        .await
}
