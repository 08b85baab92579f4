//! The HTML shell and the route tree, grouped by audience.

use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::components::islands::IslandScripts;
use crate::components::layout::Layout;
use crate::i18n::use_locale;
use crate::pages::admin::agencies::AgenciesPage;
use crate::pages::admin::holidays::HolidaysPage;
use crate::pages::admin::officers::OfficersPage;
use crate::pages::admin::procedures::{AdminProcedurePage, AdminProceduresPage};
use crate::pages::citizen::account::AccountPage;
use crate::pages::citizen::dossiers::{DocumentsPage, DossierPage, DossiersPage, ReviewPage};
use crate::pages::citizen::organisations::{InvitationPage, OrganisationPage, OrganisationsPage};
use crate::pages::not_found::NotFound;
use crate::pages::officer::{
    home::OfficerHomePage,
    reception::{OfficerDossierPage, ReceptionPage, WorkPage},
    security::{EnrolPage, VerifyCodePage},
};
use crate::pages::public::{
    catalogue::{ProcedurePage, ProceduresPage},
    home::HomePage,
    login::{ForgotPasswordPage, LoginPage, ResetPasswordPage, VerifyEmailPage},
    lookup::LookupPage,
    register::RegisterPage,
};

/// The document around every page, in the form `leptos_axum`'s file-and-error handler calls.
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    document()
}

/// The document around every page: `<html lang>`, head, hydration scripts for the islands.
/// The pages' routes call it directly, so that no handler holds (and clones, per request) a
/// copy of `LeptosOptions`.
pub fn document() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        provide_context(crate::i18n::request_locale());
        set_content_security_policy();
    }
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    let (stylesheet, script, wasm) = use_context::<crate::ssr::state::AppState>().map_or_else(
        || ("/pkg/motcua.css".to_string(), "/pkg/motcua.js".to_string(), "/pkg/motcua_bg.wasm".to_string()),
        |s| (s.config.stylesheet.clone(), s.config.script.clone(), s.config.wasm.clone()),
    );
    #[cfg(not(feature = "ssr"))]
    let (stylesheet, script, wasm) =
        ("/pkg/motcua.css".to_string(), "/pkg/motcua.js".to_string(), "/pkg/motcua_bg.wasm".to_string());
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#a4161a"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // before the first paint: lets the style sheet lay out for JavaScript (the
                // menu folded on phones) so that nothing moves when the islands hydrate
                <script nonce=leptos::nonce::use_nonce() inner_html=r#"document.documentElement.classList.add("js")"#></script>
                <link rel="stylesheet" href=stylesheet/>
                <IslandScripts script wasm/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: layout around the routes of every audience.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    // public (visitors)
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/procedures") view=ProceduresPage ssr=SsrMode::Async/>
                    <Route path=path!("/procedures/:code") view=ProcedurePage ssr=SsrMode::Async/>
                    <Route path=path!("/lookup") view=LookupPage ssr=SsrMode::Async/>
                    <Route path=path!("/statistics") view=crate::pages::public::statistics::StatisticsPage ssr=SsrMode::Async/>
                    <Route path=path!("/feedback") view=crate::pages::public::feedback::PublicFeedbackPage ssr=SsrMode::Async/>
                    <Route path=path!("/feedback/mine") view=crate::pages::citizen::feedback::MyFeedbackPage ssr=SsrMode::Async/>
                    <Route path=path!("/kiosk/rate") view=crate::pages::public::feedback::KioskRatePage/>
                    <Route path=path!("/verify/:code/:token") view=crate::pages::public::verify::VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/verify-email") view=VerifyEmailPage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                    <Route path=path!("/reset-password") view=ResetPasswordPage/>
                    // citizens and businesses (pages with data wait for it: they must work without JS)
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations") view=OrganisationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:id") view=OrganisationPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:id/api") view=crate::pages::citizen::api_access::ApiAccessPage ssr=SsrMode::Async/>
                    <Route path=path!("/invitation") view=InvitationPage/>
                    <Route path=path!("/dossiers") view=DossiersPage ssr=SsrMode::Async/>
                    <Route path=path!("/dossiers/:id") view=DossierPage ssr=SsrMode::Async/>
                    <Route path=path!("/dossiers/:id/review") view=ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/documents") view=DocumentsPage ssr=SsrMode::Async/>
                    // officers
                    <Route path=path!("/login/verify") view=VerifyCodePage/>
                    <Route path=path!("/account/security/enrol") view=EnrolPage ssr=SsrMode::Async/>
                    <Route path=path!("/officer") view=OfficerHomePage/>
                    <Route path=path!("/officer/reception") view=ReceptionPage ssr=SsrMode::Async/>
                    <Route path=path!("/officer/work") view=WorkPage ssr=SsrMode::Async/>
                    <Route path=path!("/officer/intake") view=crate::pages::officer::intake::IntakePage ssr=SsrMode::Async/>
                    <Route path=path!("/officer/delegation") view=crate::pages::officer::delegation::DelegationPage ssr=SsrMode::Async/>
                    <Route path=path!("/officer/stats") view=crate::pages::officer::stats::StatsPage ssr=SsrMode::Async/>
                    <Route path=path!("/officer/stats/list") view=crate::pages::officer::stats::StatsListPage ssr=SsrMode::Async/>
                    <Route path=path!("/officer/dossiers/:id") view=OfficerDossierPage ssr=SsrMode::Async/>
                    <Route path=path!("/officer/feedback") view=crate::pages::officer::feedback::FeedbackQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/officer/payments") view=crate::pages::officer::payments::PaymentsReportPage ssr=SsrMode::Async/>
                    // administrators
                    <Route path=path!("/admin/officers") view=OfficersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=crate::pages::admin::audit::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/procedures") view=AdminProceduresPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/procedures/:code") view=AdminProcedurePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/holidays") view=HolidaysPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/agencies") view=AgenciesPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// Sends the CSP with this response's nonce (the one on Leptos' inline island loader).
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    let mut policy = crate::ssr::security::content_security_policy(nonce.as_deref());
    // the "Pay" form redirects to the payment gateway (#7): allow its origin as a form target
    if let Some(state) = use_context::<crate::ssr::state::AppState>() {
        policy = crate::ssr::security::allow_form_action(&policy, &state.config.vnpay.pay_url);
    }
    if let (Some(response), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&policy))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
