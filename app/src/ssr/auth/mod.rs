//! Authentication and access: passwords, sessions, second factor, rate limits, and the
//! access policy that every service asks before acting.

pub mod password;
pub mod policy;
pub mod session;
pub mod tokens;
pub mod totp;
