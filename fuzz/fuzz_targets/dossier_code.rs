//! The dossier-code parser (`domain::DossierCode`), fed what a person might type into the
//! public lookup. Properties beyond "no panic":
//! * a code that parses is displayed as exactly what was typed, trimmed and upper-cased
//!   (the parser accepts the canonical form only, modulo case and surrounding space);
//! * the display parses back to the same code, and serde (JSON) round-trips it;
//! * its parts obey the invariants (unit an agency code, years 2000–2099, sequence 1–9999)
//!   and `DossierCode::new` rebuilds it from them;
//! * every refusal has a stable snake_case error code.
#![no_main]

use app::domain::{AgencyCode, DossierCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match DossierCode::parse(text) {
        Ok(code) => {
            let shown = code.to_string();
            assert_eq!(shown, text.trim().to_ascii_uppercase(), "re-display differs from the input");
            assert_eq!(DossierCode::parse(&shown).as_ref(), Ok(&code), "display does not parse back");
            let json = serde_json::to_string(&code).expect("serialises");
            assert_eq!(serde_json::from_str::<DossierCode>(&json).ok().as_ref(), Some(&code));
            assert!((2000..=2099).contains(&code.date().year()));
            assert!((1..=9999).contains(&code.seq()));
            assert_eq!(AgencyCode::parse(code.unit().as_str()).as_ref(), Ok(code.unit()));
            assert_eq!(DossierCode::new(code.unit(), code.date(), code.seq()).as_ref(), Ok(&code));
        }
        Err(e) => {
            let c = e.code();
            assert!(c.starts_with("dossier_code_") && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            // serde goes through the same parser
            let json = serde_json::to_string(text).expect("serialises");
            assert!(serde_json::from_str::<DossierCode>(&json).is_err());
        }
    }
});
