//! Reporting periods: "last 30 days", "this quarter" and so on, as `[from, to)` in UTC.

use crate::domain::local_time;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Last30Days,
    Last90Days,
    ThisMonth,
    ThisQuarter,
    ThisYear,
    Last12Months,
}

impl Period {
    pub const ALL: [Period; 6] = [
        Period::Last30Days,
        Period::Last90Days,
        Period::ThisMonth,
        Period::ThisQuarter,
        Period::ThisYear,
        Period::Last12Months,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Period::Last30Days => "30d",
            Period::Last90Days => "90d",
            Period::ThisMonth => "month",
            Period::ThisQuarter => "quarter",
            Period::ThisYear => "year",
            Period::Last12Months => "12m",
        }
    }

    pub fn label(self, w: &crate::domain::words::Words) -> &'static str {
        match self {
            Period::Last30Days => w.period_last_30_days,
            Period::Last90Days => w.period_last_90_days,
            Period::ThisMonth => w.period_this_month,
            Period::ThisQuarter => w.period_this_quarter,
            Period::ThisYear => w.period_this_year,
            Period::Last12Months => w.period_last_12_months,
        }
    }

    pub fn parse(key: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The period's start (inclusive) and end (exclusive) around `now`; months, quarters and
    /// years start at midnight in `zone` (the viewer's).
    pub fn range(self, now: DateTime<Utc>, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let day = |d: NaiveDate| local_time::start_of(d, zone);
        let today = local_time::today(now, zone);
        let month_start = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(today);
        let from = match self {
            Period::Last30Days => return (now - Duration::days(30), now),
            Period::Last90Days => return (now - Duration::days(90), now),
            Period::ThisMonth => month_start(today.year(), today.month()),
            Period::ThisQuarter => month_start(today.year(), (today.month0() / 3) * 3 + 1),
            Period::ThisYear => month_start(today.year(), 1),
            Period::Last12Months => {
                let back = today.year() * 12 + today.month0() as i32 - 11;
                month_start(back.div_euclid(12), back.rem_euclid(12) as u32 + 1)
            }
        };
        (day(from), now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ranges_start_where_the_calendar_says() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 21, 9, 30, 0)
            .single()
            .expect("date");
        let start = |p: Period| crate::clock::stamp(p.range(now, chrono_tz::UTC).0);
        assert_eq!(start(Period::ThisMonth), "2026-11-01T00:00:00Z");
        assert_eq!(start(Period::ThisQuarter), "2026-10-01T00:00:00Z");
        assert_eq!(start(Period::ThisYear), "2026-01-01T00:00:00Z");
        assert_eq!(start(Period::Last12Months), "2025-12-01T00:00:00Z");
        assert_eq!(start(Period::Last30Days), "2026-10-22T09:30:00Z");
        assert_eq!(Period::Last30Days.range(now, chrono_tz::UTC).1, now);
        assert_eq!(Period::parse("quarter"), Some(Period::ThisQuarter));
        assert_eq!(Period::parse("week"), None);
    }

    #[test]
    fn calendar_periods_start_at_local_midnight() {
        let ams: Tz = "Europe/Amsterdam".parse().expect("zone");
        // 23:30 UTC on 31 October is already 1 November in Amsterdam (UTC+1 then).
        let now = Utc
            .with_ymd_and_hms(2026, 10, 31, 23, 30, 0)
            .single()
            .expect("date");
        let start = |p: Period| crate::clock::stamp(p.range(now, ams).0);
        assert_eq!(start(Period::ThisMonth), "2026-10-31T23:00:00Z");
        assert_eq!(start(Period::ThisQuarter), "2026-09-30T22:00:00Z");
        assert_eq!(start(Period::ThisYear), "2025-12-31T23:00:00Z");
    }
}
