//! Form endpoints of the account pages (citizens and officers alike).

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormRequest, local_path, see_other, see_other_with_cookie};
use crate::components::form::FormState;
use crate::ssr::auth::session;
use crate::ssr::services::accounts::login::{LoginForm, LoginOutcome};
use crate::ssr::services::accounts::profile::ProfileForm;
use crate::ssr::services::accounts::register::RegisterForm;
use crate::ssr::services::accounts::{
    login as login_service, password, profile, register as register_service,
};
use crate::ssr::state::AppState;

/// `POST /register`.
pub async fn register(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<RegisterForm>,
) -> Response {
    let shown = FormState::from_values(&form.values(), &[]);
    match register_service::register(&state, form, &request.meta).await {
        Ok(()) => see_other("/register?sent=1"),
        Err(e) => request.refused(&state, shown, e).await,
    }
}

/// The confirmation button on the verification page.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

/// `POST /verify-email`.
pub async fn verify_email(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<TokenForm>,
) -> Response {
    match register_service::verify_email(&state, &form.token).await {
        Ok(()) => see_other("/login?verified=1"),
        Err(e) => request.refused(&state, FormState::default(), e).await,
    }
}

/// The sign-in form plus where to go afterwards.
#[derive(Debug, Deserialize)]
pub struct LoginFields {
    #[serde(flatten)]
    login: LoginForm,
    #[serde(default)]
    next: String,
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<LoginFields>,
) -> Response {
    let shown = FormState::from_values(
        &BTreeMap::from([("email".into(), form.login.email.clone()), ("next".into(), form.next.clone())]),
        &[],
    );
    let secure = state.config.secure_cookies;
    match login_service::login(&state, form.login, &request.meta).await {
        Ok(LoginOutcome::SignedIn { token, officer }) => {
            let home = if officer { "/officer" } else { "/account" };
            see_other_with_cookie(local_path(&form.next, home), &session::set_cookie(&token, secure))
        }
        Ok(LoginOutcome::NeedsSecondFactor { token, enrol }) => {
            let next = if enrol { "/account/security/enrol" } else { "/login/verify" };
            see_other_with_cookie(next, &session::set_cookie(&token, secure))
        }
        Ok(LoginOutcome::EmailNotVerified) => see_other("/login?unverified=1"),
        Err(e) => request.refused(&state, shown, e).await,
    }
}

/// `POST /logout`.
pub async fn logout(State(state): State<AppState>, request: FormRequest) -> Response {
    if let Some(current) = &request.session
        && let Err(e) = login_service::logout(&state, &current.session_id).await
    {
        return request.refused(&state, FormState::default(), e).await;
    }
    see_other_with_cookie("/?signed_out=1", &session::clear_cookie(state.config.secure_cookies))
}

/// `POST /logout-everywhere`.
pub async fn logout_everywhere(State(state): State<AppState>, request: FormRequest) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match login_service::logout_everywhere(&state, &current.user.id).await {
        Ok(_) => see_other_with_cookie("/?signed_out=1", &session::clear_cookie(state.config.secure_cookies)),
        Err(e) => request.refused(&state, FormState::default(), e).await,
    }
}

/// The forgotten-password form.
#[derive(Debug, Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// `POST /forgot-password`: the same answer whether or not the address has an account.
pub async fn forgot_password(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<EmailForm>,
) -> Response {
    let shown = FormState::from_values(&BTreeMap::from([("email".into(), form.email.clone())]), &[]);
    match password::request_reset(&state, &form.email, &request.meta).await {
        Ok(()) => see_other("/forgot-password?sent=1"),
        Err(e) => request.refused(&state, shown, e).await,
    }
}

/// The new-password form of a reset link.
#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

/// `POST /reset-password`.
pub async fn reset_password(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<ResetForm>,
) -> Response {
    match password::reset(&state, &form.token, &form.password, &form.password_confirm, &request.meta).await {
        Ok(()) => {
            see_other_with_cookie("/login?reset=1", &session::clear_cookie(state.config.secure_cookies))
        }
        Err(e) => {
            let path = format!("/reset-password?token={}", form.token);
            let mut shown = FormState::default();
            match e {
                crate::ssr::services::ServiceError::Invalid(errors) => {
                    shown.errors = errors;
                    request.render_at(&state, &path, shown, StatusCode::UNPROCESSABLE_ENTITY).await
                }
                other => request.refused(&state, shown, other).await,
            }
        }
    }
}

/// `POST /account/profile`.
pub async fn update_profile(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<ProfileForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    let shown = FormState::from_values(&form.values(), &[]);
    match profile::update(&state, &current.actor, &current.user.id, form).await {
        Ok(()) => see_other("/account?saved=profile"),
        Err(e) => request.render_refused_at(&state, "/account", shown, e).await,
    }
}

/// The change-password form.
#[derive(Debug, Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

/// `POST /account/password`.
pub async fn change_password(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<ChangePasswordForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match password::change(
        &state,
        &current.user.id,
        &form.current_password,
        &form.password,
        &form.password_confirm,
        &request.meta,
    )
    .await
    {
        Ok(token) => see_other_with_cookie(
            "/account?saved=password",
            &session::set_cookie(&token, state.config.secure_cookies),
        ),
        Err(e) => request.render_refused_at(&state, "/account", FormState::default(), e).await,
    }
}
