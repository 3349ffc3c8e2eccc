//! Labels and which contacts, companies and deals carry them.

use crate::domain::crm::Entity;
use crate::domain::ids::LabelId;
pub use crate::domain::label::Label;
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params, params_from_iter};
use std::collections::HashMap;

/// The join table and its record column for an entity that carries labels.
pub fn join_table(entity: Entity) -> Option<(&'static str, &'static str)> {
    match entity {
        Entity::Contact => Some(("contact_labels", "contact_id")),
        Entity::Company => Some(("company_labels", "company_id")),
        Entity::Deal => Some(("deal_labels", "deal_id")),
        Entity::Task | Entity::Note => None,
    }
}

/// A label from a row of `id, name, color`.
pub(crate) fn label(r: &rusqlite::Row) -> rusqlite::Result<Label> {
    Ok(Label {
        id: r.get(0)?,
        name: r.get(1)?,
        color: r.get(2)?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<Label>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, color FROM labels ORDER BY name COLLATE NOCASE")?;
    let rows = stmt
        .query_map([], label)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, id: LabelId) -> Result<Option<Label>> {
    Ok(conn
        .query_row(
            "SELECT id, name, color FROM labels WHERE id = ?1",
            [id],
            label,
        )
        .optional()?)
}

fn unique(e: rusqlite::Error, name: &str) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation => {
            Error::field("name", format!("a label named {name:?} exists already"))
        }
        other => other.into(),
    }
}

pub fn create(conn: &Write, name: &str, color: &str, now: &str) -> Result<LabelId> {
    conn.execute(
        "INSERT INTO labels (name, color, created_at) VALUES (?1, ?2, ?3)",
        params![name, color, now],
    )
    .map_err(|e| unique(e, name))?;
    Ok(LabelId(conn.last_insert_rowid()))
}

pub fn update(conn: &Write, id: LabelId, name: &str, color: &str) -> Result<()> {
    let n = conn
        .execute(
            "UPDATE labels SET name = ?2, color = ?3 WHERE id = ?1",
            params![id, name, color],
        )
        .map_err(|e| unique(e, name))?;
    if n == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub fn delete(conn: &Write, id: LabelId) -> Result<()> {
    if conn.execute("DELETE FROM labels WHERE id = ?1", [id])? == 0 {
        Err(Error::NotFound)
    } else {
        Ok(())
    }
}

/// Label names of each record, sorted.
pub fn names_of(
    conn: &Connection,
    entity: Entity,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>> {
    let Some((table, column)) = join_table(entity) else {
        return Ok(HashMap::new());
    };
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "SELECT x.{column}, l.name FROM {table} x JOIN labels l ON l.id = x.label_id WHERE x.{column} IN ({marks}) ORDER BY l.name COLLATE NOCASE"
    );
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(ids.iter()), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (id, name) = row?;
        out.entry(id).or_default().push(name);
    }
    Ok(out)
}

/// Label ids for names (any case); the names that match no label are returned as errors.
pub fn ids_for(conn: &Connection, names: &[String]) -> Result<Result<Vec<LabelId>, Vec<String>>> {
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT id FROM labels WHERE name = ?1")?;
    for name in names {
        match stmt
            .query_row([name.trim()], |r| r.get::<_, LabelId>(0))
            .optional()?
        {
            Some(id) => ids.push(id),
            None => unknown.push(name.clone()),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(if unknown.is_empty() {
        Ok(ids)
    } else {
        Err(unknown)
    })
}

/// Gives the record exactly `label_ids`; returns the names added and removed.
pub fn set(
    conn: &Write,
    entity: Entity,
    record: i64,
    label_ids: &[LabelId],
) -> Result<(Vec<String>, Vec<String>)> {
    let Some((table, column)) = join_table(entity) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let current: Vec<(LabelId, String)> = conn
        .prepare_cached(&format!("SELECT l.id, l.name FROM {table} x JOIN labels l ON l.id = x.label_id WHERE x.{column} = ?1"))?
        .query_map([record], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut removed = Vec::new();
    for (id, name) in &current {
        if !label_ids.contains(id) {
            conn.execute(
                &format!("DELETE FROM {table} WHERE {column} = ?1 AND label_id = ?2"),
                params![record, id],
            )?;
            removed.push(name.clone());
        }
    }
    let mut added = Vec::new();
    for id in label_ids {
        if !current.iter().any(|(c, _)| c == id) {
            conn.execute(
                &format!("INSERT INTO {table} ({column}, label_id) VALUES (?1, ?2)"),
                params![record, id],
            )?;
            let name: String =
                conn.query_row("SELECT name FROM labels WHERE id = ?1", [id], |r| r.get(0))?;
            added.push(name);
        }
    }
    Ok((added, removed))
}
