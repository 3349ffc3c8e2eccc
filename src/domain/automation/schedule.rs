//! Five-field cron expressions (`minute hour day-of-month month day-of-week`), evaluated in a
//! tenant's time zone.
//!
//! The `cron` crate reads six or seven fields, seconds first, and numbers the days of the week
//! 1 (Sunday) to 7 (Saturday); people write the classic five fields with 0 or 7 for Sunday. So
//! the expression is checked here, the weekday numbers are moved by one, and a zero seconds
//! field is put in front.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct CronSpec {
    pub text: String,
    schedule: cron::Schedule,
}

impl PartialEq for CronSpec {
    fn eq(&self, other: &CronSpec) -> bool {
        self.text == other.text
    }
}

impl CronSpec {
    pub fn parse(text: &str) -> Result<CronSpec, String> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let fields: Vec<&str> = text.split(' ').collect();
        if fields.len() != 5 {
            return Err(format!(
                "{text:?} must have five fields: minute hour day-of-month month day-of-week (like \"0 8 * * 1\")"
            ));
        }
        if let Some(bad) = fields.iter().find(|f| {
            !f.chars()
                .all(|c| c.is_ascii_alphanumeric() || ",-*/".contains(c))
        }) {
            return Err(format!("{bad:?} is not a cron field"));
        }
        let weekdays = shift_weekdays(fields[4])?;
        let six = format!(
            "0 {} {} {} {} {}",
            fields[0], fields[1], fields[2], fields[3], weekdays
        );
        let schedule = cron::Schedule::from_str(&six)
            .map_err(|e| format!("{text:?} is not a valid cron expression ({e})"))?;
        Ok(CronSpec { text, schedule })
    }

    /// The first slot strictly after `after`, in time zone `tz`.
    pub fn next_after(&self, after: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        self.schedule
            .after(&after.with_timezone(&tz))
            .next()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// Classic weekday numbers (0–7, Sunday 0 or 7) to the crate's (1–7, Sunday 1). Names (MON) and
/// `*` pass through; ranges and steps keep their shape.
fn shift_weekdays(field: &str) -> Result<String, String> {
    let shift = |n: &str| -> Result<String, String> {
        match n.parse::<u8>() {
            Ok(7) | Ok(0) => Ok("1".into()),
            Ok(d @ 1..=6) => Ok((d + 1).to_string()),
            Ok(_) => Err(format!("{n} is not a day of the week (0–7)")),
            Err(_) => Ok(n.to_string()),
        }
    };
    let mut parts = Vec::new();
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (item, None),
        };
        let range = match range.split_once('-') {
            // A range that ends on Sunday as 7 (`5-7`) becomes `6-7,1` in the crate's numbers.
            Some((from, "7")) if step.is_none() && from != "0" => {
                parts.push("1".to_string());
                format!("{}-7", shift(from)?)
            }
            Some(("0", "7")) => "1-7".to_string(),
            Some((from, to)) => format!("{}-{}", shift(from)?, shift(to)?),
            None => shift(range)?,
        };
        parts.push(match step {
            Some(s) => format!("{range}/{s}"),
            None => range,
        });
    }
    Ok(parts.join(","))
}

/// A time zone by its IANA name, like `Europe/Berlin`.
pub fn time_zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("{name:?} is not a known time zone (like Europe/Berlin)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike, Weekday};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn monday_eight_is_monday_eight_in_the_tenants_zone() {
        let spec = CronSpec::parse("0 8 * * 1").expect("valid");
        let berlin = time_zone("Europe/Berlin").expect("zone");
        // Saturday 2026-11-21 in winter: Berlin is UTC+1.
        let next = spec
            .next_after(at("2026-11-21T12:00:00Z"), berlin)
            .expect("a slot");
        assert_eq!(next, at("2026-11-23T07:00:00Z"));
        let local = next.with_timezone(&berlin);
        assert_eq!((local.weekday(), local.hour()), (Weekday::Mon, 8));
        // In summer Berlin is UTC+2.
        let summer = spec
            .next_after(at("2026-06-01T12:00:00Z"), berlin)
            .expect("a slot");
        assert_eq!(summer, at("2026-06-08T06:00:00Z"));
    }

    #[test]
    fn weekday_numbers_follow_classic_cron() {
        let utc = time_zone("UTC").expect("zone");
        let day = |expr: &str| {
            CronSpec::parse(expr)
                .expect(expr)
                .next_after(at("2026-11-21T12:00:00Z"), utc)
                .expect("a slot")
                .weekday()
        };
        assert_eq!(day("0 8 * * 0"), Weekday::Sun);
        assert_eq!(day("0 8 * * 7"), Weekday::Sun);
        assert_eq!(day("0 8 * * 5"), Weekday::Fri);
        assert_eq!(day("0 8 * * 1-5"), Weekday::Mon);
        assert_eq!(day("0 8 * * 5-7"), Weekday::Sun);
        assert_eq!(day("0 8 * * MON"), Weekday::Mon);
    }

    #[test]
    fn refuses_what_is_not_five_field_cron() {
        for bad in [
            "",
            "0 8 * *",
            "0 0 8 * * 1",
            "61 8 * * *",
            "0 8 * * 9",
            "0 8 ? * 1;",
            "x y z w v",
        ] {
            assert!(CronSpec::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let spaced = CronSpec::parse("  */15   * * * *").expect("valid");
        assert_eq!(spaced.text, "*/15 * * * *");
    }
}
