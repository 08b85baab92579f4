//! Citizen identity card number (số Căn cước công dân, CCCD): 12 digits.
//!
//! Structure (Circular 07/2016/TT-BCA, amended by Circular 59/2021/TT-BCA):
//!
//! | digits | meaning |
//! | --- | --- |
//! | 1–3 | province (or centrally governed city) where the birth was registered |
//! | 4 | century and sex: 0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th |
//! | 5–6 | last two digits of the year of birth |
//! | 7–12 | random serial |
//!
//! The number is personal data (Decree 13/2023): [`CitizenId`]'s `Debug` output is masked so it
//! does not leak into logs; use [`CitizenId::as_str`] or `Display` deliberately.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A validated 12-digit citizen identity number (CCCD).
///
/// Built only through [`CitizenId::parse`] / [`CitizenId::parse_at`] (serde goes through
/// `parse` too).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CitizenId(String);

/// Sex encoded in the 4th digit of a [`CitizenId`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Nam.
    Male,
    /// Nữ.
    Female,
}

/// Why a string is not a valid [`CitizenId`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CitizenIdError {
    /// Not exactly 12 characters after trimming.
    #[error("a citizen id has 12 digits, got {len} characters")]
    WrongLength {
        /// Number of characters received (after trimming).
        len: usize,
    },
    /// Contains something other than ASCII digits.
    #[error("a citizen id contains only digits")]
    NotDigits,
    /// The first three digits are not a province code.
    #[error("{code} is not a province code")]
    UnknownProvince {
        /// The three leading digits.
        code: String,
    },
    /// The encoded birth year is after the current year.
    #[error("birth year {birth_year} is after {current_year}")]
    BirthYearInFuture {
        /// Birth year encoded in the number.
        birth_year: i32,
        /// The year it was checked against.
        current_year: i32,
    },
}

impl CitizenIdError {
    /// Stable snake_case code that the UI translates.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongLength { .. } => "citizen_id_wrong_length",
            Self::NotDigits => "citizen_id_not_digits",
            Self::UnknownProvince { .. } => "citizen_id_unknown_province",
            Self::BirthYearInFuture { .. } => "citizen_id_birth_year_in_future",
        }
    }
}

/// Province codes of birth registration (Circular 07/2016/TT-BCA, Circular 59/2021/TT-BCA),
/// with their names. These are the 63 pre-2025 provinces; the 2025 merger of provinces does not
/// change numbers already issued.
pub const PROVINCES: [(&str, &str); 63] = [
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa – Vũng Tàu"),
    ("079", "TP Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
];

/// The province name for a 3-digit province code, if it is one.
pub fn province_name(code: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

impl CitizenId {
    /// Parses a citizen id: trims surrounding whitespace, then checks that it has exactly 12
    /// ASCII digits and a known province code. Every 4th digit (0–9) is a valid century/sex code,
    /// so no further check is possible without knowing the current year (see
    /// [`CitizenId::parse_at`]).
    pub fn parse(s: &str) -> Result<Self, CitizenIdError> {
        let s = s.trim();
        let len = s.chars().count();
        if len != 12 {
            return Err(CitizenIdError::WrongLength { len });
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CitizenIdError::NotDigits);
        }
        let code = s.get(0..3).unwrap_or_default();
        if province_name(code).is_none() {
            return Err(CitizenIdError::UnknownProvince { code: code.to_owned() });
        }
        Ok(Self(s.to_owned()))
    }

    /// Like [`CitizenId::parse`], and also rejects a birth year after `current_year`.
    ///
    /// The caller supplies the year (from its clock port) so that this stays pure.
    pub fn parse_at(s: &str, current_year: i32) -> Result<Self, CitizenIdError> {
        let id = Self::parse(s)?;
        let birth_year = id.birth_year();
        if birth_year > current_year {
            return Err(CitizenIdError::BirthYearInFuture { birth_year, current_year });
        }
        Ok(id)
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 3-digit province code of birth registration, e.g. `"001"` for Hà Nội.
    pub fn province_code(&self) -> &str {
        self.0.get(0..3).unwrap_or_default()
    }

    /// Name of the province of birth registration.
    pub fn province_name(&self) -> &'static str {
        province_name(self.province_code()).unwrap_or_default()
    }

    /// Value of the `i`-th digit (0-based). Always a digit by construction.
    fn digit(&self, i: usize) -> u8 {
        self.0.as_bytes().get(i).map_or(0, |b| b - b'0')
    }

    /// Sex encoded in the 4th digit (even = male, odd = female).
    pub fn sex(&self) -> Sex {
        if self.digit(3).is_multiple_of(2) { Sex::Male } else { Sex::Female }
    }

    /// Year of birth: century from the 4th digit (0/1 → 1900s, 2/3 → 2000s, …, 8/9 → 2300s)
    /// plus the 5th–6th digits.
    pub fn birth_year(&self) -> i32 {
        let century = 1900 + i32::from(self.digit(3) / 2) * 100;
        century + i32::from(self.digit(4)) * 10 + i32::from(self.digit(5))
    }

    /// A masked form safe for logs and screens that only need a hint: `001******345`.
    pub fn masked(&self) -> String {
        let head = self.0.get(0..3).unwrap_or_default();
        let tail = self.0.get(9..12).unwrap_or_default();
        format!("{head}******{tail}")
    }
}

impl fmt::Debug for CitizenId {
    /// Masked, so that ids do not end up in logs by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CitizenId({})", self.masked())
    }
}

impl fmt::Display for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CitizenId {
    type Error = CitizenIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CitizenId> for String {
    fn from(value: CitizenId) -> Self {
        value.0
    }
}

impl std::str::FromStr for CitizenId {
    type Err = CitizenIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_a_valid_id_and_exposes_its_parts() {
        let id = CitizenId::parse("001090012345").unwrap();
        assert_eq!(id.as_str(), "001090012345");
        assert_eq!(id.province_code(), "001");
        assert_eq!(id.province_name(), "Hà Nội");
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.birth_year(), 1990);
        assert_eq!(id.to_string(), "001090012345");
    }

    #[test]
    fn century_and_sex_digit_table() {
        let cases = [
            ('0', Sex::Male, 1985),
            ('1', Sex::Female, 1985),
            ('2', Sex::Male, 2085),
            ('3', Sex::Female, 2085),
            ('4', Sex::Male, 2185),
            ('5', Sex::Female, 2185),
            ('6', Sex::Male, 2285),
            ('7', Sex::Female, 2285),
            ('8', Sex::Male, 2385),
            ('9', Sex::Female, 2385),
        ];
        for (digit, sex, year) in cases {
            let id = CitizenId::parse(&format!("079{digit}85000001")).unwrap();
            assert_eq!(id.sex(), sex, "digit {digit}");
            assert_eq!(id.birth_year(), year, "digit {digit}");
        }
    }

    #[test]
    fn born_in_2000s() {
        let id = CitizenId::parse("048305123456").unwrap();
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.birth_year(), 2005);
        assert_eq!(id.province_name(), "Đà Nẵng");
    }

    #[test]
    fn trims_surrounding_whitespace() {
        let id = CitizenId::parse("  096190000001 \t").unwrap();
        assert_eq!(id.as_str(), "096190000001");
    }

    #[test]
    fn wrong_length() {
        assert_eq!(CitizenId::parse("00109001234"), Err(CitizenIdError::WrongLength { len: 11 }));
        assert_eq!(CitizenId::parse("0010900123456"), Err(CitizenIdError::WrongLength { len: 13 }));
        assert_eq!(CitizenId::parse(""), Err(CitizenIdError::WrongLength { len: 0 }));
        // inner spaces are not trimmed
        assert_eq!(CitizenId::parse("001 090 012 345"), Err(CitizenIdError::WrongLength { len: 15 }));
    }

    #[test]
    fn not_digits() {
        assert_eq!(CitizenId::parse("00109001234a"), Err(CitizenIdError::NotDigits));
        // non-ASCII digits (Arabic-Indic) are refused, counted as characters not bytes
        assert_eq!(CitizenId::parse("00109001234٣"), Err(CitizenIdError::NotDigits));
    }

    #[test]
    fn unknown_province() {
        for code in ["000", "003", "005", "097", "099", "100", "999"] {
            assert_eq!(
                CitizenId::parse(&format!("{code}090012345")),
                Err(CitizenIdError::UnknownProvince { code: code.to_owned() })
            );
        }
    }

    #[test]
    fn every_listed_province_is_accepted() {
        for (code, _) in PROVINCES {
            let id = CitizenId::parse(&format!("{code}090012345")).unwrap();
            assert_eq!(id.province_code(), code);
        }
        assert_eq!(PROVINCES.len(), 63);
        let mut codes: Vec<_> = PROVINCES.iter().map(|(c, _)| *c).collect();
        codes.dedup();
        assert_eq!(codes.len(), 63, "codes are sorted and unique");
    }

    #[test]
    fn parse_at_rejects_future_birth_years() {
        assert!(CitizenId::parse_at("001226000001", 2026).is_ok());
        assert_eq!(
            CitizenId::parse_at("001227000001", 2026),
            Err(CitizenIdError::BirthYearInFuture { birth_year: 2027, current_year: 2026 })
        );
        assert!(matches!(
            CitizenId::parse_at("001450000001", 2026),
            Err(CitizenIdError::BirthYearInFuture { birth_year: 2150, .. })
        ));
        assert!(CitizenId::parse_at("001099000001", 2026).is_ok());
        // format errors come first
        assert_eq!(CitizenId::parse_at("12", 2026), Err(CitizenIdError::WrongLength { len: 2 }));
    }

    #[test]
    fn error_codes_are_stable_and_distinct() {
        let errors = [
            CitizenIdError::WrongLength { len: 1 },
            CitizenIdError::NotDigits,
            CitizenIdError::UnknownProvince { code: "000".into() },
            CitizenIdError::BirthYearInFuture { birth_year: 2030, current_year: 2026 },
        ];
        let codes: Vec<_> = errors.iter().map(CitizenIdError::code).collect();
        assert_eq!(
            codes,
            [
                "citizen_id_wrong_length",
                "citizen_id_not_digits",
                "citizen_id_unknown_province",
                "citizen_id_birth_year_in_future"
            ]
        );
    }

    #[test]
    fn debug_is_masked() {
        let id = CitizenId::parse("001090012345").unwrap();
        let debug = format!("{id:?}");
        assert_eq!(debug, "CitizenId(001******345)");
        assert!(!debug.contains("090012"));
    }

    #[test]
    fn serde_goes_through_parse() {
        let id: CitizenId = serde_json::from_str("\"001090012345\"").unwrap();
        assert_eq!(id.as_str(), "001090012345");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"001090012345\"");
        assert!(serde_json::from_str::<CitizenId>("\"000090012345\"").is_err());
        assert!(serde_json::from_str::<CitizenId>("\"12345\"").is_err());
    }

    proptest! {
        #[test]
        fn any_listed_province_with_any_tail_parses(
            p in 0usize..63, century in 0u8..10, tail in "[0-9]{8}"
        ) {
            let (code, _) = PROVINCES[p];
            let s = format!("{code}{century}{tail}");
            let id = CitizenId::parse(&s).unwrap();
            prop_assert_eq!(id.as_str(), s.as_str());
            let yy: i32 = tail[0..2].parse().unwrap();
            prop_assert_eq!(id.birth_year(), 1900 + i32::from(century / 2) * 100 + yy);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = CitizenId::parse(&s);
        }
    }
}
