//! Full-text search over contacts, companies, deals, tasks and notes (SQLite FTS5, diacritics
//! folded). The index is kept in step by triggers (migrations/0004_search.sql).

use crate::domain::crm::Entity;
pub use crate::domain::search::{Hit, MARK_END, MARK_START};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

/// The tables whose insert triggers an import pauses (migrations/0006_import_and_lists.sql).
const PAUSABLE: [Entity; 3] = [Entity::Contact, Entity::Company, Entity::Deal];

/// Where each pausable table's ids stood when indexing paused.
#[must_use = "resume indexes the rows written while paused"]
pub struct Paused([i64; 3]);

/// Stops indexing new contacts, companies and deals for the rest of this transaction, until
/// `resume`. Inserting into the search index one row per statement makes FTS5 flush after
/// every statement; an import batch indexes its rows in one go instead.
pub fn pause(tx: &Write) -> Result<Paused> {
    tx.prepare_cached("INSERT OR IGNORE INTO search_paused (paused) VALUES (1)")?
        .execute([])?;
    let mut highest = [0; 3];
    for (entity, id) in PAUSABLE.iter().zip(&mut highest) {
        *id = tx
            .prepare_cached(&format!(
                "SELECT coalesce(max(id), 0) FROM {}",
                entity.table()
            ))?
            .query_row([], |r| r.get(0))?;
    }
    Ok(Paused(highest))
}

/// Indexes the rows inserted since `pause` and lets the insert triggers work again.
pub fn resume(tx: &Write, paused: Paused) -> Result<()> {
    tx.prepare_cached("DELETE FROM search_paused")?
        .execute([])?;
    for (entity, after) in PAUSABLE.iter().zip(paused.0) {
        // Writing a column back unchanged fires the update trigger, which holds the one
        // definition of a record's entry (and leaves records in the trash out).
        tx.prepare_cached(&format!(
            "UPDATE {} SET custom = custom WHERE id > ?1",
            entity.table()
        ))?
        .execute([after])?;
    }
    Ok(())
}

/// Merges the search index into one segment: after a bulk write (an import, a seed). Each
/// batch leaves a large segment, and FTS5's automatic merging folds small new segments into
/// those as records are added one by one. At 100,000 contacts that made every 64th insert
/// wait 35 ms; with one segment the small ones merge among themselves (about 1 ms). Costs
/// about 0.4 s at that size.
pub fn merge_segments(conn: &Write) -> Result<()> {
    conn.execute("INSERT INTO search (search) VALUES ('optimize')", [])?;
    Ok(())
}

/// The kind of record in the low bits of an index entry's rowid (`id * 8 + code`).
pub(super) fn code(entity: Entity) -> i64 {
    match entity {
        Entity::Contact => 1,
        Entity::Company => 2,
        Entity::Deal => 3,
        Entity::Task => 4,
        Entity::Note => 5,
    }
}

fn entity_of(code: i64) -> Option<Entity> {
    Entity::ALL.into_iter().find(|e| self::code(*e) == code)
}

/// The FTS query for what a person typed: every word must match the start of a word of the
/// record (`muller` finds Müller, `ann@acme` finds ann@acme.example), in any of its German and
/// Dutch spellings (see `spellings`). `None` for no words.
pub fn match_expression(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(10)
        .map(|w| {
            let terms: Vec<String> = spellings(w)
                .iter()
                .map(|s| format!("\"{}\"*", s.replace('"', "")))
                .collect();
            if terms.len() == 1 {
                terms[0].clone()
            } else {
                format!("({})", terms.join(" OR "))
            }
        })
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" AND "))
    }
}

/// A word as typed and as it may be written: umlauts as `ue`, `oe`, `ae` and the other way
/// (`mueller` finds Müller, whose entry the index keeps as `muller`, and `müller` finds
/// Mueller), `ß` as `ss` and back, the Dutch `ĳ` as `ij`. The index folds diacritics itself.
fn spellings(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    let mut out = vec![lower.clone()];
    let expanded = lower
        .replace('ü', "ue")
        .replace('ö', "oe")
        .replace('ä', "ae")
        .replace('ß', "ss")
        .replace('ĳ', "ij");
    let folded = lower
        .replace("ue", "u")
        .replace("oe", "o")
        .replace("ae", "a");
    let sharp = lower.replace("ss", "ß");
    for spelling in [expanded, folded, sharp] {
        if !out.contains(&spelling) {
            out.push(spelling);
        }
    }
    out
}

/// How many live records of `entity` match.
pub fn count(conn: &Connection, typed: &str, entity: Entity) -> Result<i64> {
    let Some(expression) = match_expression(typed) else {
        return Ok(0);
    };
    let sql = format!(
        "SELECT count(*) FROM search WHERE search MATCH ?1 AND rowid % 8 = {}",
        code(entity)
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([expression], |r| r.get(0))?)
}

/// Matches ranked at most, the newest first: a common prefix (`ann`) matches tens of
/// thousands of records at 300,000 contacts, and scoring each took 15 ms. The lists page
/// through all of them (a list's `q`).
const RANKED: i64 = 2000;

/// Best matches first, at most `limit`, among the `kinds` asked for (and the newest `RANKED`
/// matches).
pub fn search(conn: &Connection, typed: &str, kinds: &[Entity], limit: i64) -> Result<Vec<Hit>> {
    let Some(expression) = match_expression(typed) else {
        return Ok(Vec::new());
    };
    let codes: Vec<String> = kinds.iter().map(|k| code(*k).to_string()).collect();
    let codes = codes.join(", ");
    // The newest match that is still ranked (entries are in id order).
    let floor: i64 = conn
        .prepare_cached(&format!(
            "SELECT rowid FROM search WHERE search MATCH ?1 AND rowid % 8 IN ({codes})
             ORDER BY rowid DESC LIMIT 1 OFFSET ?2"
        ))?
        .query_row(params![expression, RANKED - 1], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let sql = format!(
        "SELECT rowid, title, snippet(search, -1, char(2), char(3), '…', 10), bm25(search, 8.0, 1.0) AS rank
         FROM search WHERE search MATCH ?1 AND rowid % 8 IN ({codes}) AND rowid >= ?3
         ORDER BY rank LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![expression, limit, floor], |r| {
        Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    let mut hits = Vec::new();
    for row in rows {
        let (rowid, title, snippet, rank): (i64, String, String, f64) = row?;
        if let Some(entity) = entity_of(rowid % 8) {
            hits.push(Hit {
                entity,
                id: rowid / 8,
                title,
                snippet,
                detail: String::new(),
                rank,
            });
        }
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_become_prefix_terms() {
        assert_eq!(
            match_expression("Müller"),
            Some("(\"müller\"* OR \"mueller\"*)".into())
        );
        assert_eq!(
            match_expression("Mueller Straße"),
            Some("(\"mueller\"* OR \"muller\"*) AND (\"straße\"* OR \"strasse\"*)".into())
        );
        assert_eq!(
            match_expression("ann@acme.ex"),
            Some("\"ann\"* AND \"acme\"* AND \"ex\"*".into())
        );
        assert_eq!(match_expression("  \"; DROP --"), Some("\"drop\"*".into()));
        assert_eq!(
            match_expression("+49 (30)"),
            Some("\"49\"* AND \"30\"*".into())
        );
        assert_eq!(match_expression("  - "), None);
    }

    /// Among many matches, the best of the newest `RANKED` come first; an older one, however
    /// good, is left to the list's own search.
    #[test]
    fn the_best_of_the_newest_matches_are_ranked() {
        let scratch = crate::store::scratch::Scratch::new();
        let mut conn = scratch.conn();
        crate::store::write(&mut conn, |tx| {
            let add = |first: &str, last: &str| {
                tx.execute(
                    "INSERT INTO contacts (first_name, last_name, created_at, updated_at)
                     VALUES (?1, ?2, 't', 't')",
                    params![first, last],
                )
            };
            add("Ann", "Ann")?; // the oldest, and the best match
            for n in 0..RANKED {
                add("Annika", &format!("Weaker{n}"))?;
            }
            add("Ann", "Annelies")?; // the newest, and the best of the newest
            Ok(())
        })
        .expect("contacts");
        let hits = search(&conn, "ann", &[Entity::Contact], 5).expect("search");
        assert_eq!(hits.len(), 5);
        assert_eq!(hits[0].id, RANKED + 2, "the best of the newest first");
        assert!(hits.iter().all(|h| h.id != 1), "the oldest is not ranked");
        assert!(hits.windows(2).all(|w| w[0].rank <= w[1].rank));
    }

    #[test]
    fn merging_leaves_one_segment_that_finds_every_batch() {
        let scratch = crate::store::scratch::Scratch::new();
        let mut conn = scratch.conn();
        for batch in ["Ansel", "Bérénice", "Cosimo"] {
            crate::store::write(&mut conn, |tx| {
                let paused = pause(tx)?;
                for n in 0..3 {
                    tx.execute(
                        "INSERT INTO contacts (first_name, last_name, created_at, updated_at)
                         VALUES (?1, ?2, '2026-11-21T00:00:00Z', '2026-11-21T00:00:00Z')",
                        params![batch, format!("Batch{n}")],
                    )?;
                }
                resume(tx, paused)
            })
            .expect("batch");
        }
        let segments = |conn: &Connection| -> i64 {
            conn.query_row("SELECT count(DISTINCT segid) FROM search_idx", [], |r| {
                r.get(0)
            })
            .expect("segments")
        };
        assert_eq!(segments(&conn), 3, "one segment per batch");
        crate::store::write(&mut conn, merge_segments).expect("merge");
        assert_eq!(segments(&conn), 1);
        for name in ["ansel", "berenice", "cosimo"] {
            let hits = search(&conn, name, &[Entity::Contact], 10).expect("search");
            assert_eq!(hits.len(), 3, "{name}");
        }
    }
}
