//! The dossier code people see, print and type: `<receiving unit's code>-<YYMMDD>-<NNNN>`,
//! e.g. `000.A0.01.H26-210212-9090` (DOMAIN.md, "Dossier code").
//!
//! * the unit is the [`AgencyCode`] of the unit that received the dossier;
//! * `YYMMDD` is the receipt date in Vietnam time, years 2000–2099;
//! * `NNNN` is that unit's daily sequence, 0001–9999 (allocated by the database).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::agency_code::{AgencyCode, AgencyCodeError};

/// A validated dossier code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCode {
    unit: AgencyCode,
    date: Date,
    seq: u16,
}

/// Why a dossier code cannot be built or parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum DossierCodeError {
    /// Not three parts separated by `-`, or contains whitespace.
    #[error("a dossier code looks like 000.00.01.H26-210212-0001")]
    InvalidFormat,
    /// The unit part is not an agency code.
    #[error("the unit part of the dossier code is invalid: {0}")]
    InvalidUnit(AgencyCodeError),
    /// The date part is not six digits forming a real date.
    #[error("the date part of the dossier code is not a valid YYMMDD date")]
    InvalidDate,
    /// The date is outside 2000–2099 (two-digit years cannot express it).
    #[error("a dossier code date must be in the years 2000–2099")]
    DateOutOfRange,
    /// The sequence is not 0001–9999.
    #[error("the daily sequence of a dossier code is 0001 to 9999")]
    InvalidSequence,
}

impl DossierCodeError {
    /// Stable snake_case code that the UI translates.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidFormat => "dossier_code_invalid_format",
            Self::InvalidUnit(_) => "dossier_code_invalid_unit",
            Self::InvalidDate => "dossier_code_invalid_date",
            Self::DateOutOfRange => "dossier_code_date_out_of_range",
            Self::InvalidSequence => "dossier_code_invalid_sequence",
        }
    }
}

/// Two ASCII digits → their value.
fn two_digits(s: &str) -> Option<u8> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None }
}

impl DossierCode {
    /// Builds the code for a dossier received by `unit` on `date` (Vietnam local date) with
    /// daily sequence `seq` (1–9999).
    pub fn new(unit: &AgencyCode, date: Date, seq: u16) -> Result<Self, DossierCodeError> {
        if !(2000..=2099).contains(&date.year()) {
            return Err(DossierCodeError::DateOutOfRange);
        }
        if !(1..=9999).contains(&seq) {
            return Err(DossierCodeError::InvalidSequence);
        }
        Ok(Self { unit: unit.clone(), date, seq })
    }

    /// Parses a code typed by a person: surrounding whitespace is trimmed and letters are
    /// upper-cased; whitespace inside is refused.
    pub fn parse(s: &str) -> Result<Self, DossierCodeError> {
        let s = s.trim().to_ascii_uppercase();
        if s.chars().any(char::is_whitespace) {
            return Err(DossierCodeError::InvalidFormat);
        }
        let parts: Vec<&str> = s.split('-').collect();
        let [unit, date, seq] = parts.as_slice() else {
            return Err(DossierCodeError::InvalidFormat);
        };
        let unit = AgencyCode::parse(unit).map_err(DossierCodeError::InvalidUnit)?;
        if date.len() != 6 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DossierCodeError::InvalidDate);
        }
        let yy = date.get(0..2).and_then(two_digits);
        let mm = date.get(2..4).and_then(two_digits);
        let dd = date.get(4..6).and_then(two_digits);
        let date = match (yy, mm, dd) {
            (Some(yy), Some(mm), Some(dd)) => Month::try_from(mm)
                .ok()
                .and_then(|m| Date::from_calendar_date(2000 + i32::from(yy), m, dd).ok())
                .ok_or(DossierCodeError::InvalidDate)?,
            _ => return Err(DossierCodeError::InvalidDate),
        };
        if seq.len() != 4 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DossierCodeError::InvalidSequence);
        }
        let seq: u16 = seq.parse().map_err(|_| DossierCodeError::InvalidSequence)?;
        Self::new(&unit, date, seq)
    }

    /// The receiving unit.
    pub fn unit(&self) -> &AgencyCode {
        &self.unit
    }

    /// The receipt date (Vietnam local date).
    pub fn date(&self) -> Date {
        self.date
    }

    /// The daily sequence number, 1–9999.
    pub fn seq(&self) -> u16 {
        self.seq
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}{:02}{:02}-{:04}",
            self.unit,
            self.date.year() % 100,
            u8::from(self.date.month()),
            self.date.day(),
            self.seq
        )
    }
}

impl TryFrom<String> for DossierCode {
    type Error = DossierCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DossierCode> for String {
    fn from(value: DossierCode) -> Self {
        value.to_string()
    }
}

impl std::str::FromStr for DossierCode {
    type Err = DossierCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn unit(s: &str) -> AgencyCode {
        AgencyCode::parse(s).unwrap()
    }

    #[test]
    fn parses_the_national_example() {
        let code = DossierCode::parse("000.A0.01.H26-210212-9090").unwrap();
        assert_eq!(code.unit().as_str(), "000.A0.01.H26");
        assert_eq!(code.date(), date!(2021 - 02 - 12));
        assert_eq!(code.seq(), 9090);
        assert_eq!(code.to_string(), "000.A0.01.H26-210212-9090");
    }

    #[test]
    fn builds_and_pads() {
        let code = DossierCode::new(&unit("G01.01.01.H26"), date!(2026 - 01 - 05), 7).unwrap();
        assert_eq!(code.to_string(), "G01.01.01.H26-260105-0007");
        let code = DossierCode::new(&unit("000.00.01.H26"), date!(2000 - 12 - 31), 9999).unwrap();
        assert_eq!(code.to_string(), "000.00.01.H26-001231-9999");
    }

    #[test]
    fn new_checks_bounds() {
        let u = unit("000.00.01.H26");
        assert_eq!(DossierCode::new(&u, date!(2026 - 01 - 05), 0), Err(DossierCodeError::InvalidSequence));
        assert_eq!(
            DossierCode::new(&u, date!(2026 - 01 - 05), 10_000),
            Err(DossierCodeError::InvalidSequence)
        );
        assert_eq!(DossierCode::new(&u, date!(1999 - 12 - 31), 1), Err(DossierCodeError::DateOutOfRange));
        assert_eq!(DossierCode::new(&u, date!(2100 - 01 - 01), 1), Err(DossierCodeError::DateOutOfRange));
    }

    #[test]
    fn parse_is_lenient_about_case_and_surrounding_space() {
        let code = DossierCode::parse("  000.a0.01.h26-210212-0001 ").unwrap();
        assert_eq!(code.to_string(), "000.A0.01.H26-210212-0001");
    }

    #[test]
    fn parse_errors() {
        use DossierCodeError as E;
        let cases = [
            ("", E::InvalidFormat),
            ("000.A0.01.H26", E::InvalidFormat),
            ("000.A0.01.H26-210212", E::InvalidFormat),
            ("000.A0.01.H26-210212-0001-1", E::InvalidFormat),
            ("000.A0.01.H26 -210212-0001", E::InvalidFormat),
            ("000.A0.01.H26-2102 12-0001", E::InvalidFormat),
            ("000.A0.01-210212-0001", E::InvalidUnit(AgencyCodeError::WrongGroupCount { count: 3 })),
            ("000.A0.01.H26-21021-0001", E::InvalidDate),
            ("000.A0.01.H26-2102123-0001", E::InvalidDate),
            ("000.A0.01.H26-210230-0001", E::InvalidDate),
            ("000.A0.01.H26-211301-0001", E::InvalidDate),
            ("000.A0.01.H26-210001-0001", E::InvalidDate),
            ("000.A0.01.H26-21O212-0001", E::InvalidDate),
            ("000.A0.01.H26-210212-0000", E::InvalidSequence),
            ("000.A0.01.H26-210212-001", E::InvalidSequence),
            ("000.A0.01.H26-210212-00001", E::InvalidSequence),
            ("000.A0.01.H26-210212-+001", E::InvalidSequence),
        ];
        for (input, expected) in cases {
            assert_eq!(DossierCode::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn leap_day() {
        assert!(DossierCode::parse("000.00.01.H26-240229-0001").is_ok());
        assert_eq!(DossierCode::parse("000.00.01.H26-250229-0001"), Err(DossierCodeError::InvalidDate));
    }

    #[test]
    fn error_codes() {
        assert_eq!(DossierCodeError::InvalidFormat.code(), "dossier_code_invalid_format");
        assert_eq!(
            DossierCodeError::InvalidUnit(AgencyCodeError::InvalidCharacter).code(),
            "dossier_code_invalid_unit"
        );
        assert_eq!(DossierCodeError::InvalidSequence.code(), "dossier_code_invalid_sequence");
    }

    #[test]
    fn serde_as_string() {
        let code = DossierCode::parse("000.A0.01.H26-210212-9090").unwrap();
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, "\"000.A0.01.H26-210212-9090\"");
        assert_eq!(serde_json::from_str::<DossierCode>(&json).unwrap(), code);
        assert!(serde_json::from_str::<DossierCode>("\"x-210212-9090\"").is_err());
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(
            days in 0i64..36_524, seq in 1u16..=9999,
            g in "[A-Z0-9]{3}\\.[A-Z0-9]{2}\\.[A-Z0-9]{2}\\.[A-Z0-9]{3}"
        ) {
            let d = date!(2000 - 01 - 01) + time::Duration::days(days);
            let code = DossierCode::new(&unit(&g), d, seq).unwrap();
            let text = code.to_string();
            prop_assert_eq!(DossierCode::parse(&text).unwrap(), code);
            prop_assert_eq!(DossierCode::parse(&text.to_lowercase()).unwrap().to_string(), text);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = DossierCode::parse(&s);
        }
    }
}
