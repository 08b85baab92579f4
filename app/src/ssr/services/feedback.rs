//! Feedback and recommendations (phản ánh, kiến nghị): anyone signed in writes about a
//! procedure, a unit or one of their own dossiers; the responsible unit (the procedure's
//! receiving unit, the chosen unit, the dossier's receiving unit) answers within ten working
//! days; a sweep marks unanswered items overdue once. An answered item may be published:
//! only its subject, text and answer, with email addresses and long digit runs (citizen
//! ids, phone numbers) removed, and never the sender.

use super::reception::calendar;
use super::{FieldErrors, RequestMeta, ServiceError, ServiceResult};
use crate::domain::search::fold;
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, Role};
use crate::ssr::db::feedback::{self as db, FeedbackRow, NewFeedback, PublicRow, PublicTexts};
use crate::ssr::db::{agencies, audit, dossiers, users};
use crate::ssr::mail;
use crate::ssr::state::AppState;

crate::texts! {
    ABOUT_INVALID = { vi: "Chọn nội dung phản ánh: thủ tục, đơn vị hoặc hồ sơ.", en: "Choose what the feedback is about: a procedure, a unit or a dossier." }
    TARGET_UNKNOWN = { vi: "Không tìm thấy thủ tục, đơn vị hoặc hồ sơ của bạn với mã này.", en: "No procedure, unit or dossier of yours has this code." }
    SUBJECT_REQUIRED = { vi: "Nhập tiêu đề (tối đa 200 ký tự).", en: "Enter a subject (at most 200 characters)." }
    BODY_REQUIRED = { vi: "Nhập nội dung (tối đa 5.000 ký tự).", en: "Enter the text (at most 5,000 characters)." }
    ANSWER_REQUIRED = { vi: "Nhập nội dung trả lời (tối đa 5.000 ký tự).", en: "Enter the answer (at most 5,000 characters)." }
    ALREADY_ANSWERED = { vi: "Phản ánh này đã được trả lời.", en: "This feedback has already been answered." }
    NOT_ANSWERED = { vi: "Chỉ công khai được phản ánh đã trả lời.", en: "Only answered feedback can be published." }
    ALREADY_PUBLISHED = { vi: "Phản ánh này đã được công khai.", en: "This feedback is already published." }
}

/// Working days the responsible unit has to answer.
pub const ANSWER_WITHIN_DAYS: u32 = 10;
/// Items per page on the public list.
pub const PER_PAGE: i64 = 20;

/// The feedback form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FeedbackInput {
    /// `procedure`, `unit` or `dossier`.
    #[serde(default)]
    pub about: String,
    /// The procedure code, unit code, or dossier code.
    #[serde(default)]
    pub target: String,
    /// Subject.
    #[serde(default)]
    pub subject: String,
    /// Text.
    #[serde(default)]
    pub body: String,
}

fn text_ok(s: &str, max: usize) -> bool {
    let n = s.trim().chars().count();
    n > 0 && n <= max
}

/// Sends feedback; returns its id. The responsible unit is found from what it is about; a
/// dossier must be the sender's own.
pub async fn send(
    state: &AppState,
    actor: &Actor,
    input: &FeedbackInput,
    meta: &RequestMeta,
) -> ServiceResult<String> {
    let mut errors = FieldErrors::default();
    if !text_ok(&input.subject, 200) {
        errors.add("subject", SUBJECT_REQUIRED);
    }
    if !text_ok(&input.body, 5000) {
        errors.add("body", BODY_REQUIRED);
    }
    if !matches!(input.about.as_str(), "procedure" | "unit" | "dossier") {
        errors.add("about", ABOUT_INVALID);
    }
    errors.finish()?;
    let calendar = calendar(state).await?;
    let now = state.clock.now();
    let due = calendar
        .add_working_days(now, ANSWER_WITHIN_DAYS, None)
        .map_err(|e| anyhow::anyhow!("feedback due date: {e:?}"))?;
    let target = input.target.trim();
    let unknown = || ServiceError::field("target", TARGET_UNKNOWN);
    let mut tx = state.db.begin_write().await?;
    let (procedure_id, dossier_id, agency_id) = match input.about.as_str() {
        "procedure" => {
            let (procedure, agency) =
                db::receiving_unit_of_procedure(&mut tx, target).await?.ok_or_else(unknown)?;
            (Some(procedure), None, agency)
        }
        "unit" => (None, None, agencies::id_by_code(&mut tx, target).await?.ok_or_else(unknown)?),
        _ => {
            let row = match dossiers::by_code(&mut tx, &target.to_ascii_uppercase()).await? {
                Some(row) => Some(row),
                None => dossiers::by_id(&mut tx, target).await?,
            }
            .filter(|r| r.applicant_id == actor.user_id() && r.code.is_some())
            .ok_or_else(unknown)?;
            let agency = agencies::id_by_code(&mut tx, &row.receiving_agency).await?.ok_or_else(unknown)?;
            (Some(row.procedure_id.clone()), Some(row.id), agency)
        }
    };
    let id = db::insert(
        &mut tx,
        &NewFeedback {
            sender_id: actor.user_id(),
            about: &input.about,
            procedure_id: procedure_id.as_deref(),
            dossier_id: dossier_id.as_deref(),
            agency_id: &agency_id,
            subject: input.subject.trim(),
            body: input.body.trim(),
            due_at: due,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(feedback = %id, about = %input.about, ip = meta.ip.as_deref().unwrap_or(""), "feedback sent");
    Ok(id)
}

/// The sender's own feedback with the answers.
pub async fn mine(state: &AppState, actor: &Actor) -> ServiceResult<Vec<FeedbackRow>> {
    Ok(db::of_sender(&state.db, actor.user_id()).await?)
}

/// The roles that answer feedback for a unit.
const ANSWERING: [Role; 3] = [Role::DeskOfficer, Role::Leader, Role::AgencyAdmin];

/// Whether the actor answers for the unit `agency_id`.
pub fn may_answer(actor: &Actor, agency_id: &str) -> bool {
    ANSWERING.into_iter().any(|r| actor.has_role_in(r, agency_id))
}

/// The feedback queue of the units the actor answers for (every unit for a system admin).
pub async fn queue(state: &AppState, actor: &Actor) -> ServiceResult<Vec<FeedbackRow>> {
    let Actor::Officer { grants, .. } = actor else { return Err(AppError::NotFound.into()) };
    if actor.is_system_admin() {
        return Ok(db::of_units(&state.db, &[], true).await?);
    }
    let mut units: Vec<String> =
        grants.iter().filter(|g| ANSWERING.contains(&g.role)).filter_map(|g| g.agency_id.clone()).collect();
    units.sort();
    units.dedup();
    if units.is_empty() {
        return Err(AppError::NotFound.into());
    }
    Ok(db::of_units(&state.db, &units, false).await?)
}

/// An item the actor answers for, or `NotFound`.
async fn answerable(conn: &mut sqlx::AnyConnection, actor: &Actor, id: &str) -> ServiceResult<FeedbackRow> {
    let row = db::by_id(conn, id).await?.ok_or(AppError::NotFound)?;
    if !may_answer(actor, &row.agency_id) {
        return Err(AppError::NotFound.into());
    }
    Ok(row)
}

/// One item for an officer of the responsible unit.
pub async fn for_officer(state: &AppState, actor: &Actor, id: &str) -> ServiceResult<FeedbackRow> {
    let mut conn = state.db.reader().acquire().await?;
    answerable(&mut conn, actor, id).await
}

/// An officer of the responsible unit answers (once); the sender is emailed; the answer is
/// in the audit log, all in one transaction.
pub async fn answer(
    state: &AppState,
    actor: &Actor,
    id: &str,
    text: &str,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = answerable(&mut tx, actor, id).await?;
    if !text_ok(text, 5000) {
        return Err(ServiceError::field("answer", ANSWER_REQUIRED));
    }
    if !db::answer(&mut tx, id, text.trim(), actor.user_id(), now).await? {
        return Err(ServiceError::field("answer", ALREADY_ANSWERED));
    }
    audit::append(
        &mut tx,
        &audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "feedback.answer",
            subject: id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: "",
        },
        now,
    )
    .await?;
    if let Some(sender) = users::by_id(&mut tx, &row.sender_id).await? {
        let message = mail::feedback_answered(
            &sender.email,
            &sender.full_name,
            &row.subject,
            text.trim(),
            &format!("{}/feedback/mine", state.config.public_url),
            meta.locale,
        );
        mail::enqueue(&mut tx, &message, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An officer of the responsible unit publishes an answered item: the cleaned subject, text
/// and answer (see [`scrub`]); recorded in the audit log in the same transaction.
pub async fn publish(state: &AppState, actor: &Actor, id: &str, meta: &RequestMeta) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = answerable(&mut tx, actor, id).await?;
    if row.answered_at.is_none() {
        return Err(ServiceError::field("publish", NOT_ANSWERED));
    }
    let subject = scrub(&row.subject);
    let body = scrub(&row.body);
    let answer = scrub(&row.answer);
    let search = fold(&format!("{subject} {body} {answer}"));
    if !db::publish(&mut tx, id, &PublicTexts { subject, body, answer, search }, now).await? {
        return Err(ServiceError::field("publish", ALREADY_PUBLISHED));
    }
    audit::append(
        &mut tx,
        &audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "feedback.publish",
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

/// Marks unanswered items past their due time overdue, each once. Returns their ids.
pub async fn sweep_overdue(state: &AppState) -> ServiceResult<Vec<String>> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let ids = db::mark_overdue(&mut tx, now).await?;
    tx.commit().await?;
    Ok(ids)
}

/// The published items matching `q` (every word, diacritics ignored), one page, and the total.
pub async fn published(state: &AppState, q: &str, page: i64) -> ServiceResult<(Vec<PublicRow>, i64)> {
    let terms: Vec<String> = fold(q).split_whitespace().take(8).map(|t| t.replace(['%', '_'], "")).collect();
    let terms: Vec<String> = terms.into_iter().filter(|t| !t.is_empty()).collect();
    Ok(db::published(&state.db, &terms, page.max(1), PER_PAGE).await?)
}

/// What replaces removed personal data.
pub const REDACTED: &str = "[…]";

/// Removes personal data from a text before publication: email addresses, and runs of 9 or
/// more digits (citizen ids, phone numbers, account numbers), also when written with spaces,
/// dots or dashes between the groups (e.g. `0912 345 678`).
pub fn scrub(text: &str) -> String {
    let without_emails = text
        .split_inclusive(char::is_whitespace)
        .map(|word| {
            let core = word.trim_end();
            let tail = &word[core.len()..];
            match core.find('@') {
                Some(at) if at > 0 && core[at + 1..].contains('.') => {
                    // keep punctuation around the address, drop the address itself
                    let start = core
                        .char_indices()
                        .find(|(_, c)| c.is_alphanumeric() || "._%+-".contains(*c))
                        .map_or(0, |(i, _)| i);
                    let end = core
                        .char_indices()
                        .rev()
                        .find(|(_, c)| c.is_alphanumeric())
                        .map_or(core.len(), |(i, c)| i + c.len_utf8());
                    format!("{}{REDACTED}{}{tail}", &core[..start], &core[end..])
                }
                _ => word.to_string(),
            }
        })
        .collect::<String>();
    scrub_digit_runs(&without_emails)
}

fn scrub_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars.get(i).copied().unwrap_or(' ');
        if !c.is_ascii_digit() {
            out.push(c);
            i += 1;
            continue;
        }
        // a run: digits, possibly with single separators between them
        let mut j = i;
        let mut digits = 0;
        let mut last_digit = i;
        while j < chars.len() {
            let d = chars.get(j).copied().unwrap_or(' ');
            if d.is_ascii_digit() {
                digits += 1;
                last_digit = j;
                j += 1;
            } else if matches!(d, ' ' | '.' | '-') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        if digits >= 9 {
            out.push_str(REDACTED);
        } else {
            out.extend(chars.get(i..=last_digit).unwrap_or_default());
        }
        i = last_digit + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_long_digit_runs_are_removed() {
        let s = scrub("Tôi là A, CCCD 001099012345, email nguyen.a@example.com, ĐT 0912 345 678.");
        assert!(!s.contains("001099012345"), "{s}");
        assert!(!s.contains("example.com"), "{s}");
        assert!(!s.contains("345 678"), "{s}");
        assert!(s.contains("CCCD […]"), "{s}");
    }

    #[test]
    fn short_numbers_and_dates_stay() {
        assert_eq!(
            scrub("Hồ sơ nộp ngày 12.03.2026, phí 50.000 đồng"),
            "Hồ sơ nộp ngày 12.03.2026, phí 50.000 đồng"
        );
        assert_eq!(scrub("Chờ 15 ngày"), "Chờ 15 ngày");
    }
}
