//! Throttling of failed sign-ins, kept in memory: a failed attempt writes nothing to disk (no
//! fsync an attacker could make us pay for), and a restart forgetting the count is harmless
//! because the window is only fifteen minutes.

use crate::domain::slug::Slug;
use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Beyond this many tracked emails the oldest windows are dropped, so memory stays bounded.
const MAX_TRACKED: usize = 100_000;

/// Failure times per (tenant, email), oldest first.
type Failures = HashMap<(Slug, String), VecDeque<DateTime<Utc>>>;

pub struct LoginThrottle {
    window: Duration,
    max_failures: usize,
    failures: Mutex<Failures>,
}

impl LoginThrottle {
    pub fn new(window: Duration, max_failures: usize) -> LoginThrottle {
        LoginThrottle {
            window,
            max_failures,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Some(when it reopens)` if `email` has used up its failures in the window.
    pub fn blocked_until(
        &self,
        slug: &Slug,
        email: &str,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let key = (slug.clone(), email.to_string());
        let times = map.get_mut(&key)?;
        while times.front().is_some_and(|t| *t + self.window <= now) {
            times.pop_front();
        }
        if times.is_empty() {
            map.remove(&key);
            return None;
        }
        (times.len() >= self.max_failures).then(|| times[0] + self.window)
    }

    pub fn record_failure(&self, slug: &Slug, email: &str, now: DateTime<Utc>) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_TRACKED {
            let window = self.window;
            map.retain(|_, times| times.back().is_some_and(|t| *t + window > now));
        }
        map.entry((slug.clone(), email.to_string()))
            .or_default()
            .push_back(now);
    }

    pub fn clear(&self, slug: &Slug, email: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&(slug.clone(), email.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_until_the_oldest_leaves_the_window() {
        let t = LoginThrottle::new(Duration::minutes(15), 5);
        let slug = Slug::parse("acme").expect("slug");
        let start = Utc::now();
        for i in 0..5 {
            assert_eq!(t.blocked_until(&slug, "a@x.io", start), None);
            t.record_failure(&slug, "a@x.io", start + Duration::minutes(i));
        }
        assert_eq!(
            t.blocked_until(&slug, "a@x.io", start + Duration::minutes(5)),
            Some(start + Duration::minutes(15))
        );
        assert_eq!(
            t.blocked_until(&slug, "b@x.io", start),
            None,
            "other emails are not affected"
        );
        assert_eq!(
            t.blocked_until(&Slug::parse("other").expect("slug"), "a@x.io", start),
            None,
            "nor other tenants"
        );
        assert_eq!(
            t.blocked_until(&slug, "a@x.io", start + Duration::minutes(15)),
            None
        );
    }
}
