//! Officer accounts: created by an administrator (or, for the first system administrator,
//! by `server admin create-user`), never by self-registration.

use crate::domain::{Email, PersonName};
use crate::error::AppError;
use crate::ssr::auth::password::{self, Password};
use crate::ssr::auth::policy::{Actor, Role, is_administrator, may_administer_officers};
use crate::ssr::db::users;
use crate::ssr::services::{ServiceError, ServiceResult};
use crate::ssr::state::AppState;

use super::messages as m;

/// A new officer.
#[derive(Debug, Clone)]
pub struct NewOfficer {
    /// Email (their login).
    pub email: String,
    /// Full name.
    pub full_name: String,
    /// Initial password (they enrol TOTP at first sign-in).
    pub password: String,
    /// Roles, each in a unit (`None` only for `SystemAdmin`).
    pub roles: Vec<(Role, Option<String>)>,
}

/// Creates an officer account. `by` is the administrator acting, or `None` for the
/// bootstrap command run on the server itself.
pub async fn create(state: &AppState, by: Option<&Actor>, officer: NewOfficer) -> ServiceResult<String> {
    if let Some(actor) = by {
        // who may administer officers at all, before looking at what they typed
        if !is_administrator(actor) {
            return Err(AppError::Forbidden.into());
        }
        for (_, agency) in &officer.roles {
            if !may_administer_officers(actor, agency.as_deref()) {
                return Err(AppError::Forbidden.into());
            }
        }
    }
    for (role, agency) in &officer.roles {
        if (*role == Role::SystemAdmin) != agency.is_none() {
            return Err(ServiceError::field("roles", crate::error::INVALID_INPUT));
        }
    }
    let email = Email::parse(&officer.email).map_err(|e| ServiceError::field("email", m::email(e)))?;
    let name =
        PersonName::parse(&officer.full_name).map_err(|e| ServiceError::field("full_name", m::name(e)))?;
    let typed = Password::new(officer.password);
    password::check_new(&typed, &[email.as_str()])
        .map_err(|p| ServiceError::field("password", m::password(p)))?;
    let hash = password::hash(typed).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    if users::by_email(&mut tx, email.as_str()).await?.is_some() {
        return Err(ServiceError::field(
            "email",
            crate::i18n::Message {
                vi: "Địa chỉ thư điện tử này đã có tài khoản.".into(),
                en: "This email address already has an account.".into(),
            },
        ));
    }
    let id = users::insert(
        &mut tx,
        &users::NewUser {
            kind: "officer",
            email: email.as_str(),
            full_name: name.as_str(),
            phone: None,
            citizen_id: None,
            password_hash: &hash,
            verified: true,
        },
        now,
    )
    .await?;
    for (role, agency) in &officer.roles {
        users::grant(&mut tx, &id, *role, agency.as_deref(), now).await?;
    }
    tx.commit().await?;
    tracing::info!(officer_id = %id, "officer account created");
    Ok(id)
}

/// An officer as administrators see them.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OfficerSummary {
    /// Full name.
    pub full_name: String,
    /// Email.
    pub email: String,
    /// Role codes with the unit's national code (`None`: system-wide).
    pub roles: Vec<(String, Option<String>)>,
    /// Whether TOTP is set up.
    pub totp_enabled: bool,
}

/// The officers an administrator may manage: everyone for a system admin, else those with
/// a role in a unit where the actor is agency admin.
pub async fn list(state: &AppState, actor: &Actor) -> ServiceResult<Vec<OfficerSummary>> {
    let admin_units: Vec<String> = match actor {
        Actor::Officer { grants, .. } => grants
            .iter()
            .filter(|g| g.role == Role::AgencyAdmin)
            .filter_map(|g| g.agency_id.clone())
            .collect(),
        Actor::Citizen { .. } => Vec::new(),
    };
    if !actor.is_system_admin() && admin_units.is_empty() {
        return Err(AppError::Forbidden.into());
    }
    let rows = users::officer_roles(&state.db).await?;
    let visible: std::collections::HashSet<String> = rows
        .iter()
        .filter(|r| actor.is_system_admin() || r.agency_id.as_ref().is_some_and(|a| admin_units.contains(a)))
        .map(|r| r.id.clone())
        .collect();
    let mut out: Vec<(String, OfficerSummary)> = Vec::new();
    for row in rows.into_iter().filter(|r| visible.contains(&r.id)) {
        match out.last_mut() {
            Some((last, summary)) if *last == row.id => summary.roles.push((row.role, row.agency_code)),
            _ => out.push((
                row.id,
                OfficerSummary {
                    full_name: row.full_name,
                    email: row.email,
                    roles: vec![(row.role, row.agency_code)],
                    totp_enabled: row.totp_enabled_at.is_some(),
                },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, s)| s).collect())
}
