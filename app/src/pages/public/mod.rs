//! Pages for everyone, signed in or not.

pub mod home;
