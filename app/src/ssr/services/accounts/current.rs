//! Who is making this request: the session cookie resolved against the `sessions` table.

use serde::{Deserialize, Serialize};

use crate::ssr::auth::policy::Actor;
use crate::ssr::auth::session::{IDLE_TIMEOUT, TOUCH_EVERY};
use crate::ssr::auth::tokens::token_hash;
use crate::ssr::db::columns::from_db;
use crate::ssr::db::{sessions, users};
use crate::ssr::state::AppState;

/// What pages may show about the signed-in person (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    /// Id.
    pub id: String,
    /// Full name.
    pub full_name: String,
    /// Email.
    pub email: String,
    /// Officer account?
    pub is_officer: bool,
}

/// The resolved session of a request (put in the request's extensions by the server).
#[derive(Debug, Clone)]
pub struct CurrentSession {
    /// The session's id (hash of the cookie token).
    pub session_id: String,
    /// The person.
    pub user: UserSummary,
    /// Their access.
    pub actor: Actor,
    /// An officer who still owes the second factor: may only reach the TOTP pages.
    pub mfa_pending: bool,
    /// Whether an officer has enrolled TOTP.
    pub totp_enabled: bool,
}

impl CurrentSession {
    /// The actor, once fully signed in (password and, for officers, TOTP).
    pub fn signed_in(&self) -> Option<&Actor> {
        (!self.mfa_pending).then_some(&self.actor)
    }
}

/// Resolves a cookie token. Expired sessions (idle or absolute) and disabled accounts give
/// `None`. Activity is recorded at most once a minute.
pub async fn resolve(state: &AppState, token: &str) -> anyhow::Result<Option<CurrentSession>> {
    let now = state.clock.now();
    let id = token_hash(token);
    let Some(row) = sessions::find(&state.db, &id).await? else {
        return Ok(None);
    };
    let last_seen = from_db(row.last_seen_at);
    if from_db(row.expires_at) <= now || last_seen + IDLE_TIMEOUT <= now {
        return Ok(None);
    }
    let mut conn = state.db.reader().acquire().await?;
    let Some(user) = users::by_id(&mut conn, &row.user_id).await? else {
        return Ok(None);
    };
    if user.disabled_at.is_some() {
        return Ok(None);
    }
    let actor = actor_of(&mut conn, &user, now).await?;
    drop(conn);
    // Recording activity is best effort: when the database is too busy to take the write
    // (the load test's journeys, bench/load), the person stays signed in rather than being
    // treated as a stranger; the next request records it.
    if now - last_seen >= TOUCH_EVERY
        && let Err(e) = sessions::touch(&state.db, &id, now).await
    {
        tracing::warn!(error = %e, "session activity not recorded");
    }
    Ok(Some(CurrentSession {
        session_id: id,
        user: UserSummary {
            id: user.id.clone(),
            full_name: user.full_name.clone(),
            email: user.email.clone(),
            is_officer: user.is_officer(),
        },
        actor,
        mfa_pending: row.mfa_pending != 0,
        totp_enabled: user.totp_enabled_at.is_some(),
    }))
}

/// The actor a user acts as now: a citizen, or an officer with their roles and the leader
/// role of the units where a delegation of signing runs for them.
pub async fn actor_of(
    conn: &mut sqlx::AnyConnection,
    user: &users::UserRow,
    now: time::OffsetDateTime,
) -> anyhow::Result<Actor> {
    if !user.is_officer() {
        return Ok(Actor::Citizen { user_id: user.id.clone() });
    }
    let mut grants = users::grants(conn, &user.id).await?;
    for agency_id in crate::ssr::db::delegations::active_for(conn, &user.id, now).await? {
        let grant = crate::ssr::auth::policy::RoleGrant {
            role: crate::ssr::auth::policy::Role::Leader,
            agency_id: Some(agency_id),
        };
        if !grants.contains(&grant) {
            grants.push(grant);
        }
    }
    Ok(Actor::Officer { user_id: user.id.clone(), grants })
}
