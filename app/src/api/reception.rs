//! Form endpoints of the one-stop desk: accept, ask for a supplement, refuse to receive.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::ssr::services::{filing, reception};
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
