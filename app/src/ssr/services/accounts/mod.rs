//! Accounts: registration, email verification, sign-in (with TOTP for officers), sign-out,
//! password reset and change, profile, officer accounts.

pub mod current;
pub mod login;
pub mod messages;
pub mod officers;
pub mod password;
pub mod profile;
pub mod register;
pub mod totp;

use time::OffsetDateTime;

use crate::ssr::auth::session;
use crate::ssr::auth::tokens::{new_token, token_hash};
use crate::ssr::db::sessions;
use crate::ssr::services::RequestMeta;

/// A new session for `user_id`: returns the cookie token. Called at every sign-in step, so
/// the session id changes at login and at each privilege change (rotation).
pub(crate) async fn open_session(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    mfa_pending: bool,
    now: OffsetDateTime,
    meta: &RequestMeta,
) -> sqlx::Result<String> {
    let token = new_token();
    let expires = now + if mfa_pending { session::MFA_TIMEOUT } else { session::ABSOLUTE_TIMEOUT };
    let id = token_hash(&token);
    let new = sessions::NewSession {
        id: &id,
        user_id,
        mfa_pending,
        expires_at: expires,
        ip: meta.ip.as_deref(),
        user_agent: meta.user_agent.as_deref(),
    };
    sessions::insert(conn, &new, now).await?;
    Ok(token)
}

/// The absolute URL of `path` on the portal.
pub(crate) fn link(public_url: &str, path: &str) -> String {
    format!("{}{path}", public_url.trim_end_matches('/'))
}
