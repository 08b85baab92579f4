//! The axum router: the Leptos pages and server functions, operational endpoints, static
//! files, and the layers every request passes (limits, same-origin check, headers, metrics).

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use app::app::{App, shell};
use app::ssr::state::AppState;

use crate::config::Settings;
use crate::handlers::{health, language};
use crate::middleware::{
    client_ip, compression, csrf, errors, metrics, page_cache, security_headers, session,
};

/// Builds the whole application router.
pub fn build(state: AppState, settings: &Settings) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let pkg = ServeDir::new(settings.site_root.join("pkg")).precompressed_br().precompressed_gzip();
    let pkg = Router::new().fallback_service(pkg).layer(from_fn(crate::assets::cache_control));

    let mut router = Router::new();
    if settings.payment_sandbox {
        router = router.merge(crate::sandbox::routes(&state));
    }
    let all = router
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/lang", post(language::set_language))
        .nest("/pkg", pkg)
        .merge(app::api::routes())
        .nest("/api/v1", app::api::v1::routes(state.clone()))
        .leptos_routes_with_context(&state, routes, || {}, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell));
    with_layers(all, state, settings)
}

/// Wraps `routes` in the layers every request passes, outermost last: the public page cache,
/// body limit, session,
/// same-origin check, friendly error pages, catch-panic, security headers (outside
/// catch-panic, so the 500 page of a panic carries them too), compression, metrics, trace. Public so a
/// test can put a route of its own (one that panics) behind the same layers.
pub fn with_layers(routes: Router<AppState>, state: AppState, settings: &Settings) -> Router {
    routes
        // innermost: public pages for visitors not signed in, shared for a few seconds
        .layer(from_fn_with_state(state.clone(), page_cache::serve))
        // Server functions ignore axum's DefaultBodyLimit: this layer is what stops big bodies.
        .layer(RequestBodyLimitLayer::new(settings.max_body_bytes))
        .layer(from_fn_with_state(state.clone(), session::load))
        .layer(from_fn_with_state(state.clone(), csrf::same_origin_only))
        .layer(from_fn(errors::friendly_error_pages))
        .layer(CatchPanicLayer::custom(errors::panic_response))
        .layer(from_fn_with_state(state.config.clone(), security_headers::add))
        // pages and data compressed on the fly, never a signed-in page a foreign site asked for
        .layer(compression::layer())
        .layer(from_fn(compression::breach_guard))
        .layer(from_fn(metrics::record))
        .layer(from_fn_with_state(
            std::sync::Arc::new(settings.trusted_proxies.clone()),
            client_ip::from_trusted_proxy,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
