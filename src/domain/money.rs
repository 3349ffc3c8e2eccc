//! Money: integer minor units plus an ISO 4217 currency. Parsing what people type
//! ("1.250,00", "1250.5") into minor units, and formatting back.

/// Digits after the decimal point for `currency` (ISO 4217): most have 2.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Three uppercase letters; the codes themselves are not listed, so a new one still works.
pub fn valid_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// Parses a decimal amount as typed by a person into minor units. Accepts `.` or `,` as the
/// decimal separator and spaces, `'` or the other separator as thousands separators.
pub fn parse_amount(text: &str, currency: &str) -> Option<i64> {
    let digits = minor_digits(currency);
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\'' | '\u{a0}'))
        .collect();
    let (negative, cleaned) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, cleaned),
    };
    if cleaned.is_empty() {
        return None;
    }
    // The last '.' or ',' is the decimal separator if no more digits than the currency has
    // follow it; three digits after it mean a thousands separator (unless the currency itself
    // has three decimals); anything else is not an amount.
    let (whole, fraction) = match cleaned.rfind(['.', ',']) {
        None => (cleaned.as_str(), ""),
        Some(at) => {
            let after = cleaned.len() - at - 1;
            if after == 3 && digits != 3 {
                (cleaned.as_str(), "")
            } else if after <= digits as usize {
                (&cleaned[..at], &cleaned[at + 1..])
            } else {
                return None;
            }
        }
    };
    let whole: String = whole.chars().filter(|c| !matches!(c, '.' | ',')).collect();
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut minor: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    minor = minor.checked_mul(10i64.pow(digits))?;
    let padded = format!("{fraction:0<width$}", width = digits as usize);
    if !padded.is_empty() {
        minor = minor.checked_add(padded.parse::<i64>().ok()?)?;
    }
    Some(if negative { -minor } else { minor })
}

/// The plain form for an input field, without thousands separators: `1234.56` (`1234,56`
/// in Dutch; `parse_amount` reads both).
pub fn amount_input(lang: crate::domain::words::Lang, minor: i64, currency: &str) -> String {
    let (thousands, _) = crate::domain::format::separators(lang);
    crate::domain::format::amount(lang, minor, currency).replace(thousands, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(parse_amount("1250", "EUR"), Some(125_000));
        assert_eq!(parse_amount("1250.5", "EUR"), Some(125_050));
        assert_eq!(parse_amount("1,250.50", "EUR"), Some(125_050));
        assert_eq!(parse_amount("1.250,50", "EUR"), Some(125_050));
        assert_eq!(parse_amount("1 250", "EUR"), Some(125_000));
        assert_eq!(
            parse_amount("1,250", "EUR"),
            Some(125_000),
            "a group of three is thousands"
        );
        assert_eq!(parse_amount("-3.10", "EUR"), Some(-310));
        assert_eq!(parse_amount("5000", "JPY"), Some(5000));
        assert_eq!(parse_amount("1.5", "KWD"), Some(1500));
        for bad in ["", "abc", "1.2.3x", "--1", "12e3"] {
            assert_eq!(parse_amount(bad, "EUR"), None, "{bad:?}");
        }
    }

    #[test]
    fn formats_with_the_currency_precision() {
        use crate::domain::words::Lang;
        assert_eq!(amount_input(Lang::En, 123_456, "EUR"), "1234.56");
        assert_eq!(amount_input(Lang::En, -5, "EUR"), "-0.05");
        assert_eq!(amount_input(Lang::En, 1_000_000, "JPY"), "1000000");
        assert_eq!(amount_input(Lang::Nl, 123_456, "EUR"), "1234,56");
        assert_eq!(
            parse_amount(&amount_input(Lang::Nl, 123_456, "EUR"), "EUR"),
            Some(123_456)
        );
        assert!(valid_currency("EUR") && !valid_currency("eur") && !valid_currency("EURO"));
    }
}
