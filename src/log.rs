//! One log line per event on standard error, as `key=value` pairs after a timestamp and level,
//! for journald or any log shipper. Never pass secrets: tokens, passwords, cookies.

use std::borrow::Cow;
use std::fmt::Arguments;

/// A value as it may stand in a log line: control characters, backslashes and quotes are
/// escaped (`\n`, `\x00`, `\\`), so no value can forge a line or make the log binary.
pub fn escape(value: &str) -> Cow<'_, str> {
    if !value
        .chars()
        .any(|c| c.is_control() || c == '\\' || c == '"')
    {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes one line. Control characters that reach it unescaped (from an error's text, say)
/// are escaped here, so a line is always one line.
pub fn write(level: &str, args: Arguments) {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    let text = args.to_string();
    if text.chars().any(char::is_control) {
        let safe: String = text
            .chars()
            .map(|c| match c {
                c if c.is_control() => escape(c.encode_utf8(&mut [0; 4])).into_owned(),
                c => c.to_string(),
            })
            .collect();
        eprintln!("{now} {level} {safe}");
    } else {
        eprintln!("{now} {level} {text}");
    }
}

#[macro_export]
macro_rules! info {
    ($($arg:tt)*) => { $crate::log::write("INFO", format_args!($($arg)*)) };
}

#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => { $crate::log::write("WARN", format_args!($($arg)*)) };
}

#[macro_export]
macro_rules! error {
    ($($arg:tt)*) => { $crate::log::write("ERROR", format_args!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn control_characters_cannot_forge_or_break_a_line() {
        assert_eq!(escape("/t/acme/contacts"), "/t/acme/contacts");
        assert_eq!(
            escape("/x\n2026-01-01 ERROR forged"),
            "/x\\n2026-01-01 ERROR forged"
        );
        assert_eq!(escape("a\0b\u{7f}\r\t"), "a\\x00b\\x7f\\r\\t");
        assert_eq!(escape("say \"hi\" \\"), "say \\\"hi\\\" \\\\");
        assert_eq!(escape("Müller"), "Müller");
    }
}
