//! Server functions, grouped by audience and capability. They stay thin: authorise, parse
//! into domain types, call a service in `crate::ssr::services`, map the result.
