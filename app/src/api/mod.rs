//! The HTTP edge of each page's forms, by audience. Forms post here as plain HTML forms
//! (they work without JavaScript); a handler authorises, hands the input to a service in
//! `crate::ssr::services`, then redirects (303) on success or renders the same page again
//! with the typed values and messages on refusal. Server functions for islands will sit
//! beside these, by the same audience.

#[cfg(feature = "ssr")]
pub mod account;
#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod filing;
#[cfg(feature = "ssr")]
pub mod form;
#[cfg(feature = "ssr")]
pub mod officer;
#[cfg(feature = "ssr")]
pub mod organisation;
#[cfg(feature = "ssr")]
pub mod reception;

/// The form endpoints, mounted by the server next to the Leptos page routes.
#[cfg(feature = "ssr")]
pub fn routes() -> axum::Router<crate::ssr::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/catalogue.json", get(catalogue::export))
        .route("/register", post(account::register))
        .route("/verify-email", post(account::verify_email))
        .route("/login", post(account::login))
        .route("/logout", post(account::logout))
        .route("/logout-everywhere", post(account::logout_everywhere))
        .route("/forgot-password", post(account::forgot_password))
        .route("/reset-password", post(account::reset_password))
        .route("/account/profile", post(account::update_profile))
        .route("/account/password", post(account::change_password))
        .route("/login/verify", post(officer::second_factor))
        .route("/account/security/enrol", post(officer::confirm_enrolment))
        .route("/organisations", post(organisation::create))
        .route("/organisations/{id}/invite", post(organisation::invite))
        .route("/organisations/{id}/members/{user_id}/remove", post(organisation::remove))
        .route("/invitation", post(organisation::accept))
        .route("/admin/officers", post(admin::create_officer))
        .route("/dossiers", post(filing::start))
        .route("/dossiers/{id}/save", post(filing::save))
        // Uploads stream: axum's 2 MB default does not apply; the router-wide body limit does.
        .route(
            "/dossiers/{id}/papers/{paper}",
            post(filing::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/dossiers/{id}/papers/{paper}/attach", post(filing::attach))
        .route("/dossiers/{id}/files/{file}/remove", post(filing::remove_file))
        .route("/dossiers/{id}/discard", post(filing::discard))
        .route("/dossiers/{id}/submit", post(filing::submit))
        .route("/dossiers/{id}/withdraw", post(filing::withdraw))
        .route("/dossiers/{id}/supplement", post(filing::supplement))
        .route("/dossiers/{id}/receipt.pdf", get(filing::receipt))
        .route("/documents/{id}", get(filing::document))
        .route("/officer/dossiers/{id}/accept", post(reception::accept))
        .route("/officer/dossiers/{id}/supplement", post(reception::supplement))
        .route("/officer/dossiers/{id}/refuse", post(reception::refuse))
}
