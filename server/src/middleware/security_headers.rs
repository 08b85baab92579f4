//! Security headers on every response.

use std::sync::Arc;

use app::ssr::state::RuntimeConfig;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Adds the headers unless a handler set them already. Pages set their own
/// Content-Security-Policy carrying the nonce of their island loader (`app::app::shell`).
pub async fn add(State(config): State<Arc<RuntimeConfig>>, request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    set(headers, HeaderName::from_static("x-content-type-options"), "nosniff");
    set(headers, HeaderName::from_static("referrer-policy"), "strict-origin-when-cross-origin");
    set(headers, HeaderName::from_static("x-frame-options"), "DENY");
    set(headers, HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()");
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(value) = HeaderValue::from_str(&app::ssr::security::content_security_policy(None))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    if config.environment.is_production() {
        set(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains");
    }
    response
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}
