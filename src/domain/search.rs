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
    /// What tells it apart from others of the same name: a contact's email and company, a
    /// company's domain and industry, a deal's or task's company.
    pub detail: String,
    /// Lower is better (bm25).
    pub rank: f64,
}

fn entity_name<S: serde::Serializer>(e: &Entity, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(e.singular())
}

/// The phone number's digits as the search index keeps them beside it (`+49 (30) 123-45` is
/// also found as `493012345`).
fn digits_of(phone: &str) -> String {
    phone.chars().filter(|c| !" -()/.+".contains(*c)).collect()
}

/// The snippet as the user wrote the record: where it shows the digits the index keeps of
/// `phone`, it shows the number as written instead (marked, when the digits were).
pub fn with_phone_as_written(snippet: &str, phone: &str) -> String {
    let digits = digits_of(phone);
    if digits.is_empty() || digits == phone {
        return snippet.to_string();
    }
    let marked = format!("{MARK_START}{digits}{MARK_END}");
    if snippet.contains(&marked) {
        // The number as written sits just before its digits: drop the digits, mark the number.
        let without = snippet
            .replacen(&format!(" {marked}"), "", 1)
            .replacen(&marked, "", 1);
        return without
            .replacen(phone, &format!("{MARK_START}{phone}{MARK_END}"), 1)
            .trim_end()
            .to_string();
    }
    snippet
        .replacen(&format!(" {digits}"), "", 1)
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> String {
        text.replace('[', &MARK_START.to_string())
            .replace(']', &MARK_END.to_string())
    }

    #[test]
    fn a_phone_found_by_its_digits_shows_as_written_and_marked() {
        let snippet = marked("ada@x.test +49 30 1234567 [49301234567] Engineer");
        assert_eq!(
            with_phone_as_written(&snippet, "+49 30 1234567"),
            marked("ada@x.test [+49 30 1234567] Engineer")
        );
    }

    #[test]
    fn the_kept_digits_are_left_out_where_something_else_matched() {
        let snippet = marked("ada@x.test +49 30 1234567 49301234567 [Engineer]");
        assert_eq!(
            with_phone_as_written(&snippet, "+49 30 1234567"),
            marked("ada@x.test +49 30 1234567 [Engineer]")
        );
        // A number written as bare digits has no second form to leave out.
        let plain = marked("ada@x.test [0301234] 0301234");
        assert_eq!(with_phone_as_written(&plain, "0301234"), plain);
    }
}
