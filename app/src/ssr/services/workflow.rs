//! The internal workflow after reception: the dossier follows its procedure version's steps,
//! each at a unit, worked by a role, with a deadline that is its share of the processing
//! time. The step's officers forward it, send it back with a reason, the clerk issues the
//! result, the desk returns it. Only officers holding the step's role in the step's unit may
//! act on it (the receiving desk may also look); everyone else gets `NotFound`.

use time::OffsetDateTime;

use super::filing::{self, DossierView, parse_state, state_json};
use super::reception::calendar;
use super::{ServiceError, ServiceResult};
use crate::domain::procedure::{ProcedureDef, Step, StepRole};
use crate::domain::{Calendar, DossierAction, DossierState};
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, Role};
use crate::ssr::db::columns::from_db;
use crate::ssr::db::dossiers::{self as db, DossierRow, QueueRow, WorkPosition};
use crate::ssr::db::{agencies, users};
use crate::ssr::mail;
use crate::ssr::state::AppState;
use crate::ssr::storage::UploadError;

crate::texts! {
    NOT_YOUR_STEP = { vi: "Hồ sơ không ở bước của bạn.", en: "The dossier is not at your step." }
    REASON_REQUIRED = { vi: "Vui lòng nêu lý do trả lại bước trước (ít nhất 5 ký tự).", en: "Please give the reason for sending it back (at least 5 characters)." }
    RESULT_REQUIRED = { vi: "Vui lòng đính kèm tệp kết quả đã ký (PDF).", en: "Please attach the signed result (PDF)." }
    RESULT_NOT_PDF = { vi: "Kết quả phải là tệp PDF.", en: "The result must be a PDF file." }
    REFUSAL_REASON_REQUIRED = { vi: "Vui lòng nêu rõ lý do từ chối giải quyết (ít nhất 10 ký tự).", en: "Please give the reasons for refusing (at least 10 characters)." }
    NOTHING_TO_RETURN = { vi: "Chưa có kết quả để trả.", en: "There is no result to return yet." }
}

/// The role that works a step.
pub fn role_of(step: StepRole) -> Role {
    match step {
        StepRole::DeskOfficer => Role::DeskOfficer,
        StepRole::Specialist => Role::Specialist,
        StepRole::Leader => Role::Leader,
        StepRole::Clerk => Role::Clerk,
    }
}

/// Whether `actor` holds `role` in the unit with national code `unit`.
async fn holds(conn: &mut sqlx::AnyConnection, actor: &Actor, role: Role, unit: &str) -> ServiceResult<bool> {
    if actor.is_system_admin() {
        return Ok(true);
    }
    let Some(agency_id) = agencies::id_by_code(conn, unit).await? else { return Ok(false) };
    Ok(actor.has_role_in(role, &agency_id))
}

/// The deadline of a step started at `start`: its share of the dossier's working time between
/// reception and the appointment.
pub fn step_due(
    calendar: &Calendar,
    step: &Step,
    received: OffsetDateTime,
    due: OffsetDateTime,
    start: OffsetDateTime,
) -> Option<OffsetDateTime> {
    let total = calendar.working_minutes_between(received, due).max(0);
    let minutes = u32::try_from(total * i64::from(step.share) / 100).ok()?;
    calendar.add_working_minutes(start, minutes).ok()
}

/// Puts a freshly received dossier on its first processing step (the one after the desk's
/// reception step), in the caller's transaction.
pub async fn enter_first_step(
    conn: &mut sqlx::AnyConnection,
    calendar: &Calendar,
    dossier_id: &str,
    def: &ProcedureDef,
    actor_id: &str,
    now: OffsetDateTime,
    due: OffsetDateTime,
) -> ServiceResult<()> {
    let first = usize::from(
        def.workflow.first().is_some_and(|s| s.role == StepRole::DeskOfficer) && def.workflow.len() > 1,
    );
    let Some(step) = def.workflow.get(first) else { return Ok(()) };
    let step_due = step_due(calendar, step, now, due, now);
    db::enter_step(
        conn,
        dossier_id,
        i64::try_from(first).unwrap_or(0),
        &step.agency,
        Role::code(role_of(step.role)),
        step_due,
        "received",
        actor_id,
        "",
        now,
    )
    .await?;
    Ok(())
}

/// Moves a received dossier to workflow step `index` in the caller's transaction: the step's
/// deadline is its share of the time between reception and the appointment, counted from now.
#[allow(clippy::too_many_arguments)]
async fn move_to_step(
    conn: &mut sqlx::AnyConnection,
    calendar: &Calendar,
    row: &DossierRow,
    step: &Step,
    index: usize,
    outcome: &str,
    actor: &Actor,
    note: &str,
    now: OffsetDateTime,
) -> ServiceResult<()> {
    let (received, due) =
        (row.received_at.map(from_db).unwrap_or(now), row.due_at.map(from_db).unwrap_or(now));
    db::enter_step(
        conn,
        &row.id,
        i64::try_from(index).unwrap_or(0),
        &step.agency,
        Role::code(role_of(step.role)),
        step_due(calendar, step, received, due, now),
        outcome,
        actor.user_id(),
        note,
        now,
    )
    .await?;
    Ok(())
}

/// A dossier at a step the actor works, with its position.
async fn at_my_step(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: &str,
) -> ServiceResult<(DossierRow, ProcedureDef, WorkPosition, usize)> {
    let row = db::by_id(conn, id).await?.ok_or(AppError::NotFound)?;
    let pos = db::position(conn, id).await?.ok_or(AppError::NotFound)?;
    let def: ProcedureDef = serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?;
    let index = pos.current_step.and_then(|i| usize::try_from(i).ok()).ok_or(AppError::NotFound)?;
    let step = def.workflow.get(index).ok_or(AppError::NotFound)?;
    if !holds(conn, actor, role_of(step.role), &step.agency).await? {
        return Err(AppError::NotFound.into());
    }
    Ok((row, def, pos, index))
}

/// What an officer sees of a dossier they work (or that their desk received).
pub async fn get(state: &AppState, actor: &Actor, id: &str) -> ServiceResult<(DossierView, WorkPosition)> {
    let mut conn = state.db.reader().acquire().await?;
    let row = db::by_id(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    if row.code.is_none() {
        return Err(AppError::NotFound.into());
    }
    let pos = db::position(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let def: ProcedureDef = serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?;
    let mut allowed = holds(&mut conn, actor, Role::DeskOfficer, &row.receiving_agency).await?;
    if !allowed
        && let Some(step) =
            pos.current_step.and_then(|i| usize::try_from(i).ok()).and_then(|i| def.workflow.get(i))
    {
        allowed = holds(&mut conn, actor, role_of(step.role), &step.agency).await?;
    }
    if !allowed {
        return Err(AppError::NotFound.into());
    }
    let view = filing::view_for(&mut conn, row).await?;
    Ok((view, pos))
}

/// The actor's work: dossiers at a step whose role they hold in its unit, earliest deadline
/// first.
pub async fn queue(state: &AppState, actor: &Actor) -> ServiceResult<Vec<QueueRow>> {
    let Actor::Officer { grants, .. } = actor else { return Ok(Vec::new()) };
    let mut conn = state.db.reader().acquire().await?;
    let mut pairs = Vec::new();
    for g in grants {
        if let Some(id) = &g.agency_id
            && let Some(code) = agencies::code_by_id(&mut conn, id).await?
        {
            pairs.push((code, g.role.code().to_string()));
        }
    }
    drop(conn);
    Ok(db::work_queue(&state.db, &pairs, 100).await?)
}

/// The step's officer sends the dossier on to the next step (the leader's "approve" too).
/// The first action on a received dossier starts its processing (status 4).
pub async fn forward(state: &AppState, actor: &Actor, id: &str, note: &str) -> ServiceResult<()> {
    let calendar = calendar(state).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (row, def, _pos, index) = at_my_step(&mut tx, actor, id).await?;
    let step = def.workflow.get(index).ok_or(AppError::NotFound)?;
    if matches!(step.role, StepRole::Clerk) || index + 1 >= def.workflow.len() {
        // the clerk issues a result; the last step returns it: other actions
        return Err(ServiceError::field("note", NOT_YOUR_STEP));
    }
    let mut current = parse_state(&row.state)?;
    if current == DossierState::Received {
        let next = current.apply(DossierAction::StartProcessing).map_err(anyhow::Error::from)?;
        if !db::set_state(
            &mut tx,
            id,
            &row.state,
            &state_json(next),
            next.national_code().map(i64::from),
            now,
        )
        .await?
        {
            return Err(ServiceError::field("note", NOT_YOUR_STEP));
        }
        db::insert_event(
            &mut tx,
            id,
            Some(actor.user_id()),
            "processing_started",
            Some(&row.state),
            Some(&state_json(next)),
            "",
            now,
        )
        .await?;
        current = next;
    }
    if current == DossierState::AwaitingPayment {
        return Err(ServiceError::field("note", super::payments::AWAITING_PAYMENT));
    }
    if current != DossierState::InProcess {
        return Err(ServiceError::field("note", NOT_YOUR_STEP));
    }
    let next_step = def.workflow.get(index + 1).ok_or(AppError::NotFound)?;
    let note = note.trim().chars().take(2000).collect::<String>();
    let outcome = if step.role == StepRole::Leader { "approved" } else { "forwarded" };
    move_to_step(&mut tx, &calendar, &row, next_step, index + 1, outcome, actor, &note, now).await?;
    db::insert_event(&mut tx, id, Some(actor.user_id()), outcome, None, None, &step.name_vi, now).await?;
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.forward",
            subject: id,
            ip: "",
            detail: &note,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The leader refuses to grant, with the reasons: the dossier is decided (status 9) with a
/// refusal, and goes on to the clerk, who issues the signed refusal notice as the result.
pub async fn refuse_to_grant(state: &AppState, actor: &Actor, id: &str, reason: &str) -> ServiceResult<()> {
    let calendar = calendar(state).await?;
    let reason = reason.trim().chars().take(2000).collect::<String>();
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (row, def, _pos, index) = at_my_step(&mut tx, actor, id).await?;
    let step = def.workflow.get(index).ok_or(AppError::NotFound)?;
    if step.role != StepRole::Leader {
        return Err(ServiceError::field("reason", NOT_YOUR_STEP));
    }
    if reason.chars().count() < 10 {
        return Err(ServiceError::field("reason", REFUSAL_REASON_REQUIRED));
    }
    let current = parse_state(&row.state)?;
    let next =
        current.apply(DossierAction::Decide).map_err(|_| ServiceError::field("reason", NOT_YOUR_STEP))?;
    if !db::set_state(&mut tx, id, &row.state, &state_json(next), next.national_code().map(i64::from), now)
        .await?
    {
        return Err(ServiceError::field("reason", NOT_YOUR_STEP));
    }
    db::insert_event(
        &mut tx,
        id,
        Some(actor.user_id()),
        "refused_to_grant",
        Some(&row.state),
        Some(&state_json(next)),
        &reason,
        now,
    )
    .await?;
    if let Some(clerk) = def.workflow.get(index + 1) {
        move_to_step(&mut tx, &calendar, &row, clerk, index + 1, "refused", actor, &reason, now).await?;
    }
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.refuse_to_grant",
            subject: id,
            ip: "",
            detail: &reason,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The step's officer sends the dossier back one step, with a reason.
pub async fn send_back(state: &AppState, actor: &Actor, id: &str, reason: &str) -> ServiceResult<()> {
    let calendar = calendar(state).await?;
    let reason = reason.trim().chars().take(2000).collect::<String>();
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (row, def, _pos, index) = at_my_step(&mut tx, actor, id).await?;
    if reason.chars().count() < 5 {
        return Err(ServiceError::field("reason", REASON_REQUIRED));
    }
    if index <= 1 || parse_state(&row.state)? != DossierState::InProcess {
        return Err(ServiceError::field("reason", NOT_YOUR_STEP));
    }
    let back = def.workflow.get(index - 1).ok_or(AppError::NotFound)?;
    move_to_step(&mut tx, &calendar, &row, back, index - 1, "sent_back", actor, &reason, now).await?;
    db::insert_event(&mut tx, id, Some(actor.user_id()), "sent_back", None, None, &reason, now).await?;
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.send_back",
            subject: id,
            ip: "",
            detail: &reason,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The clerk issues the signed result (a PDF): the dossier is decided (status 9) and goes to
/// the step that returns it.
pub async fn issue_result<S, E>(
    state: &AppState,
    actor: &Actor,
    id: &str,
    file_name: &str,
    body: S,
) -> ServiceResult<()>
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    {
        let mut conn = state.db.reader().acquire().await?;
        let (_, def, _, index) = at_my_step(&mut conn, actor, id).await?;
        if def.workflow.get(index).map(|s| s.role) != Some(StepRole::Clerk) {
            return Err(ServiceError::field("file", NOT_YOUR_STEP));
        }
    }
    let blob = match state.blobs.put_stream(body, state.config.max_file_bytes).await {
        Ok(b) if b.media == crate::domain::document::MediaType::Pdf => b,
        Ok(_) | Err(UploadError::UnsupportedType) => return Err(ServiceError::field("file", RESULT_NOT_PDF)),
        Err(UploadError::Storage(e)) => return Err(ServiceError::Internal(e)),
        Err(_) => return Err(ServiceError::field("file", RESULT_REQUIRED)),
    };
    let calendar = calendar(state).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (row, def, _pos, index) = at_my_step(&mut tx, actor, id).await?;
    let current = parse_state(&row.state)?;
    // a refusal to grant was decided by the leader already: the clerk issues its notice
    let next = if current == DossierState::Decided {
        current
    } else {
        current.apply(DossierAction::Decide).map_err(|_| ServiceError::field("file", NOT_YOUR_STEP))?
    };
    if next != current
        && !db::set_state(
            &mut tx,
            id,
            &row.state,
            &state_json(next),
            next.national_code().map(i64::from),
            now,
        )
        .await?
    {
        return Err(ServiceError::field("file", NOT_YOUR_STEP));
    }
    let name = crate::domain::document::clean_file_name(file_name);
    db::set_result(&mut tx, id, &blob.key, &blob.sha256, i64::try_from(blob.size).unwrap_or(0), &name)
        .await?;
    db::insert_event(
        &mut tx,
        id,
        Some(actor.user_id()),
        "decided",
        Some(&row.state),
        Some(&state_json(next)),
        "",
        now,
    )
    .await?;
    if let Some(last) = def.workflow.get(index + 1) {
        move_to_step(&mut tx, &calendar, &row, last, index + 1, "issued", actor, &name, now).await?;
    }
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.issue_result",
            subject: id,
            ip: "",
            detail: &name,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The desk returns the result: electronically it enters the applicant's account and "My
/// documents"; the dossier is finished (status 10) and the applicant is emailed.
pub async fn return_result(
    state: &AppState,
    actor: &Actor,
    id: &str,
    meta: &super::RequestMeta,
) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (row, _def, pos, _index) = at_my_step(&mut tx, actor, id).await?;
    let current = parse_state(&row.state)?;
    let next =
        current.apply(DossierAction::Return).map_err(|_| ServiceError::field("action", NOTHING_TO_RETURN))?;
    // no result while a required fee is unpaid (#7)
    if super::payments::required_unpaid(&mut tx, &row).await? {
        return Err(ServiceError::field("action", super::payments::UNPAID));
    }
    let (Some(key), Some(sha), Some(size), Some(name)) =
        (pos.result_blob_key, pos.result_sha256, pos.result_size, pos.result_file_name)
    else {
        return Err(ServiceError::field("action", NOTHING_TO_RETURN));
    };
    if !db::set_state(&mut tx, id, &row.state, &state_json(next), next.national_code().map(i64::from), now)
        .await?
    {
        return Err(ServiceError::field("action", NOTHING_TO_RETURN));
    }
    let document = db::insert_document(
        &mut tx,
        &row.applicant_id,
        &key,
        &sha,
        size,
        "application/pdf",
        &name,
        "result",
        now,
    )
    .await?;
    db::set_result_document(&mut tx, id, &document).await?;
    db::close_step(&mut tx, id, "returned", actor.user_id(), "", now).await?;
    db::leave_workflow(&mut tx, id).await?;
    db::insert_event(
        &mut tx,
        id,
        Some(actor.user_id()),
        "returned",
        Some(&row.state),
        Some(&state_json(next)),
        "",
        now,
    )
    .await?;
    if let Some(applicant) = users::by_id(&mut tx, &row.applicant_id).await? {
        let email = mail::result_returned(
            &applicant.email,
            &applicant.full_name,
            row.code.as_deref().unwrap_or_default(),
            &format!("{}/dossiers/{id}", state.config.public_url),
            meta.locale,
        );
        mail::enqueue(&mut tx, &email, now).await?;
    }
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.return",
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

/// The overdue sweep: marks late dossiers and late steps once each (the step and unit that
/// held a dossier when it fell late are on record). Returns the dossiers newly marked.
pub async fn sweep_overdue(state: &AppState) -> ServiceResult<Vec<String>> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let ids = db::mark_overdue(&mut tx, now).await?;
    db::mark_overdue_steps(&mut tx, now).await?;
    tx.commit().await?;
    Ok(ids)
}
