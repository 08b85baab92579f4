//! API tokens of an organisation (issue #10): created, listed and revoked by its owner in the
//! browser; presented by other systems as `Authorization: Bearer …` on `/api/v1`.
//!
//! A token is 256 random bits shown once; only its SHA-256 is stored. It acts as the owner
//! who created it, within the organisation only, with a scope (`read` or `write`), until it
//! expires or is revoked (or the creator leaves the organisation). Every call is rate-limited
//! per token and written to the hash-chained audit log.

use time::{Duration, OffsetDateTime};

use super::{FieldErrors, RequestMeta, ServiceError, ServiceResult};
use crate::error::AppError;
use crate::ssr::auth::policy::Actor;
use crate::ssr::auth::tokens::{new_token, token_hash};
use crate::ssr::db::api::{self as db, NewToken, TokenRow};
use crate::ssr::db::{audit, columns::to_db, rate_limits};
use crate::ssr::state::AppState;

crate::texts! {
    TOKEN_NAME_REQUIRED = { vi: "Vui lòng đặt tên cho khóa (1–100 ký tự), ví dụ tên hệ thống sẽ dùng khóa.", en: "Please name the token (1–100 characters), e.g. after the system that will use it." }
    TOKEN_SCOPE_REQUIRED = { vi: "Vui lòng chọn quyền của khóa: chỉ đọc hoặc đọc và ghi.", en: "Please choose the token's scope: read only, or read and write." }
    TOKEN_DAYS_INVALID = { vi: "Thời hạn của khóa phải từ 1 đến 365 ngày.", en: "The token must be valid for 1 to 365 days." }
}

/// The prefix every token starts with (so leaked tokens are easy to recognise in logs and scanners).
pub const TOKEN_PREFIX: &str = "mc_";
/// The window of the per-token rate limit.
pub const RATE_WINDOW_SECS: i64 = 60;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Read procedures, dossiers, payments, results.
    Read,
    /// Also create drafts, upload, submit, supplement.
    Write,
}

impl Scope {
    /// Parses the stored or typed value.
    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            _ => None,
        }
    }

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }
}

/// The caller behind a valid token.
#[derive(Debug, Clone)]
pub struct ApiPrincipal {
    /// The token's id (not the secret).
    pub token_id: String,
    /// The organisation it acts for.
    pub organisation_id: String,
    /// The owner who created it.
    pub user_id: String,
    /// Its scope.
    pub scope: Scope,
}

impl ApiPrincipal {
    /// The actor the services see: the token's creator (every dossier call also checks that
    /// the dossier is the organisation's).
    pub fn actor(&self) -> Actor {
        Actor::Citizen { user_id: self.user_id.clone() }
    }

    /// Refuses a read-only token (403).
    pub fn require_write(&self) -> ServiceResult<()> {
        if self.scope == Scope::Write { Ok(()) } else { Err(AppError::Forbidden.into()) }
    }
}

/// Why a token was refused.
#[derive(Debug)]
pub enum AuthFailure {
    /// Missing, unknown, expired or revoked (one answer for all).
    Invalid,
    /// Too many calls: retry after this many seconds.
    RateLimited(i64),
    /// Our fault.
    Internal(anyhow::Error),
}

impl From<sqlx::Error> for AuthFailure {
    fn from(e: sqlx::Error) -> Self {
        AuthFailure::Internal(e.into())
    }
}

/// Checks a presented token and counts the call against its rate limit.
pub async fn authenticate(state: &AppState, presented: &str) -> Result<ApiPrincipal, AuthFailure> {
    if !presented.starts_with(TOKEN_PREFIX) || presented.len() > 200 {
        return Err(AuthFailure::Invalid);
    }
    let now = state.clock.now();
    let mut conn = state.db.reader().acquire().await?;
    let row = db::live_token(&mut conn, &token_hash(presented), now).await?.ok_or(AuthFailure::Invalid)?;
    drop(conn);
    let scope = Scope::parse(&row.scope).ok_or(AuthFailure::Invalid)?;
    let key = format!("api:{}", row.id);
    let count = rate_limits::hit(&state.db, &key, RATE_WINDOW_SECS, now).await?;
    if count > state.config.api_rate_per_minute {
        let oldest = db::oldest_hit(&state.db, &key).await?.unwrap_or_else(|| to_db(now));
        let free_at = oldest + RATE_WINDOW_SECS * 1_000_000;
        let wait = ((free_at - to_db(now)) / 1_000_000 + 1).clamp(1, RATE_WINDOW_SECS);
        return Err(AuthFailure::RateLimited(wait));
    }
    Ok(ApiPrincipal {
        token_id: row.id,
        organisation_id: row.organisation_id,
        user_id: row.created_by,
        scope,
    })
}

/// Writes one API call to the audit log (and notes the token's last use), in one transaction.
pub async fn record_call(
    state: &AppState,
    principal: &ApiPrincipal,
    method: &str,
    path: &str,
    status: u16,
    ip: &str,
) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    db::touch_token(&mut tx, &principal.token_id, now).await?;
    let detail = format!("{method} {path} -> {status} (token {})", principal.token_id);
    audit::append(
        &mut tx,
        &audit::Entry {
            actor_id: Some(&principal.user_id),
            action: "api.call",
            subject: &principal.organisation_id,
            ip,
            detail: &detail,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The new-token form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TokenForm {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// `read` or `write`.
    #[serde(default)]
    pub scope: String,
    /// Validity in days (1–365).
    #[serde(default)]
    pub days: String,
}

/// A token just made: the secret is in here once, and nowhere else ever again.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    /// Id.
    pub id: String,
    /// The secret to copy now.
    pub token: String,
    /// When it expires.
    pub expires_at: OffsetDateTime,
}

/// Creates a token for the organisation (owner only).
pub async fn create(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    form: &TokenForm,
    meta: &RequestMeta,
) -> ServiceResult<CreatedToken> {
    super::organisations::require_owner(state, actor, organisation_id).await?;
    let mut errors = FieldErrors::default();
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if !(1..=100).contains(&name.chars().count()) {
        errors.add("name", TOKEN_NAME_REQUIRED);
    }
    let scope = Scope::parse(form.scope.trim());
    if scope.is_none() {
        errors.add("scope", TOKEN_SCOPE_REQUIRED);
    }
    let days = form.days.trim().parse::<i64>().ok().filter(|d| (1..=365).contains(d));
    if days.is_none() {
        errors.add("days", TOKEN_DAYS_INVALID);
    }
    errors.finish()?;
    let (Some(scope), Some(days)) = (scope, days) else {
        return Err(AppError::InvalidInput.into());
    };
    let now = state.clock.now();
    let token = format!("{TOKEN_PREFIX}{}", new_token());
    let expires_at = now + Duration::days(days);
    let prefix: String = token.chars().take(10).collect();
    let mut tx = state.db.begin_write().await?;
    let id = db::insert_token(
        &mut tx,
        &NewToken {
            organisation_id,
            created_by: actor.user_id(),
            name: &name,
            scope: scope.code(),
            token_hash: &token_hash(&token),
            prefix: &prefix,
            expires_at,
        },
        now,
    )
    .await?;
    audit::append(
        &mut tx,
        &audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "api_token.create",
            subject: &id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: &format!("organisation {organisation_id}, scope {}, {days} days", scope.code()),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedToken { id, token, expires_at })
}

/// The organisation's tokens (owner only).
pub async fn list(state: &AppState, actor: &Actor, organisation_id: &str) -> ServiceResult<Vec<TokenRow>> {
    super::organisations::require_owner(state, actor, organisation_id).await?;
    let mut conn = state.db.reader().acquire().await?;
    Ok(db::tokens_of(&mut conn, organisation_id).await?)
}

/// Revokes a token (owner only); it stops working at once.
pub async fn revoke(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    token_id: &str,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    super::organisations::require_owner(state, actor, organisation_id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    if !db::revoke_token(&mut tx, organisation_id, token_id, now).await? {
        return Err(AppError::NotFound.into());
    }
    audit::append(
        &mut tx,
        &audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "api_token.revoke",
            subject: token_id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: &format!("organisation {organisation_id}"),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a listed token still works at `now`.
pub fn is_live(row: &TokenRow, now: OffsetDateTime) -> bool {
    row.revoked_at.is_none() && row.expires_at > to_db(now)
}

impl From<AuthFailure> for ServiceError {
    fn from(e: AuthFailure) -> Self {
        match e {
            AuthFailure::Invalid => ServiceError::Refused(AppError::Unauthenticated),
            AuthFailure::RateLimited(_) => ServiceError::Refused(AppError::RateLimited),
            AuthFailure::Internal(e) => ServiceError::Internal(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_and_unknown_ones_are_refused() {
        for s in [Scope::Read, Scope::Write] {
            assert_eq!(Scope::parse(s.code()), Some(s));
        }
        assert_eq!(Scope::parse("admin"), None);
        let p = ApiPrincipal {
            token_id: "t".into(),
            organisation_id: "o".into(),
            user_id: "u".into(),
            scope: Scope::Read,
        };
        assert!(p.require_write().is_err());
    }
}
