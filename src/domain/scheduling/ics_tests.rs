//! Calendars read back by a real iCalendar parser (the `ical` crate): folding, escaping, the
//! VTIMEZONE and times on both sides of a change of the clocks.

use super::ics::{Event, Method, calendar};
use crate::clock::parse_stamp;
use chrono::{DateTime, Utc};
use chrono::{NaiveDateTime, TimeZone};
use ical::parser::ical::component::{IcalCalendar, IcalTimeZoneTransitionType};
use ical::property::Property;

fn at(s: &str) -> DateTime<Utc> {
    parse_stamp(s).expect("a stamp")
}

fn ams() -> chrono_tz::Tz {
    crate::domain::local_time::zone("Europe/Amsterdam").expect("zone")
}

fn parsed(text: &str) -> IcalCalendar {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    calendars.next().expect("a calendar").expect("it parses")
}

fn value<'a>(props: &'a [Property], name: &str) -> &'a str {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
        .unwrap_or("")
}

fn event(start: &str, minutes: i64, summary: &str) -> Event {
    let start = at(start);
    Event {
        uid: format!("appointment-{}@salon.onebox", start.timestamp()),
        sequence: 0,
        start,
        end: start + chrono::Duration::minutes(minutes),
        summary: summary.into(),
        description: String::new(),
        location: String::new(),
        cancelled: false,
        organizer: String::new(),
        attendee: String::new(),
    }
}

/// A wall time read back through the file's own VTIMEZONE: the observance in force at it
/// (the latest onset before it), its offset taken off.
fn through_vtimezone(cal: &IcalCalendar, local: &str) -> chrono::DateTime<chrono::Utc> {
    let local = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S").expect("a local time");
    let tz = &cal.timezones[0];
    let (_, offset) = tz
        .transitions
        .iter()
        .map(|t| {
            let onset =
                NaiveDateTime::parse_from_str(value(&t.properties, "DTSTART"), "%Y%m%dT%H%M%S")
                    .expect("an onset");
            let to = value(&t.properties, "TZOFFSETTO");
            let sign = if to.starts_with('-') { -1 } else { 1 };
            let minutes = to[1..3].parse::<i64>().expect("hours") * 60
                + to[3..5].parse::<i64>().expect("minutes");
            (onset, sign * minutes)
        })
        .filter(|(onset, _)| *onset <= local)
        .max_by_key(|(onset, _)| *onset)
        .expect("an observance in force");
    chrono::Utc.from_utc_datetime(&(local - chrono::Duration::minutes(offset)))
}

#[test]
fn a_calendar_parses_and_its_times_read_right_on_both_sides_of_a_change_of_the_clocks() {
    let mut long = event("2026-03-27T09:00:00Z", 45, "Knippen, wassen; föhnen");
    long.description = "Eerst wassen.\nDan knippen — en daarna föhnen, met een lange uitleg die over de vijfenzeventig tekens gaat.".into();
    let events = [long, event("2026-03-30T08:00:00Z", 90, "Kleuren")];
    let text = calendar(&events, ams(), Method::Request, at("2026-03-01T12:00:00Z"));
    assert!(
        text.lines().all(|l| l.len() <= 76),
        "lines are folded: {text}"
    );
    assert!(text.contains("\r\n"), "CRLF line ends");
    let cal = parsed(&text);
    assert_eq!(value(&cal.properties, "METHOD"), "REQUEST");
    assert_eq!(cal.events.len(), 2);
    let first = &cal.events[0].properties;
    assert_eq!(
        value(first, "SUMMARY"),
        "Knippen\\, wassen\\; föhnen",
        "escaped, and unfolded by the parser"
    );
    assert!(
        value(first, "DESCRIPTION").ends_with("over de vijfenzeventig tekens gaat."),
        "{}",
        value(first, "DESCRIPTION")
    );
    assert_eq!(value(first, "SEQUENCE"), "0");
    assert_eq!(value(first, "STATUS"), "CONFIRMED");
    let start = first.iter().find(|p| p.name == "DTSTART").expect("a start");
    assert_eq!(
        start.params.as_ref().expect("params")[0],
        ("TZID".to_string(), vec!["Europe/Amsterdam".to_string()])
    );
    // Friday before the change, 10:00 winter time; Monday after it, 10:00 summer time.
    assert_eq!(start.value.as_deref(), Some("20260327T100000"));
    assert_eq!(
        value(&cal.events[1].properties, "DTSTART"),
        "20260330T100000"
    );
    assert_eq!(
        through_vtimezone(&cal, "20260327T100000"),
        at("2026-03-27T09:00:00Z")
    );
    assert_eq!(
        through_vtimezone(&cal, "20260330T100000"),
        at("2026-03-30T08:00:00Z")
    );
    // The observances name the change: spring forward at 02:00 winter time.
    let tz = &cal.timezones[0];
    assert_eq!(value(&tz.properties, "TZID"), "Europe/Amsterdam");
    let spring = tz
        .transitions
        .iter()
        .find(|t| value(&t.properties, "DTSTART") == "20260329T020000")
        .expect("the spring change");
    assert!(matches!(
        spring.transition,
        IcalTimeZoneTransitionType::DAYLIGHT
    ));
    assert_eq!(
        (
            value(&spring.properties, "TZOFFSETFROM"),
            value(&spring.properties, "TZOFFSETTO")
        ),
        ("+0100", "+0200")
    );
    assert_eq!(value(&spring.properties, "TZNAME"), "CEST");
}

#[test]
fn a_cancellation_says_so_and_a_zone_without_changes_has_one_standard_time() {
    let text = calendar(
        &[event("2026-07-01T09:00:00Z", 30, "Cut")],
        chrono_tz::UTC,
        Method::Cancel,
        at("2026-06-01T00:00:00Z"),
    );
    let cal = parsed(&text);
    assert_eq!(value(&cal.properties, "METHOD"), "CANCEL");
    assert_eq!(value(&cal.events[0].properties, "STATUS"), "CANCELLED");
    assert_eq!(cal.timezones[0].transitions.len(), 1);
    assert_eq!(
        value(&cal.events[0].properties, "DTSTART"),
        "20260701T090000"
    );
}
