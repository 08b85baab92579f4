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
    RESULT_TEXT_REQUIRED = { vi: "Vui lòng nhập nội dung kết quả (ít nhất 10 ký tự).", en: "Please write the result's text (at least 10 characters)." }
    TRACKING_REQUIRED = { vi: "Vui lòng nhập mã bưu gửi.", en: "Please enter the postal tracking number." }
    COLLECTOR_REQUIRED = { vi: "Vui lòng nhập họ tên người nhận kết quả.", en: "Please enter the name of the person who collected the result." }
    APOLOGY_REQUIRED = { vi: "Vui lòng nêu lý do chậm trễ (ít nhất 10 ký tự).", en: "Please give the reason for the delay (at least 10 characters)." }
    NEW_DATE_INVALID = { vi: "Ngày hẹn mới phải là một ngày làm việc sau ngày hẹn cũ.", en: "The new appointment must be a working day after the previous one." }
    NOT_LATE = { vi: "Chỉ hồ sơ đã quá hạn mới được xin lỗi và hẹn lại, và chỉ một lần.", en: "Only a late dossier can be rescheduled with an apology, and only once." }
    STOP_REASON_REQUIRED = { vi: "Vui lòng nêu lý do dừng giải quyết (ít nhất 10 ký tự).", en: "Please give the reason for stopping (at least 10 characters)." }
    ASSIGNEE_UNKNOWN = { vi: "Không tìm thấy cán bộ phụ trách bước này với thư điện tử đó.", en: "No officer who works this step has that email." }
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

/// The (unit code, role) pairs of the actor's grants.
async fn my_pairs(state: &AppState, actor: &Actor) -> ServiceResult<Vec<(String, String)>> {
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
    Ok(pairs)
}

/// The actor's work: dossiers at a step whose role they hold in its unit, filtered and
/// ordered (earliest step deadline first by default), 20 a page; how many match; and the
/// counts of the whole queue (late steps, steps due within two working days).
pub async fn queue_page(
    state: &AppState,
    actor: &Actor,
    filter: &db::WorkFilter,
) -> ServiceResult<(Vec<QueueRow>, i64, db::WorkCounts)> {
    let pairs = my_pairs(state, actor).await?;
    let calendar = calendar(state).await?;
    let now = state.clock.now();
    let soon = calendar
        .add_working_minutes(now, u32::try_from(2 * calendar.hours().minutes_per_day()).unwrap_or(960))
        .map_err(|e| anyhow::anyhow!("horizon: {e:?}"))?;
    Ok(db::work_queue(&state.db, &pairs, filter, now, soon).await?)
}

/// The procedures present in the actor's work queue (code, name in Vietnamese, in English).
pub async fn queue_procedures(
    state: &AppState,
    actor: &Actor,
) -> ServiceResult<Vec<(String, String, String)>> {
    let pairs = my_pairs(state, actor).await?;
    Ok(db::work_procedures(&state.db, &pairs).await?)
}

/// The first page of the actor's work, earliest step deadline first.
pub async fn queue(state: &AppState, actor: &Actor) -> ServiceResult<Vec<QueueRow>> {
    Ok(queue_page(state, actor, &db::WorkFilter::default()).await?.0)
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
    let mut note = note.trim().chars().take(2000).collect::<String>();
    if step.role == StepRole::Leader && by_delegation(&mut tx, actor, &step.agency).await? {
        note = format!("Ký thay (ủy quyền) / signed by delegation. {note}").trim().to_string();
    }
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

/// Whether the actor works a leader's step at `unit` only by a delegation of signing.
async fn by_delegation(conn: &mut sqlx::AnyConnection, actor: &Actor, unit: &str) -> ServiceResult<bool> {
    if actor.is_system_admin() {
        return Ok(false);
    }
    let Some(agency_id) = agencies::id_by_code(conn, unit).await? else { return Ok(false) };
    super::delegation::signs_by_delegation(conn, actor, &agency_id).await
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
    let reason = if by_delegation(&mut tx, actor, &step.agency).await? {
        format!("Ký thay (ủy quyền) / signed by delegation. {reason}")
    } else {
        reason
    };
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

/// Checks that the actor is the clerk at the dossier's current step.
async fn clerk_step(
    state: &AppState,
    actor: &Actor,
    id: &str,
    field: &'static str,
) -> ServiceResult<DossierRow> {
    let mut conn = state.db.reader().acquire().await?;
    let (row, def, _, index) = at_my_step(&mut conn, actor, id).await?;
    if def.workflow.get(index).map(|s| s.role) != Some(StepRole::Clerk) {
        return Err(ServiceError::field(field, NOT_YOUR_STEP));
    }
    Ok(row)
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
    clerk_step(state, actor, id, "file").await?;
    let blob = match state.blobs.put_stream(body, state.config.max_file_bytes).await {
        Ok(b) if b.media == crate::domain::document::MediaType::Pdf => b,
        Ok(_) | Err(UploadError::UnsupportedType) => return Err(ServiceError::field("file", RESULT_NOT_PDF)),
        Err(UploadError::Storage(e)) => return Err(ServiceError::Internal(e)),
        Err(_) => return Err(ServiceError::field("file", RESULT_REQUIRED)),
    };
    let name = crate::domain::document::clean_file_name(file_name);
    record_result(state, actor, id, &blob, &name, &verify_token(), "file").await
}

/// A random token for the verification QR code.
fn verify_token() -> String {
    use rand::Rng as _;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}

/// The public address that verifies an issued result (what its QR code opens).
pub fn verify_url(state: &AppState, code: &str, token: &str) -> String {
    format!("{}/verify/{code}/{token}", state.config.public_url)
}

/// The clerk has the portal write the result document: a PDF with the decision's text and a
/// QR code that verifies it on the portal; then it is issued as an uploaded one would be.
pub async fn generate_result(
    state: &AppState,
    actor: &Actor,
    id: &str,
    content: &str,
    locale: crate::i18n::Locale,
) -> ServiceResult<()> {
    let row = clerk_step(state, actor, id, "content").await?;
    let content = content.trim().chars().take(4000).collect::<String>();
    if content.chars().count() < 10 {
        return Err(ServiceError::field("content", RESULT_TEXT_REQUIRED));
    }
    let code = row.code.clone().unwrap_or_default();
    let token = verify_token();
    let pdf = super::forms::result_document(state, &row, &content, &verify_url(state, &code, &token), locale)
        .await?;
    let body =
        futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes::Bytes::from(pdf)) });
    let blob = match state.blobs.put_stream(Box::pin(body), u64::MAX).await {
        Ok(b) => b,
        Err(UploadError::Storage(e)) => return Err(ServiceError::Internal(e)),
        Err(e) => return Err(ServiceError::Internal(anyhow::anyhow!("generated result refused: {e:?}"))),
    };
    record_result(state, actor, id, &blob, &format!("ket-qua-{code}.pdf"), &token, "content").await
}

/// Records an issued result in one transaction: status 9, the result, the event, the move to
/// the returning step, the audit entry.
async fn record_result(
    state: &AppState,
    actor: &Actor,
    id: &str,
    blob: &crate::ssr::storage::StoredBlob,
    name: &str,
    token: &str,
    field: &'static str,
) -> ServiceResult<()> {
    let calendar = calendar(state).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (row, def, pos, index) = at_my_step(&mut tx, actor, id).await?;
    if def.workflow.get(index).map(|s| s.role) != Some(StepRole::Clerk) || pos.result_blob_key.is_some() {
        return Err(ServiceError::field(field, NOT_YOUR_STEP));
    }
    let current = parse_state(&row.state)?;
    // a refusal to grant was decided by the leader already: the clerk issues its notice
    let next = if current == DossierState::Decided {
        current
    } else {
        current.apply(DossierAction::Decide).map_err(|_| ServiceError::field(field, NOT_YOUR_STEP))?
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
        return Err(ServiceError::field(field, NOT_YOUR_STEP));
    }
    db::set_result(
        &mut tx,
        id,
        &blob.key,
        &blob.sha256,
        i64::try_from(blob.size).unwrap_or(0),
        name,
        token,
        now,
    )
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
        move_to_step(&mut tx, &calendar, &row, last, index + 1, "issued", actor, name, now).await?;
    }
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.issue_result",
            subject: id,
            ip: "",
            detail: name,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the public verification page shows of an issued result, or `None` when the code and
/// token do not match one.
pub async fn verify(
    state: &AppState,
    code: &str,
    token: &str,
) -> ServiceResult<Option<(db::IssuedResult, String)>> {
    if code.len() > 40 || token.len() > 40 {
        return Ok(None);
    }
    let mut conn = state.db.reader().acquire().await?;
    let Some(result) = db::issued_result(&mut conn, code, token).await? else { return Ok(None) };
    let agency = agencies::names_by_code(&mut conn, &result.receiving_agency)
        .await?
        .map(|(vi, _, _)| vi)
        .unwrap_or_else(|| result.receiving_agency.clone());
    Ok(Some((result, agency)))
}

/// The desk returns the result: electronically it enters the applicant's account and "My
/// documents"; the dossier is finished (status 10) and the applicant is emailed.
pub async fn return_result(
    state: &AppState,
    actor: &Actor,
    id: &str,
    via: &str,
    detail: &str,
    meta: &super::RequestMeta,
) -> ServiceResult<()> {
    let detail =
        detail.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect::<String>();
    match via {
        "electronic" => {}
        "post" if detail.chars().count() >= 4 => {}
        "post" => return Err(ServiceError::field("detail", TRACKING_REQUIRED)),
        "desk" if detail.chars().count() >= 2 => {}
        "desk" => return Err(ServiceError::field("detail", COLLECTOR_REQUIRED)),
        _ => return Err(ServiceError::field("via", NOTHING_TO_RETURN)),
    }
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
    db::set_returned(&mut tx, id, via, &detail).await?;
    db::close_step(&mut tx, id, "returned", actor.user_id(), &detail, now).await?;
    db::leave_workflow(&mut tx, id).await?;
    db::insert_event(
        &mut tx,
        id,
        Some(actor.user_id()),
        "returned",
        Some(&row.state),
        Some(&state_json(next)),
        &return_note(via, &detail),
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
            detail: &return_note(via, &detail),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the actor may speak for the unit holding the dossier now: the current step's
/// officers, or the desk of the receiving unit.
async fn responsible(conn: &mut sqlx::AnyConnection, actor: &Actor, row: &DossierRow) -> ServiceResult<bool> {
    if holds(conn, actor, Role::DeskOfficer, &row.receiving_agency).await? {
        return Ok(true);
    }
    let pos = db::position(conn, &row.id).await?.ok_or(AppError::NotFound)?;
    let def: ProcedureDef = serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?;
    match pos.current_step.and_then(|i| usize::try_from(i).ok()).and_then(|i| def.workflow.get(i)) {
        Some(step) => holds(conn, actor, role_of(step.role), &step.agency).await,
        None => Ok(false),
    }
}

/// The unit responsible for a late dossier apologises and sets a new appointment (form 04),
/// once: `new_date` (`YYYY-MM-DD`) must be a working day after the previous appointment; the
/// appointment becomes the end of that office day. The applicant sees it and is emailed.
pub async fn apologise(
    state: &AppState,
    actor: &Actor,
    id: &str,
    reason: &str,
    new_date: &str,
    meta: &super::RequestMeta,
) -> ServiceResult<OffsetDateTime> {
    let calendar = calendar(state).await?;
    let reason = reason.trim().chars().take(2000).collect::<String>();
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = db::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if row.code.is_none() || !responsible(&mut tx, actor, &row).await? {
        return Err(AppError::NotFound.into());
    }
    if reason.chars().count() < 10 {
        return Err(ServiceError::field("reason", APOLOGY_REQUIRED));
    }
    let current = parse_state(&row.state)?;
    let late = row.due_at.is_some_and(|due| from_db(due) < now) && current.clock_running();
    if !late || !matches!(current, DossierState::Received | DossierState::InProcess) {
        return Err(ServiceError::field("reason", NOT_LATE));
    }
    let date = time::Date::parse(new_date.trim(), time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| ServiceError::field("new_date", NEW_DATE_INVALID))?;
    let new_due = date.with_time(calendar.hours().day_end()).assume_offset(crate::domain::VIETNAM_OFFSET);
    if !calendar.is_working_day(date) || new_due <= now {
        return Err(ServiceError::field("new_date", NEW_DATE_INVALID));
    }
    if !db::reschedule(&mut tx, id, new_due, &reason).await? {
        return Err(ServiceError::field("reason", NOT_LATE));
    }
    let note = format!("{} — {reason}", super::receipts::local_time(new_due));
    db::insert_event(&mut tx, id, Some(actor.user_id()), "rescheduled", None, None, &note, now).await?;
    if let Some(applicant) = users::by_id(&mut tx, &row.applicant_id).await? {
        let when = super::receipts::local_time(new_due);
        let email = mail::dossier_update(
            &applicant.email,
            &applicant.full_name,
            row.code.as_deref().unwrap_or_default(),
            (
                &format!("xin lỗi vì chậm trả kết quả; ngày hẹn mới là {when}."),
                &format!("we apologise for the delay; the new appointment is {when}."),
            ),
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
            action: "dossier.reschedule",
            subject: id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: &note,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(new_due)
}

/// The step's officer stops processing, with the reason (status 8, form 05); the applicant
/// is emailed. Terminal.
pub async fn stop(
    state: &AppState,
    actor: &Actor,
    id: &str,
    reason: &str,
    meta: &super::RequestMeta,
) -> ServiceResult<()> {
    let reason = reason.trim().chars().take(2000).collect::<String>();
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (row, _def, _pos, _index) = at_my_step(&mut tx, actor, id).await?;
    if reason.chars().count() < 10 {
        return Err(ServiceError::field("reason", STOP_REASON_REQUIRED));
    }
    let current = parse_state(&row.state)?;
    let next =
        current.apply(DossierAction::Stop).map_err(|_| ServiceError::field("reason", NOT_YOUR_STEP))?;
    if !db::set_state(&mut tx, id, &row.state, &state_json(next), next.national_code().map(i64::from), now)
        .await?
    {
        return Err(ServiceError::field("reason", NOT_YOUR_STEP));
    }
    db::close_step(&mut tx, id, "stopped", actor.user_id(), &reason, now).await?;
    db::leave_workflow(&mut tx, id).await?;
    db::insert_event(
        &mut tx,
        id,
        Some(actor.user_id()),
        "stopped",
        Some(&row.state),
        Some(&state_json(next)),
        &reason,
        now,
    )
    .await?;
    if let Some(applicant) = users::by_id(&mut tx, &row.applicant_id).await? {
        let email = mail::dossier_update(
            &applicant.email,
            &applicant.full_name,
            row.code.as_deref().unwrap_or_default(),
            ("cơ quan giải quyết đã dừng giải quyết hồ sơ.", "processing of the dossier is stopped."),
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
            action: "dossier.stop",
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

/// Warns the officers of steps that fall due within the next working day (each step once,
/// even with several processes sweeping): an email to each officer holding the step's role
/// in its unit. Returns how many steps were warned about.
pub async fn warn_due_soon(state: &AppState) -> ServiceResult<usize> {
    let calendar = calendar(state).await?;
    let now = state.clock.now();
    let horizon = calendar
        .add_working_minutes(now, u32::try_from(calendar.hours().minutes_per_day()).unwrap_or(480))
        .map_err(|e| anyhow::anyhow!("horizon: {e:?}"))?;
    let mut tx = state.db.begin_write().await?;
    let due = db::mark_due_soon(&mut tx, now, horizon).await?;
    for step in &due {
        let Some(role) = Role::from_code(&step.role) else { continue };
        let Some(agency) = agencies::id_by_code(&mut tx, &step.agency_code).await? else { continue };
        let Some(row) = db::by_id(&mut tx, &step.dossier_id).await? else { continue };
        let when = super::receipts::local_time(from_db(step.due_at));
        for (name, email) in users::officers_with_role(&mut tx, role, &agency).await? {
            let message = mail::dossier_update(
                &email,
                &name,
                row.code.as_deref().unwrap_or_default(),
                (
                    &format!("bước xử lý của bạn đến hạn lúc {when}."),
                    &format!("your step falls due at {when}."),
                ),
                "",
                &format!("{}/officer/dossiers/{}", state.config.public_url, row.id),
                crate::i18n::Locale::Vi,
            );
            mail::enqueue(&mut tx, &message, now).await?;
        }
    }
    tx.commit().await?;
    Ok(due.len())
}

/// The clock restarts after standing still since `since` (the applicant owed papers or a
/// fee): the appointment and the open step's deadline move by the working time it stood, in
/// the caller's transaction, with a timeline note. Returns the new appointment.
pub async fn resume_clock(
    conn: &mut sqlx::AnyConnection,
    calendar: &Calendar,
    id: &str,
    since: OffsetDateTime,
    now: OffsetDateTime,
) -> ServiceResult<Option<OffsetDateTime>> {
    let paused = u32::try_from(calendar.working_minutes_between(since, now).max(0)).unwrap_or(u32::MAX);
    if paused == 0 {
        return Ok(None);
    }
    let row = db::by_id(conn, id).await?.ok_or(AppError::NotFound)?;
    let pos = db::position(conn, id).await?.ok_or(AppError::NotFound)?;
    let shift = |t: Option<i64>| t.and_then(|t| calendar.add_working_minutes(from_db(t), paused).ok());
    let due = shift(row.due_at);
    db::set_deadlines(conn, id, due, shift(pos.step_due_at)).await?;
    if let Some(due) = due {
        let note = format!(
            "+{} giờ làm việc; hẹn trả mới {} / +{} working hours; new appointment {}",
            paused / 60,
            super::receipts::local_time(due),
            paused / 60,
            super::receipts::local_time(due)
        );
        db::insert_event(conn, id, None, "clock_resumed", None, None, &note, now).await?;
    }
    Ok(due)
}

/// Assigns the dossier's current step: to the actor (empty `to`) or to the officer with the
/// email `to`, who must hold the step's role in its unit. Anyone who works the step may take
/// it or hand it to a colleague. Recorded on the step and in the audit log.
pub async fn assign(state: &AppState, actor: &Actor, id: &str, to: &str) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (_row, def, _pos, index) = at_my_step(&mut tx, actor, id).await?;
    let step = def.workflow.get(index).ok_or(AppError::NotFound)?;
    let to = to.trim().to_lowercase();
    let officer_id = if to.is_empty() {
        actor.user_id().to_string()
    } else {
        let agency = agencies::id_by_code(&mut tx, &step.agency).await?.unwrap_or_default();
        let Some(user) = users::by_email(&mut tx, &to).await?.filter(|u| u.is_officer()) else {
            return Err(ServiceError::field("to", ASSIGNEE_UNKNOWN));
        };
        let grants = users::grants(&mut tx, &user.id).await?;
        if !grants
            .iter()
            .any(|g| g.role == role_of(step.role) && g.agency_id.as_deref() == Some(agency.as_str()))
        {
            return Err(ServiceError::field("to", ASSIGNEE_UNKNOWN));
        }
        user.id
    };
    if !db::assign(&mut tx, id, &officer_id).await? {
        return Err(AppError::NotFound.into());
    }
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.assign",
            subject: id,
            ip: "",
            detail: &officer_id,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The timeline's note on how a result was handed over.
fn return_note(via: &str, detail: &str) -> String {
    match via {
        "post" => format!("Gửi qua bưu chính, mã bưu gửi {detail} / sent by post, tracking number {detail}"),
        "desk" => {
            format!("Trả tại bộ phận một cửa, người nhận: {detail} / handed over at the desk to {detail}")
        }
        _ => String::new(),
    }
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
