//! Who is looking at the page, as the page may know it (no secrets). On the server it comes
//! from the session resolved for this request; islands are given what they need as props.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in person, for pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// User id.
    pub user_id: String,
    /// Full name.
    pub full_name: String,
    /// Email.
    pub email: String,
    /// Officer account?
    pub is_officer: bool,
    /// Still owes the second factor (officers): only the TOTP pages are open.
    pub mfa_pending: bool,
    /// Role codes with their unit id (officers).
    pub roles: Vec<(String, Option<String>)>,
}

/// The viewer of this request, if any (including a session that still owes TOTP).
pub fn use_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::auth::policy::Actor;
        use crate::ssr::services::accounts::current::CurrentSession;
        let parts = use_context::<http::request::Parts>()?;
        let session = parts.extensions.get::<CurrentSession>()?;
        let roles = match &session.actor {
            Actor::Officer { grants, .. } => {
                grants.iter().map(|g| (g.role.code().to_string(), g.agency_id.clone())).collect()
            }
            Actor::Citizen { .. } => Vec::new(),
        };
        Some(Viewer {
            user_id: session.user.id.clone(),
            full_name: session.user.full_name.clone(),
            email: session.user.email.clone(),
            is_officer: session.user.is_officer,
            mfa_pending: session.mfa_pending,
            roles,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        use_context::<Viewer>()
    }
}

/// The fully signed-in viewer, or (on the server) a redirect to the sign-in page that
/// comes back here afterwards.
pub fn require_signed_in() -> Option<Viewer> {
    let viewer = use_viewer().filter(|v| !v.mfa_pending);
    if viewer.is_none() {
        #[cfg(feature = "ssr")]
        {
            let here = use_context::<http::request::Parts>()
                .map(|p| p.uri.path_and_query().map(|pq| pq.as_str().to_string()).unwrap_or_default())
                .unwrap_or_default();
            let next: String =
                here.chars().filter(|c| c.is_ascii_alphanumeric() || "/-_?=.".contains(*c)).collect();
            leptos_axum::redirect(&format!("/login?next={next}"));
        }
    }
    viewer
}

/// The signed-in actor of this request, as the services want it (server only).
#[cfg(feature = "ssr")]
pub fn current_actor() -> Option<crate::ssr::auth::policy::Actor> {
    use crate::ssr::services::accounts::current::CurrentSession;
    let parts = use_context::<http::request::Parts>()?;
    let session = parts.extensions.get::<CurrentSession>()?;
    (!session.mfa_pending).then(|| session.actor.clone())
}

crate::texts! {
    FORBIDDEN_TITLE = { vi: "Không có quyền truy cập", en: "Access refused" }
    FORBIDDEN_TEXT = { vi: "Trang này dành cho cán bộ có vai trò phù hợp. Nếu bạn cần truy cập, hãy đề nghị quản trị đơn vị cấp quyền.", en: "This page is for officers with the right role. If you need it, ask your unit's administrator." }
    HOME = { vi: "Về trang chủ", en: "Home" }
}

/// Sets the response status of the page being rendered (server only).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(r), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        r.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Role codes for [`with_role`].
pub mod roles {
    /// Any officer role.
    pub const OFFICER: &[&str] =
        &["desk_officer", "specialist", "leader", "clerk", "agency_admin", "system_admin"];
    /// The one-stop desk.
    pub const DESK: &[&str] = &["desk_officer", "system_admin"];
    /// Leaders and administrators (statistics).
    pub const LEADERS: &[&str] = &["leader", "agency_admin", "system_admin"];
}

/// Renders `page` for a signed-in viewer holding one of `roles` (role codes). Strangers are
/// sent to sign in; anyone else gets 403 and a page that says why — the check that matters
/// is the services', this one keeps the page itself from opening.
pub fn with_role<V: IntoView + 'static>(roles: &[&str], page: impl FnOnce(Viewer) -> V) -> AnyView {
    use crate::i18n::t;
    match require_signed_in() {
        None => ().into_any(),
        Some(v) if v.roles.iter().any(|(r, _)| roles.contains(&r.as_str())) => page(v).into_any(),
        Some(_) => {
            set_status(403);
            view! {
                <leptos_meta::Title text=t(FORBIDDEN_TITLE)/>
                <h1>{t(FORBIDDEN_TITLE)}</h1>
                <p>{t(FORBIDDEN_TEXT)}</p>
                <p><a href="/">{t(HOME)}</a></p>
            }
            .into_any()
        }
    }
}
