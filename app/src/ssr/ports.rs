//! Traits for the side effects the services need, with the fakes tests use. The server
//! implements the real ones (SMTP, object storage, payment gateways) and hands them in
//! through [`crate::ssr::state::AppState`].

use std::sync::{Arc, Mutex};

use time::OffsetDateTime;

/// The time source. Services never call `OffsetDateTime::now_utc()` themselves, so tests can
/// move time forward (token expiry, deadlines).
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant (UTC).
    fn now(&self) -> OffsetDateTime;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that runs like the real one plus an offset that tests can grow.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset: Mutex<time::Duration>,
}

impl OffsetClock {
    /// Sets this clock `offset` away from the system clock (negative: in the past).
    pub fn set(&self, offset: time::Duration) {
        if let Ok(mut o) = self.offset.lock() {
            *o = offset;
        }
    }

    /// Moves this clock forward by `by`.
    pub fn advance(&self, by: time::Duration) {
        if let Ok(mut offset) = self.offset.lock() {
            *offset += by;
        }
    }
}

impl OffsetClock {
    /// Unix seconds of `now()` (tests computing TOTP codes).
    pub fn now_unix(&self) -> i64 {
        self.now().unix_timestamp()
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> OffsetDateTime {
        let offset = self.offset.lock().map(|o| *o).unwrap_or_default();
        OffsetDateTime::now_utc() + offset
    }
}

/// An email ready to send: rendered text and HTML bodies.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OutgoingEmail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

/// Sends email. Called only by the outbox worker, never inside a request.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    /// Delivers one message; an error makes the worker retry later.
    async fn send(&self, email: &OutgoingEmail) -> anyhow::Result<()>;
}

/// Keeps messages in memory (unit tests).
#[derive(Debug, Default, Clone)]
pub struct MemoryMailer {
    sent: Arc<Mutex<Vec<OutgoingEmail>>>,
}

impl MemoryMailer {
    /// Everything sent so far.
    pub fn sent(&self) -> Vec<OutgoingEmail> {
        self.sent.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

#[async_trait::async_trait]
impl Mailer for MemoryMailer {
    async fn send(&self, email: &OutgoingEmail) -> anyhow::Result<()> {
        self.sent.lock().map_err(|_| anyhow::anyhow!("mailer lock poisoned"))?.push(email.clone());
        Ok(())
    }
}
