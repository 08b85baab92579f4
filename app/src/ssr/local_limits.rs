//! Rate limits counted in this process's memory, for public pages hit so often that a
//! database row per hit would make the single SQLite writer their ceiling (the lookup by code
//! and key: 1,300 req/s with a row per hit).
//!
//! The counting is the GCRA of the `governor` crate, keyed by client address, on the
//! portal's own [`Clock`] (so tests that freeze or move the clock see the limits move with
//! it). A quota of N per minute lets a client make N at once, then one every 60/N seconds.
//!
//! What is counted here is per process: behind a proxy that spreads requests over `k` nodes,
//! a client may make up to `k` times the quota. That is acceptable only where the quota is a
//! courtesy, not the protection: the lookup's key has 40 bits, so even `k` × 20 guesses a
//! minute will not find a dossier. Limits that protect accounts (sign-in, password reset,
//! registration, API tokens) stay in the database ([`crate::ssr::db::rate_limits`]), shared by
//! every node.

use std::num::NonZeroU32;
use std::ops::Add;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock as GovernorClock, Reference};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};

use crate::ssr::ports::Clock;

/// An instant of the portal's clock: nanoseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PortalInstant(u64);

impl Add<Nanos> for PortalInstant {
    type Output = PortalInstant;
    fn add(self, other: Nanos) -> PortalInstant {
        PortalInstant(self.0.saturating_add(other.as_u64()))
    }
}

impl Reference for PortalInstant {
    fn duration_since(&self, earlier: Self) -> Nanos {
        Nanos::from(self.0.saturating_sub(earlier.0))
    }

    fn saturating_sub(&self, duration: Nanos) -> Self {
        PortalInstant(self.0.saturating_sub(duration.as_u64()))
    }
}

/// The portal's [`Clock`] as `governor` reads time.
#[derive(Debug, Clone)]
pub struct PortalClock(Arc<dyn Clock>);

impl GovernorClock for PortalClock {
    type Instant = PortalInstant;
    fn now(&self) -> PortalInstant {
        let nanos = self.0.now().unix_timestamp_nanos();
        PortalInstant(u64::try_from(nanos).unwrap_or(0))
    }
}

type Keyed = RateLimiter<String, DashMapStateStore<String>, PortalClock, NoOpMiddleware<PortalInstant>>;

/// How often the clients that are back to a full allowance are forgotten.
const FORGET_EVERY_NANOS: u64 = 10_000_000_000;

/// One keyed limit and when it last forgot idle clients.
struct Limit {
    limiter: Keyed,
    last_forget: AtomicU64,
}

impl Limit {
    fn per_minute(clock: &PortalClock, n: u32) -> Limit {
        let quota = Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Limit {
            limiter: RateLimiter::dashmap_with_clock(quota, clock.clone()),
            last_forget: AtomicU64::new(0),
        }
    }

    fn allow(&self, key: &str) -> bool {
        let allowed = self.limiter.check_key(&key.to_owned()).is_ok();
        self.forget_idle_now_and_then();
        allowed
    }

    /// Keeps memory bounded by the clients of the last minute: a client whose allowance is
    /// full again is indistinguishable from one never seen, so it is dropped.
    fn forget_idle_now_and_then(&self) {
        let now = self.limiter.clock().now().0;
        let last = self.last_forget.load(Ordering::Relaxed);
        if now.saturating_sub(last) >= FORGET_EVERY_NANOS
            && self.last_forget.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
    }

    fn clients(&self) -> usize {
        self.limiter.len()
    }
}

/// The in-memory limits of this process.
pub struct LocalLimits {
    lookup: Limit,
}

impl std::fmt::Debug for LocalLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalLimits").field("lookup_clients", &self.lookup.clients()).finish()
    }
}

impl LocalLimits {
    /// Limits on `clock`: `lookups_per_minute` public lookups per client address.
    pub fn new(clock: Arc<dyn Clock>, lookups_per_minute: u32) -> LocalLimits {
        let clock = PortalClock(clock);
        LocalLimits { lookup: Limit::per_minute(&clock, lookups_per_minute) }
    }

    /// Counts one public lookup from `client`; false when it is over the limit.
    pub fn lookup(&self, client: &str) -> bool {
        self.lookup.allow(client)
    }

    /// How many clients the lookup limit remembers (for tests and diagnostics).
    pub fn lookup_clients(&self) -> usize {
        self.lookup.clients()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use time::{Duration, OffsetDateTime};

    use super::*;

    #[derive(Debug)]
    struct Manual(Mutex<OffsetDateTime>);
    impl Clock for Manual {
        fn now(&self) -> OffsetDateTime {
            *self.0.lock().unwrap()
        }
    }
    impl Manual {
        fn advance(&self, by: Duration) {
            *self.0.lock().unwrap() += by;
        }
    }

    fn limits() -> (Arc<Manual>, LocalLimits) {
        let clock = Arc::new(Manual(Mutex::new(OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap())));
        let limits = LocalLimits::new(clock.clone(), 20);
        (clock, limits)
    }

    #[test]
    fn a_client_gets_its_quota_at_once_then_one_per_share_of_the_minute() {
        let (clock, limits) = limits();
        let first: Vec<bool> = (0..21).map(|_| limits.lookup("198.51.100.7")).collect();
        assert!(first[..20].iter().all(|a| *a), "{first:?}");
        assert!(!first[20], "the 21st within the minute is refused");
        assert!(limits.lookup("198.51.100.8"), "another client is counted apart");
        clock.advance(Duration::seconds(2));
        assert!(!limits.lookup("198.51.100.7"), "60/20 = 3 s have not passed");
        clock.advance(Duration::seconds(1));
        assert!(limits.lookup("198.51.100.7"), "one more after 3 s");
        assert!(!limits.lookup("198.51.100.7"));
        clock.advance(Duration::minutes(1));
        let again: Vec<bool> = (0..21).map(|_| limits.lookup("198.51.100.7")).collect();
        assert_eq!(again.iter().filter(|a| **a).count(), 20, "a full allowance after a quiet minute");
    }

    #[test]
    fn clients_back_to_a_full_allowance_are_forgotten() {
        let (clock, limits) = limits();
        for i in 0..500 {
            limits.lookup(&format!("203.0.113.{i}"));
        }
        assert_eq!(limits.lookup_clients(), 500);
        clock.advance(Duration::minutes(2));
        limits.lookup("192.0.2.1");
        assert_eq!(limits.lookup_clients(), 1, "only the client of the last minute is kept");
    }
}
