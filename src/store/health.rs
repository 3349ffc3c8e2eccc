//! Workspaces whose file could not be opened or read: marked unavailable, answered with 503
//! at once, tried again after a pause, and never in the way of other workspaces.

use crate::domain::slug::Slug;
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a workspace stays marked before its file is tried again.
pub const RETRY_AFTER: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct Health {
    marks: Mutex<HashMap<Slug, Mark>>,
    failures: AtomicU64,
}

struct Mark {
    retry_at: Instant,
}

/// What a look at a workspace's mark says.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Fine,
    /// Marked, but due for another try: this caller makes it (others keep getting 503).
    Retry,
}

impl Health {
    /// `Err(Unavailable)` while `slug` is marked and not yet due for another try.
    pub fn check(&self, slug: &Slug) -> Result<Verdict> {
        let mut marks = self.marks.lock().unwrap_or_else(|p| p.into_inner());
        let Some(mark) = marks.get_mut(slug) else {
            return Ok(Verdict::Fine);
        };
        let now = Instant::now();
        if now < mark.retry_at {
            return Err(unavailable(slug));
        }
        mark.retry_at = now + RETRY_AFTER;
        Ok(Verdict::Retry)
    }

    /// Marks `slug` unavailable; the log hears of it once, when it is first marked.
    pub fn mark(&self, slug: &Slug, reason: &str) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        let mut marks = self.marks.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = !marks.contains_key(slug);
        marks.insert(
            slug.clone(),
            Mark {
                retry_at: Instant::now() + RETRY_AFTER,
            },
        );
        if fresh {
            crate::error!(
                "tenant {slug} is unavailable (tried again every {} s): {}",
                RETRY_AFTER.as_secs(),
                crate::log::escape(reason)
            );
        }
    }

    /// Clears the mark of a workspace whose file opened fine again.
    pub fn clear(&self, slug: &Slug) {
        let mut marks = self.marks.lock().unwrap_or_else(|p| p.into_inner());
        if marks.remove(slug).is_some() {
            crate::info!("tenant {slug} is available again");
        }
    }

    /// The marked workspaces, sorted.
    pub fn degraded(&self) -> Vec<String> {
        let marks = self.marks.lock().unwrap_or_else(|p| p.into_inner());
        let mut slugs: Vec<String> = marks.keys().map(|s| s.to_string()).collect();
        slugs.sort();
        slugs
    }

    /// Makes the mark of `slug` due for another try now (tests).
    #[cfg(test)]
    pub(crate) fn due_now(&self, slug: &Slug) {
        if let Some(mark) = self
            .marks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_mut(slug)
        {
            mark.retry_at = Instant::now();
        }
    }

    /// How often a workspace failed to open or to be read since the server started.
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }
}

fn unavailable(slug: &Slug) -> Error {
    Error::Unavailable(format!("tenant {slug} is marked unavailable"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_workspace_is_refused_until_its_retry_is_due_and_others_are_fine() {
        let health = Health::default();
        let (bad, good) = (
            Slug::parse("bad").expect("slug"),
            Slug::parse("good").expect("slug"),
        );
        assert_eq!(health.check(&bad).ok(), Some(Verdict::Fine));
        health.mark(&bad, "file is not a database");
        assert!(matches!(health.check(&bad), Err(Error::Unavailable(_))));
        assert_eq!(health.check(&good).ok(), Some(Verdict::Fine));
        assert_eq!(health.degraded(), ["bad"]);
        // Due for a retry: one caller gets it, the next is refused again.
        health
            .marks
            .lock()
            .expect("lock")
            .get_mut(&bad)
            .expect("mark")
            .retry_at = Instant::now();
        assert_eq!(health.check(&bad).ok(), Some(Verdict::Retry));
        assert!(health.check(&bad).is_err());
        health.clear(&bad);
        assert_eq!(health.check(&bad).ok(), Some(Verdict::Fine));
        assert!(health.degraded().is_empty());
        assert_eq!(health.failures(), 1);
    }
}
