//! Free slots across breaks, bookings with buffers, exceptions, notice and both changes of the
//! clocks in Europe/Amsterdam.

use super::availability::*;
use crate::clock::{parse_stamp, stamp};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a time")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a day")
}

fn at(s: &str) -> DateTime<Utc> {
    parse_stamp(s).expect("a stamp")
}

/// Monday to Friday 09:00–12:00 and 13:00–17:00.
fn salon() -> WeeklyHours {
    let workday = vec![
        Span {
            start: t(9, 0),
            end: t(12, 0),
        },
        Span {
            start: t(13, 0),
            end: t(17, 0),
        },
    ];
    let mut hours = WeeklyHours::default();
    for d in 0..5 {
        hours.days[d] = workday.clone();
    }
    hours
}

const HOUR: Need = Need {
    duration: Duration::hours(1),
    before: Duration::zero(),
    after: Duration::zero(),
    gaps: Vec::new(),
};

fn policy() -> Policy {
    Policy {
        step: Duration::minutes(30),
        lead: Duration::zero(),
        horizon: Duration::days(365),
    }
}

fn ams() -> Tz {
    crate::domain::local_time::zone("Europe/Amsterdam").expect("zone")
}

fn stamps(slots: &[DateTime<Utc>]) -> Vec<String> {
    slots.iter().map(|s| stamp(*s)).collect()
}

#[test]
fn slots_fill_the_working_spans_and_keep_out_of_breaks() {
    let hours = salon();
    let cal = Calendar {
        zone: ams(),
        hours: &hours,
        exceptions: &[],
        busy: &[],
        resources: &[],
    };
    // Tuesday 13 January 2026, winter: Amsterdam is UTC+1.
    let slots = cal.free_slots(
        &HOUR,
        policy(),
        at("2026-01-01T00:00:00Z"),
        (day("2026-01-13"), day("2026-01-13")),
    );
    let s = stamps(&slots);
    assert_eq!(
        s.first().map(String::as_str),
        Some("2026-01-13T08:00:00Z"),
        "09:00 local"
    );
    assert!(
        s.contains(&"2026-01-13T10:00:00Z".to_string()),
        "11:00–12:00 fits before the break"
    );
    assert!(
        !s.contains(&"2026-01-13T10:30:00Z".to_string()),
        "11:30 would run into the break"
    );
    assert_eq!(
        s.last().map(String::as_str),
        Some("2026-01-13T15:00:00Z"),
        "16:00 local is the last"
    );
    assert_eq!(s.len(), 5 + 7);
    // Saturday: nothing.
    let none = cal.free_slots(
        &HOUR,
        policy(),
        at("2026-01-01T00:00:00Z"),
        (day("2026-01-17"), day("2026-01-17")),
    );
    assert!(none.is_empty());
}

#[test]
fn what_is_booked_and_both_buffers_keep_slots_free() {
    let hours = salon();
    // Booked 10:00–11:00 local, with its 15-minute cleanup after: busy until 11:15.
    let busy = [Busy {
        start: at("2026-01-13T09:00:00Z"),
        end: at("2026-01-13T10:15:00Z"),
    }];
    let cal = Calendar {
        zone: ams(),
        hours: &hours,
        exceptions: &[],
        busy: &busy,
        resources: &[],
    };
    let need = Need {
        duration: Duration::minutes(30),
        before: Duration::minutes(15),
        after: Duration::zero(),
        gaps: Vec::new(),
    };
    let s = stamps(&cal.free_slots(
        &need,
        policy(),
        at("2026-01-01T00:00:00Z"),
        (day("2026-01-13"), day("2026-01-13")),
    ));
    assert!(
        s.contains(&"2026-01-13T08:00:00Z".to_string()),
        "09:00–09:30 ends before 10:00"
    );
    assert!(
        s.contains(&"2026-01-13T08:30:00Z".to_string()),
        "09:30–10:00 touches, does not overlap"
    );
    assert!(
        !s.contains(&"2026-01-13T10:00:00Z".to_string()),
        "11:00 minus its buffer runs into the cleanup"
    );
    assert!(
        s.contains(&"2026-01-13T10:30:00Z".to_string()),
        "11:30: its 15 minutes before start at 11:15"
    );
    assert!(!cal.is_free(at("2026-01-13T09:30:00Z"), &need));
}

#[test]
fn an_exception_replaces_the_day_and_the_policy_bounds_the_slots() {
    let hours = salon();
    let exceptions = [
        Exception {
            day: day("2026-01-13"),
            spans: Vec::new(),
        },
        Exception {
            day: day("2026-01-17"),
            spans: vec![Span {
                start: t(10, 0),
                end: t(12, 0),
            }],
        },
    ];
    let cal = Calendar {
        zone: ams(),
        hours: &hours,
        exceptions: &exceptions,
        busy: &[],
        resources: &[],
    };
    let now = at("2026-01-01T00:00:00Z");
    assert!(
        cal.free_slots(&HOUR, policy(), now, (day("2026-01-13"), day("2026-01-13")))
            .is_empty(),
        "a day off"
    );
    let saturday =
        stamps(&cal.free_slots(&HOUR, policy(), now, (day("2026-01-17"), day("2026-01-17"))));
    assert_eq!(
        saturday,
        [
            "2026-01-17T09:00:00Z",
            "2026-01-17T09:30:00Z",
            "2026-01-17T10:00:00Z"
        ]
    );
    // Two hours' notice at 09:10 local: the morning has no hour left after 11:10.
    let lead = Policy {
        lead: Duration::hours(2),
        ..policy()
    };
    let soon = cal.free_slots(
        &HOUR,
        lead,
        at("2026-01-14T08:10:00Z"),
        (day("2026-01-14"), day("2026-01-14")),
    );
    assert_eq!(
        stamps(&soon).first().map(String::as_str),
        Some("2026-01-14T12:00:00Z"),
        "13:00 local, after the break"
    );
}

#[test]
fn slots_keep_their_local_time_on_the_days_the_clocks_change() {
    // Sundays of both changes in 2026, worked 09:00–11:00, and a night span over the gap.
    let mut hours = WeeklyHours::default();
    hours.days[6] = vec![
        Span {
            start: t(1, 0),
            end: t(4, 0),
        },
        Span {
            start: t(9, 0),
            end: t(11, 0),
        },
    ];
    let cal = Calendar {
        zone: ams(),
        hours: &hours,
        exceptions: &[],
        busy: &[],
        resources: &[],
    };
    let now = at("2026-01-01T00:00:00Z");
    let spring =
        stamps(&cal.free_slots(&HOUR, policy(), now, (day("2026-03-29"), day("2026-03-29"))));
    // 01:00 and 01:30 are winter time; 02:00 and 02:30 do not happen; 03:00 is summer time.
    // The night span is one hour shorter in real time: it ends at 04:00 summer time.
    assert_eq!(
        spring,
        [
            "2026-03-29T00:00:00Z", // 01:00 +1, till 03:00 +2
            "2026-03-29T00:30:00Z", // 01:30 +1
            "2026-03-29T01:00:00Z", // 03:00 +2, till 04:00
            "2026-03-29T07:00:00Z", // 09:00 +2
            "2026-03-29T07:30:00Z",
            "2026-03-29T08:00:00Z",
        ]
    );
    let autumn =
        stamps(&cal.free_slots(&HOUR, policy(), now, (day("2026-10-25"), day("2026-10-25"))));
    // 02:00–03:00 happens twice: each wall time once, the first; the span is an hour longer.
    assert_eq!(
        &autumn[..2],
        ["2026-10-24T23:00:00Z", "2026-10-24T23:30:00Z"]
    );
    assert!(
        autumn.contains(&"2026-10-25T00:00:00Z".to_string()),
        "02:00 summer time"
    );
    assert!(
        !autumn.contains(&"2026-10-25T01:00:00Z".to_string()),
        "02:00 again is no second slot"
    );
    assert!(
        autumn.contains(&"2026-10-25T08:00:00Z".to_string()),
        "09:00 winter time"
    );
    assert_eq!(
        autumn.last().map(String::as_str),
        Some("2026-10-25T09:00:00Z"),
        "10:00 +1 is the last"
    );
}

#[test]
fn a_resource_takes_as_many_bookings_at_once_as_its_capacity() {
    use chrono::TimeZone;
    let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 1, 13, h, m, 0).unwrap();
    let busy = |a: (u32, u32), b: (u32, u32)| Busy {
        start: at(a.0, a.1),
        end: at(b.0, b.1),
    };
    // Two chairs; one used 9:00–10:00, one 9:30–10:30.
    let chairs = ResourceUse {
        capacity: 2,
        busy: vec![busy((9, 0), (10, 0)), busy((9, 30), (10, 30))],
    };
    assert!(chairs.has_room(at(8, 0), at(9, 0)), "before both");
    assert!(
        chairs.has_room(at(8, 30), at(9, 30)),
        "beside the first only"
    );
    assert!(!chairs.has_room(at(9, 45), at(10, 15)), "both in use then");
    assert!(
        chairs.has_room(at(10, 0), at(11, 0)),
        "the first freed its chair"
    );
    let room = ResourceUse {
        capacity: 1,
        busy: vec![busy((9, 0), (10, 0))],
    };
    assert!(!room.has_room(at(9, 59), at(10, 30)));
    assert!(room.has_room(at(10, 0), at(10, 30)), "ends are open");
}

#[test]
fn spans_read_as_people_type_them() {
    use super::{parse_spans, spans_text};
    let spans = parse_spans("09:00-12:00, 13:00–17:30").expect("spans");
    assert_eq!(spans_text(&spans), "09:00–12:00, 13:00–17:30");
    assert_eq!(parse_spans(" "), Some(Vec::new()));
    assert_eq!(parse_spans("12:00-09:00"), None, "ends before it starts");
    assert_eq!(parse_spans("09:00-13:00, 12:00-17:00"), None, "overlapping");
    assert_eq!(parse_spans("nine to five"), None);
}

#[test]
fn a_processing_gap_leaves_its_person_free_for_someone_else_in_between() {
    use super::{Service, need_of};
    use crate::domain::ids::ServiceId;
    let service = |minutes, processing, buffer_after| Service {
        id: ServiceId(1),
        name: "s".into(),
        minutes,
        buffer_before: 0,
        buffer_after,
        price: 0,
        vat_rate: 2100,
        online: true,
        resources: Vec::new(),
        category: String::new(),
        colour: "blue".into(),
        processing,
        staff: Vec::new(),
    };
    // Colour 60 minutes, of which the last 30 set; then a cut of 45 with 15 to tidy up.
    let need = need_of(&[service(60, 30, 0), service(45, 0, 15)]);
    assert_eq!(need.duration, Duration::minutes(105));
    let start = at("2026-01-13T08:00:00Z");
    let spans: Vec<(String, String)> = need
        .staff_spans(start)
        .iter()
        .map(|b| (stamp(b.start), stamp(b.end)))
        .collect();
    assert_eq!(
        spans,
        [
            ("2026-01-13T08:00:00Z".into(), "2026-01-13T08:30:00Z".into()),
            ("2026-01-13T09:00:00Z".into(), "2026-01-13T10:00:00Z".into()),
        ]
    );
    // While the colour sets (09:30–10:00 local) the person is free for a 30-minute job,
    // not for a 45-minute one, and not in the busy parts.
    let hours = salon();
    let busy = need.staff_spans(start);
    let cal = Calendar {
        zone: ams(),
        hours: &hours,
        exceptions: &[],
        busy: &busy,
        resources: &[],
    };
    let short = need_of(&[service(30, 0, 0)]);
    let long = need_of(&[service(45, 0, 0)]);
    assert!(cal.is_free(at("2026-01-13T08:30:00Z"), &short));
    assert!(!cal.is_free(at("2026-01-13T08:30:00Z"), &long));
    assert!(!cal.is_free(at("2026-01-13T08:15:00Z"), &short));
    // A second colour may start so that its own gap lies over the first one's cut only if
    // its working parts miss the first's: 08:30 works 08:30–09:00 (the gap), sets over the cut.
    assert!(cal.is_free(at("2026-01-13T08:30:00Z"), &need_of(&[service(60, 30, 0)])));
}

#[test]
fn without_leaves_the_pieces_outside_the_gaps() {
    let b = |a: &str, z: &str| Busy {
        start: at(a),
        end: at(z),
    };
    let whole = b("2026-01-13T08:00:00Z", "2026-01-13T10:00:00Z");
    assert_eq!(without(whole, &[]), [whole]);
    let gap = b("2026-01-13T09:00:00Z", "2026-01-13T10:00:00Z");
    assert_eq!(
        without(whole, &[gap]),
        [b("2026-01-13T08:00:00Z", "2026-01-13T09:00:00Z")]
    );
}
