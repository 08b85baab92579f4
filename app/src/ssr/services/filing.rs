//! Online filing: drafts, scans, review and submission, withdrawal, "My dossiers", the
//! document store and the public lookup.
//!
//! Access: a dossier is visible to its applicant and, when filed for an organisation, to that
//! organisation's members — to nobody else (strangers get `NotFound`, never a hint that the
//! id exists). Every check is here, on the server.

use std::collections::BTreeMap;

use futures_util::Stream;
use rand::Rng as _;
use time::{Duration, OffsetDateTime};

use super::{FieldErrors, RequestMeta, ServiceError, ServiceResult};
use crate::domain::document::{MediaType, clean_file_name, format_size};
use crate::domain::procedure::{Delivery, ProcedureDef};
use crate::domain::{
    AgencyCode, DossierAction, DossierCode, DossierState, FieldKind, VIETNAM_OFFSET, validate,
};
use crate::error::AppError;
use crate::i18n::{Locale, Message};
use crate::ssr::auth::policy::Actor;
use crate::ssr::auth::tokens::constant_time_eq;
use crate::ssr::db::dossiers::{self as db, DocumentRow, DossierRow, FileRow, ListFilter, ListRow, NewDraft};
use crate::ssr::db::{catalogue, organisations as orgs, users};
use crate::ssr::mail;
use crate::ssr::state::AppState;
use crate::ssr::storage::UploadError;

crate::texts! {
    NOT_A_CITIZEN = { vi: "Tài khoản cán bộ không nộp hồ sơ trực tuyến; hãy dùng chức năng tiếp nhận tại quầy.", en: "Officer accounts do not file online; use counter intake." }
    NOT_EDITABLE = { vi: "Hồ sơ đã nộp, không sửa được nữa.", en: "The dossier has been submitted and can no longer be changed." }
    FILE_TOO_LARGE = { vi: "Tệp quá lớn. Mỗi tệp tối đa {max}.", en: "The file is too large. Each file may be at most {max}." }
    DOSSIER_TOO_LARGE = { vi: "Tổng dung lượng các tệp của hồ sơ vượt quá {max}. Hãy xóa bớt hoặc nén tệp.", en: "The dossier's files would exceed {max} in total. Remove or compress some files." }
    FILE_TYPE = { vi: "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp).", en: "Only PDF, JPEG or PNG files are accepted (checked by content, not by name)." }
    FILE_INFECTED = { vi: "Tệp bị từ chối vì phát hiện mã độc. Hãy quét lại thiết bị và tải lên bản khác.", en: "The file was refused because malware was found in it. Check your device and upload another copy." }
    FILE_INTERRUPTED = { vi: "Tải tệp bị gián đoạn; tệp chưa được đính kèm. Vui lòng thử lại.", en: "The upload was interrupted; nothing was attached. Please try again." }
    FILE_MISSING = { vi: "Vui lòng chọn tệp cần tải lên.", en: "Please choose a file to upload." }
    PAPER_MISSING = { vi: "Chưa đính kèm: {paper}.", en: "Not attached yet: {paper}." }
    DELIVERY_REQUIRED = { vi: "Vui lòng chọn hình thức nhận kết quả.", en: "Please choose how to receive the result." }
    ADDRESS_REQUIRED = { vi: "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính.", en: "Please enter the postal address for the result." }
    REASON_REQUIRED = { vi: "Vui lòng nêu lý do rút hồ sơ (ít nhất 5 ký tự).", en: "Please give the reason for withdrawing (at least 5 characters)." }
    NOT_WITHDRAWABLE = { vi: "Hồ sơ ở trạng thái này không thể rút.", en: "The dossier cannot be withdrawn in its current state." }
    SUPPLEMENT_NOTE_REQUIRED = { vi: "Vui lòng ghi rõ giấy tờ cần bổ sung hoặc hoàn thiện.", en: "Please say which papers must be added or corrected." }
    SUPPLEMENT_ONCE = { vi: "Ở bước này chỉ được yêu cầu bổ sung một lần; yêu cầu phải nêu đầy đủ ngay từ đầu.", en: "A supplement may be requested only once at this stage; the request must list everything at once." }
    NOT_AWAITING_SUPPLEMENT = { vi: "Hồ sơ không ở trạng thái chờ bổ sung.", en: "The dossier is not waiting for a supplement." }
    LOOKUP_NOT_FOUND = { vi: "Không tìm thấy hồ sơ với mã và mã tra cứu này. Kiểm tra lại phiếu tiếp nhận.", en: "No dossier matches this code and lookup key. Check your receipt." }
}

/// Page size of "My dossiers".
pub const PAGE_SIZE: i64 = 20;

/// A dossier as its applicant (or a fellow member) sees it.
#[derive(Debug, Clone)]
pub struct DossierView {
    /// The row.
    pub row: DossierRow,
    /// The procedure version it was filed under.
    pub def: ProcedureDef,
    /// The state.
    pub state: DossierState,
    /// Form values as typed.
    pub values: BTreeMap<String, String>,
    /// Attached files.
    pub files: Vec<FileRow>,
    /// The timeline.
    pub events: Vec<db::EventRow>,
    /// Organisation name, if filed for one.
    pub organisation: Option<String>,
}

impl DossierView {
    /// Whether the applicant may still change it.
    pub fn editable(&self) -> bool {
        self.state == DossierState::Draft
    }
}

/// The JSON stored for a state.
pub fn state_json(state: DossierState) -> String {
    serde_json::to_string(&state).unwrap_or_default()
}

/// A state read back (an unknown value reads as a draft is never produced: it is an error).
pub fn parse_state(json: &str) -> anyhow::Result<DossierState> {
    Ok(serde_json::from_str(json)?)
}

pub(crate) fn delivery_code(d: Delivery) -> &'static str {
    match d {
        Delivery::Electronic => "electronic",
        Delivery::Post => "post",
        Delivery::Desk => "desk",
    }
}

/// A delivery option from its form value.
pub fn parse_delivery(s: &str) -> Option<Delivery> {
    [Delivery::Electronic, Delivery::Post, Delivery::Desk].into_iter().find(|d| delivery_code(*d) == s)
}

/// Form value of a delivery option.
pub fn delivery_value(d: Delivery) -> &'static str {
    delivery_code(d)
}

fn user_id(actor: &Actor) -> &str {
    actor.user_id()
}

/// Whose store a scan goes into: the uploader's, or the applicant's when a desk officer scans
/// at the counter (the papers are the person's, not the officer's).
fn owner_of_scans<'a>(row: &'a DossierRow, actor: &'a Actor) -> &'a str {
    if row.filed_by.as_deref() == Some(actor.user_id()) { &row.applicant_id } else { actor.user_id() }
}

/// Whether `user_id` may see `row`.
async fn may_see(conn: &mut sqlx::AnyConnection, row: &DossierRow, user_id: &str) -> sqlx::Result<bool> {
    if row.applicant_id == user_id {
        return Ok(true);
    }
    // the desk officer who files it at the counter, while it is a draft
    if row.filed_by.as_deref() == Some(user_id) && row.state == state_json(DossierState::Draft) {
        return Ok(true);
    }
    match &row.organisation_id {
        Some(org) => Ok(orgs::membership(conn, org, user_id).await?.is_some()),
        None => Ok(false),
    }
}

/// Loads a dossier the actor may see, or `NotFound`.
pub async fn visible(conn: &mut sqlx::AnyConnection, actor: &Actor, id: &str) -> ServiceResult<DossierRow> {
    let row = db::by_id(conn, id).await?.ok_or(AppError::NotFound)?;
    if may_see(conn, &row, user_id(actor)).await? { Ok(row) } else { Err(AppError::NotFound.into()) }
}

async fn view_of(conn: &mut sqlx::AnyConnection, row: DossierRow) -> ServiceResult<DossierView> {
    let def: ProcedureDef = serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?;
    let state = parse_state(&row.state)?;
    let values: BTreeMap<String, String> = serde_json::from_str(&row.form_values).unwrap_or_default();
    let files = db::files(conn, &row.id).await?;
    let events = db::events(conn, &row.id).await?;
    let organisation = match &row.organisation_id {
        Some(id) => orgs::by_id(conn, id).await?.map(|o| o.name),
        None => None,
    };
    Ok(DossierView { row, def, state, values, files, events, organisation })
}

/// The full view of a row already authorised by the caller (the desk's pages).
pub async fn view_for(conn: &mut sqlx::AnyConnection, row: DossierRow) -> ServiceResult<DossierView> {
    view_of(conn, row).await
}

/// One dossier, for its applicant or a fellow organisation member.
pub async fn get(state: &AppState, actor: &Actor, id: &str) -> ServiceResult<DossierView> {
    let mut conn = state.db.reader().acquire().await?;
    let row = visible(&mut conn, actor, id).await?;
    view_of(&mut conn, row).await
}

/// Values pre-filled from the profile: the applicant's name, citizen id and address go into
/// the fields that ask for them.
pub(crate) fn prefill(def: &ProcedureDef, user: &users::UserRow) -> BTreeMap<String, String> {
    const NAME_KEYS: [&str; 4] = ["full_name", "owner_name", "applicant_name", "requester_name"];
    const ID_KEYS: [&str; 4] = ["citizen_id", "owner_id", "applicant_id", "requester_id"];
    let mut values = BTreeMap::new();
    for f in &def.form {
        let value = match &f.kind {
            FieldKind::Text { .. } if NAME_KEYS.contains(&f.key.as_str()) => Some(user.full_name.clone()),
            FieldKind::CitizenId if ID_KEYS.contains(&f.key.as_str()) => user.citizen_id.clone(),
            FieldKind::Address if f.key.contains("address") && !f.key.contains("plot") => {
                user.postal_address.clone()
            }
            _ => None,
        };
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            values.insert(f.key.clone(), v);
        }
    }
    values
}

/// Starts a draft of the published version of `procedure_code`, for the actor or for an
/// organisation they belong to. Returns the draft's id.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    procedure_code: &str,
    organisation_id: Option<&str>,
) -> ServiceResult<String> {
    let Actor::Citizen { user_id } = actor else {
        return Err(ServiceError::Refused(AppError::Forbidden));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let Some((procedure_id, Some(definition), Some(_))) =
        catalogue::procedure_by_code(&mut tx, procedure_code).await?
    else {
        return Err(AppError::NotFound.into());
    };
    let version_id =
        catalogue::published_version_id(&mut tx, &procedure_id).await?.ok_or(AppError::NotFound)?;
    let def: ProcedureDef = serde_json::from_str(&definition).map_err(anyhow::Error::from)?;
    if let Some(org) = organisation_id
        && orgs::membership(&mut tx, org, user_id).await?.is_none()
    {
        return Err(AppError::NotFound.into());
    }
    let user = users::by_id(&mut tx, user_id).await?.ok_or(AppError::Unauthenticated)?;
    let values = serde_json::to_string(&prefill(&def, &user)).map_err(anyhow::Error::from)?;
    let receiving = def.receiving.first().cloned().ok_or(AppError::NotFound)?;
    let delivery = def.delivery.first().copied().map(delivery_code).unwrap_or("");
    let draft = state_json(DossierState::Draft);
    let id = db::insert_draft(
        &mut tx,
        &NewDraft {
            procedure_id: &procedure_id,
            version_id: &version_id,
            applicant_id: user_id,
            organisation_id,
            receiving_agency: &receiving,
            state: &draft,
            form_values: &values,
            delivery,
            delivery_address: user.postal_address.as_deref().unwrap_or(""),
        },
        now,
    )
    .await?;
    db::insert_event(&mut tx, &id, Some(user_id), "created", None, Some(&draft), "", now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Loads a draft the actor may change, in a write transaction.
async fn editable_draft(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: &str,
) -> ServiceResult<(DossierRow, ProcedureDef)> {
    let row = visible(tx, actor, id).await?;
    if parse_state(&row.state)? != DossierState::Draft {
        return Err(ServiceError::field("dossier", NOT_EDITABLE));
    }
    let def: ProcedureDef = serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?;
    Ok((row, def))
}

/// Whether the applicant may add scans now: while preparing the draft, and while a
/// supplement they owe is open.
pub fn accepts_files(state: DossierState) -> bool {
    matches!(state, DossierState::Draft | DossierState::SupplementRequested(_))
}

/// Loads a dossier the actor may add files to, in a write transaction.
async fn files_open(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: &str,
) -> ServiceResult<(DossierRow, ProcedureDef, DossierState)> {
    let row = visible(tx, actor, id).await?;
    let current = parse_state(&row.state)?;
    if !accepts_files(current) {
        return Err(ServiceError::field("file", NOT_EDITABLE));
    }
    let def: ProcedureDef = serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?;
    Ok((row, def, current))
}

/// Saves what the applicant typed (partial input is fine in a draft; the review checks it).
/// `values` holds the form fields and `delivery`, `delivery_address`, `receiving_agency`.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    id: &str,
    values: &BTreeMap<String, String>,
) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (row, def) = editable_draft(&mut tx, actor, id).await?;
    let kept: BTreeMap<&str, String> = def
        .form
        .iter()
        .filter_map(|f| values.get(&f.key).map(|v| (f.key.as_str(), v.chars().take(2000).collect())))
        .collect();
    let delivery = values
        .get("delivery")
        .and_then(|d| parse_delivery(d))
        .filter(|d| def.delivery.contains(d))
        .map(delivery_code)
        .unwrap_or(row.delivery.as_str());
    let address: String = values.get("delivery_address").map_or(row.delivery_address.clone(), |a| {
        a.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(500).collect()
    });
    let receiving = values
        .get("receiving_agency")
        .filter(|r| def.receiving.contains(r))
        .cloned()
        .unwrap_or(row.receiving_agency.clone());
    let json = serde_json::to_string(&kept).map_err(anyhow::Error::from)?;
    db::update_draft(&mut tx, id, &json, delivery, &address, &receiving, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the paper index, the dossier's state and remaining room before an upload; returns
/// the byte cap for this file and whether the dossier total is what limits it.
pub async fn upload_allowance(
    state: &AppState,
    actor: &Actor,
    id: &str,
    paper_index: usize,
) -> ServiceResult<(u64, bool)> {
    let mut conn = state.db.reader().acquire().await?;
    let row = visible(&mut conn, actor, id).await?;
    if !accepts_files(parse_state(&row.state)?) {
        return Err(ServiceError::field("file", NOT_EDITABLE));
    }
    let def: ProcedureDef = serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?;
    if paper_index >= def.papers.len() {
        return Err(AppError::NotFound.into());
    }
    let used = u64::try_from(db::total_bytes(&mut conn, id).await?).unwrap_or(0);
    let room = state.config.max_dossier_bytes.saturating_sub(used);
    let cap = state.config.max_file_bytes.min(room);
    Ok((cap, room < state.config.max_file_bytes))
}

fn size_message(text: crate::i18n::Text, max: u64) -> Message {
    Message {
        vi: text.vi.replace("{max}", &format_size(max, true)),
        en: text.en.replace("{max}", &format_size(max, false)),
    }
}

/// Stores one uploaded scan and attaches it to paper `paper_index` of the draft. The file
/// is streamed to storage first; the rows are written only if it was complete and accepted.
pub async fn upload<S, E>(
    state: &AppState,
    actor: &Actor,
    id: &str,
    paper_index: usize,
    file_name: &str,
    body: S,
) -> ServiceResult<String>
where
    S: Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let (cap, dossier_limited) = upload_allowance(state, actor, id, paper_index).await?;
    let blob = match state.blobs.put_stream(body, cap).await {
        Ok(blob) => blob,
        Err(UploadError::TooLarge(_)) if dossier_limited => {
            return Err(ServiceError::field(
                "file",
                size_message(DOSSIER_TOO_LARGE, state.config.max_dossier_bytes),
            ));
        }
        Err(UploadError::TooLarge(_)) => {
            return Err(ServiceError::field(
                "file",
                size_message(FILE_TOO_LARGE, state.config.max_file_bytes),
            ));
        }
        Err(UploadError::UnsupportedType) => return Err(ServiceError::field("file", FILE_TYPE)),
        Err(UploadError::Infected(name)) => {
            tracing::warn!(signature = %name, dossier = %id, "upload refused by the malware scanner");
            return Err(ServiceError::field("file", FILE_INFECTED));
        }
        Err(UploadError::Interrupted(_)) => return Err(ServiceError::field("file", FILE_INTERRUPTED)),
        Err(UploadError::Storage(e)) => return Err(ServiceError::Internal(e)),
    };
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    // re-checked in the write transaction: the draft may have been submitted meanwhile
    let (row, _, _) = files_open(&mut tx, actor, id).await?;
    let used = u64::try_from(db::total_bytes(&mut tx, id).await?).unwrap_or(0);
    if used + blob.size > state.config.max_dossier_bytes {
        return Err(ServiceError::field(
            "file",
            size_message(DOSSIER_TOO_LARGE, state.config.max_dossier_bytes),
        ));
    }
    let document_id = db::insert_document(
        &mut tx,
        owner_of_scans(&row, actor),
        &blob.key,
        &blob.sha256,
        i64::try_from(blob.size).unwrap_or(i64::MAX),
        blob.media.mime(),
        &clean_file_name(file_name),
        "upload",
        now,
    )
    .await?;
    let paper = i64::try_from(paper_index).unwrap_or(0);
    db::attach(&mut tx, id, paper, &document_id, now).await?;
    db::touch(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(document_id)
}

/// Attaches a document from the actor's own store to a paper of the draft.
pub async fn attach_existing(
    state: &AppState,
    actor: &Actor,
    id: &str,
    paper_index: usize,
    document_id: &str,
) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (row, def, _) = files_open(&mut tx, actor, id).await?;
    if paper_index >= def.papers.len() {
        return Err(AppError::NotFound.into());
    }
    let doc = db::document(&mut tx, document_id).await?.ok_or(AppError::NotFound)?;
    if doc.owner_id != owner_of_scans(&row, actor) {
        return Err(AppError::NotFound.into());
    }
    let used = u64::try_from(db::total_bytes(&mut tx, id).await?).unwrap_or(0);
    if used + u64::try_from(doc.size_bytes).unwrap_or(0) > state.config.max_dossier_bytes {
        return Err(ServiceError::field(
            "file",
            size_message(DOSSIER_TOO_LARGE, state.config.max_dossier_bytes),
        ));
    }
    db::attach(&mut tx, id, i64::try_from(paper_index).unwrap_or(0), document_id, now).await?;
    db::touch(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an attached file from the draft (the document stays in the store).
pub async fn remove_file(state: &AppState, actor: &Actor, id: &str, file_id: &str) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (_, _, current) = files_open(&mut tx, actor, id).await?;
    if current != DossierState::Draft {
        // what was submitted stays; only scans added for the supplement may be taken back
        let since = db::last_event_at(&mut tx, id, "supplement_requested").await?.unwrap_or(i64::MAX);
        if !db::file_added_since(&mut tx, id, file_id, since).await? {
            return Err(ServiceError::field("file", NOT_EDITABLE));
        }
    }
    if !db::detach(&mut tx, id, file_id).await? {
        return Err(AppError::NotFound.into());
    }
    db::touch(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a draft.
pub async fn discard(state: &AppState, actor: &Actor, id: &str) -> ServiceResult<()> {
    let mut tx = state.db.begin_write().await?;
    editable_draft(&mut tx, actor, id).await?;
    db::delete_draft(&mut tx, id, &state_json(DossierState::Draft)).await?;
    tx.commit().await?;
    Ok(())
}

/// Everything that stops a draft from being submitted, keyed by the element to fix
/// (form field key, `paper-N`, `delivery`, `delivery_address`); empty if it can go.
pub fn problems(view: &DossierView) -> BTreeMap<String, Message> {
    let mut errors = FieldErrors::default();
    if let Err(fields) = validate(&view.def.form, &view.values) {
        for (key, e) in fields {
            errors.add(&key, Message { vi: e.message_vi(), en: e.message_en() });
        }
    }
    for (i, paper) in view.def.papers.iter().enumerate() {
        let index = i64::try_from(i).unwrap_or(0);
        if paper.required && !view.files.iter().any(|f| f.paper_index == index) {
            errors.add(
                &format!("paper-{i}"),
                Message {
                    vi: PAPER_MISSING.vi.replace("{paper}", &paper.name_vi),
                    en: PAPER_MISSING.en.replace("{paper}", &paper.name_en),
                },
            );
        }
    }
    match parse_delivery(&view.row.delivery).filter(|d| view.def.delivery.contains(d)) {
        None => errors.add("delivery", DELIVERY_REQUIRED),
        Some(Delivery::Post) if view.row.delivery_address.trim().is_empty() => {
            errors.add("delivery_address", ADDRESS_REQUIRED);
        }
        Some(_) => {}
    }
    match errors.finish() {
        Ok(()) => BTreeMap::new(),
        Err(ServiceError::Invalid(map)) => map,
        Err(_) => BTreeMap::new(),
    }
}

fn lookup_secret() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..8).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}

/// Submits a draft: checks everything, gives it its code (gap-free per receiving unit and
/// day), moves it to status 1, logs it, and queues the confirmation email — in one
/// transaction. Submitting again (double click, resent form, retry) returns the same code.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    id: &str,
    token: &str,
    meta: &RequestMeta,
) -> ServiceResult<String> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = visible(&mut tx, actor, id).await?;
    if let Some(code) = &row.code {
        // already submitted (by this request's twin or earlier): the same answer
        return Ok(code.clone());
    }
    let view = view_of(&mut tx, row).await?;
    let problems = problems(&view);
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems));
    }
    let typed = validate(&view.def.form, &view.values).map_err(|_| anyhow::anyhow!("validated twice"))?;
    let unit = AgencyCode::parse(&view.row.receiving_agency)
        .map_err(|e| anyhow::anyhow!("receiving unit {}: {e:?}", view.row.receiving_agency))?;
    let local = now.to_offset(VIETNAM_OFFSET).date();
    let day = format!("{:02}{:02}{:02}", local.year() % 100, u8::from(local.month()), local.day());
    let seq = db::next_sequence(&mut tx, unit.as_str(), &day).await?;
    let seq = u16::try_from(seq).map_err(|_| anyhow::anyhow!("daily sequence exhausted"))?;
    let code =
        DossierCode::new(&unit, local, seq).map_err(|e| anyhow::anyhow!("dossier code: {e:?}"))?.to_string();
    let next = DossierState::Draft.apply(DossierAction::Submit).map_err(anyhow::Error::from)?;
    let next_json = state_json(next);
    let secret = lookup_secret();
    let stored_values = serde_json::to_string(&view.values).map_err(anyhow::Error::from)?;
    let _ = typed;
    let done = db::submit(
        &mut tx,
        &db::Submission {
            id,
            draft_state: &view.row.state,
            code: &code,
            state: &next_json,
            national_status: i64::from(next.national_code().unwrap_or(1)),
            form_values: &stored_values,
            lookup_secret: &secret,
            submit_token: token,
        },
        now,
    )
    .await?;
    if !done {
        // A twin of this request (double click, retry) submitted it in the meantime: on
        // PostgreSQL our UPDATE waited for its row lock and then matched nothing. Roll back
        // (which also returns the sequence number we took) and give the same answer.
        drop(tx);
        let mut conn = state.db.reader().acquire().await?;
        return match db::by_id(&mut conn, id).await?.and_then(|r| r.code) {
            Some(code) => Ok(code),
            None => Err(ServiceError::field("dossier", NOT_EDITABLE)),
        };
    }
    db::insert_event(
        &mut tx,
        id,
        Some(user_id(actor)),
        "submitted",
        Some(&view.row.state),
        Some(&next_json),
        "",
        now,
    )
    .await?;
    if let Some(applicant) = users::by_id(&mut tx, &view.row.applicant_id).await? {
        let name = match meta.locale {
            Locale::Vi => view.row.procedure_name_vi.clone(),
            Locale::En => view.row.procedure_name_en.clone(),
        };
        let base = &state.config.public_url;
        let email = mail::dossier_submitted(
            &applicant.email,
            &applicant.full_name,
            &code,
            &name,
            &secret,
            &format!("{base}/dossiers/{id}"),
            &format!("{base}/dossiers/{id}/receipt.pdf"),
            meta.locale,
        );
        mail::enqueue(&mut tx, &email, now).await?;
    }
    tx.commit().await?;
    Ok(code)
}

/// The desk (before accepting) or the processing agency asks the applicant for more papers,
/// once per stage, listing everything in `note`. The clock stops; the applicant is emailed.
/// (Called by the back office, issue #6.)
pub async fn request_supplement(
    state: &AppState,
    actor: &Actor,
    id: &str,
    note: &str,
    meta: &RequestMeta,
) -> ServiceResult<DossierState> {
    use crate::ssr::auth::policy::Role;
    let note = note.trim();
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = db::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let agency_id =
        crate::ssr::db::agencies::id_by_code(&mut tx, &row.receiving_agency).await?.unwrap_or_default();
    let allowed =
        [Role::DeskOfficer, Role::Specialist, Role::Leader].iter().any(|r| actor.has_role_in(*r, &agency_id));
    if !allowed {
        return Err(AppError::NotFound.into());
    }
    if note.chars().count() < 5 {
        return Err(ServiceError::field("note", SUPPLEMENT_NOTE_REQUIRED));
    }
    let current = parse_state(&row.state)?;
    let next = current
        .apply(DossierAction::RequestSupplement)
        .map_err(|_| ServiceError::field("note", NOT_EDITABLE))?;
    let kind = match next {
        DossierState::SupplementRequested(crate::domain::Stage::Reception) => "supplement_requested",
        _ => "supplement_requested_processing",
    };
    if db::last_event_at(&mut tx, id, kind).await?.is_some() {
        return Err(ServiceError::field("note", SUPPLEMENT_ONCE));
    }
    let next_json = state_json(next);
    if !db::set_state(&mut tx, id, &row.state, &next_json, next.national_code().map(i64::from), now).await? {
        return Err(ServiceError::field("note", NOT_EDITABLE));
    }
    db::insert_event(&mut tx, id, Some(user_id(actor)), kind, Some(&row.state), Some(&next_json), note, now)
        .await?;
    if let Some(applicant) = users::by_id(&mut tx, &row.applicant_id).await? {
        let email = mail::supplement_requested(
            &applicant.email,
            &applicant.full_name,
            row.code.as_deref().unwrap_or_default(),
            note,
            &format!("{}/dossiers/{id}", state.config.public_url),
            meta.locale,
        );
        mail::enqueue(&mut tx, &email, now).await?;
    }
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "dossier.request_supplement",
            subject: id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: note,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// The applicant sends what was asked for: the dossier goes back to whoever asked (the desk's
/// queue, or the processing step) and the clock restarts there.
pub async fn supplement(
    state: &AppState,
    actor: &Actor,
    id: &str,
    note: &str,
) -> ServiceResult<DossierState> {
    let note: String = note.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(1000).collect();
    let calendar = super::reception::calendar(state).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = visible(&mut tx, actor, id).await?;
    let current = parse_state(&row.state)?;
    // during processing the clock stood still while the applicant owed papers
    if current == DossierState::SupplementRequested(crate::domain::Stage::Processing)
        && let Some(since) = db::last_event_at(&mut tx, id, "supplement_requested_processing").await?
    {
        super::workflow::resume_clock(&mut tx, &calendar, id, crate::ssr::db::columns::from_db(since), now)
            .await?;
    }
    let next = current
        .apply(DossierAction::Supplement)
        .map_err(|_| ServiceError::field("note", NOT_AWAITING_SUPPLEMENT))?;
    let next_json = state_json(next);
    if !db::set_state(&mut tx, id, &row.state, &next_json, next.national_code().map(i64::from), now).await? {
        return Err(ServiceError::field("note", NOT_AWAITING_SUPPLEMENT));
    }
    db::insert_event(
        &mut tx,
        id,
        Some(user_id(actor)),
        "supplemented",
        Some(&row.state),
        Some(&next_json),
        &note,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// What the applicant was last asked to supplement, if a request is open.
pub fn open_supplement_request(view: &DossierView) -> Option<String> {
    if !matches!(view.state, DossierState::SupplementRequested(_)) {
        return None;
    }
    view.events.iter().rev().find(|e| e.kind.starts_with("supplement_requested")).map(|e| e.note.clone())
}

/// The applicant withdraws a dossier, with a reason. Before the desk has received it the
/// withdrawal is immediate; afterwards it is a request the agency confirms.
pub async fn withdraw(
    state: &AppState,
    actor: &Actor,
    id: &str,
    reason: &str,
) -> ServiceResult<DossierState> {
    let reason: String = reason.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(1000).collect();
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = visible(&mut tx, actor, id).await?;
    if reason.chars().count() < 5 {
        return Err(ServiceError::field("reason", REASON_REQUIRED));
    }
    let current = parse_state(&row.state)?;
    let requested = current
        .apply(DossierAction::RequestWithdrawal)
        .map_err(|_| ServiceError::field("reason", NOT_WITHDRAWABLE))?;
    let (next, kind) = if current == DossierState::Submitted {
        (requested.apply(DossierAction::ConfirmWithdrawal).map_err(anyhow::Error::from)?, "withdrawn")
    } else {
        (requested, "withdrawal_requested")
    };
    let next_json = state_json(next);
    let national = next.national_code().map(i64::from);
    if !db::set_state(&mut tx, id, &row.state, &next_json, national, now).await? {
        return Err(ServiceError::field("reason", NOT_WITHDRAWABLE));
    }
    db::insert_event(
        &mut tx,
        id,
        Some(user_id(actor)),
        kind,
        Some(&row.state),
        Some(&next_json),
        &reason,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// "My dossiers": a page of what the actor may see.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &ListFilter,
) -> ServiceResult<(Vec<ListRow>, i64)> {
    Ok(db::list_visible(&state.db, user_id(actor), filter).await?)
}

/// "My documents".
pub async fn documents(state: &AppState, actor: &Actor) -> ServiceResult<Vec<DocumentRow>> {
    Ok(db::documents_of(&state.db, user_id(actor)).await?)
}

/// A document the actor may download: their own, or one attached to a dossier they may see.
pub async fn document_for(state: &AppState, actor: &Actor, document_id: &str) -> ServiceResult<DocumentRow> {
    let mut conn = state.db.reader().acquire().await?;
    let doc = db::document(&mut conn, document_id).await?.ok_or(AppError::NotFound)?;
    if doc.owner_id == user_id(actor)
        || db::document_visible_through_dossier(&mut conn, document_id, user_id(actor)).await?
    {
        return Ok(doc);
    }
    // the desk of the unit that received a dossier with this document
    drop(conn);
    let units = super::reception::my_desk_units(state, actor).await?;
    let mut conn = state.db.reader().acquire().await?;
    let allowed = match units {
        None => matches!(actor, Actor::Officer { .. }),
        Some(units) => db::document_in_units(&mut conn, document_id, &units).await?,
    };
    if allowed { Ok(doc) } else { Err(AppError::NotFound.into()) }
}

/// What the public lookup shows: no personal data.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct PublicStatus {
    /// Dossier code.
    pub code: String,
    /// Procedure name, Vietnamese.
    pub procedure_vi: String,
    /// Procedure name, English.
    pub procedure_en: String,
    /// State.
    pub state: DossierState,
    /// Submitted (unix micros).
    pub submitted_at: Option<i64>,
    /// Due (unix micros).
    pub due_at: Option<i64>,
}

/// Lookups allowed per address per minute (the key is 40 bits; this keeps guessing futile).
/// Counted in each process's memory ([`crate::ssr::local_limits`]), not in the database: the
/// lookup is the busiest public form and writes nothing else.
pub const LOOKUPS_PER_MINUTE: u32 = 20;

/// The public lookup by code and the receipt's lookup key (or the applicant's phone number).
pub async fn lookup(
    state: &AppState,
    code: &str,
    key: &str,
    meta: &RequestMeta,
) -> ServiceResult<PublicStatus> {
    if let Some(ip) = &meta.ip
        && !state.limits.lookup(ip)
    {
        return Err(AppError::RateLimited.into());
    }
    let not_found = || ServiceError::field("code", LOOKUP_NOT_FOUND);
    let code = DossierCode::parse(code).map_err(|_| not_found())?.to_string();
    let key = key.trim().to_ascii_uppercase();
    let mut conn = state.db.reader().acquire().await?;
    let row = db::lookup_by_code(&mut conn, &code).await?.ok_or_else(not_found)?;
    let secret_ok =
        row.lookup_secret.as_deref().is_some_and(|s| constant_time_eq(s.as_bytes(), key.as_bytes()));
    let digits: String = key.chars().filter(char::is_ascii_digit).collect();
    // the applicant is read only for what could be a phone number
    let phone_ok = !secret_ok
        && digits.len() >= 10
        && users::by_id(&mut conn, &row.applicant_id).await?.and_then(|u| u.phone).is_some_and(|p| {
            let p: String = p.chars().filter(char::is_ascii_digit).collect();
            constant_time_eq(p.as_bytes(), digits.as_bytes())
        });
    if !secret_ok && !phone_ok {
        return Err(not_found());
    }
    Ok(PublicStatus {
        code: row.code,
        procedure_vi: row.procedure_name_vi,
        procedure_en: row.procedure_name_en,
        state: parse_state(&row.state)?,
        submitted_at: row.submitted_at,
        due_at: row.due_at,
    })
}

/// Deletes drafts untouched for `max_age`, and documents that were uploaded only for them
/// (never attached elsewhere) with their blobs when no other document shares the content.
/// Returns how many drafts were removed.
pub async fn sweep_drafts(state: &AppState, max_age: Duration) -> ServiceResult<usize> {
    let before: OffsetDateTime = state.clock.now() - max_age;
    let draft = state_json(DossierState::Draft);
    let ids = db::stale_drafts(&state.db, &draft, before).await?;
    let mut removed = 0;
    for id in ids {
        let mut tx = state.db.begin_write().await?;
        let files = db::files(&mut tx, &id).await?;
        if !db::delete_draft(&mut tx, &id, &draft).await? {
            continue;
        }
        let mut orphan_blobs = Vec::new();
        for f in files {
            if let Some(key) = db::delete_document_if_unused(&mut tx, &f.document_id).await? {
                orphan_blobs.push(key);
            }
        }
        tx.commit().await?;
        for key in orphan_blobs {
            if let Err(e) = state.blobs.delete(&key).await {
                tracing::warn!(error = %format!("{e:#}"), "removing a blob of a stale draft");
            }
        }
        removed += 1;
    }
    Ok(removed)
}

/// The media type of a stored document.
pub fn media_of(doc: &DocumentRow) -> Option<MediaType> {
    MediaType::from_mime(&doc.media_type)
}

/// Records a view or download in the audit log (its own small transaction).
pub async fn record_access(
    state: &AppState,
    actor: &Actor,
    action: &str,
    subject: &str,
    ip: &str,
) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    crate::ssr::db::audit::append(
        &mut tx,
        &crate::ssr::db::audit::Entry { actor_id: Some(actor.user_id()), action, subject, ip, detail: "" },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
