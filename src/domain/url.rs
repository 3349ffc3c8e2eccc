//! Text in addresses: percent-encoding of everything but the unreserved characters
//! (RFC 3986, 2.3), so any text fits in a query value, a path segment or a cookie.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, RESERVED).to_string()
}

/// The text behind `encode`; `None` for a broken escape or bytes that are not UTF-8.
pub fn decode(text: &str) -> Option<String> {
    let broken = text.match_indices('%').any(|(at, _)| {
        text.get(at + 1..at + 3)
            .is_none_or(|h| u8::from_str_radix(h, 16).is_err())
    });
    if broken {
        return None;
    }
    percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|t| t.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_stay_as_they_are() {
        assert_eq!(encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(
            encode("Müller & Co/1?x=2"),
            "M%C3%BCller%20%26%20Co%2F1%3Fx%3D2"
        );
        for text in ["", "plain", "a b;c=d", "Zoë 🎉", "%41"] {
            assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        }
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%ff"), None);
    }
}
