//! Satisfaction ratings (đánh giá mức độ hài lòng): once a dossier's result is returned, its
//! applicant rates the service on four criteria, from their account or at the desk's kiosk
//! (the dossier code and its lookup key from the receipt); one rating per dossier. A reminder
//! goes out once when a returned dossier is still not rated after three days.

use time::Duration;

use super::{FieldErrors, RequestMeta, ServiceError, ServiceResult};
use crate::domain::DossierCode;
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, Role};
use crate::ssr::auth::tokens::constant_time_eq;
use crate::ssr::db::dossiers::{self as dossiers, DossierRow};
use crate::ssr::db::ratings::{self as db, NewRating, RatingRow};
use crate::ssr::db::{agencies, rate_limits, users};
use crate::ssr::mail;
use crate::ssr::state::AppState;

crate::texts! {
    CHOOSE = { vi: "Chọn một mức đánh giá.", en: "Choose a level." }
    NOT_RETURNED = { vi: "Chỉ đánh giá được hồ sơ đã trả kết quả.", en: "Only a dossier whose result was returned can be rated." }
    ALREADY_RATED = { vi: "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần.", en: "This dossier has already been rated. Each dossier is rated once." }
    COMMENT_TOO_LONG = { vi: "Ý kiến tối đa 2.000 ký tự.", en: "The comment is at most 2,000 characters." }
    KIOSK_NOT_FOUND = { vi: "Không tìm thấy hồ sơ với mã và mã tra cứu này. Kiểm tra lại phiếu tiếp nhận.", en: "No dossier matches this code and lookup key. Check your receipt." }
}

/// The criteria, in form order: field name, Vietnamese and English labels.
pub const CRITERIA: [(&str, &str, &str); 4] = [
    ("reception", "Tiếp nhận và hướng dẫn", "Reception and guidance"),
    ("timing", "Thời gian giải quyết", "Processing time"),
    ("attitude", "Thái độ của cán bộ", "Officers' attitude"),
    ("correctness", "Kết quả đúng, chính xác", "Correctness of the result"),
];

/// The levels: 3 very satisfied, 2 satisfied, 1 not satisfied.
pub const LEVELS: [(i64, &str, &str); 3] = [
    (3, "Rất hài lòng", "Very satisfied"),
    (2, "Hài lòng", "Satisfied"),
    (1, "Không hài lòng", "Not satisfied"),
];

/// How long after the return the reminder goes out.
pub const REMIND_AFTER: Duration = Duration::days(3);
/// Kiosk attempts allowed per IP and ten minutes.
pub const KIOSK_PER_TEN_MINUTES: i64 = 20;

/// The rating as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RatingInput {
    /// Reception and guidance, `1`–`3`.
    #[serde(default)]
    pub reception: String,
    /// Processing time.
    #[serde(default)]
    pub timing: String,
    /// Officers' attitude.
    #[serde(default)]
    pub attitude: String,
    /// Correctness of the result.
    #[serde(default)]
    pub correctness: String,
    /// Optional comment.
    #[serde(default)]
    pub comment: String,
}

/// The four levels, parsed.
struct Levels([i64; 4]);

fn parse(input: &RatingInput) -> ServiceResult<Levels> {
    let mut errors = FieldErrors::default();
    let mut out = [0i64; 4];
    let values = [&input.reception, &input.timing, &input.attitude, &input.correctness];
    for (i, ((name, _, _), value)) in CRITERIA.iter().zip(values).enumerate() {
        match value.trim().parse::<i64>() {
            Ok(v @ 1..=3) => {
                if let Some(slot) = out.get_mut(i) {
                    *slot = v;
                }
            }
            _ => errors.add(name, CHOOSE),
        }
    }
    if input.comment.trim().chars().count() > 2000 {
        errors.add("comment", COMMENT_TOO_LONG);
    }
    errors.finish()?;
    Ok(Levels(out))
}

/// Stores the rating of `row` (already authorised) in the caller's transaction, with its
/// timeline note.
async fn store(
    conn: &mut sqlx::AnyConnection,
    row: &DossierRow,
    levels: &Levels,
    comment: &str,
    channel: &str,
    rated_by: Option<&str>,
    now: time::OffsetDateTime,
) -> ServiceResult<()> {
    if row.national_status != Some(10) {
        return Err(ServiceError::field("rating", NOT_RETURNED));
    }
    let [reception, timing, attitude, correctness] = levels.0;
    let inserted = db::insert(
        conn,
        &NewRating {
            dossier_id: &row.id,
            agency_code: &row.receiving_agency,
            procedure_id: &row.procedure_id,
            channel,
            reception,
            timing,
            attitude,
            correctness,
            comment: comment.trim(),
            rated_by,
        },
        now,
    )
    .await?;
    if !inserted {
        return Err(ServiceError::field("rating", ALREADY_RATED));
    }
    let note = format!(
        "Công dân đã đánh giá mức độ hài lòng ({channel}) / The applicant rated the service ({channel})"
    );
    dossiers::insert_event(conn, &row.id, rated_by, "rated", None, None, &note, now).await?;
    Ok(())
}

/// The applicant rates their returned dossier from their account. Anyone else gets
/// `NotFound`; a dossier not returned or already rated gets a message.
pub async fn rate(
    state: &AppState,
    actor: &Actor,
    dossier_id: &str,
    input: &RatingInput,
    _meta: &RequestMeta,
) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = dossiers::by_id(&mut tx, dossier_id).await?.ok_or(AppError::NotFound)?;
    if row.applicant_id != actor.user_id() || row.code.is_none() {
        return Err(AppError::NotFound.into());
    }
    let levels = parse(input)?;
    store(&mut tx, &row, &levels, &input.comment, "account", Some(actor.user_id()), now).await?;
    tx.commit().await?;
    tracing::info!(dossier = %dossier_id, channel = "account", "dossier rated");
    Ok(())
}

/// A rating at the desk's kiosk, without signing in: the dossier code and its lookup key
/// (printed on the receipt) prove the person holds the dossier. Rate-limited per IP.
pub async fn rate_at_kiosk(
    state: &AppState,
    code: &str,
    key: &str,
    input: &RatingInput,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    let now = state.clock.now();
    if let Some(ip) = &meta.ip
        && rate_limits::hit(&state.db, &format!("kiosk:ip:{ip}"), 600, now).await? > KIOSK_PER_TEN_MINUTES
    {
        return Err(AppError::RateLimited.into());
    }
    let not_found = || ServiceError::field("code", KIOSK_NOT_FOUND);
    let code = DossierCode::parse(code.trim()).map_err(|_| not_found())?.to_string();
    let key = key.trim().to_ascii_uppercase();
    let levels = parse(input)?;
    let mut tx = state.db.begin_write().await?;
    let row = dossiers::by_code(&mut tx, &code).await?.ok_or_else(not_found)?;
    let key_ok = !key.is_empty()
        && row.lookup_secret.as_deref().is_some_and(|s| constant_time_eq(s.as_bytes(), key.as_bytes()));
    if !key_ok {
        return Err(not_found());
    }
    store(&mut tx, &row, &levels, &input.comment, "kiosk", None, now).await?;
    tx.commit().await?;
    tracing::info!(dossier = %row.id, channel = "kiosk", "dossier rated");
    Ok(())
}

/// The rating of a dossier as its applicant sees it (`None`: not rated). Strangers get
/// `NotFound`.
pub async fn for_applicant(
    state: &AppState,
    actor: &Actor,
    dossier_id: &str,
) -> ServiceResult<Option<RatingRow>> {
    let mut conn = state.db.reader().acquire().await?;
    let row = dossiers::by_id(&mut conn, dossier_id).await?.ok_or(AppError::NotFound)?;
    if row.applicant_id != actor.user_id() {
        return Err(AppError::NotFound.into());
    }
    Ok(db::of_dossier(&mut conn, dossier_id).await?)
}

/// The rating of a dossier for the officers of its receiving unit (desk officers, leaders,
/// agency admins) and system admins. Others get `NotFound`.
pub async fn for_officer(
    state: &AppState,
    actor: &Actor,
    dossier_id: &str,
) -> ServiceResult<Option<RatingRow>> {
    let mut conn = state.db.reader().acquire().await?;
    let row = dossiers::by_id(&mut conn, dossier_id).await?.ok_or(AppError::NotFound)?;
    let agency = agencies::id_by_code(&mut conn, &row.receiving_agency).await?.unwrap_or_default();
    let allowed = actor.is_system_admin()
        || [Role::DeskOfficer, Role::Leader, Role::AgencyAdmin]
            .into_iter()
            .any(|r| actor.has_role_in(r, &agency));
    if !allowed || row.code.is_none() {
        return Err(AppError::NotFound.into());
    }
    Ok(db::of_dossier(&mut conn, dossier_id).await?)
}

/// Reminds applicants of dossiers returned more than three days ago and not rated (each
/// dossier once, even with several processes sweeping). Returns the dossiers reminded.
pub async fn send_reminders(state: &AppState) -> ServiceResult<Vec<String>> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let due = db::mark_reminded(&mut tx, now, now - REMIND_AFTER).await?;
    let mut ids = Vec::with_capacity(due.len());
    for r in due {
        let Some(row) = dossiers::by_id(&mut tx, &r.id).await? else { continue };
        if let Some(applicant) = users::by_id(&mut tx, &row.applicant_id).await? {
            let message = mail::dossier_update(
                &applicant.email,
                &applicant.full_name,
                row.code.as_deref().unwrap_or_default(),
                (
                    "mời bạn đánh giá mức độ hài lòng với dịch vụ.",
                    "please rate your satisfaction with the service.",
                ),
                "",
                &format!("{}/dossiers/{}#rating", state.config.public_url, row.id),
                crate::i18n::Locale::Vi,
            );
            mail::enqueue(&mut tx, &message, now).await?;
        }
        ids.push(r.id);
    }
    tx.commit().await?;
    Ok(ids)
}

/// The label of a level (1–3) in the locale.
pub fn level_label(level: i64, locale: crate::i18n::Locale) -> &'static str {
    LEVELS
        .iter()
        .find(|(v, _, _)| *v == level)
        .map_or("", |(_, vi, en)| if locale == crate::i18n::Locale::Vi { vi } else { en })
}
