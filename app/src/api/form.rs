//! Helpers shared by the form handlers: request facts, redirects with cookies, and the
//! re-rendering of a page with a [`FormState`].

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

use crate::components::form::FormState;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::ssr::services::accounts::current::CurrentSession;
use crate::ssr::services::{RequestMeta, ServiceError};
use crate::ssr::state::AppState;

/// The facts of a form request that handlers need: who, from where, in which language,
/// and enough of the request to render its page again.
pub struct FormRequest {
    /// The resolved session, if any.
    pub session: Option<CurrentSession>,
    /// IP, user agent, locale.
    pub meta: RequestMeta,
    parts: Parts,
}

impl<S: Send + Sync> FromRequestParts<S> for FormRequest {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = |name: header::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let locale = header(header::COOKIE).map(Locale::from_cookie_header).unwrap_or_default();
        let user_agent = header(header::USER_AGENT).map(|ua| ua.chars().take(200).collect());
        let ip = parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string());
        let session = parts.extensions.get::<CurrentSession>().cloned();
        Ok(FormRequest { session, meta: RequestMeta { ip, user_agent, locale }, parts: parts.clone() })
    }
}

impl FormRequest {
    /// The fully signed-in session (password and, for officers, the second factor).
    pub fn signed_in(&self) -> Option<&CurrentSession> {
        self.session.as_ref().filter(|s| !s.mfa_pending)
    }

    /// Renders the page at `path` (as a GET) with `form` in context.
    pub async fn render_at(
        &self,
        state: &AppState,
        path: &str,
        form: FormState,
        status: StatusCode,
    ) -> Response {
        self.render_with(state, path, form, status, || {}).await
    }

    /// Renders `path` with `form` and whatever `extra` provides in context.
    pub async fn render_with(
        &self,
        state: &AppState,
        path: &str,
        form: FormState,
        status: StatusCode,
        extra: impl Fn() + Clone + Send + Sync + 'static,
    ) -> Response {
        let mut request = Request::builder().method(Method::GET).uri(request_target(path));
        for (name, value) in &self.parts.headers {
            if name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
                request = request.header(name, value);
            }
        }
        let Ok(mut request) = request.body(Body::empty()) else {
            return AppError::Internal.into_plain_response();
        };
        *request.extensions_mut() = self.parts.extensions.clone();
        let app_state = state.clone();
        let handler = leptos_axum::render_app_async_with_context(
            move || {
                provide_context(app_state.clone());
                provide_context(form.clone());
                extra();
            },
            crate::app::document,
        );
        let mut response = handler(request).await.into_response();
        *response.status_mut() = status;
        response
    }

    /// The standard answer to a service error: the page again with the messages.
    pub async fn refused(&self, state: &AppState, form: FormState, error: ServiceError) -> Response {
        let path = self.parts.uri.path().to_string();
        self.render_refused_at(state, &path, form, error).await
    }

    /// The same, rendering the page at `path` (forms that post to a sub-path).
    pub async fn render_refused_at(
        &self,
        state: &AppState,
        path: &str,
        mut form: FormState,
        error: ServiceError,
    ) -> Response {
        let status = match &error {
            ServiceError::Invalid(errors) => {
                form.errors.extend(errors.clone());
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ServiceError::Refused(e) => {
                form.notice = Some(e.text().into());
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST)
            }
            ServiceError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), path = %self.parts.uri.path(), "form handler failed");
                form.notice = Some(AppError::Internal.text().into());
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        self.render_at(state, path, form, status).await
    }
}

/// `path` as a valid request target. Paths are built from what was typed or posted (a
/// dossier id in the address, a procedure code in a form), so they may hold spaces, quotes,
/// angle brackets or non-ASCII letters that a URI cannot carry: those bytes are
/// percent-encoded (and `%` itself), so the page renders as "not found" instead of the
/// request failing with a 500.
fn request_target(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// 303 See Other to `location`.
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// 303 See Other to `location`, setting a cookie.
pub fn see_other_with_cookie(location: &str, cookie: &str) -> Response {
    let mut response = see_other(location);
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

impl AppError {
    /// A bare response for the rare case a page cannot even be rendered.
    pub fn into_plain_response(self) -> Response {
        (StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), self.code())
            .into_response()
    }
}

/// `next` if it is a local path, else `fallback` (no open redirects).
pub fn local_path<'a>(next: &'a str, fallback: &'a str) -> &'a str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok { next } else { fallback }
}

#[cfg(test)]
mod tests {
    use super::request_target;

    #[test]
    fn any_typed_path_becomes_a_valid_request_target() {
        let typed = [
            "/procedures/1.001193'wHjGmD<'\">QGBMpK",
            "/dossiers/1) AND 6831=7834 AND (1486=1486",
            "/procedures?q=giấy phép",
            "/x%zz#fragment\u{0}\r\n",
        ];
        for path in typed {
            let target = request_target(path);
            assert!(axum::http::Request::builder().uri(&target).body(()).is_ok(), "{path} → {target}");
        }
        assert_eq!(request_target("/reset-password?token=a-b_c&x=1"), "/reset-password?token=a-b_c&x=1");
        assert_eq!(request_target("/dossiers/a b"), "/dossiers/a%20b");
    }
}
