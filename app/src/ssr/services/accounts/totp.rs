//! TOTP enrolment for officers: a secret shown as a QR code, confirmed with a first code;
//! confirmation issues ten recovery codes (shown once) and completes the sign-in.

use super::messages as m;
use super::open_session;
use crate::error::AppError;
use crate::ssr::auth::tokens::token_hash;
use crate::ssr::auth::totp;
use crate::ssr::db::{sessions, users};
use crate::ssr::services::{RequestMeta, ServiceError, ServiceResult};
use crate::ssr::state::AppState;

/// What the enrolment page shows.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The secret, for typing into an app by hand.
    pub secret: String,
    /// The QR code (inline SVG).
    pub qr_svg: String,
}

/// Starts (or resumes) enrolment: creates a secret if the officer has none yet. Refused
/// once TOTP is enabled (re-enrolment goes through an administrator).
pub async fn start(state: &AppState, user_id: &str) -> ServiceResult<Enrolment> {
    let user = users::find(&state.db, user_id).await?.ok_or(AppError::Unauthenticated)?;
    if !user.is_officer() || user.totp_enabled_at.is_some() {
        return Err(AppError::Forbidden.into());
    }
    let secret = match user.totp_secret {
        Some(s) => s,
        None => {
            let s = totp::new_secret();
            let mut tx = state.db.begin_write().await?;
            users::set_totp_secret(&mut tx, user_id, &s).await?;
            tx.commit().await?;
            s
        }
    };
    let url =
        totp::provisioning_url(&secret, &user.email).ok_or_else(|| anyhow::anyhow!("bad TOTP secret"))?;
    let qr_svg = totp::qr_svg(&url).ok_or_else(|| anyhow::anyhow!("QR rendering failed"))?;
    Ok(Enrolment { secret, qr_svg })
}

/// Confirms enrolment with a first code: enables TOTP, replaces the MFA-pending session with
/// a full one, and returns (cookie token, recovery codes to show once).
pub async fn confirm(
    state: &AppState,
    pending_session_id: &str,
    user_id: &str,
    code: &str,
    meta: &RequestMeta,
) -> ServiceResult<(String, Vec<String>)> {
    let now = state.clock.now();
    let user = users::find(&state.db, user_id).await?.ok_or(AppError::Unauthenticated)?;
    let Some(secret) = user.totp_secret.as_deref() else {
        return Err(AppError::Forbidden.into());
    };
    if user.totp_enabled_at.is_some() {
        return Err(AppError::Forbidden.into());
    }
    let Some(step) = totp::matching_step(secret, code, u64::try_from(now.unix_timestamp()).unwrap_or(0))
    else {
        return Err(ServiceError::field("code", m::CODE_INVALID));
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| token_hash(c)).collect();
    let mut tx = state.db.begin_write().await?;
    // the enrolment code is used up too: it cannot sign in again
    if !users::use_totp_step(&mut tx, user_id, step).await? {
        return Err(ServiceError::field("code", m::CODE_INVALID));
    }
    users::enable_totp(&mut tx, user_id, now).await?;
    users::replace_recovery_codes(&mut tx, user_id, &hashes).await?;
    sessions::delete(&mut tx, pending_session_id).await?;
    let token = open_session(&mut tx, user_id, false, now, meta).await?;
    tx.commit().await?;
    Ok((token, codes))
}
