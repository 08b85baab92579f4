//! Pages, one folder per audience (public, citizen, officer, admin), a file per page.

pub mod admin;
pub mod citizen;
pub mod loader;
pub mod not_found;
pub mod officer;
pub mod public;
