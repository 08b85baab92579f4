//! The application state shared by every request.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::ssr::db::Db;
use crate::ssr::ports::Clock;
use crate::ssr::storage::BlobStore;

/// Where the portal runs; production turns on secure cookies, HSTS and strict checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// A laptop or a test: plain HTTP on loopback, demo data allowed.
    Development,
    /// A real deployment behind HTTPS.
    Production,
}

impl Environment {
    /// Whether this is a production deployment.
    pub fn is_production(self) -> bool {
        self == Environment::Production
    }
}

/// Settings that pages and services need at run time (a subset of the server's settings).
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// Development or production.
    pub environment: Environment,
    /// The origin people reach the portal at, e.g. `https://dichvucong.example.gov.vn`;
    /// used in links sent by email and for the same-origin check.
    pub public_url: String,
    /// Whether cookies carry `Secure` (production or an https origin).
    pub secure_cookies: bool,
    /// Cap on one uploaded file, in bytes.
    pub max_file_bytes: u64,
    /// Cap on all the files of one dossier, in bytes.
    pub max_dossier_bytes: u64,
    /// The payment gateway (VNPay protocol; the sandbox by default in development).
    pub vnpay: crate::ssr::payments::vnpay::VnpayConfig,
    /// Online orders still pending after this many minutes are checked with the gateway
    /// (QueryDR) by the reconciliation job, and expired when the gateway has no payment.
    pub payment_reconcile_after_minutes: i64,
    /// Calls per minute allowed to one API token (issue #10).
    pub api_rate_per_minute: i64,
    /// Whether webhook endpoints may be plain `http://` on loopback (tests, development).
    pub webhook_allow_loopback_http: bool,
    /// The style sheet pages link: `/pkg/motcua.<hash>.css` when the build wrote content-hashed
    /// copies (cached for a year), else `/pkg/motcua.css` (revalidated).
    pub stylesheet: String,
    /// The module script that loads the wasm and hydrates the islands, and the wasm, named
    /// the same way (`components::islands`).
    pub script: String,
    pub wasm: String,
}

/// Everything a request handler may need; cheap to clone: one reference count.
///
/// axum and Leptos clone the state many times a request (every layer of the router clones
/// the service below it, and each handler holds the state): with the fields themselves
/// cloned, that was about a hundred clones of [`LeptosOptions`], the blob store's paths and
/// the pools per page, a tenth of a lookup's CPU time (callgrind, 2026-12-02). The fields are
/// reached through `Deref` as before (`state.db`, `state.config`).
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl AppState {
    /// The state made of its parts.
    pub fn new(inner: AppStateInner) -> AppState {
        AppState(Arc::new(inner))
    }

    /// The same state on another clock (the demo data is filed in the past).
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> AppState {
        AppState::new(AppStateInner { clock, ..AppStateInner::clone(&self.0) })
    }
}

impl std::ops::Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// The parts of [`AppState`].
#[derive(Clone)]
pub struct AppStateInner {
    /// Leptos' own options (site root, package directory, output name).
    pub leptos_options: LeptosOptions,
    /// The database (SQLite or PostgreSQL).
    pub db: Db,
    /// Run-time settings.
    pub config: Arc<RuntimeConfig>,
    /// The time source.
    pub clock: Arc<dyn Clock>,
    /// Uploaded scans and issued results.
    pub blobs: BlobStore,
    /// The public pages as visitors who are not signed in see them, for a few seconds.
    pub pages: Arc<crate::ssr::page_cache::PageCache>,
    /// Rate limits counted in this process's memory (the public lookup).
    pub limits: Arc<crate::ssr::local_limits::LocalLimits>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
