//! Field kinds and the one normalizer that turns what a form or a JSON body says into the
//! stored value, or a message for that field. Forms send text; JSON sends text, numbers,
//! booleans or null: both go through `normalize`, so the UI and the API accept the same things.

use crate::clock::stamp;
use crate::domain::crm::Entity;
use crate::domain::money;
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text, at most this many characters.
    Text(usize),
    /// Several lines of text.
    LongText(usize),
    Email,
    Phone,
    Url,
    /// A web domain like `acme.example`.
    Domain,
    Choice(&'static [&'static str]),
    /// The id of a live record of this tenant.
    Ref(Entity),
    Pipeline,
    Stage,
    /// The id of an active user of this tenant.
    User,
    /// Minor units: an integer in JSON, a decimal like `1250.50` in a form.
    Amount,
    Currency,
    /// `YYYY-MM-DD`
    Date,
    /// Stored as UTC `YYYY-MM-DDTHH:MM:SSZ`; accepts RFC 3339, a form's `YYYY-MM-DDTHH:MM`, or a
    /// date (then 09:00).
    DateTime,
}

/// Text that holds no value.
pub(crate) fn blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

pub(crate) fn text(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.trim().to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err("must be text".into()),
    }
}

/// The id of a record, as a number or its text.
pub fn id(v: &Value) -> Result<i64, String> {
    let n = match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    n.filter(|n| *n > 0)
        .ok_or_else(|| "must be the id of a record".into())
}

/// The stored form of `value` for a field of `kind`; `Null` for "no value". `currency` is the
/// record's currency, for amounts typed as decimals.
pub fn normalize(kind: Kind, value: &Value, currency: &str) -> Result<Value, String> {
    if blank(value) {
        return Ok(Value::Null);
    }
    let out = match kind {
        Kind::Text(max) => Value::String(plain_text(value, max, false)?),
        Kind::LongText(max) => Value::String(plain_text(value, max, true)?),
        Kind::Email => {
            let s = text(value)?;
            Value::String(crate::domain::user::normalize_email(&s).map_err(|e| e.message)?)
        }
        Kind::Phone => Value::String(phone(&text(value)?)?),
        Kind::Url => Value::String(url(&text(value)?)?),
        Kind::Domain => Value::String(domain(&text(value)?)?),
        Kind::Choice(options) => {
            let s = text(value)?;
            if !options.contains(&s.as_str()) {
                return Err(format!("must be one of: {}", options.join(", ")));
            }
            Value::String(s)
        }
        Kind::Ref(_) | Kind::Pipeline | Kind::Stage | Kind::User => Value::from(id(value)?),
        Kind::Amount => match value {
            Value::Number(n) => Value::from(
                n.as_i64()
                    .ok_or("must be a whole number of minor units (cents)")?,
            ),
            Value::String(s) => Value::from(
                money::parse_amount(s, currency).ok_or("is not an amount like 1250.00")?,
            ),
            _ => return Err("must be a number".into()),
        },
        Kind::Currency => {
            let s = text(value)?.to_uppercase();
            if !money::valid_currency(&s) {
                return Err("must be an ISO 4217 code like EUR".into());
            }
            Value::String(s)
        }
        Kind::Date => Value::String(date(&text(value)?)?.format("%Y-%m-%d").to_string()),
        Kind::DateTime => Value::String(stamp(date_time(&text(value)?)?)),
    };
    Ok(out)
}

/// Text of at most `max` characters, without control characters (but for line breaks and
/// tabs in long text).
fn plain_text(value: &Value, max: usize, long: bool) -> Result<String, String> {
    let s = text(value)?;
    if s.chars().count() > max {
        return Err(format!("is longer than {max} characters"));
    }
    if s.chars()
        .any(|c| c.is_control() && !(long && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err("contains control characters".into());
    }
    Ok(s)
}

fn phone(s: &str) -> Result<String, String> {
    let ok = s.len() <= 40
        && s.chars().filter(char::is_ascii_digit).count() >= 3
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-()./".contains(c) || c == 'x');
    if !ok {
        return Err("is not a phone number".into());
    }
    Ok(s.to_string())
}

/// A bare domain: `https://www.Acme.example/` is `acme.example`.
fn domain(s: &str) -> Result<String, String> {
    let s = s.to_lowercase();
    let s = s
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.")
        .trim_end_matches('/');
    let ok = s.len() <= 253
        && s.contains('.')
        && !s.starts_with('.')
        && !s.ends_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if !ok {
        return Err("is not a domain like acme.example".into());
    }
    Ok(s.to_string())
}

/// RFC 3339, or `2026-11-21T09:30` and `2026-11-21` (09:00) in UTC.
fn date_time(s: &str) -> Result<chrono::DateTime<Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").map(|t| Utc.from_utc_datetime(&t))
        })
        .or_else(|_| {
            date(s).map(|d| Utc.from_utc_datetime(&d.and_hms_opt(9, 0, 0).unwrap_or_default()))
        })
        .map_err(|_| "is not a date and time like 2026-11-21T09:30".to_string())
}

pub(crate) fn date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| "is not a date like 2026-11-21".to_string())
}

pub(crate) fn url(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && s.len() <= 2000
                && !s.contains(|c: char| c.is_whitespace() || c.is_control()) =>
        {
            Ok(s.to_string())
        }
        _ => Err("must be a web address starting with http:// or https://".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn web_addresses_refuse_control_characters() {
        assert_eq!(
            url("https://acme.example/a?b=c"),
            Ok("https://acme.example/a?b=c".into())
        );
        for bad in [
            "https://acme.example/\0",
            "https://a.example/\u{7}x",
            "https://a.example/\u{85}",
            "ftp://a.example",
        ] {
            assert!(url(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn normalizes_form_text_and_json_alike() {
        assert_eq!(
            normalize(Kind::Text(5), &json!("  hi "), "EUR"),
            Ok(json!("hi"))
        );
        assert_eq!(normalize(Kind::Text(5), &json!(""), "EUR"), Ok(Value::Null));
        assert!(normalize(Kind::Text(5), &json!("toolong"), "EUR").is_err());
        assert!(normalize(Kind::Text(50), &json!("a\u{7}b"), "EUR").is_err());
        assert_eq!(
            normalize(Kind::LongText(50), &json!("a\nb"), "EUR"),
            Ok(json!("a\nb"))
        );
        assert_eq!(
            normalize(Kind::Ref(Entity::Contact), &json!("12"), "EUR"),
            Ok(json!(12))
        );
        assert_eq!(
            normalize(Kind::Ref(Entity::Contact), &json!(12), "EUR"),
            Ok(json!(12))
        );
        assert!(normalize(Kind::Ref(Entity::Contact), &json!(-1), "EUR").is_err());
        assert_eq!(
            normalize(Kind::Amount, &json!("1,250.50"), "EUR"),
            Ok(json!(125_050))
        );
        assert_eq!(normalize(Kind::Amount, &json!(99), "EUR"), Ok(json!(99)));
        assert!(normalize(Kind::Amount, &json!(1.5), "EUR").is_err());
        assert_eq!(
            normalize(Kind::Currency, &json!("chf"), "EUR"),
            Ok(json!("CHF"))
        );
        assert_eq!(
            normalize(Kind::Date, &json!("2026-02-28"), "EUR"),
            Ok(json!("2026-02-28"))
        );
        assert!(normalize(Kind::Date, &json!("2026-02-30"), "EUR").is_err());
        assert_eq!(
            normalize(Kind::DateTime, &json!("2026-11-21T09:30"), "EUR"),
            Ok(json!("2026-11-21T09:30:00Z"))
        );
        assert_eq!(
            normalize(Kind::DateTime, &json!("2026-11-21T10:30:00+01:00"), "EUR"),
            Ok(json!("2026-11-21T09:30:00Z"))
        );
        assert_eq!(
            normalize(Kind::Domain, &json!("https://www.Acme.example/"), "EUR"),
            Ok(json!("acme.example"))
        );
        assert!(normalize(Kind::Choice(&["a", "b"]), &json!("c"), "EUR").is_err());
        assert!(normalize(Kind::Phone, &json!("call me"), "EUR").is_err());
        assert_eq!(
            normalize(Kind::Phone, &json!("+49 30 1234-56"), "EUR"),
            Ok(json!("+49 30 1234-56"))
        );
    }
}
