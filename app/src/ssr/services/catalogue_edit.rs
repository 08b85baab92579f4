//! Administrators edit procedures in the browser (workflows and forms are data: no release).
//!
//! Every edit is saved into the procedure's **draft** (created from the published version at
//! the first edit; invisible to the public). Publishing checks the whole definition
//! (`ProcedureDef::check`, units and field against the tables) and publishes the draft as a
//! new version through `db::catalogue::publish_version`, the import's path: the previous
//! version is superseded and its row never rewritten. Each command is one transaction.

use std::collections::BTreeSet;

use crate::domain::AgencyCode;
use crate::domain::form::{ChoiceOption, FieldDef, FieldKind, FormDefError, check_defs};
use crate::domain::money::Money;
use crate::domain::procedure::{
    Delivery, Fee, FeeKind, Level, OnlineLevel, Paper, PaperForm, PayWhen, ProcedureDef, ProcedureDefError,
    Step, StepRole,
};
use crate::domain::search;
use crate::error::AppError;
use crate::i18n::Message;
use crate::ssr::auth::policy::{Actor, Role, may_administer_catalogue, may_edit_procedure};
use crate::ssr::db::catalogue::{self as cat_db, Listing};
use crate::ssr::db::catalogue_edit as db;
use crate::ssr::services::catalogue::{level_code, online_code, search_text};
use crate::ssr::services::{FieldErrors, ServiceError, ServiceResult};
use crate::ssr::state::AppState;

crate::texts! {
    REQUIRED = { vi: "Vui lòng nhập thông tin này.", en: "Please fill this in." }
    TOO_LONG = { vi: "Nội dung quá dài.", en: "This is too long." }
    DAYS = { vi: "Số ngày làm việc là số nguyên từ 0 đến 365.", en: "Working days are a whole number from 0 to 365." }
    CUTOFF = { vi: "Giờ nhận muộn nhất có dạng GG:PP, ví dụ 15:00 (hoặc để trống).", en: "The cut-off time looks like HH:MM, e.g. 15:00 (or leave it empty)." }
    CHOOSE = { vi: "Vui lòng chọn một giá trị trong danh sách.", en: "Please choose a value from the list." }
    DELIVERY = { vi: "Chọn ít nhất một hình thức nhận kết quả.", en: "Choose at least one way to receive the result." }
    COUNT = { vi: "Số lượng là số nguyên từ 1 đến 99.", en: "The count is a whole number from 1 to 99." }
    KEY = { vi: "Mã trường gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ (ví dụ: so_ban_sao).", en: "The key has lower-case letters, digits and underscores, starting with a letter (e.g. copies_wanted)." }
    KEY_TAKEN = { vi: "Biểu mẫu đã có trường với mã này.", en: "The form already has a field with this key." }
    BOUND = { vi: "Giới hạn không hợp lệ cho loại trường này (số nguyên, hoặc ngày dạng YYYY-MM-DD).", en: "Not a valid limit for this kind of field (a whole number, or a date as YYYY-MM-DD)." }
    NO_BOUNDS = { vi: "Loại trường này không có giới hạn; hãy để trống.", en: "This kind of field has no limits; leave it empty." }
    MIN_ABOVE_MAX = { vi: "Giới hạn dưới lớn hơn giới hạn trên.", en: "The minimum is above the maximum." }
    OPTIONS = { vi: "Trường lựa chọn cần ít nhất một lựa chọn, mỗi dòng một lựa chọn: giá_trị | Nhãn tiếng Việt | English label; các giá trị không trùng nhau.", en: "A choice field needs at least one option, one per line: value | Vietnamese label | English label; values must differ." }
    NO_OPTIONS = { vi: "Chỉ trường lựa chọn mới có danh sách lựa chọn; hãy để trống.", en: "Only a choice field has options; leave this empty." }
    SHARE = { vi: "Tỷ lệ thời gian là số nguyên từ 1 đến 100 (%).", en: "The share of time is a whole number from 1 to 100 (%)." }
    UNKNOWN_AGENCY = { vi: "Không có đơn vị với mã này.", en: "There is no unit with this code." }
    UNKNOWN_FIELD = { vi: "Không có lĩnh vực này.", en: "There is no such field of activity." }
    NO_ROW = { vi: "Dòng này không còn tồn tại; vui lòng tải lại trang.", en: "This row no longer exists; please reload the page." }
    NO_DRAFT = { vi: "Chưa có bản nháp nào để công bố.", en: "There is no draft to publish." }
    UNITS = { vi: "Nhập ít nhất một mã đơn vị, mỗi dòng một mã (ví dụ 000.00.31.H26).", en: "Enter at least one unit code, one per line (e.g. 000.00.31.H26)." }
    OWN_UNIT = { vi: "Thủ tục phải còn do ít nhất một đơn vị bạn quản lý tiếp nhận hoặc quyết định.", en: "At least one unit you manage must still receive or decide the procedure." }
    AMOUNT = { vi: "Số tiền là số nguyên đồng, không âm (ví dụ 50000).", en: "The amount is a whole number of đồng, not negative (e.g. 50000)." }
    PER_UNIT = { vi: "Chọn một trường số của biểu mẫu, hoặc để trống.", en: "Choose a number field of the form, or none." }
}

/// A procedure as listed for administrators.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AdminListing {
    /// National code.
    pub code: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// The published version number.
    pub published: Option<i64>,
    /// Whether there is an unpublished draft.
    pub has_draft: bool,
}

fn admin_units(actor: &Actor) -> Vec<String> {
    match actor {
        Actor::Officer { grants, .. } => grants
            .iter()
            .filter(|g| g.role == Role::AgencyAdmin)
            .filter_map(|g| g.agency_id.clone())
            .collect(),
        Actor::Citizen { .. } => Vec::new(),
    }
}

/// The procedures the actor may edit (all for a system admin, their units' for an agency
/// admin), filtered by free text (diacritics ignored).
pub async fn list(state: &AppState, actor: &Actor, q: &str) -> ServiceResult<Vec<AdminListing>> {
    if !may_administer_catalogue(actor) {
        return Err(AppError::Forbidden.into());
    }
    let units = (!actor.is_system_admin()).then(|| admin_units(actor));
    let rows = db::admin_list(&state.db, &search::terms(q), units.as_deref(), 500).await?;
    Ok(rows
        .into_iter()
        .map(|r| AdminListing {
            code: r.code,
            name_vi: r.name_vi,
            name_en: r.name_en,
            published: r.published,
            has_draft: r.drafts > 0,
        })
        .collect())
}

/// What the editor shows: the draft if there is one, else the published version.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Editor {
    /// The definition being edited.
    pub def: ProcedureDef,
    /// The published version number.
    pub published_version: Option<i64>,
    /// The published version the draft started from (`None`: no draft).
    pub draft_based_on: Option<i64>,
    /// Whether a draft exists.
    pub has_draft: bool,
    /// Fields of activity (code, vi, en).
    pub fields: Vec<(String, String, String)>,
    /// Agency units (code, vi, en).
    pub agencies: Vec<(String, String, String)>,
}

fn parse_def(json: &str) -> ServiceResult<ProcedureDef> {
    serde_json::from_str(json).map_err(|e| ServiceError::Internal(anyhow::Error::from(e)))
}

/// Loads a procedure for its editor, if the actor may edit it.
pub async fn editor(state: &AppState, actor: &Actor, code: &str) -> ServiceResult<Editor> {
    if !may_administer_catalogue(actor) {
        return Err(AppError::Forbidden.into());
    }
    let mut conn = state.db.reader().acquire().await?;
    let row = db::procedure_for_edit(&mut conn, code).await?.ok_or(AppError::NotFound)?;
    let units = db::procedure_unit_ids(&mut conn, &row.id).await?;
    drop(conn);
    if !may_edit_procedure(actor, &units) {
        return Err(AppError::Forbidden.into());
    }
    let def = match (&row.draft_def, &row.published_def) {
        (Some(d), _) | (None, Some(d)) => parse_def(d)?,
        (None, None) => return Err(AppError::NotFound.into()),
    };
    let fields = cat_db::fields(&state.db).await?;
    let agencies = cat_db::agencies(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.code, a.name_vi.clone(), a.name_en.unwrap_or(a.name_vi)))
        .collect();
    Ok(Editor {
        def,
        published_version: row.published_version,
        draft_based_on: row.draft_def.as_ref().and(row.draft_based_on),
        has_draft: row.draft_def.is_some(),
        fields,
        agencies,
    })
}

/// Applies `change` to the procedure's draft (made from the published version if there is
/// none) in one transaction; nothing is written if `change` refuses the input.
async fn edit(
    state: &AppState,
    actor: &Actor,
    code: &str,
    change: impl FnOnce(&mut ProcedureDef) -> ServiceResult<()>,
) -> ServiceResult<()> {
    if !may_administer_catalogue(actor) {
        return Err(AppError::Forbidden.into());
    }
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = db::procedure_for_edit(&mut tx, code).await?.ok_or(AppError::NotFound)?;
    let units = db::procedure_unit_ids(&mut tx, &row.id).await?;
    if !may_edit_procedure(actor, &units) {
        return Err(AppError::Forbidden.into());
    }
    let (before, based_on) = match (&row.draft_def, &row.published_def) {
        (Some(d), _) => (parse_def(d)?, row.draft_based_on),
        (None, Some(p)) => (parse_def(p)?, row.published_version),
        (None, None) => return Err(AppError::NotFound.into()),
    };
    let mut def = before.clone();
    change(&mut def)?;
    if def == before && row.draft_def.is_none() {
        return Ok(()); // nothing changed: no draft needed
    }
    let json = serde_json::to_string(&def).map_err(anyhow::Error::from)?;
    db::save_draft(&mut tx, &row.id, &json, based_on, actor.user_id(), now).await?;
    tx.commit().await?;
    tracing::info!(procedure = %code, "procedure draft saved");
    Ok(())
}

fn text(errors: &mut FieldErrors, name: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(name, REQUIRED);
    } else if v.chars().count() > max {
        errors.add(name, TOO_LONG);
    }
    v.to_string()
}

/// The basic facts of a procedure, as typed.
#[derive(Debug, Clone, Default)]
pub struct BasicsInput {
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Field of activity code.
    pub field: String,
    /// Working days.
    pub processing_days: String,
    /// `HH:MM` or empty.
    pub cutoff: String,
    /// `full` / `partial`.
    pub online: String,
    /// `submission` / `acceptance`.
    pub pay_when: String,
    /// The result, in Vietnamese.
    pub result_vi: String,
    /// The result, in English.
    pub result_en: String,
    /// Legal basis, one text per line.
    pub legal_basis: String,
    /// Ticked delivery options (`electronic`, `post`, `desk`).
    pub delivery: Vec<String>,
}

/// Saves the basic facts into the draft.
pub async fn save_basics(
    state: &AppState,
    actor: &Actor,
    code: &str,
    input: BasicsInput,
) -> ServiceResult<()> {
    let fields: BTreeSet<String> = cat_db::fields(&state.db).await?.into_iter().map(|(c, _, _)| c).collect();
    edit(state, actor, code, move |def| {
        let mut e = FieldErrors::default();
        let name_vi = text(&mut e, "name_vi", &input.name_vi, 500);
        let name_en = text(&mut e, "name_en", &input.name_en, 500);
        let field = input.field.trim().to_string();
        if !fields.contains(&field) {
            e.add("field", UNKNOWN_FIELD);
        }
        let days = input.processing_days.trim().parse::<u32>().ok().filter(|d| *d <= 365);
        if days.is_none() {
            e.add("processing_days", DAYS);
        }
        let cutoff = input.cutoff.trim().to_string();
        let cutoff_ok = cutoff.is_empty()
            || cutoff.split_once(':').is_some_and(|(h, m)| {
                h.len() == 2
                    && m.len() == 2
                    && h.parse::<u8>().is_ok_and(|h| h < 24)
                    && m.parse::<u8>().is_ok_and(|m| m < 60)
            });
        if !cutoff_ok {
            e.add("cutoff", CUTOFF);
        }
        let online = match input.online.as_str() {
            "full" => Some(OnlineLevel::Full),
            "partial" => Some(OnlineLevel::Partial),
            _ => None,
        };
        if online.is_none() {
            e.add("online", CHOOSE);
        }
        let pay_when = match input.pay_when.as_str() {
            "submission" => Some(PayWhen::Submission),
            "acceptance" => Some(PayWhen::Acceptance),
            _ => None,
        };
        if pay_when.is_none() {
            e.add("pay_when", CHOOSE);
        }
        let result_vi = text(&mut e, "result_vi", &input.result_vi, 500);
        let result_en = text(&mut e, "result_en", &input.result_en, 500);
        let legal_basis: Vec<String> =
            input.legal_basis.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        if legal_basis.iter().any(|l| l.chars().count() > 500) {
            e.add("legal_basis", TOO_LONG);
        }
        let delivery: Vec<Delivery> =
            [("electronic", Delivery::Electronic), ("post", Delivery::Post), ("desk", Delivery::Desk)]
                .into_iter()
                .filter(|(code, _)| input.delivery.iter().any(|d| d == code))
                .map(|(_, d)| d)
                .collect();
        if delivery.is_empty() {
            e.add("delivery", DELIVERY);
        }
        e.finish()?;
        let (Some(days), Some(online), Some(pay_when)) = (days, online, pay_when) else {
            return Err(AppError::InvalidInput.into());
        };
        def.name_vi = name_vi;
        def.name_en = name_en;
        def.field = field;
        def.processing_days = days;
        def.cutoff = Some(cutoff).filter(|c| !c.is_empty());
        def.online = online;
        def.pay_when = pay_when;
        def.result_vi = result_vi;
        def.result_en = result_en;
        def.legal_basis = legal_basis;
        def.delivery = delivery;
        Ok(())
    })
    .await
}

/// Which list of the procedure a row action applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Papers of the dossier.
    Papers,
    /// Fields of the application form.
    Fields,
    /// Workflow steps.
    Steps,
    /// Fees and charges.
    Fees,
}

impl Section {
    /// From the URL segment.
    pub fn from_segment(s: &str) -> Option<Section> {
        match s {
            "papers" => Some(Section::Papers),
            "fields" => Some(Section::Fields),
            "steps" => Some(Section::Steps),
            "fees" => Some(Section::Fees),
            _ => None,
        }
    }
}

/// What to do with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    /// Remove it.
    Remove,
    /// Move it one place up.
    Up,
    /// Move it one place down.
    Down,
}

fn act_on<T>(list: &mut Vec<T>, index: usize, action: RowAction) -> ServiceResult<()> {
    if index >= list.len() {
        return Err(ServiceError::field("row", NO_ROW));
    }
    match action {
        RowAction::Remove => {
            list.remove(index);
        }
        RowAction::Up if index > 0 => list.swap(index, index - 1),
        RowAction::Down if index + 1 < list.len() => list.swap(index, index + 1),
        RowAction::Up | RowAction::Down => {}
    }
    Ok(())
}

/// Removes or moves a paper, form field or workflow step of the draft.
pub async fn row_action(
    state: &AppState,
    actor: &Actor,
    code: &str,
    section: Section,
    index: usize,
    action: RowAction,
) -> ServiceResult<()> {
    edit(state, actor, code, move |def| match section {
        Section::Papers => act_on(&mut def.papers, index, action),
        Section::Fields => act_on(&mut def.form, index, action),
        Section::Steps => act_on(&mut def.workflow, index, action),
        Section::Fees => act_on(&mut def.fees, index, action),
    })
    .await
}

fn put_row<T>(list: &mut Vec<T>, index: Option<usize>, row: T) -> ServiceResult<()> {
    match index {
        None => list.push(row),
        Some(i) => *list.get_mut(i).ok_or_else(|| ServiceError::field("row", NO_ROW))? = row,
    }
    Ok(())
}

/// A paper as typed (`index`: the row being changed; `None` adds one).
#[derive(Debug, Clone, Default)]
pub struct PaperInput {
    /// Row being edited.
    pub index: Option<usize>,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// `original`, `copy`, `certified_copy`, `electronic`.
    pub form: String,
    /// How many.
    pub count: String,
    /// `required` or `optional`.
    pub required: String,
}

/// Adds or changes a paper of the draft.
pub async fn save_paper(state: &AppState, actor: &Actor, code: &str, input: PaperInput) -> ServiceResult<()> {
    edit(state, actor, code, move |def| {
        let mut e = FieldErrors::default();
        let name_vi = text(&mut e, "paper_name_vi", &input.name_vi, 500);
        let name_en = text(&mut e, "paper_name_en", &input.name_en, 500);
        let form = match input.form.as_str() {
            "original" => Some(PaperForm::Original),
            "copy" => Some(PaperForm::Copy),
            "certified_copy" => Some(PaperForm::CertifiedCopy),
            "electronic" => Some(PaperForm::Electronic),
            _ => None,
        };
        if form.is_none() {
            e.add("paper_form", CHOOSE);
        }
        let count = input.count.trim().parse::<u32>().ok().filter(|c| (1..=99).contains(c));
        if count.is_none() {
            e.add("paper_count", COUNT);
        }
        let required = match input.required.as_str() {
            "required" => Some(true),
            "optional" => Some(false),
            _ => None,
        };
        if required.is_none() {
            e.add("paper_required", CHOOSE);
        }
        e.finish()?;
        let (Some(form), Some(count), Some(required)) = (form, count, required) else {
            return Err(AppError::InvalidInput.into());
        };
        let template = input.index.and_then(|i| def.papers.get(i)).and_then(|p| p.template.clone());
        put_row(&mut def.papers, input.index, Paper { name_vi, name_en, form, count, required, template })
    })
    .await
}

/// A form field as typed.
#[derive(Debug, Clone, Default)]
pub struct FieldInput {
    /// Row being edited.
    pub index: Option<usize>,
    /// Key (snake_case).
    pub key: String,
    /// Label in Vietnamese.
    pub label_vi: String,
    /// Label in English.
    pub label_en: String,
    /// Kind code: text, number, date, choice, checkbox, citizen_id, tax_code, address.
    pub kind: String,
    /// Whether it must be filled in (a ticked box).
    pub required: bool,
    /// Lower limit (length, number or date), or empty.
    pub min: String,
    /// Upper limit, or empty.
    pub max: String,
    /// Choice options, one per line: `value | Nhãn | Label`.
    pub options: String,
    /// Help in Vietnamese.
    pub help_vi: String,
    /// Help in English.
    pub help_en: String,
}

fn parse_kind(input: &FieldInput, e: &mut FieldErrors) -> Option<FieldKind> {
    let (min, max) = (input.min.trim(), input.max.trim());
    fn opt(s: &str) -> Option<&str> {
        Some(s).filter(|s| !s.is_empty())
    }
    let options = input.options.trim();
    if input.kind != "choice" && !options.is_empty() {
        e.add("field_options", NO_OPTIONS);
    }
    let no_bounds = |e: &mut FieldErrors| {
        if !min.is_empty() {
            e.add("field_min", NO_BOUNDS);
        }
        if !max.is_empty() {
            e.add("field_max", NO_BOUNDS);
        }
    };
    fn num<T: std::str::FromStr>(e: &mut FieldErrors, name: &str, s: Option<&str>) -> Option<Option<T>> {
        match s {
            None => Some(None),
            Some(s) => match s.parse::<T>() {
                Ok(v) => Some(Some(v)),
                Err(_) => {
                    e.add(name, BOUND);
                    None
                }
            },
        }
    }
    let ordered = |e: &mut FieldErrors, inverted: bool| {
        if inverted {
            e.add("field_max", MIN_ABOVE_MAX);
        }
    };
    match input.kind.as_str() {
        "text" => {
            let (a, b) = (num::<u32>(e, "field_min", opt(min))?, num::<u32>(e, "field_max", opt(max))?);
            ordered(e, matches!((a, b), (Some(a), Some(b)) if a > b));
            Some(FieldKind::Text { min_len: a, max_len: b })
        }
        "number" => {
            let (a, b) = (num::<i64>(e, "field_min", opt(min))?, num::<i64>(e, "field_max", opt(max))?);
            ordered(e, matches!((a, b), (Some(a), Some(b)) if a > b));
            Some(FieldKind::Number { min: a, max: b })
        }
        "date" => {
            let date = |e: &mut FieldErrors, name: &str, s: Option<&str>| match s {
                None => Some(None),
                Some(s) => match crate::domain::iso_date::parse(s) {
                    Ok(d) => Some(Some(d)),
                    Err(_) => {
                        e.add(name, BOUND);
                        None
                    }
                },
            };
            let (a, b) = (date(e, "field_min", opt(min))?, date(e, "field_max", opt(max))?);
            ordered(e, matches!((a, b), (Some(a), Some(b)) if a > b));
            Some(FieldKind::Date { min: a, max: b })
        }
        "choice" => {
            no_bounds(e);
            let mut parsed = Vec::new();
            for line in options.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let parts: Vec<&str> = line.split('|').map(str::trim).collect();
                let (value, vi, en) = match parts.as_slice() {
                    [value, vi, en] => (*value, *vi, *en),
                    [value, vi] => (*value, *vi, *vi),
                    _ => ("", "", ""),
                };
                if value.is_empty() || vi.is_empty() || en.is_empty() {
                    e.add("field_options", OPTIONS);
                    return None;
                }
                parsed.push(ChoiceOption { value: value.into(), label_vi: vi.into(), label_en: en.into() });
            }
            let distinct: BTreeSet<&str> = parsed.iter().map(|o| o.value.as_str()).collect();
            if parsed.is_empty() || distinct.len() != parsed.len() {
                e.add("field_options", OPTIONS);
                return None;
            }
            Some(FieldKind::Choice { options: parsed })
        }
        "checkbox" | "citizen_id" | "tax_code" | "address" => {
            no_bounds(e);
            Some(match input.kind.as_str() {
                "checkbox" => FieldKind::Checkbox,
                "citizen_id" => FieldKind::CitizenId,
                "tax_code" => FieldKind::TaxCode,
                _ => FieldKind::Address,
            })
        }
        _ => {
            e.add("field_kind", CHOOSE);
            None
        }
    }
}

fn key_ok(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && key.len() <= 40
}

/// Adds or changes a field of the draft's application form.
pub async fn save_field(state: &AppState, actor: &Actor, code: &str, input: FieldInput) -> ServiceResult<()> {
    edit(state, actor, code, move |def| {
        let mut e = FieldErrors::default();
        let key = input.key.trim().to_string();
        if !key_ok(&key) {
            e.add("field_key", KEY);
        } else if def.form.iter().enumerate().any(|(i, f)| f.key == key && Some(i) != input.index) {
            e.add("field_key", KEY_TAKEN);
        }
        let label_vi = text(&mut e, "field_label_vi", &input.label_vi, 200);
        let label_en = text(&mut e, "field_label_en", &input.label_en, 200);
        let kind = parse_kind(&input, &mut e);
        let help = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let (help_vi, help_en) = (help(&input.help_vi), help(&input.help_en));
        if help_vi.iter().chain(help_en.iter()).any(|h| h.chars().count() > 500) {
            e.add("field_help_vi", TOO_LONG);
        }
        e.finish()?;
        let kind = kind.ok_or(AppError::InvalidInput)?;
        let field = FieldDef { key, label_vi, label_en, kind, required: input.required, help_vi, help_en };
        put_row(&mut def.form, input.index, field)?;
        check_defs(&def.form).map_err(|err| ServiceError::field("field_key", form_def_message(&err)))
    })
    .await
}

/// A workflow step as typed.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    /// Row being edited.
    pub index: Option<usize>,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// `desk_officer`, `specialist`, `leader`, `clerk`.
    pub role: String,
    /// The unit's national code.
    pub agency: String,
    /// Share of the processing time, percent.
    pub share: String,
}

/// Adds or changes a workflow step of the draft.
pub async fn save_step(state: &AppState, actor: &Actor, code: &str, input: StepInput) -> ServiceResult<()> {
    let agencies: BTreeSet<String> = cat_db::agencies(&state.db).await?.into_iter().map(|a| a.code).collect();
    edit(state, actor, code, move |def| {
        let mut e = FieldErrors::default();
        let name_vi = text(&mut e, "step_name_vi", &input.name_vi, 300);
        let name_en = text(&mut e, "step_name_en", &input.name_en, 300);
        let role = match input.role.as_str() {
            "desk_officer" => Some(StepRole::DeskOfficer),
            "specialist" => Some(StepRole::Specialist),
            "leader" => Some(StepRole::Leader),
            "clerk" => Some(StepRole::Clerk),
            _ => None,
        };
        if role.is_none() {
            e.add("step_role", CHOOSE);
        }
        let agency = input.agency.trim().to_uppercase();
        if !agencies.contains(&agency) {
            e.add("step_agency", UNKNOWN_AGENCY);
        }
        let share = input.share.trim().parse::<u32>().ok().filter(|s| (1..=100).contains(s));
        if share.is_none() {
            e.add("step_share", SHARE);
        }
        e.finish()?;
        let (Some(role), Some(share)) = (role, share) else {
            return Err(AppError::InvalidInput.into());
        };
        put_row(&mut def.workflow, input.index, Step { name_vi, name_en, role, agency, share })
    })
    .await
}

/// The deciding level and units as typed (unit codes one per line).
#[derive(Debug, Clone, Default)]
pub struct UnitsInput {
    /// `commune`, `district`, `department`, `province`.
    pub level: String,
    /// Deciding units.
    pub deciding: String,
    /// Receiving units.
    pub receiving: String,
}

/// Changes who decides and who receives the procedure (reception and competence are
/// separate: a public-service centre may receive for a department).
pub async fn save_units(state: &AppState, actor: &Actor, code: &str, input: UnitsInput) -> ServiceResult<()> {
    let ids: std::collections::HashMap<String, String> =
        cat_db::agencies(&state.db).await?.into_iter().map(|a| (a.code, a.id)).collect();
    let own = (!actor.is_system_admin()).then(|| admin_units(actor));
    edit(state, actor, code, move |def| {
        let mut e = FieldErrors::default();
        let level = match input.level.as_str() {
            "commune" => Some(Level::Commune),
            "district" => Some(Level::District),
            "department" => Some(Level::Department),
            "province" => Some(Level::Province),
            _ => None,
        };
        if level.is_none() {
            e.add("level", CHOOSE);
        }
        let mut parse = |name: &str, text: &str| -> Vec<String> {
            let mut codes = Vec::new();
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                match AgencyCode::parse(line).ok().filter(|c| ids.contains_key(c.as_str())) {
                    Some(c) if !codes.contains(&c.as_str().to_string()) => codes.push(c.as_str().to_string()),
                    Some(_) => {}
                    None => e.add(name, unknown_unit(line)),
                }
            }
            if codes.is_empty() {
                e.add(name, UNITS);
            }
            codes
        };
        let deciding = parse("deciding", &input.deciding);
        let receiving = parse("receiving", &input.receiving);
        if let Some(own) = &own
            && !deciding.iter().chain(&receiving).any(|c| ids.get(c).is_some_and(|id| own.contains(id)))
        {
            e.add("receiving", OWN_UNIT);
        }
        e.finish()?;
        def.level = level.ok_or(AppError::InvalidInput)?;
        def.deciding = deciding;
        def.receiving = receiving;
        Ok(())
    })
    .await
}

/// A fee as typed.
#[derive(Debug, Clone, Default)]
pub struct FeeInput {
    /// Row being edited.
    pub index: Option<usize>,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// `phi` or `le_phi`.
    pub kind: String,
    /// Whole đồng.
    pub amount: String,
    /// Key of the number field that multiplies it, or empty.
    pub per_unit_field: String,
}

/// Adds or changes a fee of the draft.
pub async fn save_fee(state: &AppState, actor: &Actor, code: &str, input: FeeInput) -> ServiceResult<()> {
    edit(state, actor, code, move |def| {
        let mut e = FieldErrors::default();
        let name_vi = text(&mut e, "fee_name_vi", &input.name_vi, 300);
        let name_en = text(&mut e, "fee_name_en", &input.name_en, 300);
        let kind = match input.kind.as_str() {
            "phi" => Some(FeeKind::Phi),
            "le_phi" => Some(FeeKind::LePhi),
            _ => None,
        };
        if kind.is_none() {
            e.add("fee_kind", CHOOSE);
        }
        let digits: String = input.amount.chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}')).collect();
        let amount = digits.parse::<i64>().ok().and_then(|d| Money::from_dong(d).ok());
        if amount.is_none() {
            e.add("fee_amount", AMOUNT);
        }
        let per_unit = Some(input.per_unit_field.trim().to_string()).filter(|k| !k.is_empty());
        if let Some(key) = &per_unit
            && !def.form.iter().any(|f| &f.key == key && matches!(f.kind, FieldKind::Number { .. }))
        {
            e.add("fee_per_unit_field", PER_UNIT);
        }
        e.finish()?;
        let (Some(kind), Some(amount)) = (kind, amount) else {
            return Err(AppError::InvalidInput.into());
        };
        // tiers, cap and multiplier come from the catalogue file; editing a row keeps them
        let kept = input.index.and_then(|i| def.fees.get(i)).cloned();
        let fee = Fee {
            name_vi,
            name_en,
            kind,
            amount,
            per_unit_field: per_unit,
            tiers: kept.as_ref().map(|f| f.tiers.clone()).unwrap_or_default(),
            cap: kept.as_ref().and_then(|f| f.cap),
            times_field: kept.and_then(|f| f.times_field),
        };
        put_row(&mut def.fees, input.index, fee)
    })
    .await
}

fn form_def_message(e: &FormDefError) -> Message {
    match e {
        FormDefError::EmptyKey => Message::from(KEY),
        FormDefError::DuplicateKey { key } => Message {
            vi: format!("Hai trường của biểu mẫu cùng mã “{key}”."),
            en: format!("Two fields of the form share the key “{key}”."),
        },
        FormDefError::EmptyLabel { key } => Message {
            vi: format!("Trường “{key}” thiếu nhãn tiếng Việt hoặc tiếng Anh."),
            en: format!("Field “{key}” lacks a Vietnamese or English label."),
        },
        FormDefError::MinAboveMax { key } => Message {
            vi: format!("Trường “{key}” có giới hạn dưới lớn hơn giới hạn trên."),
            en: format!("Field “{key}” has a minimum above its maximum."),
        },
        FormDefError::BadOptions { key } => Message {
            vi: format!("Trường lựa chọn “{key}” không có lựa chọn nào hoặc có giá trị trùng nhau."),
            en: format!("Choice field “{key}” has no options or duplicate values."),
        },
    }
}

/// Why a draft cannot be published, in both languages.
fn publish_message(def: &ProcedureDef, e: &ProcedureDefError) -> Message {
    match e {
        ProcedureDefError::BadCode(code) => Message {
            vi: format!("Mã thủ tục “{code}” không đúng dạng 1.001193."),
            en: format!("The procedure code “{code}” is not of the form 1.001193."),
        },
        ProcedureDefError::EmptyName(_) => Message {
            vi: "Tên thủ tục (tiếng Việt và tiếng Anh) không được để trống.".into(),
            en: "The procedure's names (Vietnamese and English) must not be empty.".into(),
        },
        ProcedureDefError::Form(..) => match check_defs(&def.form) {
            Err(err) => form_def_message(&err),
            Ok(()) => Message::from(crate::error::INVALID_INPUT),
        },
        ProcedureDefError::PerUnitField(_, field) => Message {
            vi: format!(
                "Một khoản phí được tính theo trường “{field}”, nhưng biểu mẫu không có trường số này."
            ),
            en: format!(
                "A fee is charged per unit of field “{field}”, but the form has no such number field."
            ),
        },
        ProcedureDefError::Tiers(_, fee) => Message {
            vi: format!(
                "Bậc giá của khoản phí “{fee}” phải tăng dần từ đơn vị thứ 2 và cần trường tính theo đơn vị."
            ),
            en: format!("The tiers of fee “{fee}” must ascend from unit 2 and need a per-unit field."),
        },
        ProcedureDefError::Shares(_, sum) => Message {
            vi: format!("Tổng tỷ lệ thời gian của các bước quy trình là {sum}%, phải bằng 100%."),
            en: format!("The workflow steps' shares of time add up to {sum}%; they must add up to 100%."),
        },
        ProcedureDefError::Missing(_, what) => Message {
            vi: format!(
                "Thiếu {}.",
                match *what {
                    "deciding" => "đơn vị quyết định",
                    "receiving" => "đơn vị tiếp nhận",
                    _ => "hình thức nhận kết quả",
                }
            ),
            en: format!(
                "The {} is missing.",
                match *what {
                    "deciding" => "deciding unit",
                    "receiving" => "receiving unit",
                    _ => "delivery option",
                }
            ),
        },
    }
}

/// Publishes the draft as the procedure's new version (the previous one is superseded,
/// never rewritten). Returns the new version number.
pub async fn publish(state: &AppState, actor: &Actor, code: &str) -> ServiceResult<i64> {
    if !may_administer_catalogue(actor) {
        return Err(AppError::Forbidden.into());
    }
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = db::procedure_for_edit(&mut tx, code).await?.ok_or(AppError::NotFound)?;
    let units = db::procedure_unit_ids(&mut tx, &row.id).await?;
    if !may_edit_procedure(actor, &units) {
        return Err(AppError::Forbidden.into());
    }
    let Some(draft) = &row.draft_def else {
        return Err(ServiceError::field("publish", NO_DRAFT));
    };
    let def = parse_def(draft)?;
    let refuse = |m: Message| ServiceError::field("publish", m);
    def.check().map_err(|e| refuse(publish_message(&def, &e)))?;
    if def.code != code {
        return Err(AppError::InvalidInput.into());
    }
    let Some((field_vi, field_en)) = db::field_names(&mut tx, &def.field).await? else {
        return Err(refuse(UNKNOWN_FIELD.into()));
    };
    let ids: std::collections::HashMap<String, String> = db::agency_ids(&mut tx).await?.into_iter().collect();
    let mut links = Vec::new();
    for (codes, relation) in [(&def.receiving, "receiving"), (&def.deciding, "deciding")] {
        for c in codes {
            links.push((ids.get(c).cloned().ok_or_else(|| refuse(unknown_unit(c)))?, relation));
        }
    }
    if let Some(step) = def.workflow.iter().find(|s| !ids.contains_key(&s.agency)) {
        return Err(refuse(unknown_unit(&step.agency)));
    }
    let folded = search_text(&def, &format!("{field_vi} {field_en}"));
    let listing = Listing {
        name_vi: &def.name_vi,
        name_en: &def.name_en,
        field_code: &def.field,
        level: level_code(def.level),
        online: online_code(def.online),
        processing_days: i64::from(def.processing_days),
        search_text: &folded,
    };
    let definition = serde_json::to_string(&def).map_err(anyhow::Error::from)?;
    db::delete_draft(&mut tx, &row.id).await?;
    let version = cat_db::publish_version(&mut tx, &row.id, &definition, &listing, now).await?;
    cat_db::set_procedure_agencies(&mut tx, &row.id, &links).await?;
    tx.commit().await?;
    // this process shows the new version at once (others when their copies expire)
    state.pages.clear();
    tracing::info!(procedure = %code, version, "procedure version published by an administrator");
    Ok(version)
}

fn unknown_unit(code: &str) -> Message {
    Message {
        vi: format!("Không có đơn vị với mã “{code}”."),
        en: format!("There is no unit with the code “{code}”."),
    }
}

/// Throws the draft away (the published version stays as it is).
pub async fn discard(state: &AppState, actor: &Actor, code: &str) -> ServiceResult<()> {
    if !may_administer_catalogue(actor) {
        return Err(AppError::Forbidden.into());
    }
    let mut tx = state.db.begin_write().await?;
    let row = db::procedure_for_edit(&mut tx, code).await?.ok_or(AppError::NotFound)?;
    let units = db::procedure_unit_ids(&mut tx, &row.id).await?;
    if !may_edit_procedure(actor, &units) {
        return Err(AppError::Forbidden.into());
    }
    db::delete_draft(&mut tx, &row.id).await?;
    tx.commit().await?;
    tracing::info!(procedure = %code, "procedure draft discarded");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_snake_case() {
        assert!(key_ok("so_ban_sao") && key_ok("a1"));
        assert!(!key_ok("Số") && !key_ok("1a") && !key_ok("") && !key_ok("a-b"));
    }

    #[test]
    fn kinds_parse_with_their_limits() {
        let mut e = FieldErrors::default();
        let input = |kind: &str, min: &str, max: &str, options: &str| FieldInput {
            kind: kind.into(),
            min: min.into(),
            max: max.into(),
            options: options.into(),
            ..FieldInput::default()
        };
        assert_eq!(
            parse_kind(&input("number", "1", "10", ""), &mut e),
            Some(FieldKind::Number { min: Some(1), max: Some(10) })
        );
        assert!(e.finish().is_ok());
        let mut e = FieldErrors::default();
        let _ = parse_kind(&input("number", "10", "1", ""), &mut e);
        assert!(e.finish().is_err(), "min above max");
        let mut e = FieldErrors::default();
        let choice = parse_kind(&input("choice", "", "", "a | Một | One\nb | Hai"), &mut e);
        assert!(matches!(choice, Some(FieldKind::Choice { options }) if options.len() == 2));
        let mut e = FieldErrors::default();
        assert_eq!(parse_kind(&input("choice", "", "", "a|A\na|B"), &mut e), None);
        let mut e = FieldErrors::default();
        let _ = parse_kind(&input("checkbox", "1", "", ""), &mut e);
        assert!(e.finish().is_err(), "no limits on a checkbox");
    }

    #[test]
    fn row_actions_move_and_remove() {
        let mut v = vec![1, 2, 3];
        act_on(&mut v, 0, RowAction::Up).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v, [1, 2, 3]);
        act_on(&mut v, 0, RowAction::Down).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v, [2, 1, 3]);
        act_on(&mut v, 2, RowAction::Remove).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v, [2, 1]);
        assert!(act_on(&mut v, 5, RowAction::Remove).is_err());
    }
}
