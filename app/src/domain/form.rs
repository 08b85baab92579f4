//! Application-form field definitions and their validation, shared by the server (which is the
//! authority) and the browser (which gives early feedback with the same code).
//!
//! Forms are data: each procedure version stores its list of [`FieldDef`]s (as JSON), edited by
//! administrators without a release. [`validate`] turns the submitted strings (HTML forms send
//! strings) into typed [`FieldValue`]s, or reports every problem at once as [`FieldError`]s,
//! each with a stable code, parameters, and ready-made Vietnamese and English messages.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::Date;

use super::citizen_id::{CitizenId, CitizenIdError};
use super::iso_date;
use super::tax_code::{TaxCode, TaxCodeError};

/// Longest accepted address, in characters.
pub const ADDRESS_MAX_LEN: u32 = 500;

/// One field of an application form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldDef {
    /// Stable key, the form control's `name` (e.g. `full_name`); unique within the form.
    pub key: String,
    /// Vietnamese label, e.g. `Họ và tên`.
    pub label_vi: String,
    /// English label, e.g. `Full name`.
    pub label_en: String,
    /// What kind of value the field takes, with its constraints.
    pub kind: FieldKind,
    /// Whether the field must be filled in (for a checkbox: ticked).
    #[serde(default)]
    pub required: bool,
    /// Help text shown under the field, in Vietnamese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_vi: Option<String>,
    /// Help text in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_en: Option<String>,
}

/// The kind of a field and its constraints. JSON: `{"type": "text", "max_len": 100}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text, trimmed; lengths in characters.
    Text {
        /// Minimum length, if any.
        #[serde(default)]
        min_len: Option<u32>,
        /// Maximum length, if any.
        #[serde(default)]
        max_len: Option<u32>,
    },
    /// A whole number (`i64`), e.g. a number of copies or an area in m².
    Number {
        /// Smallest accepted value, if any.
        #[serde(default)]
        min: Option<i64>,
        /// Largest accepted value, if any.
        #[serde(default)]
        max: Option<i64>,
    },
    /// A date written `YYYY-MM-DD` (what `<input type="date">` sends).
    Date {
        /// Earliest accepted date, if any.
        #[serde(default, with = "iso_date::option")]
        min: Option<Date>,
        /// Latest accepted date, if any.
        #[serde(default, with = "iso_date::option")]
        max: Option<Date>,
    },
    /// One of a fixed list of options (radio buttons or a select).
    Choice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
    },
    /// A tick box (`on`/`true`/`1`/`yes` when ticked; absent or empty when not).
    Checkbox,
    /// A citizen identity number ([`CitizenId`]).
    CitizenId,
    /// A tax code ([`TaxCode`]).
    TaxCode,
    /// A postal address, free text up to [`ADDRESS_MAX_LEN`] characters.
    Address,
}

/// One option of a [`FieldKind::Choice`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// The submitted value.
    pub value: String,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
}

/// A validated value, typed by its field's kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    /// Trimmed text.
    Text(String),
    /// A whole number.
    Number(i64),
    /// A date.
    Date(#[serde(with = "iso_date")] Date),
    /// The chosen option's value.
    Choice(String),
    /// Whether the box is ticked.
    Checkbox(bool),
    /// A citizen identity number.
    CitizenId(CitizenId),
    /// A tax code.
    TaxCode(TaxCode),
    /// A trimmed address.
    Address(String),
}

/// How a required field is filled in, for the wording of the "required" message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Typed in ("Vui lòng nhập …").
    Enter,
    /// Chosen from a list ("Vui lòng chọn …").
    Select,
    /// Ticked ("Vui lòng đánh dấu …").
    Check,
}

/// What is wrong with a submitted value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldProblem {
    /// A required field is empty or a required box is not ticked.
    Required {
        /// How the field is filled in.
        how: Requirement,
    },
    /// Text shorter than the minimum.
    TooShort {
        /// Minimum length in characters.
        min: u32,
    },
    /// Text longer than the maximum.
    TooLong {
        /// Maximum length in characters.
        max: u32,
    },
    /// Not a whole number.
    NotANumber,
    /// A number outside its bounds.
    OutOfRange {
        /// Lower bound, if any.
        min: Option<i64>,
        /// Upper bound, if any.
        max: Option<i64>,
    },
    /// Not a real date in the form `YYYY-MM-DD`.
    InvalidDate,
    /// A date outside its bounds.
    DateOutOfRange {
        /// Earliest accepted date, if any.
        #[serde(with = "iso_date::option")]
        min: Option<Date>,
        /// Latest accepted date, if any.
        #[serde(with = "iso_date::option")]
        max: Option<Date>,
    },
    /// Not one of the options.
    UnknownChoice,
    /// A checkbox value that is neither ticked nor unticked.
    InvalidCheckbox,
    /// Not a valid citizen identity number.
    CitizenId {
        /// Why.
        error: CitizenIdErrorKind,
    },
    /// Not a valid tax code.
    TaxCode {
        /// Why.
        error: TaxCodeError,
    },
}

/// [`CitizenIdError`] without its owned data, so that [`FieldProblem`] stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitizenIdErrorKind {
    /// See [`CitizenIdError::WrongLength`].
    WrongLength,
    /// See [`CitizenIdError::NotDigits`].
    NotDigits,
    /// See [`CitizenIdError::UnknownProvince`].
    UnknownProvince,
    /// See [`CitizenIdError::BirthYearInFuture`].
    BirthYearInFuture,
}

impl From<&CitizenIdError> for CitizenIdErrorKind {
    fn from(e: &CitizenIdError) -> Self {
        match e {
            CitizenIdError::WrongLength { .. } => Self::WrongLength,
            CitizenIdError::NotDigits => Self::NotDigits,
            CitizenIdError::UnknownProvince { .. } => Self::UnknownProvince,
            CitizenIdError::BirthYearInFuture { .. } => Self::BirthYearInFuture,
        }
    }
}

/// A problem with one field, carrying the field's labels so it can explain itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldError {
    /// What is wrong.
    pub problem: FieldProblem,
    /// The field's Vietnamese label.
    pub label_vi: String,
    /// The field's English label.
    pub label_en: String,
}

/// `dd/mm/yyyy`, the Vietnamese way of writing dates.
fn date_vi(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// `yyyy-mm-dd`.
fn date_iso(d: Date) -> String {
    iso_date::format(d)
}

impl FieldError {
    fn new(def: &FieldDef, problem: FieldProblem) -> Self {
        Self { problem, label_vi: def.label_vi.clone(), label_en: def.label_en.clone() }
    }

    /// Stable snake_case code: `required`, `too_short`, `too_long`, `not_a_number`,
    /// `out_of_range`, `invalid_date`, `date_out_of_range`, `unknown_choice`,
    /// `invalid_checkbox`, or the [`CitizenIdError`] / [`TaxCodeError`] code.
    pub fn code(&self) -> &'static str {
        match self.problem {
            FieldProblem::Required { .. } => "required",
            FieldProblem::TooShort { .. } => "too_short",
            FieldProblem::TooLong { .. } => "too_long",
            FieldProblem::NotANumber => "not_a_number",
            FieldProblem::OutOfRange { .. } => "out_of_range",
            FieldProblem::InvalidDate => "invalid_date",
            FieldProblem::DateOutOfRange { .. } => "date_out_of_range",
            FieldProblem::UnknownChoice => "unknown_choice",
            FieldProblem::InvalidCheckbox => "invalid_checkbox",
            FieldProblem::CitizenId { error } => match error {
                CitizenIdErrorKind::WrongLength => "citizen_id_wrong_length",
                CitizenIdErrorKind::NotDigits => "citizen_id_not_digits",
                CitizenIdErrorKind::UnknownProvince => "citizen_id_unknown_province",
                CitizenIdErrorKind::BirthYearInFuture => "citizen_id_birth_year_in_future",
            },
            FieldProblem::TaxCode { error } => error.code(),
        }
    }

    /// Parameters for a UI that renders its own translations of [`FieldError::code`]
    /// (`min`, `max`; dates as `YYYY-MM-DD`). The label is not included: it is in the struct.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        match self.problem {
            FieldProblem::TooShort { min } => p.push(("min", min.to_string())),
            FieldProblem::TooLong { max } => p.push(("max", max.to_string())),
            FieldProblem::OutOfRange { min, max } => {
                p.extend(min.map(|m| ("min", m.to_string())));
                p.extend(max.map(|m| ("max", m.to_string())));
            }
            FieldProblem::DateOutOfRange { min, max } => {
                p.extend(min.map(|m| ("min", date_iso(m))));
                p.extend(max.map(|m| ("max", date_iso(m))));
            }
            _ => {}
        }
        p
    }

    /// The message in Vietnamese, e.g. `Vui lòng nhập Họ và tên.`
    pub fn message_vi(&self) -> String {
        let l = &self.label_vi;
        match self.problem {
            FieldProblem::Required { how } => match how {
                Requirement::Enter => format!("Vui lòng nhập {l}."),
                Requirement::Select => format!("Vui lòng chọn {l}."),
                Requirement::Check => format!("Vui lòng đánh dấu vào ô “{l}”."),
            },
            FieldProblem::TooShort { min } => format!("{l} phải có ít nhất {min} ký tự."),
            FieldProblem::TooLong { max } => format!("{l} không được dài quá {max} ký tự."),
            FieldProblem::NotANumber => format!("{l} phải là một số nguyên."),
            FieldProblem::OutOfRange { min, max } => match (min, max) {
                (Some(a), Some(b)) => format!("{l} phải nằm trong khoảng từ {a} đến {b}."),
                (Some(a), None) => format!("{l} phải lớn hơn hoặc bằng {a}."),
                (None, Some(b)) => format!("{l} phải nhỏ hơn hoặc bằng {b}."),
                (None, None) => format!("{l} không nằm trong khoảng cho phép."),
            },
            FieldProblem::InvalidDate => format!("{l} không phải là một ngày hợp lệ."),
            FieldProblem::DateOutOfRange { min, max } => match (min, max) {
                (Some(a), Some(b)) => {
                    format!("{l} phải từ ngày {} đến ngày {}.", date_vi(a), date_vi(b))
                }
                (Some(a), None) => format!("{l} không được trước ngày {}.", date_vi(a)),
                (None, Some(b)) => format!("{l} không được sau ngày {}.", date_vi(b)),
                (None, None) => format!("{l} không nằm trong khoảng cho phép."),
            },
            FieldProblem::UnknownChoice => format!("Lựa chọn cho {l} không hợp lệ."),
            FieldProblem::InvalidCheckbox => format!("Giá trị của ô “{l}” không hợp lệ."),
            FieldProblem::CitizenId { error } => match error {
                CitizenIdErrorKind::WrongLength => format!("{l} phải gồm đúng 12 chữ số."),
                CitizenIdErrorKind::NotDigits => format!("{l} chỉ được chứa chữ số."),
                CitizenIdErrorKind::UnknownProvince => {
                    format!("{l} không hợp lệ: 3 chữ số đầu không phải mã tỉnh, thành phố.")
                }
                CitizenIdErrorKind::BirthYearInFuture => {
                    format!("{l} không hợp lệ: năm sinh chưa đến.")
                }
            },
            FieldProblem::TaxCode { error } => match error {
                TaxCodeError::InvalidFormat => {
                    format!("{l} phải gồm 10 chữ số, hoặc 13 chữ số theo dạng 0123456789-001.")
                }
                TaxCodeError::ZeroSerial | TaxCodeError::BadChecksum => {
                    format!("{l} không hợp lệ, vui lòng kiểm tra lại.")
                }
                TaxCodeError::BadBranch => {
                    format!("3 chữ số cuối của {l} phải từ 001 đến 999.")
                }
            },
        }
    }

    /// The message in English, e.g. `Please enter Full name.`
    pub fn message_en(&self) -> String {
        let l = &self.label_en;
        match self.problem {
            FieldProblem::Required { how } => match how {
                Requirement::Enter => format!("Please enter {l}."),
                Requirement::Select => format!("Please choose {l}."),
                Requirement::Check => format!("Please tick “{l}”."),
            },
            FieldProblem::TooShort { min } => {
                format!("{l} must be at least {min} characters long.")
            }
            FieldProblem::TooLong { max } => {
                format!("{l} must be at most {max} characters long.")
            }
            FieldProblem::NotANumber => format!("{l} must be a whole number."),
            FieldProblem::OutOfRange { min, max } => match (min, max) {
                (Some(a), Some(b)) => format!("{l} must be between {a} and {b}."),
                (Some(a), None) => format!("{l} must be at least {a}."),
                (None, Some(b)) => format!("{l} must be at most {b}."),
                (None, None) => format!("{l} is out of range."),
            },
            FieldProblem::InvalidDate => format!("{l} is not a valid date."),
            FieldProblem::DateOutOfRange { min, max } => match (min, max) {
                (Some(a), Some(b)) => {
                    format!("{l} must be between {} and {}.", date_iso(a), date_iso(b))
                }
                (Some(a), None) => format!("{l} must not be before {}.", date_iso(a)),
                (None, Some(b)) => format!("{l} must not be after {}.", date_iso(b)),
                (None, None) => format!("{l} is out of range."),
            },
            FieldProblem::UnknownChoice => format!("The choice for {l} is not valid."),
            FieldProblem::InvalidCheckbox => format!("The value of “{l}” is not valid."),
            FieldProblem::CitizenId { error } => match error {
                CitizenIdErrorKind::WrongLength => format!("{l} must have exactly 12 digits."),
                CitizenIdErrorKind::NotDigits => format!("{l} may contain digits only."),
                CitizenIdErrorKind::UnknownProvince => {
                    format!("{l} is not valid: the first three digits are not a province code.")
                }
                CitizenIdErrorKind::BirthYearInFuture => {
                    format!("{l} is not valid: the year of birth is in the future.")
                }
            },
            FieldProblem::TaxCode { error } => match error {
                TaxCodeError::InvalidFormat => {
                    format!("{l} must have 10 digits, or 13 digits written as 0123456789-001.")
                }
                TaxCodeError::ZeroSerial | TaxCodeError::BadChecksum => {
                    format!("{l} is not valid; please check it.")
                }
                TaxCodeError::BadBranch => {
                    format!("The last three digits of {l} must be 001 to 999.")
                }
            },
        }
    }
}

/// Length bounds check for trimmed text.
fn check_len(s: &str, min: Option<u32>, max: Option<u32>) -> Result<(), FieldProblem> {
    let len = s.chars().count();
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    if let Some(min) = min
        && len < min
    {
        return Err(FieldProblem::TooShort { min });
    }
    if let Some(max) = max
        && len > max
    {
        return Err(FieldProblem::TooLong { max });
    }
    Ok(())
}

/// Reads a checkbox value; `None` if it is neither ticked nor unticked.
fn parse_checkbox(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "on" | "true" | "1" | "yes" | "có" => Some(true),
        "" | "off" | "false" | "0" | "no" | "không" => Some(false),
        _ => None,
    }
}

/// Validates one non-empty, trimmed value against its field.
fn validate_value(kind: &FieldKind, v: &str) -> Result<FieldValue, FieldProblem> {
    match kind {
        FieldKind::Text { min_len, max_len } => {
            check_len(v, *min_len, *max_len)?;
            Ok(FieldValue::Text(v.to_owned()))
        }
        FieldKind::Address => {
            check_len(v, None, Some(ADDRESS_MAX_LEN))?;
            Ok(FieldValue::Address(v.to_owned()))
        }
        FieldKind::Number { min, max } => {
            let n: i64 = v.parse().map_err(|_| FieldProblem::NotANumber)?;
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                return Err(FieldProblem::OutOfRange { min: *min, max: *max });
            }
            Ok(FieldValue::Number(n))
        }
        FieldKind::Date { min, max } => {
            let d = iso_date::parse(v).map_err(|_| FieldProblem::InvalidDate)?;
            if min.is_some_and(|m| d < m) || max.is_some_and(|m| d > m) {
                return Err(FieldProblem::DateOutOfRange { min: *min, max: *max });
            }
            Ok(FieldValue::Date(d))
        }
        FieldKind::Choice { options } => options
            .iter()
            .find(|o| o.value == v)
            .map(|o| FieldValue::Choice(o.value.clone()))
            .ok_or(FieldProblem::UnknownChoice),
        FieldKind::Checkbox => {
            parse_checkbox(v).map(FieldValue::Checkbox).ok_or(FieldProblem::InvalidCheckbox)
        }
        FieldKind::CitizenId => CitizenId::parse(v)
            .map(FieldValue::CitizenId)
            .map_err(|e| FieldProblem::CitizenId { error: (&e).into() }),
        FieldKind::TaxCode => {
            TaxCode::parse(v).map(FieldValue::TaxCode).map_err(|error| FieldProblem::TaxCode { error })
        }
    }
}

/// Validates submitted `values` against `defs`.
///
/// * Values are trimmed; an empty or missing value of a required field is `required`; of an
///   optional field it is left out of the result — except a checkbox, which is always present
///   (`false` when unticked; a *required* checkbox must be ticked).
/// * Keys in `values` that no field defines are ignored.
/// * Every field is checked; on failure all errors are returned, keyed by field key.
/// * Numbers are `i64` in plain decimal (no thousands separators); dates are `YYYY-MM-DD`;
///   text lengths count characters, not bytes.
pub fn validate(
    defs: &[FieldDef],
    values: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, FieldValue>, BTreeMap<String, FieldError>> {
    let mut ok = BTreeMap::new();
    let mut errors = BTreeMap::new();
    for def in defs {
        let raw = values.get(&def.key).map_or("", |s| s.trim());
        let result = match &def.kind {
            FieldKind::Checkbox => match parse_checkbox(raw) {
                Some(false) if def.required => Err(FieldProblem::Required { how: Requirement::Check }),
                Some(ticked) => Ok(Some(FieldValue::Checkbox(ticked))),
                None => Err(FieldProblem::InvalidCheckbox),
            },
            kind if raw.is_empty() => {
                if def.required {
                    let how = if matches!(kind, FieldKind::Choice { .. }) {
                        Requirement::Select
                    } else {
                        Requirement::Enter
                    };
                    Err(FieldProblem::Required { how })
                } else {
                    Ok(None)
                }
            }
            kind => validate_value(kind, raw).map(Some),
        };
        match result {
            Ok(Some(value)) => {
                ok.insert(def.key.clone(), value);
            }
            Ok(None) => {}
            Err(problem) => {
                errors.insert(def.key.clone(), FieldError::new(def, problem));
            }
        }
    }
    if errors.is_empty() { Ok(ok) } else { Err(errors) }
}

/// A mistake in a form definition, found when an administrator saves it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FormDefError {
    /// A field has an empty key.
    #[error("a field has an empty key")]
    EmptyKey,
    /// Two fields share a key.
    #[error("two fields share the key {key}")]
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// A field has an empty label.
    #[error("field {key} has an empty label")]
    EmptyLabel {
        /// The field.
        key: String,
    },
    /// A lower bound is above the upper bound.
    #[error("field {key} has a minimum above its maximum")]
    MinAboveMax {
        /// The field.
        key: String,
    },
    /// A choice without options, or with two options of the same value.
    #[error("field {key} has no options or duplicate option values")]
    BadOptions {
        /// The field.
        key: String,
    },
}

impl FormDefError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptyKey => "form_def_empty_key",
            Self::DuplicateKey { .. } => "form_def_duplicate_key",
            Self::EmptyLabel { .. } => "form_def_empty_label",
            Self::MinAboveMax { .. } => "form_def_min_above_max",
            Self::BadOptions { .. } => "form_def_bad_options",
        }
    }
}

/// Checks a form definition: non-empty unique keys, labels in both languages, bounds in
/// order, and choices with distinct option values. Returns the first mistake found.
pub fn check_defs(defs: &[FieldDef]) -> Result<(), FormDefError> {
    let mut keys = BTreeSet::new();
    for def in defs {
        let key = || def.key.clone();
        if def.key.trim().is_empty() {
            return Err(FormDefError::EmptyKey);
        }
        if !keys.insert(def.key.as_str()) {
            return Err(FormDefError::DuplicateKey { key: key() });
        }
        if def.label_vi.trim().is_empty() || def.label_en.trim().is_empty() {
            return Err(FormDefError::EmptyLabel { key: key() });
        }
        let inverted = match &def.kind {
            FieldKind::Text { min_len, max_len } => {
                matches!((min_len, max_len), (Some(a), Some(b)) if a > b)
            }
            FieldKind::Number { min, max } => matches!((min, max), (Some(a), Some(b)) if a > b),
            FieldKind::Date { min, max } => matches!((min, max), (Some(a), Some(b)) if a > b),
            _ => false,
        };
        if inverted {
            return Err(FormDefError::MinAboveMax { key: key() });
        }
        if let FieldKind::Choice { options } = &def.kind {
            let values: BTreeSet<&str> = options.iter().map(|o| o.value.as_str()).collect();
            if options.is_empty() || values.len() != options.len() {
                return Err(FormDefError::BadOptions { key: key() });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use time::macros::date;

    fn def(key: &str, vi: &str, en: &str, kind: FieldKind, required: bool) -> FieldDef {
        FieldDef {
            key: key.into(),
            label_vi: vi.into(),
            label_en: en.into(),
            kind,
            required,
            help_vi: None,
            help_en: None,
        }
    }

    fn text(min: Option<u32>, max: Option<u32>) -> FieldKind {
        FieldKind::Text { min_len: min, max_len: max }
    }

    fn form() -> Vec<FieldDef> {
        vec![
            def("full_name", "Họ và tên", "Full name", text(Some(2), Some(20)), true),
            def(
                "copies",
                "Số bản sao",
                "Number of copies",
                FieldKind::Number { min: Some(1), max: Some(10) },
                true,
            ),
            def(
                "birth_date",
                "Ngày sinh",
                "Date of birth",
                FieldKind::Date { min: Some(date!(1900 - 01 - 01)), max: Some(date!(2026 - 12 - 31)) },
                false,
            ),
            def(
                "gender",
                "Giới tính",
                "Sex",
                FieldKind::Choice {
                    options: vec![
                        ChoiceOption { value: "m".into(), label_vi: "Nam".into(), label_en: "Male".into() },
                        ChoiceOption {
                            value: "f".into(), label_vi: "Nữ".into(), label_en: "Female".into()
                        },
                    ],
                },
                true,
            ),
            def("agree", "Tôi cam đoan", "I declare", FieldKind::Checkbox, true),
            def("newsletter", "Nhận tin", "Newsletter", FieldKind::Checkbox, false),
            def("cccd", "Số CCCD", "Citizen ID", FieldKind::CitizenId, true),
            def("mst", "Mã số thuế", "Tax code", FieldKind::TaxCode, false),
            def("address", "Địa chỉ", "Address", FieldKind::Address, false),
        ]
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()
    }

    fn good() -> BTreeMap<String, String> {
        values(&[
            ("full_name", "  Nguyễn Văn A "),
            ("copies", "3"),
            ("birth_date", "1990-05-17"),
            ("gender", "f"),
            ("agree", "on"),
            ("cccd", "001090012345"),
            ("mst", "0100109106"),
            ("address", "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội"),
            ("unknown", "ignored"),
        ])
    }

    fn errors_for(v: BTreeMap<String, String>) -> BTreeMap<String, FieldError> {
        validate(&form(), &v).unwrap_err()
    }

    #[test]
    fn valid_submission_gives_typed_values() {
        let out = validate(&form(), &good()).unwrap();
        assert_eq!(out["full_name"], FieldValue::Text("Nguyễn Văn A".into()));
        assert_eq!(out["copies"], FieldValue::Number(3));
        assert_eq!(out["birth_date"], FieldValue::Date(date!(1990 - 05 - 17)));
        assert_eq!(out["gender"], FieldValue::Choice("f".into()));
        assert_eq!(out["agree"], FieldValue::Checkbox(true));
        assert_eq!(out["newsletter"], FieldValue::Checkbox(false));
        assert_eq!(out["cccd"], FieldValue::CitizenId(CitizenId::parse("001090012345").unwrap()));
        assert_eq!(out["mst"], FieldValue::TaxCode(TaxCode::parse("0100109106").unwrap()));
        assert!(matches!(&out["address"], FieldValue::Address(a) if a.starts_with("Số 1")));
        assert!(!out.contains_key("unknown"));
        assert_eq!(out.len(), 9);
    }

    #[test]
    fn optional_empty_fields_are_left_out() {
        let mut v = good();
        v.insert("birth_date".into(), "   ".into());
        v.remove("mst");
        v.remove("address");
        let out = validate(&form(), &v).unwrap();
        assert!(!out.contains_key("birth_date"));
        assert!(!out.contains_key("mst"));
        assert!(!out.contains_key("address"));
    }

    #[test]
    fn required_fields_report_all_at_once() {
        let errs = errors_for(BTreeMap::new());
        let keys: Vec<&str> = errs.keys().map(String::as_str).collect();
        assert_eq!(keys, ["agree", "cccd", "copies", "full_name", "gender"]);
        assert!(errs.values().all(|e| e.code() == "required"));
        assert_eq!(errs["full_name"].message_vi(), "Vui lòng nhập Họ và tên.");
        assert_eq!(errs["full_name"].message_en(), "Please enter Full name.");
        assert_eq!(errs["gender"].message_vi(), "Vui lòng chọn Giới tính.");
        assert_eq!(errs["gender"].message_en(), "Please choose Sex.");
        assert_eq!(errs["agree"].message_vi(), "Vui lòng đánh dấu vào ô “Tôi cam đoan”.");
        assert_eq!(errs["agree"].message_en(), "Please tick “I declare”.");
        // whitespace only is empty
        let mut v = good();
        v.insert("full_name".into(), " \t ".into());
        assert_eq!(errors_for(v)["full_name"].code(), "required");
    }

    #[test]
    fn text_lengths_count_characters() {
        let mut v = good();
        v.insert("full_name".into(), "Ư".into());
        let e = &errors_for(v.clone())["full_name"];
        assert_eq!(e.code(), "too_short");
        assert_eq!(e.params(), vec![("min", "2".to_string())]);
        assert_eq!(e.message_vi(), "Họ và tên phải có ít nhất 2 ký tự.");
        assert_eq!(e.message_en(), "Full name must be at least 2 characters long.");
        // 20 Vietnamese characters (more than 20 bytes) are fine
        let name = "Nguyễn Thị Minh Khai";
        assert!(name.len() > 20);
        v.insert("full_name".into(), name.into());
        assert_eq!(validate(&form(), &v).unwrap()["full_name"], FieldValue::Text(name.into()));
        v.insert("full_name".into(), format!("{name}a"));
        let e = &errors_for(v)["full_name"];
        assert_eq!(e.code(), "too_long");
        assert_eq!(e.message_vi(), "Họ và tên không được dài quá 20 ký tự.");
        assert_eq!(e.message_en(), "Full name must be at most 20 characters long.");
    }

    #[test]
    fn numbers() {
        let check = |raw: &str| {
            let mut v = good();
            v.insert("copies".into(), raw.into());
            validate(&form(), &v).map(|o| o["copies"].clone()).map_err(|e| e["copies"].clone())
        };
        assert_eq!(check(" 10 "), Ok(FieldValue::Number(10)));
        assert_eq!(check("1"), Ok(FieldValue::Number(1)));
        for bad in ["abc", "1.5", "1.000", "1,000", "3 bản", "99999999999999999999"] {
            assert_eq!(check(bad).unwrap_err().code(), "not_a_number", "{bad}");
        }
        let e = check("11").unwrap_err();
        assert_eq!(e.code(), "out_of_range");
        assert_eq!(e.params(), vec![("min", "1".to_string()), ("max", "10".to_string())]);
        assert_eq!(e.message_vi(), "Số bản sao phải nằm trong khoảng từ 1 đến 10.");
        assert_eq!(e.message_en(), "Number of copies must be between 1 and 10.");
        assert_eq!(check("0").unwrap_err().code(), "out_of_range");
        assert_eq!(check("-3").unwrap_err().code(), "out_of_range");
    }

    #[test]
    fn one_sided_bounds_messages() {
        let defs = [def("n", "Diện tích", "Area", FieldKind::Number { min: Some(0), max: None }, true)];
        let e = &validate(&defs, &values(&[("n", "-1")])).unwrap_err()["n"];
        assert_eq!(e.message_vi(), "Diện tích phải lớn hơn hoặc bằng 0.");
        assert_eq!(e.message_en(), "Area must be at least 0.");
        assert_eq!(
            validate(&defs, &values(&[("n", "9223372036854775807")])).unwrap()["n"],
            FieldValue::Number(i64::MAX)
        );
        let defs = [def(
            "d",
            "Ngày cấp",
            "Issue date",
            FieldKind::Date { min: None, max: Some(date!(2026 - 03 - 01)) },
            true,
        )];
        let e = &validate(&defs, &values(&[("d", "2026-03-02")])).unwrap_err()["d"];
        assert_eq!(e.code(), "date_out_of_range");
        assert_eq!(e.params(), vec![("max", "2026-03-01".to_string())]);
        assert_eq!(e.message_vi(), "Ngày cấp không được sau ngày 01/03/2026.");
        assert_eq!(e.message_en(), "Issue date must not be after 2026-03-01.");
    }

    #[test]
    fn dates() {
        let check = |raw: &str| {
            let mut v = good();
            v.insert("birth_date".into(), raw.into());
            validate(&form(), &v).map(|o| o["birth_date"].clone()).map_err(|e| e["birth_date"].clone())
        };
        assert_eq!(check("2024-02-29"), Ok(FieldValue::Date(date!(2024 - 02 - 29))));
        for bad in ["2023-02-29", "17/05/1990", "1990-5-17", "1990-13-01", "yesterday", "1990-05-17T00:00"] {
            let e = check(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_date", "{bad}");
            assert_eq!(e.message_vi(), "Ngày sinh không phải là một ngày hợp lệ.");
        }
        let e = check("1899-12-31").unwrap_err();
        assert_eq!(e.code(), "date_out_of_range");
        assert_eq!(e.message_vi(), "Ngày sinh phải từ ngày 01/01/1900 đến ngày 31/12/2026.");
        assert_eq!(e.message_en(), "Date of birth must be between 1900-01-01 and 2026-12-31.");
        assert_eq!(check("1900-01-01"), Ok(FieldValue::Date(date!(1900 - 01 - 01))));
        assert_eq!(check("2026-12-31"), Ok(FieldValue::Date(date!(2026 - 12 - 31))));
    }

    #[test]
    fn choices() {
        let mut v = good();
        v.insert("gender".into(), "x".into());
        let e = &errors_for(v.clone())["gender"];
        assert_eq!(e.code(), "unknown_choice");
        assert_eq!(e.message_vi(), "Lựa chọn cho Giới tính không hợp lệ.");
        // labels are not values, and values are case-sensitive
        v.insert("gender".into(), "Nam".into());
        assert_eq!(errors_for(v.clone())["gender"].code(), "unknown_choice");
        v.insert("gender".into(), "M".into());
        assert_eq!(errors_for(v)["gender"].code(), "unknown_choice");
    }

    #[test]
    fn checkboxes() {
        let check = |key: &str, raw: Option<&str>| {
            let mut v = good();
            match raw {
                Some(r) => v.insert(key.into(), r.into()),
                None => v.remove(key),
            };
            validate(&form(), &v).map(|o| o[key].clone()).map_err(|e| e[key].code())
        };
        for ticked in ["on", "true", "1", "yes", "ON", "có"] {
            assert_eq!(check("agree", Some(ticked)), Ok(FieldValue::Checkbox(true)), "{ticked}");
        }
        for unticked in [None, Some(""), Some("off"), Some("false"), Some("0")] {
            assert_eq!(check("agree", unticked), Err("required"), "{unticked:?}");
            assert_eq!(check("newsletter", unticked), Ok(FieldValue::Checkbox(false)));
        }
        assert_eq!(check("newsletter", Some("maybe")), Err("invalid_checkbox"));
        assert_eq!(check("agree", Some("maybe")), Err("invalid_checkbox"));
    }

    #[test]
    fn citizen_id_and_tax_code_errors() {
        let mut v = good();
        v.insert("cccd".into(), "12345".into());
        v.insert("mst".into(), "0100109107".into());
        let errs = errors_for(v);
        assert_eq!(errs["cccd"].code(), "citizen_id_wrong_length");
        assert_eq!(errs["cccd"].message_vi(), "Số CCCD phải gồm đúng 12 chữ số.");
        assert_eq!(errs["cccd"].message_en(), "Citizen ID must have exactly 12 digits.");
        assert_eq!(errs["mst"].code(), "tax_code_bad_checksum");
        assert_eq!(errs["mst"].message_vi(), "Mã số thuế không hợp lệ, vui lòng kiểm tra lại.");
        let mut v = good();
        v.insert("cccd".into(), "000090012345".into());
        v.insert("mst".into(), "12-3".into());
        let errs = errors_for(v);
        assert_eq!(errs["cccd"].code(), "citizen_id_unknown_province");
        assert_eq!(errs["mst"].code(), "tax_code_invalid_format");
        let mut v = good();
        v.insert("cccd".into(), "00109001234x".into());
        v.insert("mst".into(), "0100109106-000".into());
        let errs = errors_for(v);
        assert_eq!(errs["cccd"].code(), "citizen_id_not_digits");
        assert_eq!(errs["mst"].code(), "tax_code_bad_branch");
        assert_eq!(errs["mst"].message_en(), "The last three digits of Tax code must be 001 to 999.");
        // branch codes are normalised
        let mut v = good();
        v.insert("mst".into(), "0314409058002".into());
        assert_eq!(
            validate(&form(), &v).unwrap()["mst"],
            FieldValue::TaxCode(TaxCode::parse("0314409058-002").unwrap())
        );
    }

    #[test]
    fn address_limit() {
        let mut v = good();
        v.insert("address".into(), "a".repeat(500));
        assert!(validate(&form(), &v).is_ok());
        v.insert("address".into(), "ả".repeat(501));
        let e = &errors_for(v)["address"];
        assert_eq!(e.code(), "too_long");
        assert_eq!(e.params(), vec![("max", "500".to_string())]);
    }

    #[test]
    fn every_message_mentions_the_label() {
        let problems = [
            FieldProblem::Required { how: Requirement::Enter },
            FieldProblem::TooShort { min: 1 },
            FieldProblem::TooLong { max: 1 },
            FieldProblem::NotANumber,
            FieldProblem::OutOfRange { min: None, max: None },
            FieldProblem::InvalidDate,
            FieldProblem::DateOutOfRange { min: Some(date!(2020 - 01 - 01)), max: None },
            FieldProblem::UnknownChoice,
            FieldProblem::InvalidCheckbox,
            FieldProblem::CitizenId { error: CitizenIdErrorKind::BirthYearInFuture },
            FieldProblem::TaxCode { error: TaxCodeError::ZeroSerial },
        ];
        for problem in problems {
            let e = FieldError { problem, label_vi: "NHÃN".into(), label_en: "LABEL".into() };
            assert!(e.message_vi().contains("NHÃN"), "{problem:?}");
            assert!(e.message_en().contains("LABEL"), "{problem:?}");
            assert!(!e.code().is_empty());
        }
    }

    #[test]
    fn serde_of_definitions_is_tagged() {
        let json = r#"[
            {"key":"name","label_vi":"Họ và tên","label_en":"Full name","kind":{"type":"text","max_len":100},"required":true},
            {"key":"dob","label_vi":"Ngày sinh","label_en":"Date of birth","kind":{"type":"date","min":"1900-01-01","max":null}},
            {"key":"id","label_vi":"Số CCCD","label_en":"Citizen ID","kind":{"type":"citizen_id"},"help_vi":"12 chữ số"}
        ]"#;
        let defs: Vec<FieldDef> = serde_json::from_str(json).unwrap();
        assert_eq!(defs[0].kind, text(None, Some(100)));
        assert!(defs[0].required);
        assert_eq!(defs[1].kind, FieldKind::Date { min: Some(date!(1900 - 01 - 01)), max: None });
        assert!(!defs[1].required);
        assert_eq!(defs[2].kind, FieldKind::CitizenId);
        assert_eq!(defs[2].help_vi.as_deref(), Some("12 chữ số"));
        let back: Vec<FieldDef> = serde_json::from_str(&serde_json::to_string(&defs).unwrap()).unwrap();
        assert_eq!(back, defs);
        assert_eq!(serde_json::to_string(&FieldKind::Checkbox).unwrap(), r#"{"type":"checkbox"}"#);
    }

    #[test]
    fn a_date_bound_before_year_one_loads_again() {
        // an administrator may type `-0005-01-01` (it parses); the stored JSON used to say
        // `-005-01-01`, which did not load (fuzz/fuzz_targets/form_validation.rs checks this)
        let min = iso_date::parse("-0005-01-01").unwrap();
        let defs = vec![def("d", "Ngày", "Date", FieldKind::Date { min: Some(min), max: None }, false)];
        let json = serde_json::to_string(&defs).unwrap();
        assert!(json.contains(r#""min":"-0005-01-01""#), "{json}");
        assert_eq!(serde_json::from_str::<Vec<FieldDef>>(&json).unwrap(), defs);
        let v = FieldValue::Date(min);
        assert_eq!(serde_json::from_str::<FieldValue>(&serde_json::to_string(&v).unwrap()).unwrap(), v);
    }

    #[test]
    fn serde_of_values_and_errors() {
        assert_eq!(
            serde_json::to_string(&FieldValue::Date(date!(2026 - 02 - 17))).unwrap(),
            r#"{"type":"date","value":"2026-02-17"}"#
        );
        let v = FieldValue::TaxCode(TaxCode::parse("0100109106").unwrap());
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"{"type":"tax_code","value":"0100109106"}"#);
        assert_eq!(serde_json::from_str::<FieldValue>(&json).unwrap(), v);
        let errs = errors_for(BTreeMap::new());
        let json = serde_json::to_string(&errs).unwrap();
        let back: BTreeMap<String, FieldError> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, errs);
        assert!(json.contains(r#""problem":{"kind":"required","how":"select"}"#));
    }

    #[test]
    fn definition_checks() {
        assert_eq!(check_defs(&form()), Ok(()));
        let mut defs = form();
        defs.push(def("copies", "x", "x", FieldKind::Checkbox, false));
        assert_eq!(check_defs(&defs), Err(FormDefError::DuplicateKey { key: "copies".into() }));
        assert_eq!(
            check_defs(&[def(" ", "x", "x", FieldKind::Checkbox, false)]),
            Err(FormDefError::EmptyKey)
        );
        assert_eq!(
            check_defs(&[def("k", "x", "", FieldKind::Checkbox, false)]),
            Err(FormDefError::EmptyLabel { key: "k".into() })
        );
        assert_eq!(
            check_defs(&[def("k", "x", "x", text(Some(5), Some(4)), false)]),
            Err(FormDefError::MinAboveMax { key: "k".into() })
        );
        assert_eq!(
            check_defs(&[def(
                "k",
                "x",
                "x",
                FieldKind::Date { min: Some(date!(2026 - 01 - 02)), max: Some(date!(2026 - 01 - 01)) },
                false
            )]),
            Err(FormDefError::MinAboveMax { key: "k".into() })
        );
        assert_eq!(
            check_defs(&[def("k", "x", "x", FieldKind::Choice { options: vec![] }, false)]),
            Err(FormDefError::BadOptions { key: "k".into() })
        );
        let opt = ChoiceOption { value: "a".into(), label_vi: "A".into(), label_en: "A".into() };
        let e =
            check_defs(&[def("k", "x", "x", FieldKind::Choice { options: vec![opt.clone(), opt] }, false)])
                .unwrap_err();
        assert_eq!(e.code(), "form_def_bad_options");
    }
}
