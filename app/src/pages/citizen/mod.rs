//! Pages for signed-in citizens and business members.

pub mod account;
pub mod api_access;
pub mod dossiers;
pub mod feedback;
pub mod organisations;
