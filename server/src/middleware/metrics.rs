//! Request counts and latencies for Prometheus, labelled by route pattern (not raw path,
//! so ids never become label values).

use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

/// Records `http_requests_total` and `http_request_duration_seconds`.
pub async fn record(request: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route =
        request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| {
            if request.uri().path().starts_with("/pkg/") { "/pkg".into() } else { "other".into() }
        });
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}
