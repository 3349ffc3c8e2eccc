//! Spans of time as people write them in rules: `30m`, `2h`, `3d`, `1w`, `10s`.

use chrono::Duration;

/// A span written as a whole number and a unit (s, m, h, d, w), kept with its text so a rule
/// reads back as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub duration: Duration,
}

/// The longest span a rule may name: a year.
const MAX_DAYS: i64 = 366;

impl Span {
    pub fn parse(text: &str) -> Result<Span, String> {
        let text = text.trim();
        let unit_at = text
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(|| format!("{text:?} needs a unit: s, m, h, d or w (like 30m or 3d)"))?;
        let (number, unit) = text.split_at(unit_at);
        let n: i64 = number
            .parse()
            .map_err(|_| format!("{text:?} must start with a whole number (like 30m or 3d)"))?;
        let duration = match unit {
            "s" => Duration::seconds(n),
            "m" => Duration::minutes(n),
            "h" => Duration::hours(n),
            "d" => Duration::days(n),
            "w" => Duration::weeks(n),
            _ => return Err(format!("{text:?} has an unknown unit: use s, m, h, d or w")),
        };
        if duration > Duration::days(MAX_DAYS) {
            return Err(format!("{text:?} is longer than a year"));
        }
        Ok(Span {
            text: text.to_string(),
            duration,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_spans_and_refuses_the_rest() {
        assert_eq!(
            Span::parse("30m").map(|s| s.duration),
            Ok(Duration::minutes(30))
        );
        assert_eq!(
            Span::parse(" 2h").map(|s| s.duration),
            Ok(Duration::hours(2))
        );
        assert_eq!(Span::parse("3d").map(|s| s.duration), Ok(Duration::days(3)));
        assert_eq!(Span::parse("1w").map(|s| s.duration), Ok(Duration::days(7)));
        assert_eq!(Span::parse("0m").map(|s| s.duration), Ok(Duration::zero()));
        for bad in ["", "3", "d", "3 days", "-1d", "1.5h", "2y", "400d"] {
            assert!(Span::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
