//! Paging along a sort's index: a page after another starts where it ended (`after`, the
//! last row's sort key values and id) instead of counting rows from the start, so a deep page
//! costs what the first does. For every sort a list offers: a sort by a link's name starts
//! after the name kept beside the record (`Record::kept`).

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

/// The values a row has for the sort's keys, then its id: what a cursor after it holds.
pub fn values_of(entity: Entity, column: &str, r: &Record) -> Vec<Value> {
    let get = |name: &str| r.values.get(name).cloned().unwrap_or(Value::Null);
    let kept = |name: &str| r.kept.get(name).cloned().unwrap_or(Value::Null);
    let mut out = match (entity, column) {
        (_, "id") => Vec::new(),
        (_, "company") => vec![kept("company_name")],
        (_, "owner") => vec![kept("owner_name")],
        (_, "assignee") => vec![kept("assignee_name")],
        (_, "stage") => vec![kept("stage_rank")],
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

/// The conditions of a page after the row with `after` (its key values, then its id), as
/// segments in sort order, each with how many leading keys it holds equal and its parameters:
/// first the rows that share every key with it (by id), then those that share all but the
/// last key, and so on. Each segment is an index seek (equal keys, then a range), so rows with
/// equal keys are never walked; it is ordered by its remaining keys only, which lets SQLite
/// read the index in order instead of sorting (it does not see an equal expression as fixed).
/// `inclusive`: the row itself comes first.
pub(super) fn segments(
    keys: &[String],
    desc: bool,
    after: &[Value],
    inclusive: bool,
) -> Result<Vec<(usize, String, Vec<Value>)>> {
    if after.len() != keys.len() + 1 {
        return Err(Error::field("cursor", "is not a cursor of this order"));
    }
    let beyond = if desc { "<" } else { ">" };
    let equal = |depth: usize| -> (Vec<String>, Vec<Value>) {
        let mut sql = Vec::new();
        let mut params = Vec::new();
        for (key, value) in keys.iter().zip(after).take(depth) {
            if value.is_null() {
                sql.push(format!("{key} IS NULL"));
            } else {
                sql.push(format!("{key} = ?"));
                params.push(value.clone());
            }
        }
        (sql, params)
    };
    let mut out = Vec::new();
    let (mut sql, mut params) = equal(keys.len());
    sql.push(format!(
        "r.id {beyond}{} ?",
        if inclusive { "=" } else { "" }
    ));
    params.push(after[keys.len()].clone());
    out.push((keys.len(), sql.join(" AND "), params));
    for depth in (0..keys.len()).rev() {
        let (key, value) = (&keys[depth], &after[depth]);
        // What comes after this key's value: greater values going up (NULLs come first), and
        // smaller going down, then the NULLs (which come last).
        let mut rests: Vec<(String, Option<Value>)> = Vec::new();
        match (value.is_null(), desc) {
            (true, false) => rests.push((format!("{key} IS NOT NULL"), None)),
            (true, true) => {}
            (false, false) => rests.push((format!("{key} > ?"), Some(value.clone()))),
            (false, true) => {
                rests.push((format!("{key} < ?"), Some(value.clone())));
                rests.push((format!("{key} IS NULL"), None));
            }
        }
        for (rest, bound) in rests {
            let (mut sql, mut params) = equal(depth);
            sql.push(rest);
            params.extend(bound);
            out.push((depth, sql.join(" AND "), params));
        }
    }
    Ok(out)
}
