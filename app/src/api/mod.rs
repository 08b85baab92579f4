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
pub mod api_access;
#[cfg(feature = "ssr")]
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod catalogue_admin;
#[cfg(feature = "ssr")]
pub mod filing;
#[cfg(feature = "ssr")]
pub mod form;
#[cfg(feature = "ssr")]
pub mod officer;
#[cfg(feature = "ssr")]
pub mod organisation;
#[cfg(feature = "ssr")]
pub mod payments;
#[cfg(feature = "ssr")]
pub mod quality;
#[cfg(feature = "ssr")]
pub mod reception;
#[cfg(feature = "ssr")]
pub mod stats;
/// The JSON API for organisations and other systems (issue #10), nested at `/api/v1`.
#[cfg(feature = "ssr")]
pub mod v1;

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
        .route("/organisations/{id}/api/tokens", post(api_access::create_token))
        .route("/organisations/{id}/api/tokens/{token}/revoke", post(api_access::revoke_token))
        .route("/organisations/{id}/api/webhooks", post(api_access::register_webhook))
        .route("/organisations/{id}/api/webhooks/{endpoint}/remove", post(api_access::remove_webhook))
        .route("/organisations/{id}/api/deliveries/{delivery}/replay", post(api_access::replay_delivery))
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
        .route("/dossiers/{id}/appointment.pdf", get(filing::appointment))
        .route("/documents/{id}", get(filing::document))
        .route("/officer/dossiers/{id}/accept", post(reception::accept))
        .route("/officer/dossiers/{id}/supplement", post(reception::supplement))
        .route("/officer/dossiers/{id}/refuse", post(reception::refuse))
        .route("/officer/dossiers/{id}/forward", post(reception::forward))
        .route("/officer/dossiers/{id}/send-back", post(reception::send_back))
        .route("/officer/dossiers/{id}/refuse-grant", post(reception::refuse_grant))
        .route(
            "/officer/dossiers/{id}/result",
            post(reception::issue).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/officer/dossiers/{id}/result/generate", post(reception::generate))
        .route("/officer/dossiers/{id}/return", post(reception::return_result))
        .route("/officer/dossiers/{id}/stop", post(reception::stop))
        .route("/officer/dossiers/{id}/assign", post(reception::assign))
        .route("/officer/dossiers/{id}/reschedule", post(reception::reschedule))
        .route("/officer/register.pdf", get(reception::register))
        .route("/officer/intake", post(reception::intake))
        .route("/officer/stats.csv", get(stats::csv))
        .route("/officer/stats.xlsx", get(stats::xlsx))
        .route("/officer/delegation", post(reception::delegate))
        .route("/officer/delegation/{id}/revoke", post(reception::revoke_delegation))
        .route("/dossiers/{id}/forms/{file}", get(filing::printed_form))
        .route("/dossiers/{id}/pay", post(payments::pay))
        .route("/dossiers/{id}/payments/{payment}/receipt.pdf", get(payments::receipt))
        .route("/payments/vnpay/ipn", get(payments::ipn))
        .route("/payments/vnpay/return", get(payments::return_page))
        .route("/officer/dossiers/{id}/payments", post(payments::counter))
        .route("/admin/procedures/{code}/basics", post(catalogue_admin::save_basics))
        .route("/admin/procedures/{code}/papers", post(catalogue_admin::save_paper))
        .route("/admin/procedures/{code}/fields", post(catalogue_admin::save_field))
        .route("/admin/procedures/{code}/steps", post(catalogue_admin::save_step))
        .route("/admin/procedures/{code}/fees", post(catalogue_admin::save_fee))
        .route("/admin/procedures/{code}/units", post(catalogue_admin::save_units))
        .route("/admin/procedures/{code}/{section}/{index}/{action}", post(catalogue_admin::row_action))
        .route("/admin/procedures/{code}/publish", post(catalogue_admin::publish))
        .route("/admin/procedures/{code}/discard", post(catalogue_admin::discard))
        .route("/admin/holidays", post(catalogue_admin::add_holiday))
        .route("/admin/holidays/remove", post(catalogue_admin::remove_holiday))
        .route("/admin/holidays/extra", post(catalogue_admin::add_extra_day))
        .route("/admin/holidays/extra/remove", post(catalogue_admin::remove_extra_day))
        .route("/admin/agencies/{code}", post(catalogue_admin::update_agency))
        .route("/admin/agencies/{code}/children", post(catalogue_admin::add_child_agency))
        .route("/dossiers/{id}/rate", post(quality::rate))
        .route("/kiosk/rate", post(quality::kiosk))
        .route("/feedback/mine", post(quality::send))
        .route("/officer/feedback/{id}/answer", post(quality::answer))
        .route("/officer/feedback/{id}/publish", post(quality::publish))
}
