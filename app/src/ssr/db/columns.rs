//! How values are stored, the same on both engines: instants as BIGINT unix microseconds (UTC), ids as TEXT UUIDv7.

use time::OffsetDateTime;

/// An instant as stored.
pub fn to_db(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

/// A stored instant back as a time (out-of-range values clamp to the epoch).
pub fn from_db(micros: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A new UUIDv7 (time-ordered) as text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip_at_microsecond_precision() {
        let t = time::macros::datetime!(2026-02-17 08:30:15.123456 UTC);
        assert_eq!(from_db(to_db(t)), t);
        assert_eq!(to_db(OffsetDateTime::UNIX_EPOCH), 0);
    }

    #[test]
    fn ids_are_unique_and_ordered() {
        let a = new_id();
        let b = new_id();
        assert_ne!(a, b);
        assert!(a < b);
    }
}
