//! The one-stop desk: the queue of submitted dossiers, and receiving one — accept (with the
//! appointment date from the working-day calendar), ask for a supplement (once, listing
//! everything), or refuse to receive with a reason. Only desk officers of the receiving
//! unit (and system administrators) see or act; others get `NotFound`.

use time::{OffsetDateTime, Time};

use super::filing::{self, DossierView, parse_state, state_json};
use super::{RequestMeta, ServiceError, ServiceResult};
use crate::domain::{Calendar, DossierAction, DossierState, Stage};
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, Role};
use crate::ssr::db::dossiers::{self as db, DossierRow};
use crate::ssr::db::{agencies, catalogue, users};
use crate::ssr::mail;
use crate::ssr::state::AppState;

crate::texts! {
    REASON_REQUIRED = { vi: "Vui lòng nêu lý do không tiếp nhận (ít nhất 10 ký tự).", en: "Please give the reason for refusing (at least 10 characters)." }
    NOT_RECEIVABLE = { vi: "Hồ sơ không còn ở trạng thái chờ tiếp nhận.", en: "The dossier is no longer waiting for reception." }
}

/// The calendar deadlines are computed with: default office hours, weekends, and the holiday
/// table that administrators edit.
pub async fn calendar(state: &AppState) -> ServiceResult<Calendar> {
    let (holidays, extra) = catalogue::calendar_days(&state.db).await?;
    Ok(calendar_of(&holidays, &extra))
}

/// The calendar read on a connection (inside a transaction).
pub async fn calendar_in(conn: &mut sqlx::AnyConnection) -> ServiceResult<Calendar> {
    let (holidays, extra) = catalogue::calendar_days_in(conn).await?;
    Ok(calendar_of(&holidays, &extra))
}

fn calendar_of(holidays: &[String], extra: &[String]) -> Calendar {
    let parse =
        |d: &String| time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok();
    Calendar::default()
        .with_holidays(holidays.iter().filter_map(parse))
        .with_extra_working_days(extra.iter().filter_map(parse))
}

/// Whether the actor works the desk of the unit with national code `unit`.
pub(crate) async fn desk_of(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    unit: &str,
) -> ServiceResult<bool> {
    if actor.is_system_admin() {
        return Ok(true);
    }
    let Some(agency_id) = agencies::id_by_code(conn, unit).await? else { return Ok(false) };
    Ok(actor.has_role_in(Role::DeskOfficer, &agency_id))
}

/// A dossier the actor may receive, or `NotFound`.
async fn at_my_desk(conn: &mut sqlx::AnyConnection, actor: &Actor, id: &str) -> ServiceResult<DossierRow> {
    let row = db::by_id(conn, id).await?.ok_or(AppError::NotFound)?;
    if row.code.is_none() || !desk_of(conn, actor, &row.receiving_agency).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(row)
}

/// The national codes of the units where the actor is a desk officer (all for an admin).
pub async fn my_desk_units(state: &AppState, actor: &Actor) -> ServiceResult<Option<Vec<String>>> {
    match actor {
        Actor::Officer { .. } if actor.is_system_admin() => Ok(None),
        Actor::Officer { grants, .. } => {
            let mut conn = state.db.reader().acquire().await?;
            let mut units = Vec::new();
            for g in grants.iter().filter(|g| g.role == Role::DeskOfficer) {
                if let Some(id) = &g.agency_id
                    && let Some(code) = agencies::code_by_id(&mut conn, id).await?
                {
                    units.push(code);
                }
            }
            Ok(Some(units))
        }
        Actor::Citizen { .. } => Ok(Some(Vec::new())),
    }
}

/// The desk's queue: submitted dossiers (new, or back from a supplement) of the actor's
/// units, oldest first, and how many there are.
pub async fn queue(state: &AppState, actor: &Actor, page: i64) -> ServiceResult<(Vec<db::QueueRow>, i64)> {
    let units = my_desk_units(state, actor).await?;
    if units.as_ref().is_some_and(Vec::is_empty) {
        return Ok((Vec::new(), 0));
    }
    let states = [
        state_json(DossierState::Submitted),
        state_json(DossierState::SupplementRequested(Stage::Reception)),
    ];
    Ok(db::reception_queue(&state.db, units.as_deref(), &states, 20, (page.max(1) - 1) * 20).await?)
}

/// A dossier as the desk sees it.
pub async fn get(state: &AppState, actor: &Actor, id: &str) -> ServiceResult<DossierView> {
    let mut conn = state.db.reader().acquire().await?;
    let row = at_my_desk(&mut conn, actor, id).await?;
    filing::view_for(&mut conn, row).await
}

fn cutoff(def: &crate::domain::procedure::ProcedureDef) -> Option<Time> {
    def.cutoff
        .as_deref()
        .and_then(|c| Time::parse(c, time::macros::format_description!("[hour]:[minute]")).ok())
}

/// The desk accepts a complete dossier: status 2, the appointment (due) date computed from
/// the version's processing time in working days, the event, and an email to the applicant.
/// Returns the appointment.
pub async fn accept(
    state: &AppState,
    actor: &Actor,
    id: &str,
    meta: &RequestMeta,
) -> ServiceResult<OffsetDateTime> {
    let calendar = calendar(state).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = at_my_desk(&mut tx, actor, id).await?;
    let current = parse_state(&row.state)?;
    let next =
        current.apply(DossierAction::Accept).map_err(|_| ServiceError::field("action", NOT_RECEIVABLE))?;
    let def: crate::domain::procedure::ProcedureDef =
        serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?;
    let due = calendar
        .add_working_days(now, def.processing_days, cutoff(&def))
        .map_err(|e| anyhow::anyhow!("appointment date: {e:?}"))?;
    // a fee due after acceptance (#7): the dossier waits for the payment (status 6, the clock
    // stops) and the applicant gets a "Pay now" link
    let fee_due = super::payments::due_on_acceptance(&mut tx, &row, &def).await?;
    let received_json = state_json(next);
    let next = match fee_due {
        Some(_) => next
            .apply(DossierAction::StartProcessing)
            .and_then(|s| s.apply(DossierAction::RequestPayment))
            .map_err(anyhow::Error::from)?,
        None => next,
    };
    let next_json = state_json(next);
    if !db::receive(
        &mut tx,
        id,
        &row.state,
        &next_json,
        i64::from(next.national_code().unwrap_or(2)),
        now,
        due,
    )
    .await?
    {
        return Err(ServiceError::field("action", NOT_RECEIVABLE));
    }
    super::workflow::enter_first_step(&mut tx, &calendar, id, &def, actor.user_id(), now, due).await?;
    let note = super::receipts::local_time(due);
    db::insert_event(
        &mut tx,
        id,
        Some(actor.user_id()),
        "received",
        Some(&row.state),
        Some(&received_json),
        &note,
        now,
    )
    .await?;
    if let Some(amount) = fee_due {
        db::insert_event(
            &mut tx,
            id,
            Some(actor.user_id()),
            "payment_requested",
            Some(&received_json),
            Some(&next_json),
            &amount.format_vi(),
            now,
        )
        .await?;
        super::payments::notify_payment_requested(&mut tx, state, &row, amount, meta.locale, now).await?;
    }
    if let Some(applicant) = users::by_id(&mut tx, &row.applicant_id).await? {
        let email = mail::dossier_received(
            &applicant.email,
            &applicant.full_name,
            row.code.as_deref().unwrap_or_default(),
            &super::receipts::local_time(due),
            &format!("{}/dossiers/{id}", state.config.public_url),
            meta.locale,
        );
        mail::enqueue(&mut tx, &email, now).await?;
    }
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.accept",
            subject: id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: "",
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(due)
}

/// The desk refuses to receive, with a reason (form 03); the applicant is emailed.
pub async fn refuse(
    state: &AppState,
    actor: &Actor,
    id: &str,
    reason: &str,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    let reason: String = reason.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(2000).collect();
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = at_my_desk(&mut tx, actor, id).await?;
    if reason.chars().count() < 10 {
        return Err(ServiceError::field("reason", REASON_REQUIRED));
    }
    let current = parse_state(&row.state)?;
    let next = current
        .apply(DossierAction::RefuseAtReception)
        .map_err(|_| ServiceError::field("reason", NOT_RECEIVABLE))?;
    let next_json = state_json(next);
    if !db::set_state(&mut tx, id, &row.state, &next_json, next.national_code().map(i64::from), now).await? {
        return Err(ServiceError::field("reason", NOT_RECEIVABLE));
    }
    db::insert_event(
        &mut tx,
        id,
        Some(actor.user_id()),
        "refused_at_reception",
        Some(&row.state),
        Some(&next_json),
        &reason,
        now,
    )
    .await?;
    if let Some(applicant) = users::by_id(&mut tx, &row.applicant_id).await? {
        let email = mail::dossier_refused(
            &applicant.email,
            &applicant.full_name,
            row.code.as_deref().unwrap_or_default(),
            &reason,
            &format!("{}/dossiers/{id}", state.config.public_url),
            meta.locale,
        );
        mail::enqueue(&mut tx, &email, now).await?;
    }
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.refuse",
            subject: id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: &reason,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
