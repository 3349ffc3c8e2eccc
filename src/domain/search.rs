//! What a search finds.

use crate::domain::crm::Entity;

/// Marks around the matched words in a snippet; views turn them into highlights.
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    #[serde(rename = "type", serialize_with = "entity_name")]
    pub entity: Entity,
    pub id: i64,
    pub title: String,
    /// Text around the match, with `MARK_START`/`MARK_END` around matched words.
    pub snippet: String,
    /// Lower is better (bm25).
    pub rank: f64,
}

fn entity_name<S: serde::Serializer>(e: &Entity, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(e.singular())
}
