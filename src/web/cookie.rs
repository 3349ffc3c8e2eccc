//! Cookies: reading one from a request, and writing `Set-Cookie` values. Every cookie is
//! HttpOnly, SameSite=Lax and scoped to its tenant's path.

use rouille::Request;

pub const SESSION: &str = "onebox_session";
/// The CSRF token of a visitor who is not signed in (double-submit: cookie and form field).
pub const PRE_SESSION_CSRF: &str = "onebox_csrf";
pub const FLASH: &str = "onebox_flash";

pub fn get<'r>(req: &'r Request, name: &str) -> Option<&'r str> {
    rouille::input::cookies(req)
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value; `max_age` in seconds, `None` for a browser-session cookie.
pub fn set(name: &str, value: &str, path: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

pub fn clear(name: &str, path: &str, secure: bool) -> String {
    set(name, "", path, Some(0), secure)
}

pub use crate::domain::url::{decode, encode};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_any_text() {
        for text in ["Saved.", "Token «obx» created; copy it now!", "", "a=b; c"] {
            let encoded = encode(text);
            assert!(!encoded.contains([';', ' ', '=', ',']));
            assert_eq!(decode(&encoded).as_deref(), Some(text));
        }
        assert_eq!(decode("%zz"), None);
    }

    #[test]
    fn cookies_are_scoped_and_protected() {
        let c = set(SESSION, "abc", "/t/acme/", Some(60), true);
        assert_eq!(
            c,
            "onebox_session=abc; Path=/t/acme/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
    }
}
