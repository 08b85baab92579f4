//! Cross-site request forgery defence for every state-changing request.
//!
//! Server functions accept form-encoded and multipart bodies, which a foreign page can post
//! ("simple" CORS requests), so SameSite cookies alone are not enough. A request with an
//! unsafe method is refused when the browser says it is cross-site (`Sec-Fetch-Site`), or
//! when its `Origin` (or, failing that, `Referer`) is neither the request's own host nor the
//! configured public origin. Requests with none of these headers come from non-browser
//! clients (which carry no ambient cookies) and pass.

use app::ssr::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses cross-origin unsafe requests with 403.
pub async fn same_origin_only(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    if is_safe_method(request.method()) || is_same_origin(&request, &state.config.public_url) {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-origin request refused");
        (StatusCode::FORBIDDEN, "cross-origin request refused").into_response()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

fn header_str(request: &Request<Body>, name: header::HeaderName) -> Option<&str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

fn is_same_origin(request: &Request<Body>, public_url: &str) -> bool {
    if let Some(site) = header_str(request, header::HeaderName::from_static("sec-fetch-site"))
        && (site == "cross-site" || site == "same-site")
    {
        return false;
    }
    let claimed = header_str(request, header::ORIGIN).or_else(|| header_str(request, header::REFERER));
    let Some(claimed) = claimed else {
        return true;
    };
    let Some(claimed_host) = host_of(claimed) else {
        return false;
    };
    let own_host = header_str(request, header::HOST);
    own_host == Some(claimed_host) || host_of(public_url) == Some(claimed_host)
}

/// `host[:port]` of an absolute http(s) URL.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request<Body> {
        let mut builder =
            Request::builder().method(Method::POST).uri("/lang").header("host", "127.0.0.1:3000");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).unwrap_or_default()
    }

    const PUBLIC: &str = "https://dvc.example.gov.vn";

    #[test]
    fn same_origin_posts_pass() {
        assert!(is_same_origin(&post(&[("origin", "http://127.0.0.1:3000")]), PUBLIC));
        assert!(is_same_origin(&post(&[("origin", "https://dvc.example.gov.vn")]), PUBLIC));
        assert!(is_same_origin(&post(&[("referer", "http://127.0.0.1:3000/a?b")]), PUBLIC));
        assert!(is_same_origin(
            &post(&[("sec-fetch-site", "same-origin"), ("origin", "http://127.0.0.1:3000")]),
            PUBLIC
        ));
        assert!(is_same_origin(&post(&[]), PUBLIC), "non-browser client");
    }

    #[test]
    fn cross_origin_posts_are_refused() {
        assert!(!is_same_origin(&post(&[("origin", "https://evil.example")]), PUBLIC));
        assert!(!is_same_origin(&post(&[("origin", "null")]), PUBLIC));
        assert!(!is_same_origin(&post(&[("referer", "https://evil.example/x")]), PUBLIC));
        assert!(!is_same_origin(&post(&[("sec-fetch-site", "cross-site")]), PUBLIC));
        assert!(!is_same_origin(&post(&[("origin", "http://127.0.0.1:3000.evil.example")]), PUBLIC));
    }

    #[test]
    fn host_is_extracted() {
        assert_eq!(host_of("http://a:1/x"), Some("a:1"));
        assert_eq!(host_of("https://a"), Some("a"));
        assert_eq!(host_of("ftp://a"), None);
    }
}
