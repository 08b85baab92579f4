//! Form endpoints of the officers' second factor (sign-in code and enrolment).

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::provide_context;
use serde::Deserialize;

use super::form::{FormRequest, see_other, see_other_with_cookie};
use crate::components::form::FormState;
use crate::pages::officer::security::RecoveryCodes;
use crate::ssr::auth::session;
use crate::ssr::services::accounts::{login, totp};
use crate::ssr::state::AppState;

/// A one-time code.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /login/verify`: the TOTP (or recovery) code after the password.
pub async fn second_factor(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<CodeForm>,
) -> Response {
    let Some(pending) = request.session.clone().filter(|s| s.mfa_pending) else {
        return see_other("/login");
    };
    match login::second_factor(&state, &pending.session_id, &pending.user.id, &form.code, &request.meta).await
    {
        Ok(token) => {
            see_other_with_cookie("/officer", &session::set_cookie(&token, state.config.secure_cookies))
        }
        Err(e) => request.refused(&state, FormState::default(), e).await,
    }
}

/// `POST /account/security/enrol`: confirms TOTP with a first code and shows the recovery
/// codes, once.
pub async fn confirm_enrolment(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<CodeForm>,
) -> Response {
    let Some(pending) = request.session.clone().filter(|s| s.mfa_pending) else {
        return see_other("/login");
    };
    match totp::confirm(&state, &pending.session_id, &pending.user.id, &form.code, &request.meta).await {
        Ok((token, codes)) => {
            let codes = RecoveryCodes(codes);
            let mut response = request
                .render_with(
                    &state,
                    "/account/security/enrol",
                    FormState::default(),
                    StatusCode::OK,
                    move || provide_context(codes.clone()),
                )
                .await;
            if let Ok(value) = session::set_cookie(&token, state.config.secure_cookies).parse() {
                response.headers_mut().append(axum::http::header::SET_COOKIE, value);
            }
            response
        }
        Err(e) => request.refused(&state, FormState::default(), e).await,
    }
}
