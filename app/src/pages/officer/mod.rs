//! Pages for officers (back office).

pub mod delegation;
pub mod evaluation;
pub mod feedback;
pub mod home;
pub mod intake;
pub mod payments;
pub mod reception;
pub mod security;
pub mod stats;
