//! Agency identification code (mã định danh cơ quan) of a receiving or deciding unit, in the
//! national standard's form (QCVN 102:2016/BTTTT), e.g. `000.00.01.H26`, `G01.01.01.H26`,
//! `000.A0.01.H26`.
//!
//! Accepted grammar (shape only — which codes exist is data, not code):
//!
//! ```text
//! agency-code = group3 "." group2 "." group2 "." group3
//! group3      = 3 * code-char
//! group2      = 2 * code-char
//! code-char   = "A"…"Z" / "0"…"9"
//! ```
//!
//! The standard reads the groups right to left from the top-level unit (a province or ministry
//! in the last group) down to lower levels; `0`s stand for "no unit at this level". Input is
//! trimmed and upper-cased before checking, so ` 000.a0.01.h26 ` is accepted as
//! `000.A0.01.H26`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The required length of each dot-separated group.
const GROUP_LENGTHS: [usize; 4] = [3, 2, 2, 3];

/// A validated agency code, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

/// Why a string is not a valid [`AgencyCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AgencyCodeError {
    /// Not four dot-separated groups.
    #[error("an agency code has 4 groups separated by dots, got {count}")]
    WrongGroupCount {
        /// Number of groups found.
        count: usize,
    },
    /// A group has the wrong length.
    #[error("group {group} of an agency code has {expected} characters, got {got}")]
    WrongGroupLength {
        /// 1-based group number.
        group: usize,
        /// Required length.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A character other than A–Z or 0–9.
    #[error("an agency code contains only letters A–Z, digits and dots")]
    InvalidCharacter,
}

impl AgencyCodeError {
    /// Stable snake_case code that the UI translates.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongGroupCount { .. } => "agency_code_wrong_group_count",
            Self::WrongGroupLength { .. } => "agency_code_wrong_group_length",
            Self::InvalidCharacter => "agency_code_invalid_character",
        }
    }
}

impl AgencyCode {
    /// Parses an agency code (see the module documentation for the grammar).
    pub fn parse(s: &str) -> Result<Self, AgencyCodeError> {
        let s = s.trim().to_ascii_uppercase();
        let groups: Vec<&str> = s.split('.').collect();
        if groups.len() != GROUP_LENGTHS.len() {
            return Err(AgencyCodeError::WrongGroupCount { count: groups.len() });
        }
        for (i, (group, expected)) in groups.iter().zip(GROUP_LENGTHS).enumerate() {
            if !group.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                return Err(AgencyCodeError::InvalidCharacter);
            }
            if group.len() != expected {
                return Err(AgencyCodeError::WrongGroupLength { group: i + 1, expected, got: group.len() });
            }
        }
        Ok(Self(s))
    }

    /// The code, e.g. `000.00.01.H26`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The four groups, left to right.
    pub fn groups(&self) -> Vec<&str> {
        self.0.split('.').collect()
    }
}

impl fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AgencyCode {
    type Error = AgencyCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<AgencyCode> for String {
    fn from(value: AgencyCode) -> Self {
        value.0
    }
}

impl std::str::FromStr for AgencyCode {
    type Err = AgencyCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_national_examples() {
        for s in ["000.00.01.H26", "G01.01.01.H26", "000.A0.01.H26", "H26.00.00.000"] {
            assert_eq!(AgencyCode::parse(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn normalises_case_and_whitespace() {
        let code = AgencyCode::parse("  000.a0.01.h26\n").unwrap();
        assert_eq!(code.as_str(), "000.A0.01.H26");
        assert_eq!(code.to_string(), "000.A0.01.H26");
        assert_eq!(code.groups(), ["000", "A0", "01", "H26"]);
    }

    #[test]
    fn rejects_wrong_group_counts() {
        assert_eq!(AgencyCode::parse("000.00.01"), Err(AgencyCodeError::WrongGroupCount { count: 3 }));
        assert_eq!(AgencyCode::parse("000.00.01.H26.1"), Err(AgencyCodeError::WrongGroupCount { count: 5 }));
        assert_eq!(AgencyCode::parse(""), Err(AgencyCodeError::WrongGroupCount { count: 1 }));
    }

    #[test]
    fn rejects_wrong_group_lengths() {
        assert_eq!(
            AgencyCode::parse("00.00.01.H26"),
            Err(AgencyCodeError::WrongGroupLength { group: 1, expected: 3, got: 2 })
        );
        assert_eq!(
            AgencyCode::parse("000.000.01.H26"),
            Err(AgencyCodeError::WrongGroupLength { group: 2, expected: 2, got: 3 })
        );
        assert_eq!(
            AgencyCode::parse("000.00.1.H26"),
            Err(AgencyCodeError::WrongGroupLength { group: 3, expected: 2, got: 1 })
        );
        assert_eq!(
            AgencyCode::parse("000.00.01.H2"),
            Err(AgencyCodeError::WrongGroupLength { group: 4, expected: 3, got: 2 })
        );
        assert_eq!(
            AgencyCode::parse("000..01.H26"),
            Err(AgencyCodeError::WrongGroupLength { group: 2, expected: 2, got: 0 })
        );
    }

    #[test]
    fn rejects_other_characters() {
        for s in ["000.00.01.H-6", "000.00.01.Đ26", "000.0 .01.H26", "000.00.01.H_6"] {
            assert_eq!(AgencyCode::parse(s), Err(AgencyCodeError::InvalidCharacter), "{s}");
        }
    }

    #[test]
    fn error_codes() {
        assert_eq!(AgencyCodeError::WrongGroupCount { count: 1 }.code(), "agency_code_wrong_group_count");
        assert_eq!(AgencyCodeError::InvalidCharacter.code(), "agency_code_invalid_character");
    }

    #[test]
    fn serde_validates() {
        let code: AgencyCode = serde_json::from_str("\"g01.01.01.h26\"").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"G01.01.01.H26\"");
        assert!(serde_json::from_str::<AgencyCode>("\"G01\"").is_err());
    }
}
