//! Lists of records: filters, search, sorting and pages.

use super::records::{Param, Record, checked, from_row, select_list};
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use rusqlite::{Connection, params_from_iter};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// A field equals a value (`Null` means "has none").
    Eq(&'static str, Value),
    /// Carries this label.
    Label(String),
    /// A text search over the entity's name-like fields.
    Search(String),
    /// `created_at` or `updated_at` on or after (`true`) or before (`false`) a moment.
    Since(&'static str, bool, String),
    /// A custom attribute (key checked by the caller) equals a value.
    Custom(String, Value),
    /// One of these records.
    Ids(Vec<i64>),
}

#[derive(Debug, Clone)]
pub struct ListQuery {
    pub filters: Vec<Filter>,
    /// A sortable column (see `Entity::sortable`) or `name` for contacts; then descending.
    pub sort: (String, bool),
    pub limit: i64,
    pub offset: i64,
    /// The trash instead of the live records.
    pub trash: bool,
}

impl ListQuery {
    pub fn new(limit: i64, offset: i64) -> ListQuery {
        // Most recently changed first: what people look for, and what an index gives in order.
        ListQuery {
            filters: Vec::new(),
            sort: ("updated_at".into(), true),
            limit,
            offset,
            trash: false,
        }
    }
}

fn search_columns(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Contact => &["first_name", "last_name", "email", "phone"],
        Entity::Company => &["name", "domain"],
        Entity::Deal | Entity::Task => &["title"],
        Entity::Note => &["body"],
    }
}

fn order_by(entity: Entity, (column, desc): &(String, bool)) -> Result<String> {
    let dir = if *desc { "DESC" } else { "ASC" };
    let key = match (entity, column.as_str()) {
        (Entity::Contact, "name") => {
            format!(
                "coalesce(r.last_name, r.first_name, r.email) COLLATE NOCASE {dir}, r.first_name COLLATE NOCASE {dir}"
            )
        }
        (_, c) if entity.sortable(c) => {
            let text = entity.field(c).is_some_and(|f| {
                matches!(
                    f.kind,
                    crate::domain::fields::Kind::Text(_) | crate::domain::fields::Kind::Email
                )
            });
            // SQLite's own order for empty values (first going up, last going down), so that
            // an index on the column can give the order without sorting.
            format!("r.{c}{} {dir}", if text { " COLLATE NOCASE" } else { "" })
        }
        _ => return Err(Error::field("sort", format!("cannot sort by {column}"))),
    };
    Ok(format!("{key}, r.id {dir}"))
}

/// One page of records and the total that match.
pub fn list(conn: &Connection, entity: Entity, query: &ListQuery) -> Result<(Vec<Record>, i64)> {
    let mut wheres = vec![
        if query.trash {
            "r.deleted_at IS NOT NULL"
        } else {
            "r.deleted_at IS NULL"
        }
        .to_string(),
    ];
    let mut params: Vec<Value> = Vec::new();
    for filter in &query.filters {
        match filter {
            Filter::Eq(column, Value::Null) => {
                wheres.push(format!("r.{} IS NULL", checked(entity, column)?))
            }
            Filter::Eq(column, value) => {
                wheres.push(format!("r.{} = ?", checked(entity, column)?));
                params.push(value.clone());
            }
            Filter::Label(name) => {
                let (table, column) = super::labels::join_table(entity)
                    .ok_or_else(|| Error::field("label", "this list has no labels"))?;
                wheres.push(format!("r.id IN (SELECT x.{column} FROM {table} x JOIN labels l ON l.id = x.label_id WHERE l.name = ?)"));
                params.push(name.clone().into());
            }
            Filter::Since(column, from, at) => {
                let column = match *column {
                    "created_at" => "created_at",
                    _ => "updated_at",
                };
                wheres.push(format!("r.{column} {} ?", if *from { ">=" } else { "<" }));
                params.push(at.clone().into());
            }
            Filter::Custom(key, value) => {
                wheres.push("json_extract(r.custom, '$.' || ?) = ?".into());
                params.extend([Value::String(key.clone()), value.clone()]);
            }
            Filter::Ids(ids) => {
                let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
                wheres.push(format!(
                    "r.id IN ({})",
                    if ids.is_empty() {
                        "NULL".into()
                    } else {
                        ids.join(", ")
                    }
                ));
            }
            Filter::Search(text) => {
                let pattern = format!(
                    "%{}%",
                    text.replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                );
                let any: Vec<String> = search_columns(entity)
                    .iter()
                    .map(|c| format!("r.{c} LIKE ? ESCAPE '\\'"))
                    .collect();
                wheres.push(format!("({})", any.join(" OR ")));
                params.extend(
                    search_columns(entity)
                        .iter()
                        .map(|_| Value::String(pattern.clone())),
                );
            }
        }
    }
    let where_sql = wheres.join(" AND ");
    let total: i64 = if query.filters.is_empty() {
        // An unfiltered list's total is kept by triggers (record_counts).
        let column = if query.trash { "trashed" } else { "live" };
        conn.prepare_cached(&format!(
            "SELECT {column} FROM record_counts WHERE entity = ?1"
        ))?
        .query_row([entity.table()], |r| r.get(0))?
    } else {
        conn.prepare_cached(&format!(
            "SELECT count(*) FROM {} r WHERE {where_sql}",
            entity.table()
        ))?
        .query_row(params_from_iter(params.iter().map(Param)), |r| r.get(0))?
    };
    let sql = format!(
        "SELECT {} FROM {} r WHERE {where_sql} ORDER BY {} LIMIT ? OFFSET ?",
        select_list(entity, "r"),
        entity.table(),
        order_by(entity, &query.sort)?
    );
    params.extend([query.limit.into(), query.offset.into()]);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut records = stmt
        .query_map(params_from_iter(params.iter().map(Param)), |row| {
            from_row(entity, row)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if entity.has_labels_and_custom() {
        let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
        let mut names = super::labels::names_of(conn, entity, &ids)?;
        for r in &mut records {
            r.labels = names.remove(&r.id).unwrap_or_default();
        }
    }
    Ok((records, total))
}
