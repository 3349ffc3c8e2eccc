//! Times as people read and type them: in their time zone, while the store keeps UTC stamps
//! (`2026-11-21T09:30:00Z`).

use crate::clock::{parse_stamp, stamp};
use crate::domain::format;
use crate::domain::words::{Lang, fill};
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A stamp as it reads in `zone` (`21 Nov 2026, 10:30`; `21 nov 2026 10:30` in Dutch); text
/// that is not a stamp as it is, a date alone as a date.
pub fn show(text: &str, zone: Tz, lang: Lang) -> String {
    match parse_stamp(text) {
        Some(at) => {
            let local = at.with_timezone(&zone);
            let date = format::date(lang, local.date_naive());
            let time = local.format("%H:%M").to_string();
            fill(lang.words().date_time, &[("date", &date), ("time", &time)])
        }
        None => date_text(text, lang),
    }
}

/// A day typed as `2026-11-21` as people write it; anything else as it is.
fn date_text(text: &str, lang: Lang) -> String {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_or_else(|_| text.to_string(), |d| format::date(lang, d))
}

/// A stamp in `zone`, written with `format`; `None` if `text` is no stamp.
fn in_zone(text: &str, zone: Tz, format: &str) -> Option<String> {
    parse_stamp(text).map(|t| t.with_timezone(&zone).format(format).to_string())
}

/// A due time as it reads best beside `now`: `today 14:00`, `tomorrow 09:30`, `in 3 days`,
/// `2 days overdue`, or the date when it is further away; in `zone`.
pub fn relative(text: &str, now: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let Some(at) = parse_stamp(text) else {
        return date_text(text, lang);
    };
    let w = lang.words();
    let local = at.with_timezone(&zone);
    let days = (local.date_naive() - today(now, zone)).num_days();
    let time = local.format("%H:%M").to_string();
    let n = days.abs().to_string();
    match days {
        0 => fill(w.today_at, &[("time", &time)]),
        1 => fill(w.tomorrow_at, &[("time", &time)]),
        -1 => w.day_overdue.to_string(),
        d if d < 0 && d > -31 => fill(w.days_overdue, &[("n", &n)]),
        d if d > 1 && d < 7 => fill(w.in_days, &[("n", &n)]),
        _ => format::date(lang, local.date_naive()),
    }
}

/// The day a stamp falls on in `zone` (`21 Nov 2026`).
pub fn day(text: &str, zone: Tz, lang: Lang) -> String {
    match parse_stamp(text) {
        Some(at) => format::date(lang, at.with_timezone(&zone).date_naive()),
        None => date_text(text.get(..10).unwrap_or(text), lang),
    }
}

/// A stamp as the value of a `datetime-local` input in `zone` (`2026-11-21T10:30`).
pub fn input_value(text: &str, zone: Tz) -> String {
    in_zone(text, zone, "%Y-%m-%dT%H:%M").unwrap_or_else(|| text.to_string())
}

/// What was typed into a `datetime-local` input (`2026-11-21T10:30`, seconds optional), read
/// in `zone`, as a UTC stamp. A time the clocks skip (an hour lost in spring) reads as that
/// time after the change; one they pass twice (in autumn) as the first. Text with its own
/// offset or `Z`, or that is no such time, is left to the field's own check.
pub fn from_input(text: &str, zone: Tz) -> String {
    let trimmed = text.trim();
    let local = NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M:%S"));
    match local {
        Ok(local) => stamp(to_utc(local, zone)),
        Err(_) => text.to_string(),
    }
}

/// A wall time of `zone` as UTC: of a time the clocks pass twice, the first; one they skip,
/// read as the same wall time after the change.
pub fn to_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        // In a gap: the same wall time read with the offset from before the change, which
        // lands after it (02:30 on the spring-forward night in Amsterdam is 03:30).
        LocalResult::None => {
            let before = zone.offset_from_utc_datetime(&(local - Duration::hours(3)));
            let offset = chrono::Offset::fix(&before);
            (local - Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc()
        }
    }
}

/// When `day` starts in `zone` (its first moment: midnight, or the end of a gap at midnight).
pub fn start_of(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    to_utc(day.and_time(chrono::NaiveTime::MIN), zone)
}

/// The day `now` falls on in `zone`.
pub fn today(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// When the day after the one `now` falls on starts in `zone`.
pub fn start_of_tomorrow(now: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    start_of(today(now, zone) + Duration::days(1), zone)
}

/// The last `n` months in `zone`, this one last: each as `YYYY-MM` with the UTC stamps of
/// its first local midnight and of the next month's.
pub fn months(now: DateTime<Utc>, zone: Tz, n: u32) -> Vec<(String, DateTime<Utc>, DateTime<Utc>)> {
    let today = today(now, zone);
    let back = |k: u32| {
        let months = today.year() * 12 + today.month0() as i32 - k as i32;
        NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
            .unwrap_or(today)
    };
    (0..n)
        .rev()
        .map(|k| {
            let start = back(k);
            let next = start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(start);
            let month = start.format("%Y-%m").to_string();
            (month, start_of(start, zone), start_of(next, zone))
        })
        .collect()
}

/// A time zone by its IANA name (`Europe/Amsterdam`).
pub fn zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// Every IANA time zone name, for a picker.
pub fn zone_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amsterdam() -> Tz {
        zone("Europe/Amsterdam").expect("zone")
    }

    #[test]
    fn stamps_read_in_the_zone_across_both_changes_of_the_clocks() {
        let ams = amsterdam();
        // Winter: UTC+1; summer: UTC+2 (from 29 March 2026 01:00 UTC to 25 October 01:00 UTC).
        let show = |s: &str| show(s, ams, Lang::En);
        assert_eq!(show("2026-01-15T18:50:00Z"), "15 Jan 2026, 19:50");
        assert_eq!(show("2026-03-29T00:59:00Z"), "29 Mar 2026, 01:59");
        assert_eq!(show("2026-03-29T01:00:00Z"), "29 Mar 2026, 03:00");
        assert_eq!(show("2026-10-25T00:30:00Z"), "25 Oct 2026, 02:30");
        assert_eq!(show("2026-10-25T01:30:00Z"), "25 Oct 2026, 02:30");
        assert_eq!(show("2026-07-01"), "1 Jul 2026");
        assert_eq!(show("soon"), "soon");
        assert_eq!(
            super::show("2026-10-25T01:30:00Z", ams, Lang::Nl),
            "25 okt 2026 02:30"
        );
        assert_eq!(input_value("2026-07-01T08:00:00Z", ams), "2026-07-01T10:00");
    }

    #[test]
    fn typed_times_are_read_in_the_zone_gaps_forward_and_repeats_first() {
        let ams = amsterdam();
        assert_eq!(from_input("2026-01-15T19:50", ams), "2026-01-15T18:50:00Z");
        assert_eq!(
            from_input("2026-07-01T10:00:30", ams),
            "2026-07-01T08:00:30Z"
        );
        // 02:30 does not happen on 29 March: it reads as 03:30 summer time.
        assert_eq!(from_input("2026-03-29T02:30", ams), "2026-03-29T01:30:00Z");
        // 02:30 happens twice on 25 October: the first, still summer time.
        assert_eq!(from_input("2026-10-25T02:30", ams), "2026-10-25T00:30:00Z");
        // Text with its own offset, or none of these, is left as it is.
        assert_eq!(from_input("2026-01-15T19:50Z", ams), "2026-01-15T19:50Z");
        assert_eq!(from_input("soon", ams), "soon");
    }

    #[test]
    fn due_times_read_relative_to_the_local_day() {
        let ams = amsterdam();
        // 23:30 UTC on 14 January: 00:30 on the 15th in Amsterdam.
        let now = parse_stamp("2026-01-14T23:30:00Z").expect("stamp");
        let due = |s: &str| relative(s, now, ams, Lang::En);
        assert_eq!(due("2026-01-15T10:00:00Z"), "today 11:00");
        assert_eq!(due("2026-01-14T22:00:00Z"), "1 day overdue");
        assert_eq!(due("2026-01-12T09:00:00Z"), "3 days overdue");
        assert_eq!(due("2026-01-16T07:30:00Z"), "tomorrow 08:30");
        assert_eq!(due("2026-01-19T12:00:00Z"), "in 4 days");
        assert_eq!(due("2026-03-01T12:00:00Z"), "1 Mar 2026");
        assert_eq!(due("2025-06-01T12:00:00Z"), "1 Jun 2025");
        let dutch = |s: &str| relative(s, now, ams, Lang::Nl);
        assert_eq!(dutch("2026-01-15T10:00:00Z"), "vandaag 11:00");
        assert_eq!(dutch("2026-01-14T22:00:00Z"), "1 dag te laat");
        assert_eq!(dutch("2026-01-12T09:00:00Z"), "3 dagen te laat");
        assert_eq!(dutch("2026-01-16T07:30:00Z"), "morgen 08:30");
        assert_eq!(dutch("2026-01-19T12:00:00Z"), "over 4 dagen");
    }

    #[test]
    fn days_start_at_local_midnight() {
        let ams = amsterdam();
        let at = |s: &str| parse_stamp(s).expect("stamp");
        // 23:30 UTC on 14 January is already the 15th in Amsterdam.
        let late = at("2026-01-14T23:30:00Z");
        assert_eq!(today(late, ams).to_string(), "2026-01-15");
        assert_eq!(day("2026-01-14T23:30:00Z", ams, Lang::En), "15 Jan 2026");
        assert_eq!(day("2026-01-14", ams, Lang::Nl), "14 jan 2026");
        assert_eq!(stamp(start_of_tomorrow(late, ams)), "2026-01-15T23:00:00Z");
        // The day the clocks go back has 25 hours.
        let autumn = at("2026-10-25T12:00:00Z");
        assert_eq!(
            stamp(start_of(today(autumn, ams), ams)),
            "2026-10-24T22:00:00Z"
        );
        assert_eq!(
            stamp(start_of_tomorrow(autumn, ams)),
            "2026-10-25T23:00:00Z"
        );
        assert!(zone("Mars/Olympus").is_none());
        // Amsterdam's months: January starts at 23:00 UTC on 31 December.
        let months = months(at("2026-01-14T23:30:00Z"), ams, 3);
        assert_eq!(months.len(), 3);
        assert_eq!(months[0].0, "2025-11");
        assert_eq!(
            (months[2].0.as_str(), stamp(months[2].1)),
            ("2026-01", "2025-12-31T23:00:00Z".into())
        );
        assert_eq!(stamp(months[2].2), "2026-01-31T23:00:00Z");
        assert_eq!(
            months[1].2, months[2].1,
            "one month ends where the next starts"
        );
        assert!(zone_names().any(|n| n == "Europe/Amsterdam"));
    }
}
