//! Appointments as iCalendar (RFC 5545): a confirmation's `.ics` (`METHOD:REQUEST`, or
//! `CANCEL`) and a calendar feed (`PUBLISH`). Times are written in the business's zone with
//! its `VTIMEZONE` (each change of the clocks in the events' years), so a calendar shows 10:00
//! as 10:00 there whatever the reader's own zone.

use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};

/// One appointment as an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across changes: the same event in every mail and feed.
    pub uid: String,
    /// Grows with each change, so calendars take the newest.
    pub sequence: u32,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub cancelled: bool,
    /// Who sends an invitation, and whom it invites (mail addresses; an invitation or its
    /// cancellation needs both, a feed neither).
    pub organizer: String,
    pub attendee: String,
}

/// What a calendar file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A feed to subscribe to.
    Publish,
    /// An invitation: the confirmation of a booking.
    Request,
    /// A booking called off.
    Cancel,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// The calendar of `events` in `zone`, made at `now`: CRLF lines folded at 75 octets.
pub fn calendar(events: &[Event], zone: Tz, method: Method, now: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Onebox//Onebox CRM//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("METHOD:{}", method.as_str()),
    ];
    lines.extend(vtimezone(zone, events));
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y%m%dT%H%M%S").to_string();
    for e in events {
        let status = if e.cancelled || method == Method::Cancel {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", escape(&e.uid)),
            format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")),
            format!("SEQUENCE:{}", e.sequence),
            format!("DTSTART;TZID={}:{}", zone.name(), local(e.start)),
            format!("DTEND;TZID={}:{}", zone.name(), local(e.end)),
            format!("SUMMARY:{}", escape(&e.summary)),
            format!("STATUS:{status}"),
        ]);
        if !e.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.location.is_empty() {
            lines.push(format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.organizer.is_empty() {
            lines.push(format!("ORGANIZER:mailto:{}", e.organizer));
        }
        if !e.attendee.is_empty() {
            lines.push(format!(
                "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{}",
                e.attendee
            ));
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

/// Text as a property value: backslash, semicolon, comma and line breaks escaped.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// A content line, folded so no line is over 75 octets (never inside a character), with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// The zone's `VTIMEZONE`: an observance for each change of its clocks from a year before the
/// first event to a year after the last, or one standard time if it has none then.
fn vtimezone(zone: Tz, events: &[Event]) -> Vec<String> {
    let first = events
        .iter()
        .map(|e| e.start)
        .min()
        .unwrap_or(DateTime::UNIX_EPOCH);
    let last = events.iter().map(|e| e.end).max().unwrap_or(first);
    let (from, to) = (first - Duration::days(366), last + Duration::days(366));
    let offset = |t: DateTime<Utc>| zone.offset_from_utc_datetime(&t.naive_utc());
    let seconds = |t: DateTime<Utc>| offset(t).fix().local_minus_utc();
    let mut lines = vec![
        "BEGIN:VTIMEZONE".to_string(),
        format!("TZID:{}", zone.name()),
    ];
    let mut changes = Vec::new();
    let mut at = from;
    while at < to {
        let next = at + Duration::days(1);
        if seconds(at) != seconds(next) {
            // The second it changes: the first whose offset is the new one.
            let (mut lo, mut hi) = (at.timestamp(), next.timestamp());
            let offset_at = |s: i64| seconds(DateTime::from_timestamp(s, 0).unwrap_or(at));
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(mid) == offset_at(lo) {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            changes.push(DateTime::from_timestamp(hi, 0).unwrap_or(next));
        }
        at = next;
    }
    if changes.is_empty() {
        let o = seconds(from);
        lines.extend(observance(
            "STANDARD",
            "19700101T000000",
            o,
            o,
            offset(from).abbreviation(),
        ));
    }
    for change in changes {
        let (before, after) = (seconds(change - Duration::minutes(1)), seconds(change));
        let kind = if after > before {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        let onset = (change + Duration::seconds(i64::from(before)))
            .format("%Y%m%dT%H%M%S")
            .to_string();
        lines.extend(observance(
            kind,
            &onset,
            before,
            after,
            offset(change).abbreviation(),
        ));
    }
    lines.push("END:VTIMEZONE".into());
    lines
}

fn observance(kind: &str, onset: &str, from: i32, to: i32, name: Option<&str>) -> Vec<String> {
    let mut lines = vec![
        format!("BEGIN:{kind}"),
        format!("DTSTART:{onset}"),
        format!("TZOFFSETFROM:{}", utc_offset(from)),
        format!("TZOFFSETTO:{}", utc_offset(to)),
    ];
    if let Some(name) = name {
        lines.push(format!("TZNAME:{}", escape(name)));
    }
    lines.push(format!("END:{kind}"));
    lines
}

/// `+0100`, `-0330`.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}
