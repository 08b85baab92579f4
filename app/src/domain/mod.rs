//! Pure domain types and rules of MotCua, shared by the server and the browser (wasm).
//!
//! No IO, no clock, no threads: callers pass "now" in. Every type with an invariant has private
//! fields and one checked constructor (parse, don't validate); serde goes through it. Every
//! error has a stable snake_case `code()` that the UI translates.

#![deny(clippy::unwrap_used, clippy::expect_used)]
#![warn(missing_docs)]

pub mod agency_code;
pub mod calendar;
pub mod citizen_id;
pub mod contact;
pub mod document;
pub mod dossier_code;
pub mod dossier_status;
pub mod fees;
pub mod form;
pub mod money;
pub mod procedure;
pub mod quality;
pub mod search;
pub mod tax_code;
pub mod webhook;

pub use agency_code::{AgencyCode, AgencyCodeError};
pub use calendar::{
    Calendar, CalendarError, Holiday, Timeliness, VIETNAM_OFFSET, WorkingHours, WorkingSession,
    vietnam_extra_working_days, vietnam_holidays,
};
pub use citizen_id::{CitizenId, CitizenIdError, Sex};
pub use contact::{Email, EmailError, PersonName, PersonNameError, PhoneError, PhoneNumber};
pub use dossier_code::{DossierCode, DossierCodeError};
pub use dossier_status::{
    DossierAction, DossierState, DossierStatus, Stage, TransitionError, UnknownStatusCode, WithdrawableState,
    can_transition,
};
pub use form::{
    ChoiceOption, FieldDef, FieldError, FieldKind, FieldProblem, FieldValue, FormDefError, Requirement,
    check_defs, validate,
};
pub use money::{Money, MoneyError};
pub use tax_code::{TaxCode, TaxCodeError};

/// `YYYY-MM-DD` serde for `Date` (`#[serde(with = "iso_date")]`) and `Option<Date>`
/// (`iso_date::option`), shared by the modules. Hand-written because `time`'s generated
/// `option` module rejects `null` inside internally tagged enums.
pub(crate) mod iso_date {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;
    use time::macros::format_description;

    /// `2026-02-17`; before year 1 a sign and four digits (`-0005-01-01`), as [`parse`]
    /// reads them (`{:04}` alone wrote `-005`, which did not parse back, so a form whose date
    /// bound an administrator typed as `-0005-01-01` could be saved but not loaded again).
    pub(crate) fn format(d: Date) -> String {
        let sign = if d.year() < 0 { "-" } else { "" };
        format!("{sign}{:04}-{:02}-{:02}", d.year().unsigned_abs(), u8::from(d.month()), d.day())
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub(crate) fn parse(s: &str) -> Result<Date, time::error::Parse> {
        Date::parse(s, format_description!("[year]-[month]-[day]"))
    }

    pub(crate) fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*d))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).map_err(D::Error::custom)
    }

    /// The same for `Option<Date>` (`null` is `None`).
    pub(crate) mod option {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&format(*d)),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            Option::<String>::deserialize(d)?.map(|s| parse(&s).map_err(D::Error::custom)).transpose()
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use time::{Date, Month};

    #[test]
    fn iso_dates_round_trip_in_every_representable_year() {
        for year in [-9999, -5, -1, 0, 5, 999, 2026, 9999] {
            let d = Date::from_calendar_date(year, Month::February, 17).unwrap();
            let text = super::iso_date::format(d);
            assert_eq!(super::iso_date::parse(&text).unwrap(), d, "{text}");
        }
        assert_eq!(
            super::iso_date::format(Date::from_calendar_date(-5, Month::January, 1).unwrap()),
            "-0005-01-01"
        );
        assert_eq!(
            super::iso_date::format(Date::from_calendar_date(5, Month::January, 1).unwrap()),
            "0005-01-01"
        );
    }
}
