//! Every protected API call passes here: the bearer token is checked and counted against its
//! rate limit, the call runs with the [`ApiPrincipal`] in its extensions, and then it is
//! written to the audit log with its status.

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::problem::{Problem, TOKEN_REQUIRED};
use crate::error::AppError;
use crate::ssr::services::api_tokens::{self, ApiPrincipal, AuthFailure};
use crate::ssr::state::AppState;

/// The bearer token of a request, if any.
fn bearer(request: &Request<Body>) -> Option<&str> {
    let value = request.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Authenticates, rate-limits and audits one call.
pub async fn authenticate(State(state): State<AppState>, mut request: Request<Body>, next: Next) -> Response {
    let presented = bearer(&request).unwrap_or("").to_string();
    let principal = match api_tokens::authenticate(&state, &presented).await {
        Ok(p) => p,
        Err(AuthFailure::Invalid) => {
            let mut response =
                Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", TOKEN_REQUIRED).into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"motcua\""));
            return response;
        }
        Err(AuthFailure::RateLimited(wait)) => {
            let mut response = Problem::from_app(AppError::RateLimited).into_response();
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return response;
        }
        Err(AuthFailure::Internal(e)) => {
            return Problem::from(crate::ssr::services::ServiceError::Internal(e)).into_response();
        }
    };
    let method = request.method().to_string();
    let path = request.uri().path().chars().take(300).collect::<String>();
    let ip = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    request.extensions_mut().insert(principal.clone());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    if let Err(e) = api_tokens::record_call(&state, &principal, &method, &path, status, &ip).await {
        tracing::error!(error = %e, token = %principal.token_id, "API call not audited");
    }
    response
}

/// Refuses a read-only token with 403.
pub fn require_write(principal: &ApiPrincipal) -> Result<(), Problem> {
    principal
        .require_write()
        .map_err(|_| Problem::new(StatusCode::FORBIDDEN, "forbidden", super::problem::SCOPE_WRITE))
}
