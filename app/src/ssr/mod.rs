//! Server-only code (feature `ssr`): never compiled into the WebAssembly.
//!
//! `db/` holds every SQL statement, `state` the per-process application state that the
//! server hands to pages and server functions through Leptos context.

pub mod auth;
pub mod db;
pub mod local_limits;
pub mod mail;
pub mod page_cache;
pub mod payments;
pub mod pdf;
pub mod ports;
pub mod scanner;
pub mod security;
pub mod services;
pub mod state;
pub mod storage;
