//! The officers' second factor: TOTP (RFC 6238, SHA-1, 6 digits, 30 s; what every
//! authenticator app speaks), enrolled with a QR code, plus single-use recovery codes.

use totp_rs::{Algorithm, Secret, TOTP};

/// Issuer shown in authenticator apps.
pub const ISSUER: &str = "MotCua";

/// A new random secret, base32.
pub fn new_secret() -> String {
    Secret::generate_secret().to_encoded().to_string()
}

fn totp(secret_b32: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_string()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, Some(ISSUER.to_string()), account.to_string()).ok()
}

/// The 30-second time step whose code `code` is, among the current step and one either side
/// (for clock drift), compared in constant time. The caller refuses a step already used, so
/// a code works once (RFC 6238 §5.2).
pub fn matching_step(secret_b32: &str, code: &str, unix_secs: u64) -> Option<u64> {
    use subtle::ConstantTimeEq as _;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret_b32, "x")?;
    let now = unix_secs / 30;
    let mut found = None;
    for step in [now.saturating_sub(1), now, now + 1] {
        let expected = t.generate(step * 30);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// The code at `unix_secs` (tests and the demo).
pub fn code_at(secret_b32: &str, unix_secs: u64) -> Option<String> {
    totp(secret_b32, "x").map(|t| t.generate(unix_secs))
}

/// The `otpauth://` URL for authenticator apps.
pub fn provisioning_url(secret_b32: &str, account: &str) -> Option<String> {
    totp(secret_b32, account).map(|t| t.get_url())
}

/// The provisioning URL as an inline SVG QR code.
pub fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(220, 220)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// Ten recovery codes like `4f7k-2m9q`, to print or store; each works once.
pub fn new_recovery_codes() -> Vec<String> {
    use rand::Rng as _;
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| {
            let mut s = String::with_capacity(9);
            for i in 0..8 {
                if i == 4 {
                    s.push('-');
                }
                let idx = rng.random_range(0..ALPHABET.len());
                s.push(char::from(ALPHABET.get(idx).copied().unwrap_or(b'x')));
            }
            s
        })
        .collect()
}

/// Normalises a typed recovery code (case, spaces, missing dash).
pub fn normalise_recovery_code(typed: &str) -> String {
    let compact: String =
        typed.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    if compact.len() == 8 { format!("{}-{}", &compact[..4], &compact[4..]) } else { compact }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matching_step_is_the_codes_own_within_one_step_of_drift() {
        let secret = new_secret();
        let t = 1_800_000_000u64;
        let now = code_at(&secret, t).unwrap();
        assert_eq!(matching_step(&secret, &now, t), Some(t / 30));
        let before = code_at(&secret, t - 30).unwrap();
        assert_eq!(matching_step(&secret, &before, t), Some(t / 30 - 1));
        let after = code_at(&secret, t + 30).unwrap();
        assert_eq!(matching_step(&secret, &after, t), Some(t / 30 + 1));
        let old = code_at(&secret, t - 90).unwrap();
        if old != now && old != before && old != after {
            assert_eq!(matching_step(&secret, &old, t), None);
        }
        assert_eq!(matching_step(&secret, "12a456", t), None);
    }

    #[test]
    fn codes_check_within_one_step() {
        let secret = new_secret();
        let now = 1_790_000_000;
        let code = code_at(&secret, now).unwrap_or_default();
        assert!(matching_step(&secret, &code, now).is_some());
        assert!(matching_step(&secret, &code, now + 30).is_some(), "one step of clock skew");
        assert!(matching_step(&secret, &code, now + 120).is_none());
        assert!(matching_step(&secret, "12345", now).is_none());
        assert!(matching_step(&secret, "abcdef", now).is_none());
    }

    #[test]
    fn rfc6238_vector() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 → 94287082 (8 digits);
        // with 6 digits the code is the last six: 287082.
        let secret = totp_rs::Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
    }

    #[test]
    fn provisioning_and_qr() {
        let secret = new_secret();
        let url = provisioning_url(&secret, "officer@example.vn").unwrap_or_default();
        assert!(url.starts_with("otpauth://totp/MotCua:officer%40example.vn?"), "{url}");
        let svg = qr_svg(&url).unwrap_or_default();
        assert!(svg.contains("<svg"));
    }

    #[test]
    fn recovery_codes() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 9 && c.as_bytes().get(4) == Some(&b'-')));
        assert_eq!(normalise_recovery_code(" 4F7K 2M9Q "), "4f7k-2m9q");
    }
}
