//! Paging along a sort's index: a page after another starts where it ended (`after`, the
//! last row's sort key values and id) instead of counting rows from the start, so a deep page
//! costs what the first does. Only for sorts whose first key is never empty; the others page
//! by offset (which walks the index: a few ms at 100,000 rows).

use crate::domain::crm::Entity;
use crate::domain::record::Record;
use crate::error::{Error, Result};
use serde_json::Value;

/// The sort's key expressions (collation included, direction not), before the id.
pub(super) fn keys(entity: Entity, column: &str) -> Result<Vec<String>> {
    if !entity.sortable(column) {
        return Err(Error::field("sort", format!("cannot sort by {column}")));
    }
    Ok(match (entity, column) {
        (_, "id") => Vec::new(),
        (_, "company") => vec!["r.company_name COLLATE NOCASE".into()],
        (_, "owner") => vec!["r.owner_name COLLATE NOCASE".into()],
        (_, "assignee") => vec!["r.assignee_name COLLATE NOCASE".into()],
        (_, "stage") => vec!["r.stage_rank".into()],
        (Entity::Contact, "name") => vec![
            "coalesce(r.last_name, r.first_name, r.email) COLLATE NOCASE".into(),
            "r.first_name COLLATE NOCASE".into(),
        ],
        (_, c) => {
            let text = entity.field(c).is_some_and(|f| {
                matches!(
                    f.kind,
                    crate::domain::fields::Kind::Text(_) | crate::domain::fields::Kind::Email
                )
            });
            vec![format!(
                "r.{c}{}",
                if text { " COLLATE NOCASE" } else { "" }
            )]
        }
    })
}

/// Whether pages of this sort can start after a row: its first key is never empty.
pub fn seekable(entity: Entity, column: &str) -> bool {
    matches!(column, "id" | "created_at" | "updated_at")
        || (column == "name" && matches!(entity, Entity::Contact | Entity::Company))
        || (column == "title" && matches!(entity, Entity::Deal | Entity::Task))
}

/// The values a row has for the sort's keys, then its id: what a cursor after it holds.
pub fn values_of(entity: Entity, column: &str, r: &Record) -> Vec<Value> {
    let get = |name: &str| r.values.get(name).cloned().unwrap_or(Value::Null);
    let mut out = match (entity, column) {
        (_, "id") => Vec::new(),
        (_, "created_at") => vec![r.created_at.clone().into()],
        (_, "updated_at") => vec![r.updated_at.clone().into()],
        (Entity::Contact, "name") => {
            let first = ["last_name", "first_name", "email"]
                .into_iter()
                .map(get)
                .find(|v| !v.is_null())
                .unwrap_or(Value::Null);
            vec![first, get("first_name")]
        }
        (_, c) => vec![get(c)],
    };
    out.push(r.id.into());
    out
}

/// The condition of a page after the row with `after` (its key values, then its id), and its
/// parameters. Written so that SQLite seeks the index to the first key's value.
pub(super) fn condition(
    keys: &[String],
    desc: bool,
    after: &[Value],
) -> Result<(String, Vec<Value>)> {
    if after.len() != keys.len() + 1
        || after.first().is_some_and(Value::is_null) && !keys.is_empty()
    {
        return Err(Error::field("cursor", "is not a cursor of this order"));
    }
    let (beyond, at_or_beyond) = if desc { ("<", "<=") } else { (">", ">=") };
    let mut params = Vec::new();
    let mut sql = format!("r.id {beyond} ?");
    let mut tail = vec![after[keys.len()].clone()];
    // From the last key to the first: (k > v OR (k = v AND rest)), NULLs where they sort.
    for (key, value) in keys.iter().zip(after).rev() {
        let mut p = Vec::new();
        sql = if value.is_null() {
            if desc {
                format!("({key} IS NULL AND {sql})")
            } else {
                format!("(({key} IS NULL AND {sql}) OR {key} IS NOT NULL)")
            }
        } else {
            p.extend([value.clone(), value.clone()]);
            if desc {
                format!("({key} {beyond} ? OR ({key} = ? AND {sql}) OR {key} IS NULL)")
            } else {
                format!("({key} {beyond} ? OR ({key} = ? AND {sql}))")
            }
        };
        p.append(&mut tail);
        tail = p;
    }
    params.append(&mut tail);
    // The seek: the first key at or beyond its value (never empty, see `seekable`).
    if let Some(first) = keys.first() {
        sql = format!("{first} {at_or_beyond} ? AND {sql}");
        params.insert(0, after[0].clone());
    }
    Ok((sql, params))
}
