//! Payment endpoints (issue #7): the applicant's "Pay online" form, the gateway's IPN
//! callback and return URL, the desk's counter payment, and the e-receipt download.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::error::AppError;
use crate::ssr::services::{ServiceError, payments};
use crate::ssr::state::AppState;

/// `POST /dossiers/{id}/pay`: makes (or reuses) the pending order and sends the browser to
/// the gateway.
pub async fn pay(State(state): State<AppState>, Path(id): Path<String>, request: FormRequest) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other(&format!("/login?next=/dossiers/{id}"));
    };
    match payments::start_online(&state, &current.actor, &id, &request.meta).await {
        Ok(url) => see_other(&url),
        Err(e) => {
            request.render_refused_at(&state, &format!("/dossiers/{id}"), FormState::default(), e).await
        }
    }
}

/// `GET /payments/vnpay/ipn`: the gateway's server-to-server confirmation. Answers JSON
/// `{"RspCode": …, "Message": …}` whatever happens.
pub async fn ipn(State(state): State<AppState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let answer = payments::ipn(&state, &params).await;
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        answer.json(),
    )
        .into_response()
}

/// `GET /payments/vnpay/return`: where the gateway sends the browser back. Only shows the
/// outcome (on the dossier page); never changes anything.
pub async fn return_page(
    State(state): State<AppState>,
    request: FormRequest,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let actor = request.signed_in().map(|c| c.actor.clone());
    let outcome = match payments::return_outcome(&state, actor.as_ref(), &params).await {
        Ok(o) => o,
        Err(e) => {
            if let ServiceError::Internal(cause) = &e {
                tracing::error!(error = %format!("{cause:#}"), "payment return failed");
            }
            return see_other("/dossiers");
        }
    };
    let flag = match (outcome.verified, outcome.success) {
        (false, _) => "invalid",
        (true, true) => "success",
        (true, false) => "cancelled",
    };
    match (&outcome.dossier_id, actor) {
        (Some(id), _) => see_other(&format!("/dossiers/{id}?payment={flag}#payment")),
        (None, None) => see_other("/login?next=/dossiers"),
        (None, Some(_)) => see_other(&format!("/dossiers?payment={flag}")),
    }
}

/// The counter-payment form.
#[derive(Debug, Deserialize)]
pub struct CounterForm {
    #[serde(default)]
    method: String,
    #[serde(default)]
    receipt_no: String,
}

/// `POST /officer/dossiers/{id}/payments`: the desk records a cash or card payment.
pub async fn counter(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<CounterForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match payments::record_counter(&state, &current.actor, &id, &form.method, &form.receipt_no, &request.meta)
        .await
    {
        Ok(()) => see_other(&format!("/officer/dossiers/{id}?payment=counter#payment")),
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/officer/dossiers/{id}"), FormState::default(), e)
                .await
        }
    }
}

/// `GET /dossiers/{id}/payments/{payment}/receipt.pdf`: the e-receipt of a paid order, for
/// those who may see the dossier (anyone else: 404).
pub async fn receipt(
    State(state): State<AppState>,
    Path((id, payment)): Path<(String, String)>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return AppError::NotFound.into_plain_response();
    };
    match payments::receipt_pdf(&state, &current.actor, &id, &payment, request.meta.locale).await {
        Ok((name, pdf)) => {
            let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
                ],
                pdf,
            )
                .into_response()
        }
        Err(ServiceError::Internal(cause)) => {
            tracing::error!(error = %format!("{cause:#}"), "e-receipt failed");
            AppError::Internal.into_plain_response()
        }
        Err(ServiceError::Refused(e)) => e.into_plain_response(),
        Err(ServiceError::Invalid(_)) => AppError::NotFound.into_plain_response(),
    }
}
