//! `/healthz` (the process is up), `/readyz` (it can serve: database reachable) and
//! `/metrics` (Prometheus text format).

use app::ssr::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

/// Always 200 while the process runs.
pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 when the database answers, 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.db.ping().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

/// The process's metrics in Prometheus' text exposition format.
pub async fn metrics() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        crate::telemetry::metrics_handle().render(),
    )
}
