//! Numbers, money, months and dates as they read on a page in the viewer's language:
//! `12,345` and `€1,234.56` in English, `12.345` and `€ 1.234,56` in Dutch.

use crate::domain::money::minor_digits;
use crate::domain::words::{Lang, fill};
use chrono::{Datelike, NaiveDate};

/// The thousands separator and the decimal sign of a language.
pub fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::En => (',', '.'),
        Lang::Nl => ('.', ','),
    }
}

/// A count with thousands separators: `33237` → `33,237` (`33.237` in Dutch).
pub fn count(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let (thousands, _) = separators(lang);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(thousands);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// An amount in minor units as a number with its currency's decimals: `1,234.56`.
pub fn amount(lang: Lang, minor: i64, currency: &str) -> String {
    number(lang, minor, minor_digits(currency))
}

/// `minor` with `digits` of it after the decimal sign.
fn number(lang: Lang, minor: i64, digits: u32) -> String {
    let scale = 10i64.pow(digits);
    let (whole, fraction) = (minor.abs() / scale, minor.abs() % scale);
    let sign = if minor < 0 { "-" } else { "" };
    let grouped = count(lang, whole);
    if digits == 0 {
        return format!("{sign}{grouped}");
    }
    let (_, decimal) = separators(lang);
    format!(
        "{sign}{grouped}{decimal}{fraction:0width$}",
        width = digits as usize
    )
}

/// An amount with its currency's sign where it has a common one (`€1,234.56`, `-$5.00`;
/// `€ 1.234,56`, `€ -5,00` in Dutch), else its code after it (`1,234.56 CHF`). Never
/// wraps: the spaces do not break.
pub fn money(lang: Lang, minor: i64, currency: &str) -> String {
    signed(lang, minor, currency, minor_digits(currency))
}

/// An amount rounded to whole units, for figures at a glance (a dashboard's tiles):
/// `€1,251,651`, `€ 1.251.651`.
pub fn money_whole(lang: Lang, minor: i64, currency: &str) -> String {
    let scale = 10i64.pow(minor_digits(currency));
    let whole = (minor + minor.signum() * (scale / 2)) / scale;
    signed(lang, whole, currency, 0)
}

fn signed(lang: Lang, minor: i64, currency: &str, digits: u32) -> String {
    let sign = match currency {
        "EUR" => Some('€'),
        "USD" => Some('$'),
        "GBP" => Some('£'),
        _ => None,
    };
    match (sign, lang) {
        (Some(s), Lang::En) => {
            let minus = if minor < 0 { "-" } else { "" };
            format!("{minus}{s}{}", number(lang, minor.abs(), digits))
        }
        (Some(s), Lang::Nl) => format!("{s}\u{a0}{}", number(lang, minor, digits)),
        (None, _) => format!("{}\u{a0}{currency}", number(lang, minor, digits)),
    }
}

/// A month's short name: 1 → `Jan` (`jan`).
fn month_name(lang: Lang, month: u32) -> &'static str {
    let names = lang.words().months;
    names.split(' ').nth(month as usize - 1).unwrap_or("")
}

/// `2026-01` → `Jan 2026` (`jan 2026`); anything else as it is.
pub fn month(lang: Lang, year_month: &str) -> String {
    let parsed = year_month
        .split_once('-')
        .and_then(|(y, m)| Some((y, m.parse::<u32>().ok()?)))
        .filter(|(y, m)| y.len() == 4 && (1..=12).contains(m));
    match parsed {
        Some((year, m)) => format!("{} {year}", month_name(lang, m)),
        None => year_month.to_string(),
    }
}

/// A day with its weekday: `Tue 13 Jan` (`di 13 jan`).
pub fn weekday_date(lang: Lang, day: NaiveDate) -> String {
    let names = lang.words().weekdays;
    let weekday = names
        .split(' ')
        .nth(day.weekday().num_days_from_monday() as usize)
        .unwrap_or("");
    format!("{weekday} {} {}", day.day(), month_name(lang, day.month()))
}

/// A day as people write it: `15 Jan 2026` (`15 jan 2026`).
pub fn date(lang: Lang, day: NaiveDate) -> String {
    fill(
        lang.words().date,
        &[
            ("day", &day.day().to_string()),
            ("month", month_name(lang, day.month())),
            ("year", &day.year().to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_money_and_months_read_as_people_write_them() {
        let en = Lang::En;
        assert_eq!(count(en, 0), "0");
        assert_eq!(count(en, 999), "999");
        assert_eq!(count(en, 33_237), "33,237");
        assert_eq!(count(en, -1_234_567), "-1,234,567");
        assert_eq!(money(en, 123_456, "EUR"), "€1,234.56");
        assert_eq!(money(en, -500, "USD"), "-$5.00");
        assert_eq!(money(en, 1_500, "JPY"), "1,500\u{a0}JPY");
        assert_eq!(money(en, 33_397_602_500, "CHF"), "333,976,025.00\u{a0}CHF");
        assert_eq!(month(en, "2026-01"), "Jan 2026");
        assert_eq!(month(en, "2026-12"), "Dec 2026");
        assert_eq!(month(en, "2026-13"), "2026-13");
        let day = NaiveDate::from_ymd_opt(2026, 3, 5).expect("day");
        assert_eq!(date(en, day), "5 Mar 2026");
    }

    #[test]
    fn dutch_groups_with_dots_and_writes_the_euro_first() {
        let nl = Lang::Nl;
        assert_eq!(count(nl, 33_237), "33.237");
        assert_eq!(money(nl, 123_456, "EUR"), "€\u{a0}1.234,56");
        assert_eq!(money(nl, -500, "EUR"), "€\u{a0}-5,00");
        assert_eq!(money(nl, 1_500, "JPY"), "1.500\u{a0}JPY");
        assert_eq!(amount(nl, 5, "KWD"), "0,005");
        assert_eq!(month(nl, "2026-03"), "mrt 2026");
        let day = NaiveDate::from_ymd_opt(2026, 10, 25).expect("day");
        assert_eq!(date(nl, day), "25 okt 2026");
        assert_eq!(money_whole(nl, 125_165_150, "EUR"), "€\u{a0}1.251.652");
        assert_eq!(money_whole(Lang::En, -149, "USD"), "-$1");
        assert_eq!(money_whole(Lang::En, 1_500, "JPY"), "1,500\u{a0}JPY");
    }
}
