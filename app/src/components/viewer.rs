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
