//! Reusable view pieces.

pub mod chart;
pub mod form;
pub mod islands;
pub mod layout;
pub mod live_form;
pub mod nav_menu;
pub mod payment;
pub mod rating;
pub mod roles;
pub mod upload;
pub mod viewer;
