//! Repeating appointments: every N days or weeks, or monthly on the first one's date or on
//! its weekday (the second Tuesday), so many times. Each occurrence keeps the first one's wall
//! time in the business's zone, so a weekly 09:00 stays 09:00 when the clocks change.

use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Daily,
    Weekly,
    /// On the same date each month; a month without that date (the 31st) is left out.
    Monthly,
    /// On the same weekday of the same week each month (the 2nd Tuesday); a month without a
    /// fifth one is left out.
    MonthlyWeekday,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Frequency::Daily,
        Frequency::Weekly,
        Frequency::Monthly,
        Frequency::MonthlyWeekday,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::MonthlyWeekday => "monthly_weekday",
        }
    }

    pub fn parse(text: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// How an appointment repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    pub frequency: Frequency,
    /// Every how many days, weeks or months.
    pub interval: u32,
    /// How many appointments in all, the first included.
    pub count: u32,
}

impl Repeat {
    pub fn checked(self) -> Result<Repeat> {
        if !(1..=52).contains(&self.interval) {
            return Err(Error::field("interval", "must be from 1 to 52"));
        }
        if !(2..=104).contains(&self.count) {
            return Err(Error::field("count", "must be from 2 to 104"));
        }
        Ok(self)
    }

    /// The local starts of the occurrences, the first one first.
    pub fn local_starts(&self, first: NaiveDateTime) -> Vec<NaiveDateTime> {
        let (day, time) = (first.date(), first.time());
        let week = (day.day0() / 7) as u8;
        let mut out = vec![first];
        let mut step: u32 = 1;
        // Months without the date or weekday are left out, so look a bounded way further.
        while out.len() < self.count as usize && step <= self.count * 2 + 12 {
            let n = step * self.interval;
            let next = match self.frequency {
                Frequency::Daily => day.checked_add_signed(Duration::days(n.into())),
                Frequency::Weekly => day.checked_add_signed(Duration::weeks(n.into())),
                Frequency::Monthly => day
                    .checked_add_months(Months::new(n))
                    .filter(|d| d.day() == day.day()),
                Frequency::MonthlyWeekday => day
                    .with_day(1)
                    .and_then(|d| d.checked_add_months(Months::new(n)))
                    .and_then(|m| {
                        NaiveDate::from_weekday_of_month_opt(
                            m.year(),
                            m.month(),
                            day.weekday(),
                            week + 1,
                        )
                    }),
            };
            if let Some(next) = next {
                out.push(next.and_time(time));
            }
            step += 1;
        }
        out
    }

    /// The occurrences as UTC moments: each the same wall time of `zone` (a time the clocks
    /// skip reads as the same wall time after the change).
    pub fn starts(&self, first: NaiveDateTime, zone: Tz) -> Vec<DateTime<Utc>> {
        self.local_starts(first)
            .into_iter()
            .map(|t| crate::domain::local_time::to_utc(t, zone))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .expect("a date")
            .and_time(NaiveTime::from_hms_opt(h, 0, 0).expect("a time"))
    }

    #[test]
    fn a_weekly_series_keeps_its_wall_time_across_the_clock_change() {
        let zone: Tz = "Europe/Amsterdam".parse().expect("a zone");
        let weekly = Repeat {
            frequency: Frequency::Weekly,
            interval: 1,
            count: 3,
        };
        // Tuesdays 17, 24 and 31 March 2026; the clocks go forward on the 29th.
        let starts = weekly.starts(at(2026, 3, 17, 9), zone);
        let utc: Vec<String> = starts.iter().map(|t| t.to_rfc3339()).collect();
        assert_eq!(
            utc,
            [
                "2026-03-17T08:00:00+00:00",
                "2026-03-24T08:00:00+00:00",
                "2026-03-31T07:00:00+00:00"
            ]
        );
    }

    #[test]
    fn monthly_series_skip_months_without_their_day() {
        let monthly = Repeat {
            frequency: Frequency::Monthly,
            interval: 1,
            count: 3,
        };
        let days: Vec<NaiveDate> = monthly
            .local_starts(at(2026, 1, 31, 10))
            .iter()
            .map(|t| t.date())
            .collect();
        assert_eq!(
            days,
            [
                NaiveDate::from_ymd_opt(2026, 1, 31).expect("a date"),
                NaiveDate::from_ymd_opt(2026, 3, 31).expect("a date"),
                NaiveDate::from_ymd_opt(2026, 5, 31).expect("a date"),
            ]
        );
        // The second Tuesday of each month, every two months.
        let weekday = Repeat {
            frequency: Frequency::MonthlyWeekday,
            interval: 2,
            count: 3,
        };
        let days: Vec<String> = weekday
            .local_starts(at(2026, 1, 13, 10))
            .iter()
            .map(|t| t.date().to_string())
            .collect();
        assert_eq!(days, ["2026-01-13", "2026-03-10", "2026-05-12"]);
    }

    #[test]
    fn bounds_are_checked() {
        let bad = Repeat {
            frequency: Frequency::Daily,
            interval: 0,
            count: 5,
        };
        assert!(bad.checked().is_err());
        let one = Repeat {
            interval: 1,
            count: 1,
            ..bad
        };
        assert!(one.checked().is_err(), "a series has at least two");
    }
}
