//! Forgotten and changed passwords, and re-sending the verification link.

use time::Duration;

use super::messages as m;
use super::{link, open_session};
use crate::domain::Email;
use crate::error::AppError;
use crate::ssr::auth::password::{self, Password};
use crate::ssr::auth::tokens::{new_token, token_hash};
use crate::ssr::db::email_tokens::{self, Purpose};
use crate::ssr::db::users::UserRow;
use crate::ssr::db::{rate_limits, sessions, users};
use crate::ssr::mail;
use crate::ssr::services::{FieldErrors, RequestMeta, ServiceError, ServiceResult};
use crate::ssr::state::AppState;

/// How long a reset link works.
pub const RESET_LINK_TTL: Duration = Duration::hours(1);
/// Reset requests per IP per hour, and per address per hour.
pub const RESETS_PER_HOUR: i64 = 5;

/// Asks for a reset link. The answer is the same whether or not the address has an
/// account; only a real, verified account gets an email. A new link voids older ones.
pub async fn request_reset(state: &AppState, email: &str, meta: &RequestMeta) -> ServiceResult<()> {
    let now = state.clock.now();
    let email = Email::parse(email).map_err(|e| ServiceError::field("email", m::email(e)))?;
    if let Some(ip) = &meta.ip
        && rate_limits::hit(&state.db, &format!("reset:ip:{ip}"), 3600, now).await? > RESETS_PER_HOUR * 4
    {
        return Err(AppError::RateLimited.into());
    }
    if rate_limits::hit(&state.db, &format!("reset:account:{email}"), 3600, now).await? > RESETS_PER_HOUR {
        return Err(AppError::RateLimited.into());
    }
    let mut tx = state.db.begin_write().await?;
    if let Some(user) = users::by_email(&mut tx, email.as_str()).await?
        && user.disabled_at.is_none()
    {
        email_tokens::void_all(&mut tx, &user.id, Purpose::ResetPassword, now).await?;
        let token = new_token();
        email_tokens::insert(
            &mut tx,
            &token_hash(&token),
            Some(&user.id),
            Purpose::ResetPassword,
            None,
            now + RESET_LINK_TTL,
            now,
        )
        .await?;
        let url = link(&state.config.public_url, &format!("/reset-password?token={token}"));
        mail::enqueue(&mut tx, &mail::reset_password(&user.email, &user.full_name, &url, meta.locale), now)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether a reset link can still be used (to show its form).
pub async fn reset_link_valid(state: &AppState, token: &str) -> ServiceResult<bool> {
    let mut conn = state.db.reader().acquire().await?;
    Ok(email_tokens::is_valid(&mut conn, &token_hash(token), Purpose::ResetPassword, state.clock.now())
        .await?)
}

/// Sets a new password from a reset link: the link is used up, every session ends, the
/// lockout is lifted, the owner is told by email.
pub async fn reset(
    state: &AppState,
    token: &str,
    new: &str,
    confirm: &str,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    let now = state.clock.now();
    let typed = Password::new(new.to_string());
    let mut tx = state.db.begin_write().await?;
    if !email_tokens::is_valid(&mut tx, &token_hash(token), Purpose::ResetPassword, now).await? {
        return Err(AppError::LinkInvalid.into());
    }
    // Personal data is checked against the account the link belongs to.
    let owner = email_tokens::issued_for(&mut tx, &token_hash(token)).await?.and_then(|(user_id, _)| user_id);
    let Some(user) = (match owner {
        Some(user_id) => users::by_id(&mut tx, &user_id).await?,
        None => None,
    }) else {
        return Err(AppError::LinkInvalid.into());
    };
    check_new_password(&typed, new, confirm, &user)?;
    drop(tx);
    let hash = password::hash(typed).await?;
    let mut tx = state.db.begin_write().await?;
    let Some((Some(user_id), _)) =
        email_tokens::consume(&mut tx, &token_hash(token), Purpose::ResetPassword, now).await?
    else {
        return Err(AppError::LinkInvalid.into());
    };
    users::set_password(&mut tx, &user_id, &hash, now).await?;
    if user.email_verified_at.is_none() {
        // The link reached the mailbox: that verifies it too.
        users::set_verified(&mut tx, &user_id, now).await?;
    }
    sessions::delete_all_for_user(&mut tx, &user_id).await?;
    mail::enqueue(&mut tx, &mail::password_changed(&user.email, &user.full_name, meta.locale), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the password of a signed-in person; other sessions end and this one is
/// replaced by a new one (returned cookie token).
pub async fn change(
    state: &AppState,
    user_id: &str,
    current: &str,
    new: &str,
    confirm: &str,
    meta: &RequestMeta,
) -> ServiceResult<String> {
    let now = state.clock.now();
    let user = users::find(&state.db, user_id).await?.ok_or(AppError::Unauthenticated)?;
    let mut errors = FieldErrors::default();
    if !password::verify(Password::new(current.to_string()), Some(user.password_hash.clone())).await? {
        errors.add("current_password", m::CURRENT_PASSWORD_WRONG);
    }
    let typed = Password::new(new.to_string());
    if let Err(e) = check_new_password(&typed, new, confirm, &user) {
        if let ServiceError::Invalid(map) = e {
            for (k, v) in map {
                errors.add(&k, v);
            }
        } else {
            return Err(e);
        }
    }
    errors.finish()?;
    let hash = password::hash(typed).await?;
    let mut tx = state.db.begin_write().await?;
    users::set_password(&mut tx, user_id, &hash, now).await?;
    sessions::delete_all_for_user(&mut tx, user_id).await?;
    let token = open_session(&mut tx, user_id, false, now, meta).await?;
    mail::enqueue(&mut tx, &mail::password_changed(&user.email, &user.full_name, meta.locale), now).await?;
    tx.commit().await?;
    Ok(token)
}

fn check_new_password(typed: &Password, new: &str, confirm: &str, user: &UserRow) -> ServiceResult<()> {
    let personal =
        [user.email.as_str(), user.citizen_id.as_deref().unwrap_or(""), user.phone.as_deref().unwrap_or("")];
    let mut errors = FieldErrors::default();
    if let Err(p) = password::check_new(typed, &personal) {
        errors.add("password", m::password(p));
    } else if new != confirm {
        errors.add("password_confirm", m::PASSWORD_MISMATCH);
    }
    errors.finish()
}

/// Sends a fresh verification link (after a sign-in with an unverified address).
pub async fn send_verification_again(
    state: &AppState,
    user: &UserRow,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    let now = state.clock.now();
    if rate_limits::hit(&state.db, &format!("verify-again:{}", user.id), 3600, now).await? > 3 {
        return Ok(());
    }
    let mut tx = state.db.begin_write().await?;
    email_tokens::void_all(&mut tx, &user.id, Purpose::VerifyEmail, now).await?;
    let token = new_token();
    email_tokens::insert(
        &mut tx,
        &token_hash(&token),
        Some(&user.id),
        Purpose::VerifyEmail,
        None,
        now + super::register::VERIFY_LINK_TTL,
        now,
    )
    .await?;
    let url = link(&state.config.public_url, &format!("/verify-email?token={token}"));
    mail::enqueue(&mut tx, &mail::verify_email(&user.email, &user.full_name, &url, meta.locale), now).await?;
    tx.commit().await?;
    Ok(())
}
