//! Validation of submitted form values against a procedure's form definition
//! (`domain::form::validate`, with `check_defs` and the definitions' JSON form). The fuzzer
//! builds a form of any fields (kinds, bounds, options, required or not) and the strings a
//! browser could post. Properties beyond "no panic":
//! * a definition survives its JSON round trip (procedure versions are stored as JSON);
//! * every key in the answer is a field's key, every error explains itself (code, parameters,
//!   both messages, with the field's labels);
//! * a field's outcome does not depend on the other fields (the form's answer is the union
//!   of each field validated alone);
//! * for a definition that `check_defs` accepts: an accepted value obeys its field's kind and
//!   bounds, a required field is never missing, and re-submitting the accepted values, written
//!   back as a browser would send them, gives the same values (what was accepted once is
//!   accepted again, e.g. at submission after a save).
#![no_main]

use std::collections::BTreeMap;

use app::domain::form::ADDRESS_MAX_LEN;
use app::domain::{ChoiceOption, FieldDef, FieldKind, FieldValue, check_defs, validate};
use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use time::Date;
use time::macros::format_description;

#[derive(Debug, Arbitrary)]
enum Kind {
    Text { min_len: Option<u16>, max_len: Option<u16> },
    Number { min: Option<i64>, max: Option<i64> },
    Date { min: Option<i32>, max: Option<i32> },
    Choice { options: Vec<String> },
    Checkbox,
    CitizenId,
    TaxCode,
    Address,
}

#[derive(Debug, Arbitrary)]
struct Field {
    key: String,
    label: String,
    kind: Kind,
    required: bool,
}

#[derive(Debug, Arbitrary)]
struct Input {
    fields: Vec<Field>,
    /// Posted values: (index of the field whose key is used, or any key; the value).
    values: Vec<(Option<u8>, String, String)>,
}

/// A date from a Julian day, clamped to what `time` represents.
fn date(julian: i32) -> Date {
    let lo = Date::MIN.to_julian_day();
    let hi = Date::MAX.to_julian_day();
    Date::from_julian_day(lo + julian.rem_euclid(hi - lo + 1)).unwrap_or(Date::MIN)
}

fn kind(k: &Kind) -> FieldKind {
    match k {
        Kind::Text { min_len, max_len } => {
            FieldKind::Text { min_len: min_len.map(u32::from), max_len: max_len.map(u32::from) }
        }
        Kind::Number { min, max } => FieldKind::Number { min: *min, max: *max },
        Kind::Date { min, max } => FieldKind::Date { min: min.map(date), max: max.map(date) },
        Kind::Choice { options } => FieldKind::Choice {
            options: options
                .iter()
                .map(|v| ChoiceOption {
                    value: v.clone(),
                    label_vi: format!("vi {v}"),
                    label_en: format!("en {v}"),
                })
                .collect(),
        },
        Kind::Checkbox => FieldKind::Checkbox,
        Kind::CitizenId => FieldKind::CitizenId,
        Kind::TaxCode => FieldKind::TaxCode,
        Kind::Address => FieldKind::Address,
    }
}

/// How a browser would post the accepted value again.
fn posted(v: &FieldValue) -> String {
    match v {
        FieldValue::Text(s) | FieldValue::Address(s) | FieldValue::Choice(s) => s.clone(),
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Date(d) => d.format(format_description!("[year]-[month]-[day]")).expect("formats"),
        FieldValue::Checkbox(true) => "on".into(),
        FieldValue::Checkbox(false) => String::new(),
        FieldValue::CitizenId(id) => id.as_str().into(),
        FieldValue::TaxCode(t) => t.as_str().into(),
    }
}

fn check_value(def: &FieldDef, raw: &str, v: &FieldValue) {
    let raw = raw.trim();
    match (&def.kind, v) {
        (FieldKind::Text { min_len, max_len }, FieldValue::Text(s)) => {
            let n = s.chars().count();
            assert_eq!(s, raw);
            assert!(min_len.is_none_or(|m| n >= m as usize) && max_len.is_none_or(|m| n <= m as usize));
        }
        (FieldKind::Address, FieldValue::Address(s)) => {
            assert_eq!(s, raw);
            assert!(s.chars().count() <= ADDRESS_MAX_LEN as usize);
        }
        (FieldKind::Number { min, max }, FieldValue::Number(n)) => {
            assert!(min.is_none_or(|m| *n >= m) && max.is_none_or(|m| *n <= m));
        }
        (FieldKind::Date { min, max }, FieldValue::Date(d)) => {
            assert!(min.is_none_or(|m| *d >= m) && max.is_none_or(|m| *d <= m));
        }
        (FieldKind::Choice { options }, FieldValue::Choice(c)) => {
            assert!(options.iter().any(|o| &o.value == c));
        }
        (FieldKind::Checkbox, FieldValue::Checkbox(ticked)) => assert!(*ticked || !def.required),
        (FieldKind::CitizenId, FieldValue::CitizenId(id)) => {
            assert!(id.as_str().len() == 12 && id.as_str().bytes().all(|b| b.is_ascii_digit()));
        }
        (FieldKind::TaxCode, FieldValue::TaxCode(t)) => {
            assert!(matches!(t.as_str().len(), 10 | 14));
        }
        (kind, value) => panic!("a {kind:?} field gave {value:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) else { return };
    let defs: Vec<FieldDef> = input
        .fields
        .iter()
        .map(|f| FieldDef {
            key: f.key.clone(),
            label_vi: f.label.clone(),
            label_en: f.label.clone(),
            kind: kind(&f.kind),
            required: f.required,
            help_vi: None,
            help_en: None,
        })
        .collect();
    let mut values = BTreeMap::new();
    for (field, key, value) in &input.values {
        let key = match field.and_then(|i| defs.get(usize::from(i))) {
            Some(def) => def.key.clone(),
            None => key.clone(),
        };
        values.insert(key, value.clone());
    }

    // the definition as stored (JSON) loads back identically
    let json = serde_json::to_string(&defs).expect("a definition serialises");
    let back: Vec<FieldDef> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json} does not load: {e}"));
    assert_eq!(back, defs);

    let well_formed = check_defs(&defs).is_ok();
    let outcome = validate(&defs, &values);
    match &outcome {
        Ok(ok) => {
            for (key, value) in ok {
                let def = defs.iter().find(|d| &d.key == key).expect("an answer for an unknown key");
                if well_formed {
                    check_value(def, values.get(key).map_or("", String::as_str), value);
                }
                let json = serde_json::to_string(value).expect("a value serialises");
                assert_eq!(&serde_json::from_str::<FieldValue>(&json).expect("a value loads"), value);
            }
            if well_formed {
                for def in &defs {
                    let raw = values.get(&def.key).map_or("", |s| s.trim());
                    let present = ok.contains_key(&def.key);
                    let expected = def.required || !raw.is_empty() || matches!(def.kind, FieldKind::Checkbox);
                    assert_eq!(present, expected, "field {:?} present: {present}", def.key);
                }
                // the accepted values, posted again, are accepted as the same values
                let again: BTreeMap<String, String> =
                    ok.iter().map(|(k, v)| (k.clone(), posted(v))).collect();
                assert_eq!(validate(&defs, &again).as_ref(), Ok(ok), "re-posted {again:?}");
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for (key, e) in errors {
                let def = defs.iter().find(|d| &d.key == key).expect("an error for an unknown key");
                if well_formed {
                    assert_eq!((&e.label_vi, &e.label_en), (&def.label_vi, &def.label_en));
                }
                let code = e.code();
                assert!(!code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
                let _ = e.params();
                assert!(e.message_vi().contains(e.label_vi.as_str()));
                assert!(e.message_en().contains(e.label_en.as_str()));
            }
        }
    }

    // each field alone gives the same outcome as within the form
    if well_formed {
        for def in &defs {
            let alone = validate(std::slice::from_ref(def), &values);
            let in_form = match &outcome {
                Ok(ok) => Ok(ok.get(&def.key)),
                Err(errors) => match errors.get(&def.key) {
                    Some(e) => Err(Some(e)),
                    None => Err(None),
                },
            };
            match (alone, in_form) {
                (Ok(a), Ok(v)) => assert_eq!(a.get(&def.key), v),
                (Err(a), Err(Some(e))) => assert_eq!(a.get(&def.key), Some(e)),
                // the form failed on other fields: this one passed alone
                (Ok(_), Err(None)) => {}
                (alone, in_form) => panic!("field {:?}: alone {alone:?}, in the form {in_form:?}", def.key),
            }
        }
    }
});
