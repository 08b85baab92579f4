//! Pages for agency and system administrators.

pub mod officers;
