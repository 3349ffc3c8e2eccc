//! Who has a conversation open, and who is typing a reply in it: each open page tells every
//! few seconds; what is not told again within `FRESH_SECONDS` is gone. Kept in memory only (it
//! is about the last moments, not a record), bounded in size.

use crate::domain::ids::{ConversationId, UserId};
use crate::domain::slug::Slug;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// How long a page's word lasts.
pub const FRESH_SECONDS: i64 = 30;

/// The most conversations kept at once; past it the stalest are dropped.
const MAX_KEPT: usize = 10_000;

#[derive(Debug, Clone)]
struct Seen {
    user: UserId,
    name: String,
    typing: bool,
    at: DateTime<Utc>,
}

#[derive(Default)]
pub struct Presence {
    by_conversation: Mutex<HashMap<(Slug, ConversationId), Vec<Seen>>>,
}

impl Presence {
    /// `user` has conversation `id` open (typing or not) at `now`; answers the others who
    /// have it open: (name, typing).
    pub fn tell(
        &self,
        (slug, id): (&Slug, ConversationId),
        (user, name, typing): (UserId, &str, bool),
        now: DateTime<Utc>,
    ) -> Vec<(String, bool)> {
        let fresh = |s: &Seen| (now - s.at).num_seconds() < FRESH_SECONDS;
        let mut all = self
            .by_conversation
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if all.len() >= MAX_KEPT {
            all.retain(|_, seen| seen.iter().any(fresh));
        }
        let seen = all.entry((slug.clone(), id)).or_default();
        seen.retain(|s| s.user != user && fresh(s));
        let others = seen.iter().map(|s| (s.name.clone(), s.typing)).collect();
        seen.push(Seen {
            user,
            name: name.to_string(),
            typing,
            at: now,
        });
        others
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others_are_seen_until_they_go_quiet() {
        let p = Presence::default();
        let slug = Slug::parse("acme").expect("slug");
        let at = |s: i64| DateTime::<Utc>::from_timestamp(1_800_000_000 + s, 0).expect("time");
        let c = (&slug, ConversationId(1));
        assert!(p.tell(c, (UserId(1), "Mia", false), at(0)).is_empty());
        assert_eq!(
            p.tell(c, (UserId(2), "Bram", true), at(5)),
            vec![("Mia".to_string(), false)]
        );
        assert_eq!(
            p.tell(c, (UserId(1), "Mia", false), at(10)),
            vec![("Bram".to_string(), true)]
        );
        assert!(
            p.tell(c, (UserId(1), "Mia", false), at(10 + FRESH_SECONDS))
                .is_empty()
        );
        assert!(
            p.tell(
                (&slug, ConversationId(2)),
                (UserId(2), "Bram", false),
                at(11)
            )
            .is_empty()
        );
    }
}
