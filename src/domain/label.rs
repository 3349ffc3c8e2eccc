//! Labels that contacts, companies and deals carry.

use crate::domain::ids::LabelId;
use crate::error::{Error, Result};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Label {
    pub id: LabelId,
    pub name: String,
    pub color: String,
}

/// Colours offered for labels; any `#rrggbb` is accepted.
pub const LABEL_COLORS: &[(&str, &str)] = &[
    ("Gray", "#6b7280"),
    ("Red", "#dc2626"),
    ("Orange", "#ea580c"),
    ("Amber", "#d97706"),
    ("Green", "#16a34a"),
    ("Teal", "#0d9488"),
    ("Blue", "#2563eb"),
    ("Violet", "#7c3aed"),
    ("Pink", "#db2777"),
];

/// A label's colour as stored: `#rrggbb`, lower case.
pub fn color(raw: &str) -> Result<String> {
    let c = raw.trim().to_lowercase();
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(c)
    } else {
        Err(Error::field("color", "must be a colour like #2563eb"))
    }
}
