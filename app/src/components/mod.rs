//! Reusable view pieces.

pub mod layout;
pub mod nav_menu;
