//! The versioned JSON API for organisations and other systems (issue #10), under `/api/v1`.
//! Handlers are thin like the form handlers: they call the same services (and so the same
//! access policy), acting as the token's creator within the token's organisation. The
//! OpenAPI 3.1 document is generated from these handlers (utoipa) and served at
//! `/api/v1/openapi.json`; `/api/v1/docs` is a readable reference page built from it.
//! Errors are RFC 9457 problem details. See docs/API.md.

pub mod auth;
pub mod dossiers;
pub mod idempotency;
pub mod problem;
pub mod procedures;

use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::AppError;
use crate::ssr::services::RequestMeta;
use crate::ssr::state::AppState;

/// The bearer security scheme of every protected operation.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An organisation's API token (`mc_…`), created by its owner in the browser",
                    ))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "MotCua API",
        version = "1.0.0",
        description = "File and follow dossiers of an organisation from its own systems. Tokens, scopes, idempotency, rate limits, webhooks and their signatures: see docs/API.md and /api/v1/docs."
    ),
    paths(
        procedures::list,
        procedures::get,
        dossiers::list,
        dossiers::create,
        dossiers::get,
        dossiers::update,
        dossiers::upload,
        dossiers::submit,
        dossiers::supplement,
        dossiers::payments,
        dossiers::result,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "procedures", description = "The published catalogue"),
        (name = "dossiers", description = "The organisation's dossiers"),
    )
)]
pub struct ApiDoc;

/// Request facts for services (address, user agent); the API writes emails in Vietnamese.
pub struct Meta(pub RequestMeta);

impl<S: Send + Sync> FromRequestParts<S> for Meta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(200).collect());
        Ok(Meta(RequestMeta { ip, user_agent, locale: crate::i18n::Locale::Vi }))
    }
}

/// The routes of `/api/v1` (the server nests them there).
pub fn routes(state: AppState) -> Router<AppState> {
    let protected = Router::new()
        .route("/procedures", get(procedures::list))
        .route("/procedures/{code}", get(procedures::get))
        .route("/dossiers", get(dossiers::list).post(dossiers::create))
        .route("/dossiers/{id}", get(dossiers::get).patch(dossiers::update))
        // Uploads stream: axum's 2 MB default does not apply; the router-wide body limit does.
        .route(
            "/dossiers/{id}/papers/{paper}",
            post(dossiers::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/dossiers/{id}/submit", post(dossiers::submit))
        .route("/dossiers/{id}/supplement", post(dossiers::supplement))
        .route("/dossiers/{id}/payments", get(dossiers::payments))
        .route("/dossiers/{id}/result", get(dossiers::result))
        .route_layer(from_fn_with_state(state, auth::authenticate));
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/docs", get(reference))
        .merge(protected)
        .fallback(not_found)
}

/// The generated document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi_json() -> Response {
    match document().to_json() {
        Ok(body) => {
            let mut response = (StatusCode::OK, body).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Err(e) => {
            problem::Problem::from(crate::ssr::services::ServiceError::Internal(e.into())).into_response()
        }
    }
}

async fn not_found() -> Response {
    problem::Problem::from_app(AppError::NotFound).into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The reference page: every operation of the generated document, its parameters and answers.
async fn reference() -> Html<String> {
    let doc = document();
    let mut ops = String::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            let summary = op.summary.clone().unwrap_or_default();
            let description = op.description.clone().unwrap_or_default();
            let params = op
                .parameters
                .iter()
                .flatten()
                .map(|p| format!("<code>{}</code>", escape(&p.name)))
                .collect::<Vec<_>>()
                .join(", ");
            let answers = op
                .responses
                .responses
                .keys()
                .map(|k| format!("<code>{}</code>", escape(k)))
                .collect::<Vec<_>>()
                .join(" ");
            ops.push_str(&format!(
                "<section class=\"api-op\"><h3><code>{method} {}</code></h3><p>{}</p><p>{}</p>{}<p>Answers / Phản hồi: {answers}</p></section>",
                escape(path),
                escape(&summary),
                escape(&description),
                if params.is_empty() { String::new() } else { format!("<p>Parameters / Tham số: {params}</p>") },
            ));
        }
    }
    let codes = [
        "unauthenticated",
        "forbidden",
        "not_found",
        "invalid_input",
        "invalid_body",
        "invalid_query",
        "rate_limited",
        "idempotency_key_reused",
        "idempotency_key_in_flight",
        "idempotency_key_invalid",
        "internal",
    ]
    .iter()
    .map(|c| format!("<li id=\"problem-{c}\"><code>{c}</code></li>"))
    .collect::<String>();
    Html(format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>MotCua API v1</title><link rel=\"stylesheet\" href=\"/pkg/motcua.css\"></head><body><main id=\"main\" class=\"container\">\
         <h1>MotCua API v1</h1>\
         <p>Giao diện lập trình cho tổ chức, doanh nghiệp và hệ thống khác. / The programming interface for organisations and other systems.</p>\
         <p>Tài liệu OpenAPI 3.1 / OpenAPI 3.1 document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>. \
         Xác thực / Authentication: <code>Authorization: Bearer mc_…</code> (khóa do chủ sở hữu tổ chức tạo / a token created by the organisation's owner).</p>\
         <h2>Operations / Thao tác</h2>{ops}\
         <h2>Webhooks</h2><p>Header <code>MotCua-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, \"t.body\")&gt;</code>; \
         also <code>MotCua-Event</code>, <code>MotCua-Event-Id</code> (deduplicate on it), <code>MotCua-Delivery</code>.</p>\
         <h2>Problem codes / Mã lỗi</h2><p>Errors are <code>application/problem+json</code> (RFC 9457).</p><ul>{codes}</ul>\
         </main></body></html>"
    ))
}
