//! Counter intake: a desk officer files a dossier for a person at the counter. The person is
//! found by citizen id, or an account is made for them (with their email if they have one,
//! so they can set a password later and follow the dossier online). The officer fills the
//! draft and scans the papers in the same editor citizens use; the scans belong to the
//! applicant. Once submitted it follows the same path as an online dossier, marked as filed
//! at the desk.

use super::accounts::messages as m;
use super::filing::{delivery_code, prefill, state_json};
use super::{FieldErrors, RequestMeta, ServiceError, ServiceResult};
use crate::domain::procedure::ProcedureDef;
use crate::domain::{CitizenId, DossierState, Email, PersonName, PhoneNumber};
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, Role};
use crate::ssr::db::dossiers::{self as db, NewDraft};
use crate::ssr::db::{catalogue, users};
use crate::ssr::state::AppState;

crate::texts! {
    NOT_AT_YOUR_DESK = { vi: "Thủ tục này không được tiếp nhận tại đơn vị của bạn.", en: "Your unit does not receive this procedure." }
    EMAIL_TAKEN = { vi: "Thư điện tử này thuộc một tài khoản khác.", en: "This email belongs to another account." }
    NOT_A_CITIZEN = { vi: "Số định danh này thuộc tài khoản cán bộ.", en: "This identity number belongs to an officer account." }
}

/// The addresses given to people without email: nothing is ever sent there.
pub const NO_EMAIL_DOMAIN: &str = "walk-in.invalid";

/// Whether mail can be sent to `address` (not a placeholder of counter intake).
pub fn deliverable(address: &str) -> bool {
    !address.ends_with(&format!("@{NO_EMAIL_DOMAIN}"))
}

/// What the desk types about the person at the counter.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct IntakeForm {
    /// The procedure's code.
    #[serde(default)]
    pub procedure: String,
    /// Citizen identity number.
    #[serde(default)]
    pub citizen_id: String,
    /// Full name (for a new account).
    #[serde(default)]
    pub full_name: String,
    /// Phone (optional).
    #[serde(default)]
    pub phone: String,
    /// Email (optional).
    #[serde(default)]
    pub email: String,
}

/// The unit of the actor's desk that receives `def`, if any (system admins: the first).
async fn receiving_desk(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    def: &ProcedureDef,
) -> ServiceResult<Option<String>> {
    for unit in &def.receiving {
        if super::reception::desk_of(conn, actor, unit).await? {
            return Ok(Some(unit.clone()));
        }
    }
    Ok(None)
}

/// Starts a draft for the person at the counter; returns its id. The officer then edits it
/// at `/dossiers/{id}` like a citizen would.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    form: &IntakeForm,
    meta: &RequestMeta,
) -> ServiceResult<String> {
    if !matches!(actor, Actor::Officer { .. }) {
        return Err(AppError::NotFound.into());
    }
    if !actor.has_role(Role::DeskOfficer) && !actor.has_role(Role::SystemAdmin) {
        return Err(AppError::Forbidden.into());
    }
    let now = state.clock.now();
    let mut errors = FieldErrors::default();
    let citizen_id = if form.citizen_id.trim().is_empty() {
        errors.add("citizen_id", m::CITIZEN_ID_REQUIRED);
        None
    } else {
        CitizenId::parse_at(&form.citizen_id, now.year())
            .map_err(|e| errors.add("citizen_id", m::citizen_id(&e)))
            .ok()
    };
    let name = PersonName::parse(&form.full_name).map_err(|e| errors.add("full_name", m::name(e))).ok();
    let phone = if form.phone.trim().is_empty() {
        None
    } else {
        PhoneNumber::parse(&form.phone).map_err(|e| errors.add("phone", m::phone(e))).ok()
    };
    let email = if form.email.trim().is_empty() {
        None
    } else {
        Email::parse(&form.email).map_err(|e| errors.add("email", m::email(e))).ok()
    };
    let mut tx = state.db.begin_write().await?;
    let Some((procedure_id, Some(definition), Some(_))) =
        catalogue::procedure_by_code(&mut tx, form.procedure.trim()).await?
    else {
        return Err(ServiceError::field("procedure", NOT_AT_YOUR_DESK));
    };
    let def: ProcedureDef = serde_json::from_str(&definition).map_err(anyhow::Error::from)?;
    let Some(unit) = receiving_desk(&mut tx, actor, &def).await? else {
        return Err(ServiceError::field("procedure", NOT_AT_YOUR_DESK));
    };
    let Some(citizen_id) = citizen_id else {
        errors.finish()?;
        return Err(AppError::InvalidInput.into());
    };
    let existing = users::by_citizen_id(&mut tx, citizen_id.as_str()).await?;
    let applicant = match existing {
        Some(user) if user.kind != "citizen" => return Err(ServiceError::field("citizen_id", NOT_A_CITIZEN)),
        // a known person: their account, whatever else was typed
        Some(user) => user,
        None => {
            errors.finish()?;
            let Some(name) = name else { return Err(AppError::InvalidInput.into()) };
            let address = match &email {
                Some(e) => e.as_str().to_string(),
                None => format!("{}@{NO_EMAIL_DOMAIN}", citizen_id.as_str()),
            };
            if users::by_email(&mut tx, &address).await?.is_some() {
                return Err(ServiceError::field("email", EMAIL_TAKEN));
            }
            let id = users::insert(
                &mut tx,
                &users::NewUser {
                    kind: "citizen",
                    email: &address,
                    full_name: name.as_str(),
                    phone: phone.as_ref().map(PhoneNumber::as_str),
                    citizen_id: Some(citizen_id.as_str()),
                    // no password: the person sets one with "forgot password" if they have email
                    password_hash: "!counter-intake",
                    verified: false,
                },
                now,
            )
            .await?;
            users::by_id(&mut tx, &id).await?.ok_or(AppError::NotFound)?
        }
    };
    let version_id =
        catalogue::published_version_id(&mut tx, &procedure_id).await?.ok_or(AppError::NotFound)?;
    let values = serde_json::to_string(&prefill(&def, &applicant)).map_err(anyhow::Error::from)?;
    let draft = state_json(DossierState::Draft);
    let delivery = def.delivery.first().copied().map(delivery_code).unwrap_or("");
    let id = db::insert_draft(
        &mut tx,
        &NewDraft {
            procedure_id: &procedure_id,
            version_id: &version_id,
            applicant_id: &applicant.id,
            organisation_id: None,
            receiving_agency: &unit,
            state: &draft,
            form_values: &values,
            delivery,
            delivery_address: applicant.postal_address.as_deref().unwrap_or(""),
        },
        now,
    )
    .await?;
    db::set_intake(&mut tx, &id, actor.user_id()).await?;
    db::insert_event(&mut tx, &id, Some(actor.user_id()), "filed_at_desk", None, Some(&draft), "", now)
        .await?;
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.intake",
            subject: &id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: citizen_id.as_str(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The procedures the actor's desks receive (code, name), for the intake form.
pub async fn procedures(state: &AppState, actor: &Actor) -> ServiceResult<Vec<(String, String, String)>> {
    let units = super::reception::my_desk_units(state, actor).await?;
    let all = catalogue::published_definitions(&state.db).await?;
    Ok(all
        .iter()
        .filter_map(|json| serde_json::from_str::<ProcedureDef>(json).ok())
        .filter(|def| units.as_ref().is_none_or(|u| def.receiving.iter().any(|r| u.contains(r))))
        .map(|def| (def.code, def.name_vi, def.name_en))
        .collect())
}
