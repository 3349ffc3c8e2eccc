//! Who gets a new conversation, and whether the inbox is open: the round over an inbox's
//! members (passing over anyone at the cap), and its working hours in the workspace's zone.

use crate::domain::ids::UserId;
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

/// The member whose turn it is after `last`: the next in order (from the first again) whose
/// open conversations, as `load` counts them, are under `cap`; none when all are at it.
pub fn next_assignee(
    members: &[UserId],
    last: Option<UserId>,
    cap: Option<i64>,
    mut load: impl FnMut(UserId) -> i64,
) -> Option<UserId> {
    let start = last
        .and_then(|l| members.iter().position(|m| *m > l))
        .unwrap_or(0);
    (0..members.len())
        .map(|i| members[(start + i) % members.len()])
        .find(|m| cap.is_none_or(|c| load(*m) < c))
}

/// Whether `at` falls inside the hours (Monday first, each day's spans as typed); a day that
/// does not read as spans counts as closed.
pub fn is_open(hours: &[String], at: DateTime<Utc>, zone: Tz) -> bool {
    let local = at.with_timezone(&zone);
    let day = local.weekday().num_days_from_monday() as usize;
    let time = local.time();
    hours
        .get(day)
        .and_then(|text| crate::domain::scheduling::parse_spans(text))
        .is_some_and(|spans| spans.iter().any(|s| s.start <= time && time < s.end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_round_goes_on_from_the_last_and_passes_over_the_full() {
        let m = [UserId(2), UserId(5), UserId(9)];
        let none = |_: UserId| 0;
        assert_eq!(next_assignee(&m, None, None, none), Some(UserId(2)));
        assert_eq!(
            next_assignee(&m, Some(UserId(5)), None, none),
            Some(UserId(9))
        );
        assert_eq!(
            next_assignee(&m, Some(UserId(9)), None, none),
            Some(UserId(2))
        );
        // Someone who left the round: the next after them.
        assert_eq!(
            next_assignee(&m, Some(UserId(3)), None, none),
            Some(UserId(5))
        );
        let load = |u: UserId| if u == UserId(9) { 3 } else { 1 };
        assert_eq!(
            next_assignee(&m, Some(UserId(5)), Some(3), load),
            Some(UserId(2))
        );
        assert_eq!(next_assignee(&m, Some(UserId(5)), Some(1), load), None);
        assert_eq!(next_assignee(&[], None, None, none), None);
    }

    #[test]
    fn hours_are_read_on_the_zones_wall() {
        let mut hours = vec![String::new(); 7];
        hours[0] = "09:00-12:00, 13:00-17:00".into();
        let zone = chrono_tz::Europe::Amsterdam;
        // Monday 7 December 2026, 09:30 in Amsterdam is 08:30 UTC.
        let at = |h, m| {
            Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0)
                .single()
                .expect("time")
        };
        assert!(is_open(&hours, at(8, 30), zone));
        assert!(!is_open(&hours, at(7, 59), zone), "08:59 there");
        assert!(!is_open(&hours, at(11, 30), zone), "the lunch break");
        assert!(
            !is_open(&hours, at(8, 30) + chrono::Duration::days(1), zone),
            "Tuesday is closed"
        );
    }
}
