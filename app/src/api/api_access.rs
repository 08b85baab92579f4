//! Form endpoints of an organisation's API page (`/organisations/{id}/api`): tokens and
//! webhooks, owner only. Plain form posts; they work without JavaScript. A new token or
//! webhook secret is shown once, on the page rendered as the answer to the post (never in a
//! URL, never stored in clear).

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use leptos::prelude::provide_context;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::pages::citizen::api_access::{SecretKind, ShownSecret};
use crate::ssr::services::api_tokens::{self, TokenForm};
use crate::ssr::services::webhooks::{self, EndpointForm};
use crate::ssr::state::AppState;

fn page(id: &str) -> String {
    format!("/organisations/{id}/api")
}

async fn show_secret(state: &AppState, request: &FormRequest, id: &str, shown: ShownSecret) -> Response {
    let mut response = request
        .render_with(state, &page(id), FormState::default(), StatusCode::OK, move || {
            provide_context(shown.clone())
        })
        .await;
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `POST /organisations/{id}/api/tokens`: creates a token and shows it once.
pub async fn create_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<TokenForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    let values = BTreeMap::from([
        ("name".to_string(), form.name.clone()),
        ("scope".to_string(), form.scope.clone()),
        ("days".to_string(), form.days.clone()),
    ]);
    match api_tokens::create(&state, &current.actor, &id, &form, &request.meta).await {
        Ok(created) => {
            show_secret(&state, &request, &id, ShownSecret { kind: SecretKind::Token, value: created.token })
                .await
        }
        Err(e) => {
            request.render_refused_at(&state, &page(&id), FormState::from_values(&values, &[]), e).await
        }
    }
}

/// `POST /organisations/{id}/api/tokens/{token}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    Path((id, token)): Path<(String, String)>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match api_tokens::revoke(&state, &current.actor, &id, &token, &request.meta).await {
        Ok(()) => see_other(&format!("{}?revoked=1", page(&id))),
        Err(e) => request.render_refused_at(&state, &page(&id), FormState::default(), e).await,
    }
}

/// `POST /organisations/{id}/api/webhooks` (fields `url` and `events`, repeated).
pub async fn register_webhook(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    let url = fields.iter().find(|(k, _)| k == "url").map(|(_, v)| v.clone()).unwrap_or_default();
    let events = fields.iter().filter(|(k, _)| k == "events").map(|(_, v)| v.clone()).collect();
    let shown = FormState::from_values(&BTreeMap::from([("url".to_string(), url.clone())]), &[]);
    match webhooks::register(&state, &current.actor, &id, &EndpointForm { url, events }, &request.meta).await
    {
        Ok(created) => {
            show_secret(
                &state,
                &request,
                &id,
                ShownSecret { kind: SecretKind::WebhookSecret, value: created.secret },
            )
            .await
        }
        Err(e) => request.render_refused_at(&state, &page(&id), shown, e).await,
    }
}

/// `POST /organisations/{id}/api/webhooks/{endpoint}/remove`.
pub async fn remove_webhook(
    State(state): State<AppState>,
    Path((id, endpoint)): Path<(String, String)>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match webhooks::remove(&state, &current.actor, &id, &endpoint, &request.meta).await {
        Ok(()) => see_other(&format!("{}?removed=1", page(&id))),
        Err(e) => request.render_refused_at(&state, &page(&id), FormState::default(), e).await,
    }
}

/// `POST /organisations/{id}/api/deliveries/{delivery}/replay`.
pub async fn replay_delivery(
    State(state): State<AppState>,
    Path((id, delivery)): Path<(String, String)>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match webhooks::replay(&state, &current.actor, &id, &delivery, &request.meta).await {
        Ok(()) => see_other(&format!("{}?replayed=1#deliveries", page(&id))),
        Err(e) => request.render_refused_at(&state, &page(&id), FormState::default(), e).await,
    }
}
