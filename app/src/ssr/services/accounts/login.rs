//! Signing in and out. Officers give a TOTP code after their password (enrolling first if
//! they have not yet); until then their session is "MFA pending" and reaches nothing else.

use time::Duration;

use super::messages as m;
use super::{link, open_session};
use crate::domain::Email;
use crate::error::AppError;
use crate::ssr::auth::password::{self, Password};
use crate::ssr::auth::tokens::token_hash;
use crate::ssr::auth::totp;
use crate::ssr::db::columns::from_db;
use crate::ssr::db::{rate_limits, sessions, users};
use crate::ssr::mail;
use crate::ssr::services::{FieldErrors, RequestMeta, ServiceError, ServiceResult};
use crate::ssr::state::AppState;

/// Attempts per account per minute; the next one is refused.
pub const ATTEMPTS_PER_ACCOUNT_PER_MINUTE: i64 = 10;
/// Attempts per IP address per minute.
pub const ATTEMPTS_PER_IP_PER_MINUTE: i64 = 30;
/// Consecutive failures that lock the account.
pub const FAILURES_BEFORE_LOCK: i64 = 10;
/// How long a lock lasts.
pub const LOCK_FOR: Duration = Duration::minutes(15);

/// Where a successful password step leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Fully signed in.
    SignedIn {
        /// Cookie token of the new session.
        token: String,
        /// Officer?
        officer: bool,
    },
    /// An officer must give a TOTP code (or enrol first).
    NeedsSecondFactor {
        /// Cookie token of the MFA-pending session.
        token: String,
        /// Whether TOTP still has to be set up.
        enrol: bool,
    },
    /// Right password, but the email is not verified yet (a new link was sent).
    EmailNotVerified,
}

/// The sign-in form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LoginForm {
    /// Email.
    #[serde(default)]
    pub email: String,
    /// Password.
    #[serde(default)]
    pub password: String,
}

/// Checks email and password. Every refusal is the same `InvalidCredentials` (unknown
/// email, wrong password, locked account); timing is the same too (a dummy hash is checked
/// for unknown emails). Limits: 10 tries per account and 30 per IP a minute; 10 failures
/// in a row lock the account for 15 minutes and email its owner.
pub async fn login(state: &AppState, form: LoginForm, meta: &RequestMeta) -> ServiceResult<LoginOutcome> {
    let now = state.clock.now();
    let mut errors = FieldErrors::default();
    if form.email.trim().is_empty() {
        errors.add("email", m::EMAIL_REQUIRED);
    }
    if form.password.is_empty() {
        errors.add("password", m::PASSWORD_REQUIRED);
    }
    errors.finish()?;
    let email = Email::parse(&form.email).ok();
    let email_key =
        email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_else(|| form.email.trim().to_lowercase());

    if let Some(ip) = &meta.ip
        && rate_limits::hit(&state.db, &format!("login:ip:{ip}"), 60, now).await? > ATTEMPTS_PER_IP_PER_MINUTE
    {
        return Err(AppError::RateLimited.into());
    }
    if rate_limits::hit(&state.db, &format!("login:account:{email_key}"), 60, now).await?
        > ATTEMPTS_PER_ACCOUNT_PER_MINUTE
    {
        return Err(AppError::RateLimited.into());
    }

    let user = match &email {
        Some(email) => {
            let mut conn = state.db.reader().acquire().await?;
            users::by_email(&mut conn, email.as_str()).await?
        }
        None => None,
    };
    let ok = password::verify(Password::new(form.password), user.as_ref().map(|u| u.password_hash.clone()))
        .await?;
    let Some(user) = user else {
        return Err(AppError::InvalidCredentials.into());
    };
    if user.disabled_at.is_some() || user.locked_until.is_some_and(|t| from_db(t) > now) {
        return Err(AppError::InvalidCredentials.into());
    }
    let mut tx = state.db.begin_write().await?;
    if !ok {
        let failures = users::record_failed_login(&mut tx, &user.id).await?;
        if failures >= FAILURES_BEFORE_LOCK {
            users::lock_until(&mut tx, &user.id, now + LOCK_FOR).await?;
            let reset = link(&state.config.public_url, "/forgot-password");
            let notice = mail::account_locked(
                &user.email,
                &user.full_name,
                LOCK_FOR.whole_minutes(),
                &reset,
                meta.locale,
            );
            mail::enqueue(&mut tx, &notice, now).await?;
            tracing::warn!(user_id = %user.id, "account locked after repeated failed sign-ins");
        }
        tx.commit().await?;
        return Err(AppError::InvalidCredentials.into());
    }
    users::clear_failed_logins(&mut tx, &user.id).await?;
    if user.email_verified_at.is_none() {
        tx.commit().await?;
        super::password::send_verification_again(state, &user, meta).await?;
        return Ok(LoginOutcome::EmailNotVerified);
    }
    let outcome = if user.is_officer() {
        let token = open_session(&mut tx, &user.id, true, now, meta).await?;
        LoginOutcome::NeedsSecondFactor { token, enrol: user.totp_enabled_at.is_none() }
    } else {
        LoginOutcome::SignedIn {
            token: open_session(&mut tx, &user.id, false, now, meta).await?,
            officer: false,
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Second step for officers: a TOTP code (or a recovery code) turns the MFA-pending session
/// into a full one, under a new id.
pub async fn second_factor(
    state: &AppState,
    pending_session_id: &str,
    user_id: &str,
    code: &str,
    meta: &RequestMeta,
) -> ServiceResult<String> {
    let now = state.clock.now();
    if rate_limits::hit(&state.db, &format!("totp:{user_id}"), 60, now).await?
        > ATTEMPTS_PER_ACCOUNT_PER_MINUTE
    {
        return Err(AppError::RateLimited.into());
    }
    let mut tx = state.db.begin_write().await?;
    let Some(user) = users::by_id(&mut tx, user_id).await? else {
        return Err(AppError::Unauthenticated.into());
    };
    let (Some(secret), Some(_)) = (&user.totp_secret, user.totp_enabled_at) else {
        return Err(AppError::Forbidden.into());
    };
    let unix = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    // a TOTP code works once: its time step must be later than the last one used
    let good = match totp::matching_step(secret, code, unix) {
        Some(step) => users::use_totp_step(&mut tx, user_id, step).await?,
        None => false,
    } || users::use_recovery_code(
        &mut tx,
        user_id,
        &token_hash(&totp::normalise_recovery_code(code)),
        now,
    )
    .await?;
    if !good {
        tx.commit().await?;
        return Err(ServiceError::field("code", m::CODE_INVALID));
    }
    sessions::delete(&mut tx, pending_session_id).await?;
    let token = open_session(&mut tx, user_id, false, now, meta).await?;
    tx.commit().await?;
    Ok(token)
}

/// Ends this session.
pub async fn logout(state: &AppState, session_id: &str) -> ServiceResult<()> {
    let mut tx = state.db.begin_write().await?;
    sessions::delete(&mut tx, session_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the person ("log out everywhere").
pub async fn logout_everywhere(state: &AppState, user_id: &str) -> ServiceResult<u64> {
    let mut tx = state.db.begin_write().await?;
    let n = sessions::delete_all_for_user(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(n)
}
