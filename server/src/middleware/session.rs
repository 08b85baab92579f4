//! Resolves the session cookie once per request and puts the [`CurrentSession`] into the
//! request's extensions, where pages, form handlers and server functions find it.

use app::ssr::auth::session::token_from_cookie_header;
use app::ssr::services::accounts::current::{self, CurrentSession};
use app::ssr::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// Looks the session up (static files skip it).
pub async fn load(State(state): State<AppState>, mut request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path();
    let is_static = path.starts_with("/pkg/") || path.starts_with("/fonts/") || path == "/favicon.svg";
    if !is_static {
        let token = request
            .headers()
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(token_from_cookie_header)
            .map(str::to_string);
        if let Some(token) = token {
            match current::resolve(&state, &token).await {
                Ok(Some(session)) => {
                    request.extensions_mut().insert::<CurrentSession>(session);
                }
                Ok(None) => {}
                Err(error) => tracing::warn!(error = %format!("{error:#}"), "session lookup failed"),
            }
        }
    }
    next.run(request).await
}
