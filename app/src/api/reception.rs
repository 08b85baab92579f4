//! Form endpoints of the back office: the desk (accept, ask for a supplement, refuse to
//! receive, return the result) and the workflow steps (forward, send back, issue the result).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::ssr::services::{ServiceError, filing, reception, workflow};
use crate::ssr::state::AppState;

/// A note or a reason.
#[derive(Debug, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
}

/// `POST /officer/dossiers/{id}/accept`.
pub async fn accept(State(state): State<AppState>, Path(id): Path<String>, request: FormRequest) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match reception::accept(&state, &current.actor, &id, &request.meta).await {
        Ok(_) => see_other(&format!("/officer/dossiers/{id}?accepted=1")),
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}

/// `POST /officer/dossiers/{id}/supplement`.
pub async fn supplement(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match filing::request_supplement(&state, &current.actor, &id, &form.note, &request.meta).await {
        Ok(_) => see_other(&format!("/officer/dossiers/{id}?supplement=1")),
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}

/// `POST /officer/dossiers/{id}/refuse`.
pub async fn refuse(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match reception::refuse(&state, &current.actor, &id, &form.reason, &request.meta).await {
        Ok(()) => see_other(&format!("/officer/dossiers/{id}?refused=1")),
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}

/// `POST /officer/dossiers/{id}/forward`: next step (the leader's approval too).
pub async fn forward(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match workflow::forward(&state, &current.actor, &id, &form.note).await {
        Ok(()) => see_other("/officer/work?forwarded=1"),
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}

/// `POST /officer/dossiers/{id}/refuse-grant`: the leader refuses, with reasons.
pub async fn refuse_grant(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match workflow::refuse_to_grant(&state, &current.actor, &id, &form.reason).await {
        Ok(()) => see_other("/officer/work?forwarded=1"),
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}

/// `POST /officer/dossiers/{id}/send-back`.
pub async fn send_back(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TextForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match workflow::send_back(&state, &current.actor, &id, &form.reason).await {
        Ok(()) => see_other("/officer/work?sent_back=1"),
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}

/// `POST /officer/dossiers/{id}/result` (multipart, field `file`): the clerk issues the result.
pub async fn issue(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    mut multipart: axum::extract::Multipart,
) -> Response {
    use futures_util::StreamExt as _;
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    let mut result = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.file_name().unwrap_or("").to_string();
        let mut field = std::pin::pin!(field);
        if result.is_some() || name.is_empty() {
            while let Some(Ok(_)) = field.next().await {}
            continue;
        }
        let outcome = workflow::issue_result(&state, &current.actor, &id, &name, field.as_mut()).await;
        while let Some(Ok(_)) = field.next().await {}
        result = Some(outcome);
    }
    let result = result.unwrap_or_else(|| Err(ServiceError::field("file", workflow::RESULT_REQUIRED)));
    match result {
        // the dossier moves on to the desk: the clerk goes back to their queue
        Ok(()) => see_other("/officer/work?issued=1"),
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}

/// `POST /officer/dossiers/{id}/return`.
pub async fn return_result(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match workflow::return_result(&state, &current.actor, &id, &request.meta).await {
        Ok(()) => see_other(&format!("/officer/dossiers/{id}?returned=1")),
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}
