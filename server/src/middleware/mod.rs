//! Layers every request passes through.

pub mod client_ip;
pub mod compression;
pub mod csrf;
pub mod errors;
pub mod metrics;
pub mod page_cache;
pub mod security_headers;
pub mod session;
