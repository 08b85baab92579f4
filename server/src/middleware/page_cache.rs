//! Serves the public pages that every visitor who is not signed in sees alike from
//! [`app::ssr::page_cache::PageCache`] (what is cached and for how long is described there),
//! each answer with a fresh CSP nonce.

use app::ssr::auth::session::token_from_cookie_header;
use app::ssr::page_cache::{CachedPage, PageCache, nonce_of};
use app::ssr::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use rand::Rng as _;

/// The largest page stored (bigger ones are answered, not stored).
const MAX_PAGE_BYTES: usize = 512 * 1024;

/// Answers from the cache, or renders and stores.
pub async fn serve(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let Some(key) = key(&state.pages, &request) else { return next.run(request).await };
    if let Some(page) = state.pages.get(&key) {
        return answer(&page);
    }
    let response = next.run(request).await;
    let storable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    let nonce = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_of)
        .map(str::to_string);
    let Some(nonce) = nonce.filter(|_| storable) else { return response };
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => {
            state.pages.put(key, CachedPage::new(parts.headers.clone(), bytes.clone(), nonce));
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(error) => {
            // too big to keep, or the render failed midway: nothing is stored
            tracing::warn!(error = %error, "page not cached");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The cache key (`language:path`) of a request whose answer may be shared, if it is one.
fn key(cache: &PageCache, request: &Request<Body>) -> Option<String> {
    if !cache.enabled() || request.method() != Method::GET || request.uri().query().is_some() {
        return None;
    }
    let path = request.uri().path();
    let shared = matches!(path, "/" | "/procedures" | "/statistics")
        || path.strip_prefix("/procedures/").is_some_and(|code| !code.is_empty() && !code.contains('/'));
    let cookies = request.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !shared || token_from_cookie_header(cookies).is_some() {
        return None;
    }
    Some(format!("{}:{path}", app::i18n::Locale::from_cookie_header(cookies).tag()))
}

/// The stored page with a nonce of its own.
fn answer(page: &CachedPage) -> Response {
    let fresh = hex::encode(rand::rng().random::<[u8; 16]>());
    let body = replace(&page.body, page.nonce.as_bytes(), fresh.as_bytes());
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = page.headers.clone();
    response.headers_mut().remove(header::CONTENT_LENGTH);
    if let Some(policy) = page.headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok())
        && let Ok(value) = HeaderValue::from_str(&policy.replace(&page.nonce, &fresh))
    {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// `body` with every `from` replaced by `to`.
fn replace(body: &[u8], from: &[u8], to: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(body.len() + 64);
    let mut rest = body;
    while let Some(at) = memchr::memmem::find(rest, from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nonce_in_the_body_is_replaced() {
        let body = br#"<script nonce="abc">x</script><script nonce="abc" type="module">y</script>"#;
        assert_eq!(
            &replace(body, b"abc", b"zz9")[..],
            br#"<script nonce="zz9">x</script><script nonce="zz9" type="module">y</script>"#
        );
    }

    fn request(path: &str, cookie: Option<&str>) -> Request<Body> {
        let mut builder = Request::get(path);
        if let Some(c) = cookie {
            builder = builder.header(header::COOKIE, c);
        }
        builder.body(Body::empty()).unwrap_or_default()
    }

    #[test]
    fn only_shared_pages_of_visitors_not_signed_in_are_keyed() {
        let cache = PageCache::new(std::time::Duration::from_secs(10));
        assert_eq!(
            key(&cache, &request("/procedures/1.004873", None)).as_deref(),
            Some("vi:/procedures/1.004873")
        );
        assert_eq!(
            key(&cache, &request("/procedures/1.004873", Some("motcua_lang=en"))).as_deref(),
            Some("en:/procedures/1.004873")
        );
        assert_eq!(key(&cache, &request("/", None)).as_deref(), Some("vi:/"));
        assert!(key(&cache, &request("/procedures?q=khai", None)).is_none(), "a query string");
        assert!(key(&cache, &request("/dossiers", None)).is_none(), "not a shared page");
        assert!(key(&cache, &request("/procedures/a/b", None)).is_none());
        assert!(key(&cache, &request("/", Some("motcua_session=abc"))).is_none(), "signed in");
        let off = PageCache::new(std::time::Duration::ZERO);
        assert!(key(&off, &request("/", None)).is_none());
    }
}
