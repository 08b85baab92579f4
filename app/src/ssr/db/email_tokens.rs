//! The `email_tokens` table: single-use, expiring links.

use sqlx::AnyConnection;
use time::OffsetDateTime;

use super::columns::to_db;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Confirms the email address of a new account.
    VerifyEmail,
    /// Lets the owner set a new password.
    ResetPassword,
    /// Invites a person into an organisation.
    OrgInvite,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::OrgInvite => "org_invite",
        }
    }
}

/// Stores a token hash.
pub async fn insert(
    conn: &mut AnyConnection,
    hash: &str,
    user_id: Option<&str>,
    purpose: Purpose,
    payload: Option<&str>,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO email_tokens (id, user_id, purpose, payload, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash)
    .bind(user_id)
    .bind(purpose.code())
    .bind(payload)
    .bind(to_db(expires_at))
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Uses a token: succeeds once, before expiry, for the right purpose. Returns the user id
/// and payload. The single `UPDATE … WHERE used_at IS NULL` makes reuse impossible even
/// when two requests race.
pub async fn consume(
    conn: &mut AnyConnection,
    hash: &str,
    purpose: Purpose,
    now: OffsetDateTime,
) -> sqlx::Result<Option<(Option<String>, Option<String>)>> {
    sqlx::query_as(
        "UPDATE email_tokens SET used_at = $1 \
         WHERE id = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, payload",
    )
    .bind(to_db(now))
    .bind(hash)
    .bind(purpose.code())
    .fetch_optional(conn)
    .await
}

/// Whether a token is still usable (to show the form before consuming it).
pub async fn is_valid(
    conn: &mut AnyConnection,
    hash: &str,
    purpose: Purpose,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM email_tokens WHERE id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(hash)
    .bind(purpose.code())
    .bind(to_db(now))
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// Voids every open token of a user for a purpose (a new reset link replaces the old).
pub async fn void_all(
    conn: &mut AnyConnection,
    user_id: &str,
    purpose: Purpose,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(to_db(now))
    .bind(user_id)
    .bind(purpose.code())
    .execute(conn)
    .await?;
    Ok(())
}

/// The user and payload a token was issued for (whatever its state).
pub async fn issued_for(
    conn: &mut AnyConnection,
    hash: &str,
) -> sqlx::Result<Option<(Option<String>, Option<String>)>> {
    sqlx::query_as("SELECT user_id, payload FROM email_tokens WHERE id = $1")
        .bind(hash)
        .fetch_optional(conn)
        .await
}
