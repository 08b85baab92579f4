//! `Idempotency-Key` for unsafe API calls (creating a draft, submitting, supplementing).
//!
//! The first request with a key claims it (one row per organisation and key) and its answer
//! is stored; a repeat with the same method, path and body gets that answer again (header
//! `Idempotent-Replayed: true`); a different request with the same key is refused (409,
//! `idempotency_key_reused`); a repeat while the first still runs gets 409 too
//! (`idempotency_key_in_flight`). A first request
//! that failed on our side (5xx) releases the key, so a retry runs again.

use std::future::Future;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest as _, Sha256};

use super::problem::{IDEMPOTENCY_IN_FLIGHT, IDEMPOTENCY_KEY_INVALID, IDEMPOTENCY_KEY_REUSED, Problem};
use crate::ssr::db::api as db;
use crate::ssr::services::ServiceError;
use crate::ssr::services::api_tokens::ApiPrincipal;
use crate::ssr::state::AppState;

/// The header.
pub const HEADER: &str = "idempotency-key";

/// The key of a request, if it has a valid one; `Err` if it has an invalid one.
pub fn key_of(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get(HEADER) else { return Ok(None) };
    match value.to_str() {
        Ok(k) if (1..=200).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(k.to_string()))
        }
        _ => Err(Problem::new(StatusCode::BAD_REQUEST, "idempotency_key_invalid", IDEMPOTENCY_KEY_INVALID)),
    }
}

fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update([0x1f]);
    h.update(path.as_bytes());
    h.update([0x1f]);
    h.update(body);
    hex::encode(h.finalize())
}

fn stored(status: u16, body: String, replayed: bool) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let kind = if status.is_success() { "application/json" } else { "application/problem+json" };
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// Runs `call` at most once per key; `call` answers with a status and a JSON body.
pub async fn once<F, Fut>(
    state: &AppState,
    principal: &ApiPrincipal,
    headers: &HeaderMap,
    method: &str,
    path: &str,
    body: &[u8],
    call: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = (StatusCode, String)>,
{
    let key = match key_of(headers) {
        Ok(Some(key)) => key,
        Ok(None) => {
            let (status, body) = call().await;
            return stored(status.as_u16(), body, false);
        }
        Err(problem) => return problem.into_response(),
    };
    let print = fingerprint(method, path, body);
    let org = &principal.organisation_id;
    match db::claim_key(&state.db, org, &key, &print, state.clock.now()).await {
        Err(e) => Problem::from(ServiceError::from(e)).into_response(),
        Ok(Some(earlier)) if earlier.fingerprint != print => {
            Problem::new(StatusCode::CONFLICT, "idempotency_key_reused", IDEMPOTENCY_KEY_REUSED)
                .into_response()
        }
        Ok(Some(earlier)) => match (earlier.status, earlier.response) {
            (Some(status), Some(body)) => stored(u16::try_from(status).unwrap_or(200), body, true),
            _ => Problem::new(StatusCode::CONFLICT, "idempotency_key_in_flight", IDEMPOTENCY_IN_FLIGHT)
                .into_response(),
        },
        Ok(None) => {
            let (status, body) = call().await;
            let kept = if status.is_server_error() {
                db::release_key(&state.db, org, &key).await
            } else {
                db::save_answer(&state.db, org, &key, status.as_u16(), &body).await
            };
            if let Err(e) = kept {
                tracing::error!(error = %e, "idempotency key not updated");
            }
            stored(status.as_u16(), body, false)
        }
    }
}
