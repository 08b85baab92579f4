//! Errors of the API as RFC 9457 problem details (`application/problem+json`): a stable
//! `code` (the same snake_case codes the pages translate), the message in English (`detail`)
//! and Vietnamese (`detail_vi`), and for refused input one message per field.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::i18n::{Message, Text};
use crate::ssr::services::ServiceError;

crate::texts! {
    IDEMPOTENCY_KEY_REUSED = { vi: "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.", en: "This Idempotency-Key was already used for a different request." }
    IDEMPOTENCY_IN_FLIGHT = { vi: "Yêu cầu đầu tiên với khóa Idempotency-Key này đang được xử lý; hãy thử lại sau.", en: "The first request with this Idempotency-Key is still being processed; retry later." }
    IDEMPOTENCY_KEY_INVALID = { vi: "Idempotency-Key phải gồm 1–200 ký tự ASCII nhìn thấy được.", en: "An Idempotency-Key must be 1–200 visible ASCII characters." }
    BODY_INVALID = { vi: "Nội dung yêu cầu không phải JSON hợp lệ theo tài liệu API.", en: "The request body is not valid JSON for this operation (see the API reference)." }
    QUERY_INVALID = { vi: "Tham số truy vấn không hợp lệ.", en: "A query parameter is not valid." }
    TOKEN_REQUIRED = { vi: "Cần khóa API hợp lệ (Authorization: Bearer …); khóa có thể đã hết hạn hoặc bị thu hồi.", en: "A valid API token is required (Authorization: Bearer …); it may have expired or been revoked." }
    SCOPE_WRITE = { vi: "Khóa API này chỉ có quyền đọc.", en: "This API token may only read." }
    NO_RESULT = { vi: "Hồ sơ chưa có kết quả để tải về.", en: "The dossier has no result to download yet." }
}

/// A problem (boxed: it travels in `Err` variants).
#[derive(Debug, Clone)]
pub struct Problem(pub Box<ProblemDetails>);

/// A problem detail (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemDetails {
    /// A URI naming the kind of problem (relative to this server).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind (English).
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, in English.
    pub detail: String,
    /// What went wrong, in Vietnamese.
    pub detail_vi: String,
    /// A stable code, e.g. `not_found`, `invalid_input`, `rate_limited`.
    pub code: String,
    /// For refused input: one message per field (Vietnamese and English).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, FieldMessage>,
}

/// One refused field's message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldMessage {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl From<Message> for FieldMessage {
    fn from(m: Message) -> Self {
        FieldMessage { vi: m.vi, en: m.en }
    }
}

impl Problem {
    /// A problem with a code and message.
    pub fn new(status: StatusCode, code: &str, text: Text) -> Problem {
        Problem(Box::new(ProblemDetails {
            kind: format!("/api/v1/docs#problem-{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: text.en.to_string(),
            detail_vi: text.vi.to_string(),
            code: code.to_string(),
            errors: BTreeMap::new(),
        }))
    }

    /// The problem for an [`AppError`].
    pub fn from_app(e: AppError) -> Problem {
        Problem::new(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.code(), e.text())
    }

    /// Changes the status (e.g. 413 / 415 for refused uploads).
    pub fn with_status(mut self, status: StatusCode) -> Problem {
        self.0.status = status.as_u16();
        self.0.title = status.canonical_reason().unwrap_or("Error").to_string();
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The body as JSON text (stored with idempotency keys).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&*self.0).unwrap_or_default()
    }
}

impl From<ServiceError> for Problem {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(errors) => {
                let mut p = Problem::from_app(AppError::InvalidInput);
                if let Some(first) = errors.values().next() {
                    p.0.detail = first.en.clone();
                    p.0.detail_vi = first.vi.clone();
                }
                p.0.errors = errors.into_iter().map(|(k, m)| (k, m.into())).collect();
                p
            }
            ServiceError::Refused(e) => Problem::from_app(e),
            ServiceError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "API call failed");
                Problem::from_app(AppError::Internal)
            }
        }
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        Problem::from_app(e)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, self.to_json()).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        response
    }
}

/// A JSON answer with its status.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => {
            let mut response = (status, body).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Err(e) => Problem::from(ServiceError::Internal(e.into())).into_response(),
    }
}

/// What handlers return: an answer, or a problem.
pub type ApiResult = Result<Response, Problem>;
