//! The axum router: the Leptos pages and server functions, operational endpoints, static
//! files, and the layers every request passes (limits, same-origin check, headers, metrics).

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use app::app::{App, document, shell};
use app::ssr::state::AppState;

use crate::config::Settings;
use crate::handlers::{health, language};
use crate::middleware::{
    client_ip, compression, csrf, errors, metrics, page_cache, security_headers, session,
};

/// Builds the whole application router.
pub fn build(state: AppState, settings: &Settings) -> Router {
    let routes = generate_route_list(App);
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
        .leptos_routes_with_context(&state, routes, || {}, document)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell));
    with_layers(all, state, settings)
}

/// Wraps `routes` in the layers every request passes, outermost first: trace, client address
/// from a trusted proxy, metrics, the BREACH guard and compression (pages and data compressed
/// on the fly, never a signed-in page a foreign site asked for), security headers (outside
/// catch-panic, so the 500 page of a panic carries them too), catch-panic, friendly error
/// pages, same-origin check, session, body limit (server functions ignore axum's
/// `DefaultBodyLimit`: this layer is what stops big bodies) and, innermost, the public page
/// cache. Public so a test can put a route of its own (one that panics) behind the same layers.
///
/// The layers from the session outwards are one `ServiceBuilder` stack, added to the router
/// once: `Router::layer` boxes every route again for each layer, and each request clones the
/// service it calls, boxes and all (one layer at a time, that was about a hundred boxed
/// clones a page).
pub fn with_layers(routes: Router<AppState>, state: AppState, settings: &Settings) -> Router {
    let outer = ServiceBuilder::new()
        .layer(TraceLayer::new_for_http())
        .layer(from_fn_with_state(
            std::sync::Arc::new(settings.trusted_proxies.clone()),
            client_ip::from_trusted_proxy,
        ))
        .layer(from_fn(metrics::record))
        .layer(from_fn(compression::breach_guard))
        .layer(compression::layer())
        .layer(from_fn_with_state(state.config.clone(), security_headers::add))
        .layer(CatchPanicLayer::custom(errors::panic_response))
        .layer(from_fn(errors::friendly_error_pages))
        .layer(from_fn_with_state(state.clone(), csrf::same_origin_only))
        .layer(from_fn_with_state(state.clone(), session::load));
    routes
        .layer(from_fn_with_state(state.clone(), page_cache::serve))
        // a layer of its own, on a `Route`: it hands the next service a `Limited` body, which
        // a middleware function (`from_fn`) does not take
        .layer(RequestBodyLimitLayer::new(settings.max_body_bytes))
        .layer(outer)
        .with_state(state)
}
