//! Form endpoints of the organisation pages.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::ssr::services::organisations::{self, OrganisationForm};
use crate::ssr::state::AppState;

/// `POST /organisations`: create one.
pub async fn create(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<OrganisationForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login?next=/organisations");
    };
    let shown = FormState::from_values(&form.values(), &[]);
    match organisations::create(&state, &current.actor, form).await {
        Ok(id) => see_other(&format!("/organisations/{id}")),
        Err(e) => request.refused(&state, shown, e).await,
    }
}

/// The invitation form.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
}

/// `POST /organisations/{id}/invite`.
pub async fn invite(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<InviteForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    let shown = FormState::from_values(&BTreeMap::from([("email".into(), form.email.clone())]), &[]);
    match organisations::invite(&state, &current.actor, &id, &form.email, &request.meta).await {
        Ok(()) => see_other(&format!("/organisations/{id}?invited=1")),
        Err(e) => request.render_refused_at(&state, &format!("/organisations/{id}"), shown, e).await,
    }
}

/// `POST /organisations/{id}/members/{user_id}/remove`.
pub async fn remove(
    State(state): State<AppState>,
    Path((id, member)): Path<(String, String)>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match organisations::remove(&state, &current.actor, &id, &member).await {
        Ok(()) => see_other(&format!("/organisations/{id}?removed=1")),
        Err(e) => {
            request.render_refused_at(&state, &format!("/organisations/{id}"), FormState::default(), e).await
        }
    }
}

/// The accept button of an invitation.
#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    token: String,
}

/// `POST /invitation`.
pub async fn accept(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<AcceptForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other(&format!("/login?next=/invitation?token={}", form.token));
    };
    match organisations::accept(&state, &current.actor, &form.token).await {
        Ok(id) => see_other(&format!("/organisations/{id}?joined=1")),
        Err(e) => {
            request
                .render_refused_at(
                    &state,
                    &format!("/invitation?token={}", form.token),
                    FormState::default(),
                    e,
                )
                .await
        }
    }
}
