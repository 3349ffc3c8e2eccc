//! Throttles kept in memory: failed sign-ins per email and per client address, reset
//! requests per email and per client address. A throttled attempt writes nothing to disk (no
//! fsync an attacker could make us pay for), and a restart forgetting the counts is harmless
//! because the windows are short.

use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Mutex;

/// Beyond this many tracked keys the oldest windows are dropped, so memory stays bounded.
const MAX_TRACKED: usize = 100_000;

/// At most `max` events per key within a sliding `window`.
pub struct Throttle<K> {
    window: Duration,
    max: usize,
    events: Mutex<HashMap<K, VecDeque<DateTime<Utc>>>>,
}

impl<K: Hash + Eq + Clone> Throttle<K> {
    pub fn new(window: Duration, max: usize) -> Throttle<K> {
        Throttle {
            window,
            max,
            events: Mutex::new(HashMap::new()),
        }
    }

    /// `Some(when it reopens)` if `key` has used up its events in the window.
    pub fn blocked_until(&self, key: &K, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut map = self.events.lock().unwrap_or_else(|p| p.into_inner());
        let times = map.get_mut(key)?;
        while times.front().is_some_and(|t| *t + self.window <= now) {
            times.pop_front();
        }
        if times.is_empty() {
            map.remove(key);
            return None;
        }
        (times.len() >= self.max).then(|| times[0] + self.window)
    }

    /// Counts an attempt for `key` unless it has used up its window: `Err(when it reopens)`.
    /// Checking and counting under one lock, so two requests at once cannot both slip in.
    pub fn admit(&self, key: K, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        if let Some(reopens) = self.blocked_until(&key, now) {
            return Err(reopens);
        }
        self.record(key, now);
        Ok(())
    }

    pub fn record(&self, key: K, now: DateTime<Utc>) {
        let mut map = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_TRACKED {
            let window = self.window;
            map.retain(|_, times| times.back().is_some_and(|t| *t + window > now));
        }
        map.entry(key).or_default().push_back(now);
    }

    pub fn clear(&self, key: &K) {
        self.events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

/// "Try again in 3 minutes." for a block that lasts until `reopens`.
pub fn try_again_in(reopens: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = ((reopens - now).num_seconds() + 59) / 60;
    format!(
        "Try again in {minutes} minute{}.",
        if minutes == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::slug::Slug;

    #[test]
    fn five_failures_block_until_the_oldest_leaves_the_window() {
        let t = Throttle::new(Duration::minutes(15), 5);
        let slug = Slug::parse("acme").expect("slug");
        let key = |email: &str| (slug.clone(), email.to_string());
        let start = Utc::now();
        for i in 0..5 {
            assert_eq!(t.blocked_until(&key("a@x.io"), start), None);
            t.record(key("a@x.io"), start + Duration::minutes(i));
        }
        assert_eq!(
            t.blocked_until(&key("a@x.io"), start + Duration::minutes(5)),
            Some(start + Duration::minutes(15))
        );
        assert_eq!(
            t.blocked_until(&key("b@x.io"), start),
            None,
            "other emails are not affected"
        );
        assert_eq!(
            t.blocked_until(
                &(Slug::parse("other").expect("slug"), "a@x.io".to_string()),
                start
            ),
            None,
            "nor other tenants"
        );
        assert_eq!(
            t.blocked_until(&key("a@x.io"), start + Duration::minutes(15)),
            None
        );
        assert_eq!(
            try_again_in(start + Duration::seconds(61), start),
            "Try again in 2 minutes."
        );
    }

    #[test]
    fn admit_counts_until_the_window_is_used_up_and_counts_no_refusal() {
        let t = Throttle::new(Duration::minutes(15), 2);
        let start = Utc::now();
        assert_eq!(t.admit("a", start), Ok(()));
        assert_eq!(t.admit("a", start + Duration::minutes(1)), Ok(()));
        let reopens = start + Duration::minutes(15);
        assert_eq!(t.admit("a", start + Duration::minutes(2)), Err(reopens));
        assert_eq!(t.admit("b", start), Ok(()), "other keys are not affected");
        // The refusal was not counted: the window reopens when the first attempt leaves it.
        assert_eq!(t.admit("a", reopens), Ok(()));
    }
}
