//! MotCua: the Leptos application, compiled twice.
//!
//! * with feature `ssr` it is linked into the `server` binary: pages render on the server and
//!   server-only code lives in [`ssr`] (database, services, authentication);
//! * with feature `hydrate` it becomes the browser's WebAssembly: only the `#[island]`
//!   components are shipped and hydrated (Leptos islands), everything else stays HTML.
//!
//! Folder map: `domain/` pure types and rules (both targets), `i18n` the bilingual texts,
//! `components/` reusable view pieces, `pages/` one folder per audience, `api/` server
//! functions, `ssr/` server-only code.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

/// Entry point of the browser build: hydrates the islands rendered by the server.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
