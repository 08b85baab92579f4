//! Form endpoints of the catalogue administration: the procedure editor (draft, publish,
//! discard), the holiday table and the agency tree. Each handler takes the signed-in actor,
//! hands the typed strings to one service in `ssr::services`, then redirects (303) back to
//! the page with a notice, or renders the page again with the input kept and the messages.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::domain::AgencyCode;
use crate::error::AppError;
use crate::ssr::auth::policy::Actor;
use crate::ssr::services::catalogue_edit::{self as edit, RowAction, Section};
use crate::ssr::services::{ServiceResult, agencies, holidays};
use crate::ssr::state::AppState;

/// A form as posted: field name → value.
type Fields = BTreeMap<String, String>;

fn get(f: &Fields, name: &str) -> String {
    f.get(name).cloned().unwrap_or_default()
}

fn ticked(f: &Fields, name: &str) -> bool {
    matches!(f.get(name).map(String::as_str), Some("on" | "true" | "1" | "yes"))
}

/// The values to show again: what was posted, with unticked boxes as empty (so the page
/// does not fall back to the stored value).
fn shown(f: &Fields, checkboxes: &[&str]) -> FormState {
    let mut values = f.clone();
    for name in checkboxes {
        values.entry((*name).to_string()).or_default();
    }
    FormState::from_values(&values, &[])
}

/// A procedure code from the URL, if it has the shape of one (digits and dots).
fn procedure_code(code: &str) -> Option<&str> {
    (!code.is_empty() && code.len() <= 20 && code.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .then_some(code)
}

/// The signed-in actor (`None`: sign in first).
fn actor(request: &FormRequest) -> Option<Actor> {
    request.signed_in().map(|s| s.actor.clone())
}

/// To the sign-in page, coming back to `back` afterwards.
fn sign_in(back: &str) -> Response {
    see_other(&format!("/login?next={back}"))
}

async fn answer<T>(
    state: &AppState,
    request: &FormRequest,
    result: ServiceResult<T>,
    ok: impl FnOnce(T) -> String,
    page: &str,
    form: FormState,
) -> Response {
    match result {
        Ok(v) => see_other(&ok(v)),
        Err(e) => request.render_refused_at(state, page, form, e).await,
    }
}

fn editor_path(code: &str) -> String {
    format!("/admin/procedures/{code}")
}

/// `POST /admin/procedures/{code}/basics`: names, time, online level, result, legal basis, delivery.
pub async fn save_basics(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(code) = procedure_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = editor_path(code);
    let Some(actor) = actor(&request) else { return sign_in(&page) };
    let checkboxes = ["delivery_electronic", "delivery_post", "delivery_desk"];
    let input = edit::BasicsInput {
        name_vi: get(&f, "name_vi"),
        name_en: get(&f, "name_en"),
        field: get(&f, "field"),
        processing_days: get(&f, "processing_days"),
        cutoff: get(&f, "cutoff"),
        online: get(&f, "online"),
        pay_when: get(&f, "pay_when"),
        result_vi: get(&f, "result_vi"),
        result_en: get(&f, "result_en"),
        legal_basis: get(&f, "legal_basis"),
        delivery: checkboxes
            .iter()
            .filter(|c| ticked(&f, c))
            .map(|c| c.trim_start_matches("delivery_").to_string())
            .collect(),
    };
    let result = edit::save_basics(&state, &actor, code, input).await;
    answer(&state, &request, result, |_| format!("{page}?saved=basics#basics"), &page, shown(&f, &checkboxes))
        .await
}

fn row_index(f: &Fields) -> Option<usize> {
    f.get("index").and_then(|i| i.trim().parse().ok())
}

/// The editor page, opened on the row being edited (if any).
fn row_page(page: &str, param: &str, index: Option<usize>) -> String {
    match index {
        Some(i) => format!("{page}?{param}={i}"),
        None => page.to_string(),
    }
}

/// `POST /admin/procedures/{code}/papers`: adds a paper, or changes row `index`.
pub async fn save_paper(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(code) = procedure_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = editor_path(code);
    let Some(actor) = actor(&request) else { return sign_in(&page) };
    let index = row_index(&f);
    let input = edit::PaperInput {
        index,
        name_vi: get(&f, "paper_name_vi"),
        name_en: get(&f, "paper_name_en"),
        form: get(&f, "paper_form"),
        count: get(&f, "paper_count"),
        required: get(&f, "paper_required"),
    };
    let result = edit::save_paper(&state, &actor, code, input).await;
    let again = row_page(&page, "paper", index);
    answer(&state, &request, result, |_| format!("{page}?saved=papers#papers"), &again, shown(&f, &[])).await
}

/// `POST /admin/procedures/{code}/fields`: adds a form field, or changes row `index`.
pub async fn save_field(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(code) = procedure_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = editor_path(code);
    let Some(actor) = actor(&request) else { return sign_in(&page) };
    let index = row_index(&f);
    let input = edit::FieldInput {
        index,
        key: get(&f, "field_key"),
        label_vi: get(&f, "field_label_vi"),
        label_en: get(&f, "field_label_en"),
        kind: get(&f, "field_kind"),
        required: ticked(&f, "field_required"),
        min: get(&f, "field_min"),
        max: get(&f, "field_max"),
        options: get(&f, "field_options"),
        help_vi: get(&f, "field_help_vi"),
        help_en: get(&f, "field_help_en"),
    };
    let result = edit::save_field(&state, &actor, code, input).await;
    let again = row_page(&page, "field", index);
    answer(
        &state,
        &request,
        result,
        |_| format!("{page}?saved=fields#fields"),
        &again,
        shown(&f, &["field_required"]),
    )
    .await
}

/// `POST /admin/procedures/{code}/steps`: adds a workflow step, or changes row `index`.
pub async fn save_step(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(code) = procedure_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = editor_path(code);
    let Some(actor) = actor(&request) else { return sign_in(&page) };
    let index = row_index(&f);
    let input = edit::StepInput {
        index,
        name_vi: get(&f, "step_name_vi"),
        name_en: get(&f, "step_name_en"),
        role: get(&f, "step_role"),
        agency: get(&f, "step_agency"),
        share: get(&f, "step_share"),
    };
    let result = edit::save_step(&state, &actor, code, input).await;
    let again = row_page(&page, "step", index);
    answer(&state, &request, result, |_| format!("{page}?saved=steps#steps"), &again, shown(&f, &[])).await
}

/// `POST /admin/procedures/{code}/units`: deciding level, deciding and receiving units.
pub async fn save_units(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(code) = procedure_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = editor_path(code);
    let Some(actor) = actor(&request) else { return sign_in(&page) };
    let input = edit::UnitsInput {
        level: get(&f, "level"),
        deciding: get(&f, "deciding"),
        receiving: get(&f, "receiving"),
    };
    let result = edit::save_units(&state, &actor, code, input).await;
    answer(&state, &request, result, |_| format!("{page}?saved=units#units"), &page, shown(&f, &[])).await
}

/// `POST /admin/procedures/{code}/fees`: adds a fee, or changes row `index`.
pub async fn save_fee(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(code) = procedure_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = editor_path(code);
    let Some(actor) = actor(&request) else { return sign_in(&page) };
    let index = row_index(&f);
    let input = edit::FeeInput {
        index,
        name_vi: get(&f, "fee_name_vi"),
        name_en: get(&f, "fee_name_en"),
        kind: get(&f, "fee_kind"),
        amount: get(&f, "fee_amount"),
        per_unit_field: get(&f, "fee_per_unit_field"),
    };
    let result = edit::save_fee(&state, &actor, code, input).await;
    let again = row_page(&page, "fee", index);
    answer(&state, &request, result, |_| format!("{page}?saved=fees#fees"), &again, shown(&f, &[])).await
}

/// `POST /admin/procedures/{code}/{section}/{index}/{action}`: removes or moves a row.
pub async fn row_action(
    State(state): State<AppState>,
    Path((code, section, index, action)): Path<(String, String, usize, String)>,
    request: FormRequest,
) -> Response {
    let Some(code) = procedure_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = editor_path(code);
    let Some(actor) = actor(&request) else { return sign_in(&page) };
    let action = match action.as_str() {
        "remove" => RowAction::Remove,
        "up" => RowAction::Up,
        "down" => RowAction::Down,
        _ => return AppError::NotFound.into_plain_response(),
    };
    let Some(sec) = Section::from_segment(&section) else { return AppError::NotFound.into_plain_response() };
    let result = edit::row_action(&state, &actor, code, sec, index, action).await;
    answer(
        &state,
        &request,
        result,
        |_| format!("{page}?saved={section}#{section}"),
        &page,
        FormState::default(),
    )
    .await
}

/// `POST /admin/procedures/{code}/publish`: the draft becomes the new published version.
pub async fn publish(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
) -> Response {
    let Some(code) = procedure_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = editor_path(code);
    let Some(actor) = actor(&request) else { return sign_in(&page) };
    let result = edit::publish(&state, &actor, code).await;
    answer(&state, &request, result, |v| format!("{page}?published={v}"), &page, FormState::default()).await
}

/// `POST /admin/procedures/{code}/discard`: throws the draft away.
pub async fn discard(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
) -> Response {
    let Some(code) = procedure_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = editor_path(code);
    let Some(actor) = actor(&request) else { return sign_in(&page) };
    let result = edit::discard(&state, &actor, code).await;
    answer(&state, &request, result, |_| format!("{page}?discarded=1"), &page, FormState::default()).await
}

fn year_page(year: i32) -> String {
    format!("/admin/holidays?year={year}")
}

/// The year the holiday page was showing (from the form), for rendering it again.
fn shown_year(f: &Fields) -> String {
    match f.get("year").and_then(|y| y.parse::<i32>().ok()) {
        Some(y) => year_page(y),
        None => "/admin/holidays".into(),
    }
}

/// `POST /admin/holidays`: adds a holiday (or renames the one on that day).
pub async fn add_holiday(
    State(state): State<AppState>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(actor) = actor(&request) else { return sign_in("/admin/holidays") };
    let input = holidays::HolidayInput {
        day: get(&f, "holiday_day"),
        name_vi: get(&f, "holiday_name_vi"),
        name_en: get(&f, "holiday_name_en"),
        compensatory: ticked(&f, "holiday_compensatory"),
    };
    let result = holidays::add_holiday(&state, &actor, input).await;
    let page = shown_year(&f);
    answer(
        &state,
        &request,
        result,
        |y| format!("{}&saved=1", year_page(y)),
        &page,
        shown(&f, &["holiday_compensatory"]),
    )
    .await
}

/// `POST /admin/holidays/remove`: removes a holiday.
pub async fn remove_holiday(
    State(state): State<AppState>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(actor) = actor(&request) else { return sign_in("/admin/holidays") };
    let result = holidays::remove_holiday(&state, &actor, &get(&f, "day")).await;
    let page = shown_year(&f);
    answer(&state, &request, result, |y| format!("{}&removed=1", year_page(y)), &page, FormState::default())
        .await
}

/// `POST /admin/holidays/extra`: adds a weekend day that is worked.
pub async fn add_extra_day(
    State(state): State<AppState>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(actor) = actor(&request) else { return sign_in("/admin/holidays") };
    let result = holidays::add_extra_day(&state, &actor, &get(&f, "extra_day"), &get(&f, "extra_note")).await;
    let page = shown_year(&f);
    answer(&state, &request, result, |y| format!("{}&saved=1", year_page(y)), &page, shown(&f, &[])).await
}

/// `POST /admin/holidays/extra/remove`: removes an extra working day.
pub async fn remove_extra_day(
    State(state): State<AppState>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(actor) = actor(&request) else { return sign_in("/admin/holidays") };
    let result = holidays::remove_extra_day(&state, &actor, &get(&f, "day")).await;
    let page = shown_year(&f);
    answer(&state, &request, result, |y| format!("{}&removed=1", year_page(y)), &page, FormState::default())
        .await
}

fn agency_code(code: &str) -> Option<String> {
    AgencyCode::parse(code).ok().map(|c| c.as_str().to_string())
}

/// `POST /admin/agencies/{code}`: changes a unit's names, address and hours.
pub async fn update_agency(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(code) = agency_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = format!("/admin/agencies?unit={code}");
    let Some(actor) = actor(&request) else { return sign_in("/admin/agencies") };
    let input = agencies::AgencyInput {
        name_vi: get(&f, "unit_name_vi"),
        name_en: get(&f, "unit_name_en"),
        address: get(&f, "unit_address"),
        hours: get(&f, "unit_hours"),
    };
    let result = agencies::update(&state, &actor, &code, input).await;
    answer(&state, &request, result, |_| format!("{page}&saved=1"), &page, shown(&f, &[])).await
}

/// `POST /admin/agencies/{code}/children`: adds a unit below this one.
pub async fn add_child_agency(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: FormRequest,
    Form(f): Form<Fields>,
) -> Response {
    let Some(code) = agency_code(&code) else { return AppError::NotFound.into_plain_response() };
    let page = format!("/admin/agencies?unit={code}");
    let Some(actor) = actor(&request) else { return sign_in("/admin/agencies") };
    let input = agencies::NewUnitInput {
        code: get(&f, "child_code"),
        level: get(&f, "child_level"),
        details: agencies::AgencyInput {
            name_vi: get(&f, "child_name_vi"),
            name_en: get(&f, "child_name_en"),
            address: get(&f, "child_address"),
            hours: get(&f, "child_hours"),
        },
    };
    let result = agencies::add_child(&state, &actor, &code, input).await;
    answer(&state, &request, result, |c| format!("/admin/agencies?unit={c}&added=1"), &page, shown(&f, &[]))
        .await
}
