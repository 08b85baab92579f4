//! Tax identification number (mã số thuế, MST) of an enterprise, organisation or household.
//!
//! * 10 digits `N1 N2 N3 … N9 C`: `N1N2` is the province where it was first registered,
//!   `N3…N9` a serial from 0000001 to 9999999, `C` a check digit;
//! * 13 digits for a dependent unit (branch, representative office): the parent's 10 digits,
//!   a dash, and a 3-digit branch number from 001 to 999, e.g. `0100109106-001`.
//!
//! Check digit (the published algorithm, also used by python-stdnum's `vn.mst`): multiply
//! digits 1–9 by the weights `31, 29, 23, 19, 17, 13, 7, 5, 3`, add the products, and take
//! `C = 10 - (sum mod 11)`. When `sum mod 11 == 0` the result would be 10, which is not a digit:
//! such serials are never issued, so the number is invalid.
//!
//! Worked example, Viettel `0100109106`: `0·31 + 1·29 + 0·23 + 0·19 + 1·17 + 0·13 + 9·7 + 1·5 +
//! 0·3 = 114`, `114 mod 11 = 4`, `10 − 4 = 6` = the 10th digit.
//!
//! Not handled here: since 1 July 2025 individuals use their 12-digit [`CitizenId`] as their
//! personal tax code (Circular 86/2024/TT-BTC); a form that accepts either should try both types.
//!
//! [`CitizenId`]: super::CitizenId

use std::fmt;

use serde::{Deserialize, Serialize};

/// The check-digit weights applied to digits 1–9.
const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/// A validated tax code, stored normalised as `NNNNNNNNNN` or `NNNNNNNNNN-NNN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaxCode(String);

/// Why a string is not a valid [`TaxCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxCodeError {
    /// Not 10 digits, 13 digits, or 10 digits, a dash and 3 digits.
    #[error("a tax code has 10 digits, or 13 digits written NNNNNNNNNN-NNN")]
    InvalidFormat,
    /// The serial (digits 3–9) is all zeros.
    #[error("the serial part of a tax code cannot be 0000000")]
    ZeroSerial,
    /// The 10th digit does not match digits 1–9.
    #[error("the check digit of the tax code does not match")]
    BadChecksum,
    /// The 3-digit branch suffix is 000.
    #[error("the branch number of a tax code is 001 to 999")]
    BadBranch,
}

impl TaxCodeError {
    /// Stable snake_case code that the UI translates.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidFormat => "tax_code_invalid_format",
            Self::ZeroSerial => "tax_code_zero_serial",
            Self::BadChecksum => "tax_code_bad_checksum",
            Self::BadBranch => "tax_code_bad_branch",
        }
    }
}

/// The check digit for the first nine digits, or `None` when no digit fits (sum ≡ 0 mod 11).
/// `first9` must be nine ASCII digits.
fn check_digit(first9: &[u8]) -> Option<u8> {
    let sum: u32 = first9.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let c = 10 - (sum % 11);
    u8::try_from(c).ok().filter(|c| *c < 10)
}

impl TaxCode {
    /// Parses a tax code. Surrounding whitespace is trimmed and spaces or dots inside are
    /// ignored (people type `0100 109 106` or `01.00.109.106`); the branch part may be written
    /// with or without the dash. Checks, in order: shape, non-zero serial, check digit, branch.
    pub fn parse(s: &str) -> Result<Self, TaxCodeError> {
        let compact: String = s.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
        let compact = compact.trim();
        if !compact.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return Err(TaxCodeError::InvalidFormat);
        }
        let (base, branch) = match compact.split_once('-') {
            Some((base, branch)) if base.len() == 10 && branch.len() == 3 => (base, Some(branch)),
            Some(_) => return Err(TaxCodeError::InvalidFormat),
            None if compact.len() == 10 => (compact, None),
            None if compact.len() == 13 => (compact.get(..10).unwrap_or_default(), compact.get(10..)),
            None => return Err(TaxCodeError::InvalidFormat),
        };
        if base.contains('-') || branch.is_some_and(|b| b.contains('-')) {
            return Err(TaxCodeError::InvalidFormat);
        }
        let bytes = base.as_bytes();
        if bytes.get(2..9).is_some_and(|s| s.iter().all(|b| *b == b'0')) {
            return Err(TaxCodeError::ZeroSerial);
        }
        let expected = bytes.get(..9).and_then(check_digit);
        if expected.is_none() || expected.map(|d| d + b'0') != bytes.get(9).copied() {
            return Err(TaxCodeError::BadChecksum);
        }
        match branch {
            Some("000") => Err(TaxCodeError::BadBranch),
            Some(branch) => Ok(Self(format!("{base}-{branch}"))),
            None => Ok(Self(base.to_owned())),
        }
    }

    /// The normalised form: `NNNNNNNNNN` or `NNNNNNNNNN-NNN`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 10-digit code of the enterprise itself (the parent, for a branch).
    pub fn base(&self) -> &str {
        self.0.get(..10).unwrap_or_default()
    }

    /// The branch number (1–999) of a dependent unit, `None` for a 10-digit code.
    pub fn branch(&self) -> Option<u16> {
        self.0.get(11..14).and_then(|b| b.parse().ok())
    }

    /// The 2-digit province part (where the code was first registered).
    pub fn province_part(&self) -> &str {
        self.0.get(..2).unwrap_or_default()
    }
}

impl fmt::Display for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TaxCode {
    type Error = TaxCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TaxCode> for String {
    fn from(value: TaxCode) -> Self {
        value.0
    }
}

impl std::str::FromStr for TaxCode {
    type Err = TaxCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Publicly listed codes of well-known enterprises and branches.
    const REAL_CODES: [&str; 16] = [
        "0100109106",     // Viettel
        "0100686209",     // from the brief
        "0300588569",     // Vinamilk
        "0101248141",     // FPT
        "0100112437",     // Vietcombank
        "0101245486",     // Vingroup
        "0900189284",     // Hòa Phát
        "0100233488",     // python-stdnum example
        "0302082048",     // python-stdnum list
        "0314409058-002", // branch
        "2000102580-005", // branch
        "0102641429-066", // branch
        "3100104093-009", // branch
        "5800199577-002", // branch
        "0100112437011",  // branch without dash
        "8463763902",     // personal tax code (10 digits, 8x)
    ];

    #[test]
    fn real_codes_pass() {
        for code in REAL_CODES {
            assert!(TaxCode::parse(code).is_ok(), "{code} should be valid");
        }
    }

    #[test]
    fn worked_example_check_digit() {
        assert_eq!(check_digit(b"010010910"), Some(6));
        assert_eq!(check_digit(b"030058856"), Some(9));
    }

    #[test]
    fn sum_divisible_by_11_has_no_check_digit() {
        // 1·31 + 1·13 = 44 ≡ 0 (mod 11)
        assert_eq!(check_digit(b"100001000"), None);
        for last in b'0'..=b'9' {
            let s = format!("100001000{}", char::from(last));
            assert_eq!(TaxCode::parse(&s), Err(TaxCodeError::BadChecksum), "{s}");
        }
    }

    #[test]
    fn the_brief_example_0302030100_fails_the_check_digit() {
        // 3·29 + 2·19 + 3·13 + 1·5 = 169, 169 mod 11 = 4, so the check digit would be 6, not 0.
        assert_eq!(check_digit(b"030203010"), Some(6));
        assert_eq!(TaxCode::parse("0302030100"), Err(TaxCodeError::BadChecksum));
        assert!(TaxCode::parse("0302030106").is_ok());
    }

    #[test]
    fn every_wrong_check_digit_is_rejected() {
        for d in (0..10).filter(|d| *d != 6) {
            let s = format!("010010910{d}");
            assert_eq!(TaxCode::parse(&s), Err(TaxCodeError::BadChecksum), "{s}");
        }
    }

    #[test]
    fn normalises_branch_codes() {
        let with_dash = TaxCode::parse("0314409058-002").unwrap();
        let without = TaxCode::parse("0314409058002").unwrap();
        assert_eq!(with_dash, without);
        assert_eq!(without.as_str(), "0314409058-002");
        assert_eq!(without.base(), "0314409058");
        assert_eq!(without.branch(), Some(2));
        assert_eq!(without.province_part(), "03");
        assert_eq!(without.to_string(), "0314409058-002");
    }

    #[test]
    fn plain_code_has_no_branch() {
        let code = TaxCode::parse(" 0100109106 ").unwrap();
        assert_eq!(code.as_str(), "0100109106");
        assert_eq!(code.base(), "0100109106");
        assert_eq!(code.branch(), None);
    }

    #[test]
    fn tolerates_spaces_and_dots_inside() {
        assert_eq!(TaxCode::parse("01.00.112.437").unwrap().as_str(), "0100112437");
        assert_eq!(TaxCode::parse("0312 68 78 78 - 001").unwrap().as_str(), "0312687878-001");
    }

    #[test]
    fn branch_999_accepted_000_rejected() {
        assert_eq!(TaxCode::parse("0100109106-999").unwrap().branch(), Some(999));
        assert_eq!(TaxCode::parse("0100109106-000"), Err(TaxCodeError::BadBranch));
        assert_eq!(TaxCode::parse("0100109106000"), Err(TaxCodeError::BadBranch));
    }

    #[test]
    fn bad_shapes() {
        for s in [
            "",
            "12345",
            "010010910",
            "01001091066",
            "0100109106-01",
            "0100109106-0001",
            "010010910-6001",
            "0100109106--001",
            "0100109106-00a",
            "VV34567890",
            "01001091O6",
            "0100109106-",
            "-0100109106",
            "01001091066001",
        ] {
            assert_eq!(TaxCode::parse(s), Err(TaxCodeError::InvalidFormat), "{s:?}");
        }
    }

    #[test]
    fn zero_serial_rejected() {
        // 0·31 + 1·29 = 29 ≡ 7 → check digit 3; still rejected because 0000000 is not a serial.
        assert_eq!(TaxCode::parse("0100000003"), Err(TaxCodeError::ZeroSerial));
    }

    #[test]
    fn error_codes() {
        assert_eq!(TaxCodeError::InvalidFormat.code(), "tax_code_invalid_format");
        assert_eq!(TaxCodeError::BadChecksum.code(), "tax_code_bad_checksum");
        assert_eq!(TaxCodeError::BadBranch.code(), "tax_code_bad_branch");
        assert_eq!(TaxCodeError::ZeroSerial.code(), "tax_code_zero_serial");
    }

    #[test]
    fn serde_round_trip_through_parse() {
        let code: TaxCode = serde_json::from_str("\"0314409058002\"").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"0314409058-002\"");
        assert!(serde_json::from_str::<TaxCode>("\"0100109107\"").is_err());
    }

    proptest! {
        #[test]
        fn exactly_one_check_digit_fits(first9 in "[0-9]{2}[1-9][0-9]{6}") {
            let valid: Vec<u8> = (0..10)
                .filter(|d| TaxCode::parse(&format!("{first9}{d}")).is_ok())
                .collect();
            prop_assert!(valid.len() <= 1);
            prop_assert_eq!(valid.first().copied(), check_digit(first9.as_bytes()));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = TaxCode::parse(&s);
        }
    }
}
