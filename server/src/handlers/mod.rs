//! Plain axum handlers (outside Leptos): operations endpoints and small form targets.

pub mod health;
pub mod language;
