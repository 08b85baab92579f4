//! Pages for agency and system administrators.

pub mod agencies;
pub mod audit;
pub mod holidays;
pub mod officers;
pub mod procedures;
mod widgets;
