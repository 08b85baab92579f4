//! Pages for officers (back office).

pub mod home;
pub mod payments;
pub mod reception;
pub mod security;
