//! Tenant slugs. A slug names a tenant's file on disk, so nothing but a validated `Slug` may
//! ever reach a path.

use crate::error::{Error, Result};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    /// Accepts `^[a-z0-9][a-z0-9-]{1,39}$` and nothing else.
    pub fn parse(s: &str) -> Result<Slug> {
        let bytes = s.as_bytes();
        let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        let ok = (2..=40).contains(&bytes.len())
            && allowed(&bytes[0])
            && bytes[1..].iter().all(|b| allowed(b) || *b == b'-');
        if ok {
            Ok(Slug(s.to_string()))
        } else {
            Err(Error::field(
                "slug",
                format!(
                    "{s:?} is not a valid tenant slug: use 2 to 40 characters, lowercase letters, digits and '-', starting with a letter or digit"
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_slugs() {
        for s in ["default", "ab", "acme-2", "0x", &"a".repeat(40)] {
            assert_eq!(
                Slug::parse(s).map(|s| s.to_string()).ok().as_deref(),
                Some(s)
            );
        }
    }

    #[test]
    fn refuses_anything_that_could_escape_or_confuse_a_path() {
        for s in [
            "",
            "a",
            "-ab",
            "Abc",
            "a_b",
            "a.b",
            "../etc",
            "a/b",
            "a b",
            "ab\0",
            "émile",
            &"a".repeat(41),
        ] {
            assert!(Slug::parse(s).is_err(), "{s:?} must be refused");
        }
    }
}
