//! Form endpoints of the back office: the desk (accept, ask for a supplement, refuse to
//! receive, return the result), the workflow steps (forward, send back, issue or generate the
//! result, stop), apologies with a new appointment, and the register of dossiers (form 07).
//! Each answers with a redirect when done, or the dossier page again with the errors.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::ssr::services::{ServiceError, ServiceResult, filing, forms, reception, workflow};
use crate::ssr::state::AppState;

/// The fields of the back office's forms (each form sends the ones it has).
#[derive(Debug, Default, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    via: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    new_date: String,
    #[serde(default)]
    to: String,
}

/// Redirects to `done` after a successful action, or renders the dossier page again with
/// the errors (the form keeps working without JavaScript).
async fn answer<T>(
    state: &AppState,
    request: &FormRequest,
    id: &str,
    done: &str,
    result: ServiceResult<T>,
) -> Response {
    match result {
        Ok(_) => see_other(done),
        Err(e) => {
            request
                .render_refused_at(state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}

macro_rules! signed_in {
    ($request:expr) => {
        match $request.signed_in().cloned() {
            Some(current) => current.actor,
            None => return see_other("/login"),
        }
    };
}

/// `POST /officer/dossiers/{id}/accept`.
pub async fn accept(State(state): State<AppState>, Path(id): Path<String>, request: FormRequest) -> Response {
    let actor = signed_in!(request);
    let result = reception::accept(&state, &actor, &id, &request.meta).await;
    answer(&state, &request, &id, &format!("/officer/dossiers/{id}?accepted=1"), result).await
}

/// `POST /officer/dossiers/{id}/supplement`.
pub async fn supplement(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let result = filing::request_supplement(&state, &actor, &id, &form.note, &request.meta).await;
    answer(&state, &request, &id, &format!("/officer/dossiers/{id}?supplement=1"), result).await
}

/// `POST /officer/dossiers/{id}/refuse`.
pub async fn refuse(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let result = reception::refuse(&state, &actor, &id, &form.reason, &request.meta).await;
    answer(&state, &request, &id, &format!("/officer/dossiers/{id}?refused=1"), result).await
}

/// `POST /officer/dossiers/{id}/forward`: next step (the leader's approval too).
pub async fn forward(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let result = workflow::forward(&state, &actor, &id, &form.note).await;
    answer(&state, &request, &id, "/officer/work?forwarded=1", result).await
}

/// `POST /officer/dossiers/{id}/refuse-grant`: the leader refuses, with reasons.
pub async fn refuse_grant(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let result = workflow::refuse_to_grant(&state, &actor, &id, &form.reason).await;
    answer(&state, &request, &id, "/officer/work?forwarded=1", result).await
}

/// `POST /officer/dossiers/{id}/send-back`.
pub async fn send_back(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let result = workflow::send_back(&state, &actor, &id, &form.reason).await;
    answer(&state, &request, &id, "/officer/work?sent_back=1", result).await
}

/// `POST /officer/dossiers/{id}/assign`: take the step, or hand it to a colleague (`to`).
pub async fn assign(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let result = workflow::assign(&state, &actor, &id, &form.to).await;
    answer(&state, &request, &id, &format!("/officer/dossiers/{id}?assigned=1"), result).await
}

/// `POST /officer/dossiers/{id}/stop`: the step's officer stops processing (form 05).
pub async fn stop(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let result = workflow::stop(&state, &actor, &id, &form.reason, &request.meta).await;
    answer(&state, &request, &id, &format!("/officer/dossiers/{id}?stopped=1"), result).await
}

/// `POST /officer/dossiers/{id}/reschedule`: apology and a new appointment (form 04), once.
pub async fn reschedule(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let result = workflow::apologise(&state, &actor, &id, &form.reason, &form.new_date, &request.meta).await;
    answer(&state, &request, &id, &format!("/officer/dossiers/{id}?rescheduled=1"), result).await
}

/// `POST /officer/dossiers/{id}/result` (multipart, field `file`): the clerk issues the result.
pub async fn issue(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    mut multipart: axum::extract::Multipart,
) -> Response {
    use futures_util::StreamExt as _;
    let actor = signed_in!(request);
    let mut result = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.file_name().unwrap_or("").to_string();
        let mut field = std::pin::pin!(field);
        if result.is_some() || name.is_empty() {
            while let Some(Ok(_)) = field.next().await {}
            continue;
        }
        let outcome = workflow::issue_result(&state, &actor, &id, &name, field.as_mut()).await;
        while let Some(Ok(_)) = field.next().await {}
        result = Some(outcome);
    }
    let result = result.unwrap_or_else(|| Err(ServiceError::field("file", workflow::RESULT_REQUIRED)));
    // the dossier moves on to the desk: the clerk goes back to their queue
    answer(&state, &request, &id, "/officer/work?issued=1", result).await
}

/// `POST /officer/dossiers/{id}/result/generate`: the portal writes the result document with
/// a verification QR code.
pub async fn generate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let result = workflow::generate_result(&state, &actor, &id, &form.content, request.meta.locale).await;
    answer(&state, &request, &id, "/officer/work?issued=1", result).await
}

/// `POST /officer/dossiers/{id}/return`: electronically, by post (tracking number) or at the
/// desk (who collected it).
pub async fn return_result(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let actor = signed_in!(request);
    let via = if form.via.is_empty() { "electronic" } else { form.via.as_str() };
    let result = workflow::return_result(&state, &actor, &id, via, &form.detail, &request.meta).await;
    answer(&state, &request, &id, &format!("/officer/dossiers/{id}?returned=1"), result).await
}

/// The month of the register.
#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    #[serde(default)]
    month: String,
}

/// `GET /officer/register.pdf?month=YYYY-MM`: form 07 for the viewer's desks.
pub async fn register(
    State(state): State<AppState>,
    request: FormRequest,
    Query(q): Query<MonthQuery>,
) -> Response {
    let actor = signed_in!(request);
    let now = state.clock.now().to_offset(crate::domain::VIETNAM_OFFSET);
    let (year, month) = q
        .month
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u8>().ok()?)))
        .unwrap_or((now.year(), u8::from(now.month())));
    super::filing::pdf_response(forms::register(&state, &actor, year, month, request.meta.locale).await)
}

/// `POST /officer/intake`: the desk starts a dossier for the person at the counter, then
/// edits it in the usual draft editor.
pub async fn intake(
    State(state): State<AppState>,
    request: FormRequest,
    Form(values): Form<std::collections::BTreeMap<String, String>>,
) -> Response {
    let actor = signed_in!(request);
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let form = crate::ssr::services::intake::IntakeForm {
        procedure: get("procedure"),
        citizen_id: get("citizen_id"),
        full_name: get("full_name"),
        phone: get("phone"),
        email: get("email"),
    };
    match crate::ssr::services::intake::start(&state, &actor, &form, &request.meta).await {
        Ok(id) => see_other(&format!("/dossiers/{id}")),
        Err(e) => {
            request
                .render_refused_at(&state, "/officer/intake", FormState::from_values(&values, &[]), e)
                .await
        }
    }
}

/// `POST /officer/delegation`: a leader delegates signing for a period.
pub async fn delegate(
    State(state): State<AppState>,
    request: FormRequest,
    Form(values): Form<std::collections::BTreeMap<String, String>>,
) -> Response {
    let actor = signed_in!(request);
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let result = crate::ssr::services::delegation::grant(
        &state,
        &actor,
        &get("unit"),
        &get("deputy"),
        &get("from"),
        &get("to"),
        &request.meta,
    )
    .await;
    match result {
        Ok(_) => see_other("/officer/delegation?granted=1"),
        Err(e) => {
            request
                .render_refused_at(&state, "/officer/delegation", FormState::from_values(&values, &[]), e)
                .await
        }
    }
}

/// `POST /officer/delegation/{id}/revoke`.
pub async fn revoke_delegation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
) -> Response {
    let actor = signed_in!(request);
    match crate::ssr::services::delegation::revoke(&state, &actor, &id, &request.meta).await {
        Ok(()) => see_other("/officer/delegation?revoked=1"),
        Err(e) => request.render_refused_at(&state, "/officer/delegation", FormState::default(), e).await,
    }
}
