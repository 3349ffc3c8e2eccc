//! Time comes from a `Clock` so that tests can move it (session expiry, throttling windows,
//! mail retries) without sleeping.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move: the wall clock plus an adjustable offset.
#[derive(Default)]
pub struct ManualClock {
    offset: Mutex<Duration>,
}

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(|p| p.into_inner());
        *offset += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.offset.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The storage form of a timestamp: UTC, whole seconds, `2026-11-21T09:30:00Z`. Text in this
/// form sorts in time order, so SQL can compare it directly.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn parse_stamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip_and_sort_in_time_order() {
        let a = parse_stamp("2026-11-21T09:30:00Z").expect("valid");
        let b = a + Duration::seconds(59);
        assert_eq!(stamp(a), "2026-11-21T09:30:00Z");
        assert!(stamp(a) < stamp(b));
        assert_eq!(parse_stamp(&stamp(b)), Some(b));
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::default();
        let before = clock.now();
        clock.advance(Duration::days(8));
        let moved = clock.now() - before;
        assert!(moved >= Duration::days(8) && moved < Duration::days(8) + Duration::seconds(5));
    }
}
