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

/// The process's metrics in Prometheus' text exposition format, with the database pools'
/// connections as gauges read at this moment (`db_pool_connections{pool, state}`: open and
/// idle, per pool). A pool whose connections are all open and none idle while requests wait
/// for one is exhausted; idle connections while requests wait mean that the pool's permits are
/// reserved for waiters nobody polls (how a page loader left inside the renderer stalled the
/// pools: docs/ARCHITECTURE.md, `pages::loader`).
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    for (pool, stats) in state.db.pool_stats() {
        metrics::gauge!("db_pool_connections", "pool" => pool, "state" => "open").set(f64::from(stats.open));
        metrics::gauge!("db_pool_connections", "pool" => pool, "state" => "idle").set(stats.idle as f64);
    }
    (
        [(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        crate::telemetry::metrics_handle().render(),
    )
}
