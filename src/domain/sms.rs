//! Text messages: the number a message goes to, as gateways take it, and the request body a
//! gateway's template makes for one message, each value escaped for the body's content type.

/// `text` as a number to send to: its digits, with a leading `+` kept; `None` unless it has
/// 6 to 15 digits (E.164's most) and nothing but digits, spaces, `-`, `.`, `/` and brackets.
pub fn number(text: &str) -> Option<String> {
    let text = text.trim();
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", text),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '/' | '(' | ')'))
    {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    (6..=15)
        .contains(&digits.len())
        .then(|| format!("{plus}{digits}"))
}

/// `template` with `{to}` and `{text}` filled in, escaped for `content_type` (inside a JSON
/// string, percent-encoded in a form, as they are in plain text).
pub fn body(template: &str, content_type: &str, to: &str, text: &str) -> String {
    let escape = |value: &str| match content_type {
        "application/json" => {
            let quoted = serde_json::Value::String(value.to_string()).to_string();
            quoted[1..quoted.len() - 1].to_string()
        }
        "application/x-www-form-urlencoded" => crate::domain::url::encode(value),
        _ => value.to_string(),
    };
    // Filled in one pass, so a `{text}` inside the number or a `{to}` inside the message
    // stays as it is.
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{to}") {
            out.push_str(&escape(to));
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{text}") {
            out.push_str(&escape(text));
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_digits_and_plus() {
        assert_eq!(number("+31 6 1234 5678").as_deref(), Some("+31612345678"));
        assert_eq!(number("06-1234.5678").as_deref(), Some("0612345678"));
        assert_eq!(number("(020) 555 0101").as_deref(), Some("0205550101"));
        assert_eq!(number(""), None);
        assert_eq!(number("12345"), None, "too short");
        assert_eq!(number("call me"), None);
        assert_eq!(number("+31 6 1234 5678 9999 9"), None, "too long");
    }

    #[test]
    fn a_body_escapes_each_value_for_its_content_type() {
        let json = body(
            r#"{"to": "{to}", "text": "{text}"}"#,
            "application/json",
            "+316",
            "Tomorrow \"10:00\"\n{to}",
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
        assert_eq!(parsed["text"], "Tomorrow \"10:00\"\n{to}");
        assert_eq!(parsed["to"], "+316");
        let form = body(
            "to={to}&msg={text}",
            "application/x-www-form-urlencoded",
            "+316",
            "a&b=c",
        );
        assert_eq!(form, "to=%2B316&msg=a%26b%3Dc");
        assert_eq!(
            body("{to}: {text} {x}", "text/plain", "1", "hi"),
            "1: hi {x}"
        );
    }
}
