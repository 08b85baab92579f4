//! A short-lived cache of the public pages that every visitor who is not signed in sees
//! alike (the home page, a procedure's page, the public statistics), so that the catalogue
//! is served at the speed of a static file under load.
//!
//! - Only `GET` of a listed path without a query string, from a request that carries no
//!   session cookie, answered 200 `text/html` without `Set-Cookie`, is stored: per path and
//!   language, for a few seconds (`MOTCUA_PAGE_CACHE_SECONDS`; 0 turns it off).
//! - Each answer from the cache carries a fresh CSP nonce: the stored page's nonce is
//!   replaced in the body and in the `Content-Security-Policy` header, so no two answers share
//!   one.
//! - Publishing a procedure or editing a unit clears this process's cache; other processes
//!   (several machines) show the change when their entries expire, a few seconds later.
//!
//! The HTTP side (which requests, building the answer) is `server::middleware::page_cache`.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::HeaderMap;

/// Entries kept at most; when full, the cache starts again empty (the keys are paths of
/// pages that exist, so this bounds memory, not the hit rate).
const MAX_ENTRIES: usize = 4_096;

/// One stored page.
#[derive(Clone, Debug)]
pub struct CachedPage {
    /// The page's headers as rendered (its Content-Security-Policy among them).
    pub headers: HeaderMap,
    /// The HTML.
    pub body: Bytes,
    /// The CSP nonce it was rendered with.
    pub nonce: String,
    stored: Instant,
}

impl CachedPage {
    /// A page rendered with `nonce`, stored now.
    pub fn new(headers: HeaderMap, body: Bytes, nonce: String) -> CachedPage {
        CachedPage { headers, body, nonce, stored: Instant::now() }
    }
}

/// The cache (one per process).
#[derive(Debug)]
pub struct PageCache {
    ttl: Duration,
    entries: RwLock<HashMap<String, CachedPage>>,
}

impl PageCache {
    /// A cache whose pages live `ttl` (zero: nothing is stored).
    pub fn new(ttl: Duration) -> PageCache {
        PageCache { ttl, entries: RwLock::new(HashMap::new()) }
    }

    /// Whether pages are stored at all.
    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// The page stored under `key`, unless it is older than the time to live.
    pub fn get(&self, key: &str) -> Option<CachedPage> {
        let entries = self.entries.read().ok()?;
        entries.get(key).filter(|p| p.stored.elapsed() < self.ttl).cloned()
    }

    /// Stores `page` under `key`.
    pub fn put(&self, key: String, page: CachedPage) {
        if !self.enabled() {
            return;
        }
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.insert(key, page);
        }
    }

    /// Forgets every page (after the catalogue changed).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}

/// The nonce of a Content-Security-Policy (`'nonce-…'`), if it has one.
pub fn nonce_of(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(&policy[start..start + len]).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> CachedPage {
        CachedPage::new(HeaderMap::new(), Bytes::from(body.to_string()), "n".into())
    }

    #[test]
    fn pages_expire_and_are_cleared() {
        let cache = PageCache::new(Duration::from_millis(50));
        cache.put("vi:/".into(), page("a"));
        assert_eq!(cache.get("vi:/").map(|p| p.body), Some(Bytes::from("a")));
        assert!(cache.get("en:/").is_none(), "per language");
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get("vi:/").is_none(), "expired");
        cache.put("vi:/".into(), page("b"));
        cache.clear();
        assert!(cache.get("vi:/").is_none(), "cleared");
    }

    #[test]
    fn a_zero_time_to_live_stores_nothing() {
        let cache = PageCache::new(Duration::ZERO);
        assert!(!cache.enabled());
        cache.put("vi:/".into(), page("a"));
        assert!(cache.get("vi:/").is_none());
    }

    #[test]
    fn a_full_cache_starts_again() {
        let cache = PageCache::new(Duration::from_secs(60));
        for i in 0..MAX_ENTRIES {
            cache.put(format!("vi:/procedures/{i}"), page("x"));
        }
        assert!(cache.get("vi:/procedures/0").is_some());
        cache.put("vi:/procedures/new".into(), page("y"));
        assert!(cache.get("vi:/procedures/0").is_none());
        assert!(cache.get("vi:/procedures/new").is_some());
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        assert_eq!(
            nonce_of("default-src 'self'; script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"),
            Some("abc123")
        );
        assert_eq!(nonce_of("default-src 'self'"), None);
        assert_eq!(nonce_of("script-src 'nonce-'"), None);
    }
}
