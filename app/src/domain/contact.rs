//! Contact details: email address, Vietnamese phone number, a person's name.

use serde::{Deserialize, Serialize};

/// An email address, trimmed and lower-cased. The check is deliberately simple (one `@`, a
/// dotted domain, no spaces, at most 254 characters): the verification link does the rest.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Why an email address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Empty input.
    #[error("email_required")]
    Empty,
    /// Not of the form `name@domain.tld`.
    #[error("email_invalid")]
    Invalid,
}

impl Email {
    /// Parses and normalises an address.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(EmailError::Invalid);
        };
        let ok = s.len() <= 254
            && !local.is_empty()
            && local.len() <= 64
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';'));
        if ok { Ok(Email(s)) } else { Err(EmailError::Invalid) }
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// A Vietnamese phone number in national form (`+84`, spaces, dots and dashes are accepted
/// on input): a mobile number has 10 digits and starts with 03, 05, 07, 08 or 09; a
/// landline has 11 digits and starts with 02 (area code, e.g. 024 for Hà Nội).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

/// Why a phone number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Empty input.
    #[error("phone_required")]
    Empty,
    /// Neither a mobile nor a landline number.
    #[error("phone_invalid")]
    Invalid,
}

impl PhoneNumber {
    /// Parses `0912 345 678`, `0912.345.678`, `+84912345678` or `84912345678`.
    pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
        let compact: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let national = if let Some(rest) = compact.strip_prefix("+84") {
            format!("0{rest}")
        } else if (compact.len() == 11 || compact.len() == 12) && compact.starts_with("84") {
            format!("0{}", &compact[2..])
        } else {
            compact
        };
        let digits = national.chars().all(|c| c.is_ascii_digit());
        let mobile =
            national.len() == 10 && ["03", "05", "07", "08", "09"].iter().any(|p| national.starts_with(p));
        let landline = national.len() == 11 && national.starts_with("02");
        let ok = digits && (mobile || landline);
        if ok { Ok(PhoneNumber(national)) } else { Err(PhoneError::Invalid) }
    }

    /// The number in national form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

/// A person's full name as written on their identity card: 2 to 100 characters, letters
/// (any script, with diacritics), spaces, apostrophes, hyphens and dots. Inner whitespace
/// is collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

/// Why a name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonNameError {
    /// Empty input.
    #[error("name_required")]
    Empty,
    /// Longer than 100 characters or shorter than 2.
    #[error("name_length")]
    Length,
    /// Digits or symbols.
    #[error("name_characters")]
    Characters,
}

impl PersonName {
    /// Parses and normalises a name.
    pub fn parse(input: &str) -> Result<PersonName, PersonNameError> {
        let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err(PersonNameError::Empty);
        }
        let len = s.chars().count();
        if !(2..=100).contains(&len) {
            return Err(PersonNameError::Length);
        }
        if !s
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.') || is_combining_mark(c))
        {
            return Err(PersonNameError::Characters);
        }
        Ok(PersonName(s))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Combining diacritics (names typed in decomposed form).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

impl TryFrom<String> for PersonName {
    type Error = PersonNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PersonName::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(value: PersonName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  An.Nguyen@Example.VN ").map(|e| e.to_string()),
            Ok("an.nguyen@example.vn".into())
        );
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        for bad in ["no-at", "a@b", "a@.vn", "a@vn.", "a b@c.vn", "a@b@c.vn", "@c.vn", "a@c..vn", "<a@c.vn>"]
        {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
    }

    #[test]
    fn phones_accept_national_and_international_forms() {
        for ok in
            ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "84912345678", "024 3825 3535"]
        {
            assert!(PhoneNumber::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            PhoneNumber::parse("+84 912 345 678").map(|p| p.as_str().to_string()),
            Ok("0912345678".into())
        );
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Empty));
        assert_eq!(
            PhoneNumber::parse("+84 24 3825 3535").map(|p| p.as_str().to_string()),
            Ok("02438253535".into())
        );
        for bad in
            ["091234567", "09123456789", "1912345678", "0012345678", "09123x5678", "0112345678", "0243825353"]
        {
            assert_eq!(PhoneNumber::parse(bad), Err(PhoneError::Invalid), "{bad}");
        }
    }

    #[test]
    fn names_allow_vietnamese_and_collapse_spaces() {
        assert_eq!(
            PersonName::parse("  Nguyễn   Thị  Minh Khai ").map(|n| n.as_str().to_string()),
            Ok("Nguyễn Thị Minh Khai".into())
        );
        assert!(PersonName::parse("H'Hen Niê").is_ok());
        assert!(PersonName::parse("Nguye\u{0302}\u{0303}n Va\u{0306}n A").is_ok(), "decomposed diacritics");
        assert_eq!(PersonName::parse(" "), Err(PersonNameError::Empty));
        assert_eq!(PersonName::parse("A"), Err(PersonNameError::Length));
        assert_eq!(PersonName::parse("Nguyễn Văn 2"), Err(PersonNameError::Characters));
        assert_eq!(PersonName::parse("<script>"), Err(PersonNameError::Characters));
    }
}
