//! Passwords: argon2id at OWASP's recommended parameters (m = 19 MiB, t = 2, p = 1), run on
//! threads of their own, one per core and at a lower priority, so a burst of logins never
//! stalls the async runtime.
//! A password is never logged; [`Password`] has no `Debug` output of its content.

use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// A password as typed. Not `Debug`-printable, not serialisable.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// Wraps what the person typed.
    pub fn new(typed: String) -> Password {
        Password(typed)
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

/// Why a new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Fewer than 8 characters.
    #[error("password_too_short")]
    TooShort,
    /// More than 128 characters.
    #[error("password_too_long")]
    TooLong,
    /// In the list of common passwords, or the person's own email or id.
    #[error("password_too_common")]
    TooCommon,
}

/// Minimum length of a password, in characters.
pub const MIN_LEN: usize = 8;
const MAX_LEN: usize = 128;

static COMMON: &str = include_str!("common-passwords.txt");

fn common_passwords() -> &'static std::collections::HashSet<&'static str> {
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
}

/// Checks a new password: length 8–128, not a common password, not one of `personal`
/// (email, citizen id, phone) of the account.
pub fn check_new(password: &Password, personal: &[&str]) -> Result<(), PasswordProblem> {
    let p = password.expose();
    let len = p.chars().count();
    if len < MIN_LEN {
        return Err(PasswordProblem::TooShort);
    }
    if len > MAX_LEN {
        return Err(PasswordProblem::TooLong);
    }
    let lower = p.to_lowercase();
    if common_passwords().contains(lower.as_str()) {
        return Err(PasswordProblem::TooCommon);
    }
    let local_part = |s: &str| s.split('@').next().unwrap_or(s).to_lowercase();
    if personal.iter().any(|s| !s.is_empty() && (lower == s.to_lowercase() || lower == local_part(s))) {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: argon2id, m=19456 KiB, t=2, p=1.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How much smaller a share of the CPU a hashing thread gets than the threads that serve
/// pages, when both want it (the nice value; on Linux it is per thread).
const HASHING_NICENESS: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

/// The threads that hash: one per core, so that a burst of sign-ins queues instead of
/// multiplying, each at a lower priority than the rest of the process, so that pages keep
/// being served while every core hashes (measured: README, "Performance"). Idle cores still
/// go to hashing in full.
fn hashing_threads() -> &'static std::sync::mpsc::Sender<Job> {
    static THREADS: LazyLock<std::sync::mpsc::Sender<Job>> = LazyLock::new(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        for i in 0..cores {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || {
                lower_this_threads_priority();
                loop {
                    // the lock is held while waiting, not while hashing
                    let job = match receiver.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    // a panic fails that one hash (its caller gets an error), not the thread
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            });
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a hashing thread");
            }
        }
        sender
    });
    &THREADS
}

/// Raises the calling thread's nice value by [`HASHING_NICENESS`] (Linux: `setpriority` on
/// the thread; at most 19).
fn lower_this_threads_priority() {
    #[cfg(unix)]
    {
        use rustix::process::{getpriority_process, setpriority_process};
        let lowered = getpriority_process(None)
            .and_then(|now| setpriority_process(None, (now + HASHING_NICENESS).min(19)));
        if let Err(error) = lowered {
            tracing::warn!(%error, "a hashing thread keeps the normal priority");
        }
    }
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let (done, result) = tokio::sync::oneshot::channel();
    hashing_threads()
        .send(Box::new(move || {
            let _ = done.send(work());
        }))
        .map_err(|_| anyhow::anyhow!("the hashing threads are gone"))?;
    Ok(result.await?)
}

/// Hashes a password (PHC string).
pub async fn hash(password: Password) -> anyhow::Result<String> {
    blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// A valid hash of a random password, verified against when the account does not exist, so
/// that "no such user" takes as long as "wrong password".
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()
            .hash_password(b"not-a-real-password-\x01\x02", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verifies `password` against `stored` (or against a dummy hash when `stored` is `None`,
/// which always fails but costs the same).
pub async fn verify(password: Password, stored: Option<String>) -> anyhow::Result<bool> {
    blocking(move || {
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let ok = Argon2::default().verify_password(password.expose().as_bytes(), &parsed).is_ok();
        ok && real
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_refuses_short_long_common_and_personal_passwords() {
        let p = |s: &str| Password::new(s.to_string());
        assert_eq!(check_new(&p("abc1234"), &[]), Err(PasswordProblem::TooShort));
        assert_eq!(check_new(&p(&"x".repeat(129)), &[]), Err(PasswordProblem::TooLong));
        assert_eq!(check_new(&p("password123"), &[]), Err(PasswordProblem::TooCommon));
        assert_eq!(check_new(&p("Matkhau123"), &[]), Err(PasswordProblem::TooCommon));
        assert_eq!(check_new(&p("nguyenvana"), &["nguyenvana@example.vn"]), Err(PasswordProblem::TooCommon));
        assert_eq!(check_new(&p("001099012345"), &["001099012345"]), Err(PasswordProblem::TooCommon));
        assert_eq!(check_new(&p("Sông Hồng chảy qua 36 phố"), &[]), Ok(()));
        assert!(common_passwords().len() > 10_000);
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_runs_at_a_lower_priority_than_the_pages() -> anyhow::Result<()> {
        let here = rustix::process::getpriority_process(None)?;
        let hashing = blocking(|| rustix::process::getpriority_process(None)).await??;
        assert_eq!(hashing, (here + HASHING_NICENESS).min(19), "niceness {here} here");
        assert_eq!(rustix::process::getpriority_process(None)?, here, "only the hashing threads");
        Ok(())
    }

    #[test]
    fn parameters_follow_owasp() {
        let params = argon2().params().clone();
        assert!(params.m_cost() >= 19 * 1024);
        assert!(params.t_cost() >= 2);
        assert_eq!(params.p_cost(), 1);
    }

    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() -> anyhow::Result<()> {
        let hashed = hash(Password::new("Sông Hồng 2026".into())).await?;
        assert!(hashed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hashed}");
        assert!(verify(Password::new("Sông Hồng 2026".into()), Some(hashed.clone())).await?);
        assert!(!verify(Password::new("Sông Hồng 2025".into()), Some(hashed)).await?);
        assert!(!verify(Password::new("anything".into()), None).await?);
        assert_eq!(format!("{:?}", Password::new("secret".into())), "Password(***)");
        Ok(())
    }
}
