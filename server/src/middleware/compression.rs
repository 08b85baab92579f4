//! Compression of the pages and data the server writes (HTML, JSON, CSV, text), brotli or
//! gzip as the browser accepts. Static files under `/pkg` are compressed once at build time
//! (`scripts/build`) and served as they are; scans, PDFs and images are left alone.
//!
//! **BREACH.** A compressed response that holds a secret and also reflects text an attacker
//! chose leaks the secret through its length, if the attacker can make the victim's browser
//! ask many times and watch the sizes. The portal's bodies carry no session or CSRF token
//! (the session is a cookie, forgery is stopped by `csrf.rs`), but some signed-in pages show
//! secrets once (a new API token, a two-step verification key). So a response is compressed
//! only when nobody is signed in, or when the browser says the navigation came from the
//! portal itself or from the person (`Sec-Fetch-Site: same-origin` or `none`): a request a
//! foreign page started (`cross-site`, `same-site`), or one from a browser that does not say,
//! is answered uncompressed. This is enforced by taking `Accept-Encoding` off the request.

use app::ssr::auth::session::token_from_cookie_header;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, StatusCode, Version, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Bodies smaller than this gain too little to be worth the work.
const MIN_BYTES: u16 = 1024;

/// The compression layer: brotli (quality 4, tower-http's on-the-fly default) or gzip, for
/// textual responses of at least [`MIN_BYTES`] (and streamed ones, whose size is unknown).
pub fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Default)
        .compress_when(SizeAbove::new(MIN_BYTES).and(is_text))
}

fn is_text(_: StatusCode, _: Version, headers: &HeaderMap, _: &axum::http::Extensions) -> bool {
    let Some(kind) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let kind = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    kind.starts_with("text/")
        || matches!(kind.as_str(), "application/json" | "application/javascript" | "image/svg+xml")
}

/// Runs outside [`layer`]: takes `Accept-Encoding` off a signed-in request that a foreign page
/// may have started (see the module note), so that its answer is not compressed.
pub async fn breach_guard(mut request: Request<Body>, next: Next) -> Response {
    if !may_compress(request.headers()) {
        request.headers_mut().remove(header::ACCEPT_ENCODING);
    }
    next.run(request).await
}

fn may_compress(headers: &HeaderMap) -> bool {
    // every Cookie header (HTTP/2 may split them), read as the session layer reads one
    let signed_in = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| token_from_cookie_header(v).is_some());
    if !signed_in {
        return true;
    }
    let site = headers.get(HeaderName::from_static("sec-fetch-site")).and_then(|v| v.to_str().ok());
    matches!(site, Some("same-origin" | "none"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::ssr::auth::session::COOKIE;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(HeaderName::from_static(name), value.parse().unwrap());
        }
        h
    }

    #[test]
    fn strangers_always_get_compression_the_signed_in_only_for_their_own_navigations() {
        let session = format!("motcua_lang=vi; {COOKIE}=abc");
        assert!(may_compress(&headers(&[])));
        assert!(may_compress(&headers(&[("cookie", "motcua_lang=en"), ("sec-fetch-site", "cross-site")])));
        assert!(may_compress(&headers(&[("cookie", &session), ("sec-fetch-site", "same-origin")])));
        assert!(may_compress(&headers(&[("cookie", &session), ("sec-fetch-site", "none")])));
        assert!(!may_compress(&headers(&[("cookie", &session), ("sec-fetch-site", "cross-site")])));
        assert!(!may_compress(&headers(&[("cookie", &session), ("sec-fetch-site", "same-site")])));
        assert!(!may_compress(&headers(&[("cookie", &session)])), "a browser that does not say");
        // a cookie whose name only begins like the session's is not a session
        assert!(may_compress(&headers(&[("cookie", &format!("{COOKIE}_old=1"))])));
    }

    #[test]
    fn only_text_is_compressed() {
        let ok = |kind: &str| {
            is_text(
                StatusCode::OK,
                Version::HTTP_11,
                &headers(&[("content-type", kind)]),
                &Default::default(),
            )
        };
        assert!(ok("text/html; charset=utf-8"));
        assert!(ok("application/json"));
        assert!(ok("text/csv; charset=utf-8"));
        assert!(!ok("application/pdf"));
        assert!(!ok("image/jpeg"));
        assert!(!ok("application/octet-stream"));
    }
}
