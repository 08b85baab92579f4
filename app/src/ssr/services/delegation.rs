//! Delegation of signing (ủy quyền): a leader lets a deputy of the same unit approve or
//! refuse in their place for a period (at most 90 days), and may revoke it. While it runs the
//! deputy holds the leader role in that unit (added to their grants when their session is
//! read), and their approvals say "ký thay" on the timeline.

use time::{Date, OffsetDateTime};

use super::{RequestMeta, ServiceError, ServiceResult};
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, Role};
use crate::ssr::db::delegations::{self as db, DelegationRow};
use crate::ssr::db::{agencies, users};
use crate::ssr::state::AppState;

crate::texts! {
    NOT_A_LEADER = { vi: "Chỉ lãnh đạo đơn vị được ủy quyền ký.", en: "Only a unit's leader can delegate signing." }
    DEPUTY_UNKNOWN = { vi: "Không tìm thấy cán bộ của đơn vị với thư điện tử này.", en: "No officer of the unit has this email." }
    PERIOD_INVALID = { vi: "Thời hạn ủy quyền không hợp lệ (từ hôm nay, tối đa 90 ngày).", en: "The period is not valid (from today, at most 90 days)." }
}

/// The longest delegation.
pub const MAX_DAYS: i64 = 90;

/// The units (ids) where the user signs for a leader now.
pub async fn delegated_units(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    now: OffsetDateTime,
) -> ServiceResult<Vec<String>> {
    Ok(db::active_for(conn, user_id, now).await?)
}

fn day(s: &str) -> Option<Date> {
    Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// The leader `actor` delegates signing in `unit` (national code; their first leader unit
/// when empty) to the officer with `deputy_email`, from `from` to `to` inclusive
/// (`YYYY-MM-DD`, Vietnam time).
pub async fn grant(
    state: &AppState,
    actor: &Actor,
    unit: &str,
    deputy_email: &str,
    from: &str,
    to: &str,
    meta: &RequestMeta,
) -> ServiceResult<String> {
    let Actor::Officer { grants, user_id } = actor else { return Err(AppError::NotFound.into()) };
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let mut leader_units = Vec::new();
    for g in grants.iter().filter(|g| g.role == Role::Leader) {
        if let Some(id) = &g.agency_id {
            // only a leader in their own right: a deputy cannot delegate further
            if users::grants(&mut tx, user_id)
                .await?
                .iter()
                .any(|o| o.role == Role::Leader && o.agency_id.as_ref() == Some(id))
            {
                leader_units.push(id.clone());
            }
        }
    }
    if leader_units.is_empty() {
        return Err(AppError::Forbidden.into());
    }
    let agency_id = if unit.trim().is_empty() {
        leader_units.first().cloned()
    } else {
        agencies::id_by_code(&mut tx, unit.trim()).await?.filter(|id| leader_units.contains(id))
    }
    .ok_or_else(|| ServiceError::field("unit", NOT_A_LEADER))?;
    let deputy = users::by_email(&mut tx, &deputy_email.trim().to_lowercase())
        .await?
        .filter(|u| u.is_officer() && u.id != *user_id);
    let Some(deputy) = deputy else { return Err(ServiceError::field("deputy", DEPUTY_UNKNOWN)) };
    if !users::works_in(&mut tx, &deputy.id, &agency_id).await? {
        return Err(ServiceError::field("deputy", DEPUTY_UNKNOWN));
    }
    let today = now.to_offset(crate::domain::VIETNAM_OFFSET).date();
    let (Some(first), Some(last)) = (day(from), day(to)) else {
        return Err(ServiceError::field("to", PERIOD_INVALID));
    };
    if first < today || last < first || (last - first).whole_days() >= MAX_DAYS {
        return Err(ServiceError::field("to", PERIOD_INVALID));
    }
    let at = |d: Date| d.midnight().assume_offset(crate::domain::VIETNAM_OFFSET);
    let starts = if first == today { now } else { at(first) };
    let ends = at(last.next_day().ok_or_else(|| ServiceError::field("to", PERIOD_INVALID))?);
    let id = db::insert(&mut tx, &agency_id, user_id, &deputy.id, starts, ends, now).await?;
    let detail = format!("{} {first}..{last}", deputy.email);
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(user_id),
            action: "delegation.grant",
            subject: &id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: &detail,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The leader revokes a delegation they gave.
pub async fn revoke(state: &AppState, actor: &Actor, id: &str, meta: &RequestMeta) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    if !db::revoke(&mut tx, id, actor.user_id(), now).await? {
        return Err(AppError::NotFound.into());
    }
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "delegation.revoke",
            subject: id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: "",
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The delegations the actor gave.
pub async fn given(state: &AppState, actor: &Actor) -> ServiceResult<Vec<DelegationRow>> {
    Ok(db::given_by(&state.db, actor.user_id()).await?)
}

/// Whether the actor signs at `agency_id` only by delegation (not as its leader).
pub async fn signs_by_delegation(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    agency_id: &str,
) -> ServiceResult<bool> {
    let own = users::grants(conn, actor.user_id()).await?;
    Ok(!own.iter().any(|g| g.role == Role::Leader && g.agency_id.as_deref() == Some(agency_id)))
}
