//! Server-side sessions: the cookie carries a random token; the `sessions` table keeps its
//! hash, owner and expiry, so every server process sees the same sessions and a logout (or
//! "log out everywhere") takes effect at once.

use time::Duration;

/// Name of the session cookie.
pub const COOKIE: &str = "motcua_session";
/// A session unused for this long ends.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session ends this long after sign-in whatever happens.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// An officer who has given the password has this long to give the TOTP code.
pub const MFA_TIMEOUT: Duration = Duration::minutes(5);
/// `last_seen_at` is written at most this often (saves a write per page view).
pub const TOUCH_EVERY: Duration = Duration::minutes(1);

/// The `Set-Cookie` value that stores `token`.
pub fn set_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

/// The `Set-Cookie` value that deletes the cookie.
pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// The session token in a `Cookie:` header, if any.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_flags() {
        let c = set_cookie("tok", true);
        assert_eq!(c, "motcua_session=tok; Path=/; HttpOnly; SameSite=Lax; Secure");
        assert!(!set_cookie("tok", false).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn token_is_read_from_the_cookie_header() {
        assert_eq!(token_from_cookie_header("a=1; motcua_session=abc; b=2"), Some("abc"));
        assert_eq!(token_from_cookie_header("motcua_session="), None);
        assert_eq!(token_from_cookie_header("x_motcua_session=abc"), None);
    }
}
