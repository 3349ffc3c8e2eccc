//! Numbers, money and months as they read on a page (in English; other languages come with
//! their catalogue): `12,345`, `€1,234.56`, `Jan 2026`.

use crate::domain::money::format_amount;

/// A count with thousands separators: `33237` → `33,237`.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// An amount in minor units with its currency's sign where it has a common one
/// (`€1,234.56`, `-$5.00`), else its code after it (`1,234.56 CHF`). Never wraps: the space
/// before a code does not break.
pub fn money(minor: i64, currency: &str) -> String {
    let digits = format_amount(minor.abs(), currency);
    let sign = if minor < 0 { "-" } else { "" };
    match currency {
        "EUR" => format!("{sign}€{digits}"),
        "USD" => format!("{sign}${digits}"),
        "GBP" => format!("{sign}£{digits}"),
        code => format!("{sign}{digits}\u{a0}{code}"),
    }
}

/// `2026-01` → `Jan 2026`; anything else as it is.
pub fn month(year_month: &str) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parsed = year_month
        .split_once('-')
        .and_then(|(y, m)| Some((y, m.parse::<usize>().ok()?)))
        .filter(|(y, m)| y.len() == 4 && (1..=12).contains(m));
    match parsed {
        Some((year, m)) => format!("{} {year}", NAMES[m - 1]),
        None => year_month.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_money_and_months_read_as_people_write_them() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(33_237), "33,237");
        assert_eq!(count(-1_234_567), "-1,234,567");
        assert_eq!(money(123_456, "EUR"), "€1,234.56");
        assert_eq!(money(-500, "USD"), "-$5.00");
        assert_eq!(money(1_500, "JPY"), "1,500\u{a0}JPY");
        assert_eq!(money(33_397_602_500, "CHF"), "333,976,025.00\u{a0}CHF");
        assert_eq!(month("2026-01"), "Jan 2026");
        assert_eq!(month("2026-12"), "Dec 2026");
        assert_eq!(month("2026-13"), "2026-13");
    }
}
