//! Settings handlers, one file per tab.

pub mod account;
pub mod catalog;
pub mod mail;
pub mod password;
pub mod tokens;
pub mod users;

use crate::error::{Error, Result};

/// An id from the path; anything else is a page that does not exist.
pub fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T> {
    raw.parse().map_err(|_| Error::NotFound)
}
