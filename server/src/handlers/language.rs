//! `POST /lang`: the language switch. A plain form, so it works without JavaScript.

use app::api::form::local_path;
use app::i18n::{LOCALE_COOKIE, Locale};
use app::ssr::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The switch's form fields.
#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    next: String,
}

/// Stores the chosen language in a cookie and goes back to the page the person was on.
pub async fn set_language(State(state): State<AppState>, Form(form): Form<LanguageForm>) -> Response {
    let Some(locale) = Locale::from_tag(&form.lang) else {
        return (StatusCode::BAD_REQUEST, "unsupported language").into_response();
    };
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    // HttpOnly: only the server reads it (islands get the locale as a prop).
    let cookie =
        format!("{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}", locale.tag());
    let mut response =
        (StatusCode::SEE_OTHER, [(header::LOCATION, local_path(&form.next, "/"))]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use app::api::form::local_path as lp;

    fn local_path(next: &str) -> &str {
        lp(next, "/")
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/thu-tuc?q=a"), "/thu-tuc?q=a");
        assert_eq!(local_path("https://evil.example"), "/");
        assert_eq!(local_path("//evil.example"), "/");
        assert_eq!(local_path("/\\evil.example"), "/");
        assert_eq!(local_path("/a\r\nSet-Cookie: x"), "/");
        assert_eq!(local_path(""), "/");
    }
}
