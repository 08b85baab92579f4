//! Businesses and organisations: create one (you become its owner), invite members by
//! email, remove them. Every read and change checks membership first
//! (`auth::policy::may_view_organisation` / `may_manage_organisation`).

use std::collections::BTreeMap;

use time::Duration;

use super::accounts::messages as m;
use super::{FieldErrors, RequestMeta, ServiceError, ServiceResult};
use crate::domain::{Email, TaxCode};
use crate::error::AppError;
use crate::i18n::Message;
use crate::ssr::auth::policy::{Actor, OrgRole, may_manage_organisation, may_view_organisation};
use crate::ssr::auth::tokens::{new_token, token_hash};
use crate::ssr::db::email_tokens::{self, Purpose};
use crate::ssr::db::organisations::{self as orgs, MemberRow, OrganisationRow};
use crate::ssr::db::users;
use crate::ssr::mail;
use crate::ssr::state::AppState;

/// How long an invitation link works.
pub const INVITE_TTL: Duration = Duration::days(7);

crate::texts! {
    ORG_NAME_REQUIRED = { vi: "Vui lòng nhập tên tổ chức (2–200 ký tự).", en: "Please enter the organisation's name (2–200 characters)." }
    ADDRESS_REQUIRED = { vi: "Vui lòng nhập địa chỉ trụ sở.", en: "Please enter the registered address." }
    TAX_CODE_TAKEN = { vi: "Mã số thuế này đã được đăng ký trên cổng. Hãy đề nghị chủ sở hữu tổ chức mời bạn tham gia.", en: "This tax code is already registered. Ask the organisation's owner to invite you." }
    INVITE_WRONG_ACCOUNT = { vi: "Lời mời này gửi tới một địa chỉ thư điện tử khác. Hãy đăng nhập bằng đúng địa chỉ được mời.", en: "This invitation was sent to another email address. Sign in with the invited address." }
}

/// The organisation form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OrganisationForm {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Tax code.
    #[serde(default)]
    pub tax_code: String,
    /// Registered address.
    #[serde(default)]
    pub address: String,
}

impl OrganisationForm {
    /// The values to show again if refused.
    pub fn values(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("name".to_string(), self.name.clone()),
            ("tax_code".to_string(), self.tax_code.clone()),
            ("address".to_string(), self.address.clone()),
        ])
    }
}

fn tax_code_message(e: &crate::domain::TaxCodeError) -> Message {
    use crate::domain::{FieldError, FieldProblem};
    let error = FieldError {
        problem: FieldProblem::TaxCode { error: *e },
        label_vi: "Mã số thuế".into(),
        label_en: "The tax code".into(),
    };
    Message { vi: error.message_vi(), en: error.message_en() }
}

/// Creates an organisation owned by the actor.
pub async fn create(state: &AppState, actor: &Actor, form: OrganisationForm) -> ServiceResult<String> {
    let Actor::Citizen { user_id } = actor else {
        return Err(AppError::Forbidden.into());
    };
    let mut errors = FieldErrors::default();
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if !(2..=200).contains(&name.chars().count()) {
        errors.add("name", ORG_NAME_REQUIRED);
    }
    let tax_code =
        TaxCode::parse(&form.tax_code).map_err(|e| errors.add("tax_code", tax_code_message(&e))).ok();
    let address = form.address.split_whitespace().collect::<Vec<_>>().join(" ");
    if address.is_empty() {
        errors.add("address", ADDRESS_REQUIRED);
    } else if address.chars().count() > 300 {
        errors.add("address", m::ADDRESS_TOO_LONG);
    }
    errors.finish()?;
    let Some(tax_code) = tax_code else {
        return Err(AppError::InvalidInput.into());
    };
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    if orgs::tax_code_taken(&mut tx, tax_code.as_str()).await? {
        return Err(ServiceError::field("tax_code", TAX_CODE_TAKEN));
    }
    let id = orgs::insert(&mut tx, &name, tax_code.as_str(), &address, user_id, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The organisations the actor belongs to, with their role.
pub async fn mine(state: &AppState, actor: &Actor) -> ServiceResult<Vec<(OrganisationRow, OrgRole)>> {
    let mut conn = state.db.reader().acquire().await?;
    Ok(orgs::of_user(&mut conn, actor.user_id())
        .await?
        .into_iter()
        .filter_map(|(o, r)| OrgRole::from_code(&r).map(|r| (o, r)))
        .collect())
}

/// An organisation as its members see it.
#[derive(Debug, Clone)]
pub struct OrganisationView {
    /// The organisation.
    pub organisation: OrganisationRow,
    /// The viewer's role.
    pub role: OrgRole,
    /// Its members.
    pub members: Vec<MemberRow>,
}

async fn role_of(state: &AppState, organisation_id: &str, user_id: &str) -> ServiceResult<Option<OrgRole>> {
    let mut conn = state.db.reader().acquire().await?;
    Ok(orgs::membership(&mut conn, organisation_id, user_id).await?.and_then(|r| OrgRole::from_code(&r)))
}

/// Strangers get `NotFound`, members `Forbidden`, the owner passes.
pub(crate) async fn require_owner(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
) -> ServiceResult<()> {
    let role = role_of(state, organisation_id, actor.user_id()).await?;
    if !may_view_organisation(role) {
        return Err(AppError::NotFound.into());
    }
    if !may_manage_organisation(role) {
        return Err(AppError::Forbidden.into());
    }
    Ok(())
}

/// Reads an organisation; anyone but its members gets `NotFound` (not even its existence
/// is confirmed).
pub async fn get(state: &AppState, actor: &Actor, organisation_id: &str) -> ServiceResult<OrganisationView> {
    let role = role_of(state, organisation_id, actor.user_id()).await?;
    if !may_view_organisation(role) {
        return Err(AppError::NotFound.into());
    }
    let Some(role) = role else {
        return Err(AppError::NotFound.into());
    };
    let mut conn = state.db.reader().acquire().await?;
    let organisation = orgs::by_id(&mut conn, organisation_id).await?.ok_or(AppError::NotFound)?;
    let members = orgs::members(&mut conn, organisation_id).await?;
    Ok(OrganisationView { organisation, role, members })
}

/// Invites `email` (owner only): a 7-day link goes to that address.
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    email: &str,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    require_owner(state, actor, organisation_id).await?;
    let email = Email::parse(email).map_err(|e| ServiceError::field("email", m::email(e)))?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let organisation = orgs::by_id(&mut tx, organisation_id).await?.ok_or(AppError::NotFound)?;
    let inviter = users::by_id(&mut tx, actor.user_id()).await?.ok_or(AppError::Unauthenticated)?;
    let token = new_token();
    let payload =
        serde_json::json!({ "organisation_id": organisation_id, "email": email.as_str() }).to_string();
    email_tokens::insert(
        &mut tx,
        &token_hash(&token),
        None,
        Purpose::OrgInvite,
        Some(&payload),
        now + INVITE_TTL,
        now,
    )
    .await?;
    let url = super::accounts::link(&state.config.public_url, &format!("/invitation?token={token}"));
    let message =
        mail::organisation_invite(email.as_str(), &inviter.full_name, &organisation.name, &url, meta.locale);
    mail::enqueue(&mut tx, &message, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Accepts an invitation: the signed-in account must have the invited address. Returns
/// the organisation id.
pub async fn accept(state: &AppState, actor: &Actor, token: &str) -> ServiceResult<String> {
    let Actor::Citizen { user_id } = actor else {
        return Err(AppError::Forbidden.into());
    };
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let user = users::by_id(&mut tx, user_id).await?.ok_or(AppError::Unauthenticated)?;
    let hash = token_hash(token);
    let payload = email_tokens::issued_for(&mut tx, &hash).await?.and_then(|(_, p)| p);
    let invited: Option<serde_json::Value> = payload.and_then(|p| serde_json::from_str(&p).ok());
    let Some(invited) = invited else {
        return Err(AppError::LinkInvalid.into());
    };
    if invited.get("email").and_then(|e| e.as_str()) != Some(user.email.as_str()) {
        return Err(ServiceError::Invalid(BTreeMap::from([(
            "token".to_string(),
            INVITE_WRONG_ACCOUNT.into(),
        )])));
    }
    if email_tokens::consume(&mut tx, &hash, Purpose::OrgInvite, now).await?.is_none() {
        return Err(AppError::LinkInvalid.into());
    }
    let organisation_id =
        invited.get("organisation_id").and_then(|v| v.as_str()).ok_or(AppError::LinkInvalid)?.to_string();
    orgs::add_member(&mut tx, &organisation_id, user_id, "member", now).await?;
    tx.commit().await?;
    Ok(organisation_id)
}

/// Removes a member (owner only). Takes effect at the member's next request.
pub async fn remove(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    member_id: &str,
) -> ServiceResult<()> {
    require_owner(state, actor, organisation_id).await?;
    let mut tx = state.db.begin_write().await?;
    let removed = orgs::remove_member(&mut tx, organisation_id, member_id).await?;
    tx.commit().await?;
    if removed { Ok(()) } else { Err(AppError::NotFound.into()) }
}
