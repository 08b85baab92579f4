//! Pages for everyone, signed in or not.

pub mod catalogue;
pub mod feedback;
pub mod home;
pub mod login;
pub mod lookup;
pub mod register;
pub mod statistics;
pub mod verify;
