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
    /// `created_at`, `updated_at` or `due_at` on or after (`true`) or before (`false`) a
    /// moment.
    Since(&'static str, bool, String),
    /// `due_at` on or after a moment, or none.
    SinceOrNever(&'static str, String),
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
    /// Start after the row with these sort key values and id (see `keyset`), not at `offset`.
    pub after: Option<Vec<Value>>,
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
            after: None,
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

/// The ORDER BY of a sort, without its first `skip` keys (held equal by a seek).
fn order_by(entity: Entity, (column, desc): &(String, bool), skip: usize) -> Result<String> {
    // SQLite's own order for empty values (first going up, last going down), so that an index
    // on the key can give the order without sorting.
    let dir = if *desc { "DESC" } else { "ASC" };
    let mut terms: Vec<String> = super::keyset::keys(entity, column)?
        .into_iter()
        .skip(skip)
        .map(|k| format!("{k} {dir}"))
        .collect();
    terms.push(format!("r.id {dir}"));
    Ok(terms.join(", "))
}

/// Rows a page may walk in sort order, testing each against the filters (a field's value, a
/// label's records, a search's matches), before it is cheaper to start from the matches and
/// sort them (see `list`).
const SORT_WALK: i64 = 20_000;

/// How a list's filters are put to SQLite.
#[derive(Clone, Copy, PartialEq)]
enum Plan {
    /// From the label's records or the search's matches: best for counting and for rare ones.
    FromMatches,
    /// Along the sort order, looking each row up among them: a page of a common label or word
    /// in a few hundred steps, without sorting every match.
    AlongSort,
}

/// One page of records and the total that match.
pub fn list(conn: &Connection, entity: Entity, query: &ListQuery) -> Result<(Vec<Record>, i64)> {
    let (from_sql, where_sql, params) = conditions(entity, query, Plan::FromMatches)?;
    let total: i64 = if query.filters.is_empty() {
        super::totals::records(conn, entity, query.trash)?
    } else if let Some(text) = only_words(query) {
        // The full-text index holds exactly the live records: it counts them alone.
        super::search::count(conn, text, entity)?
    } else {
        conn.prepare_cached(&format!(
            "SELECT count(*) FROM {from_sql} WHERE {where_sql}"
        ))?
        .query_row(params_from_iter(params.iter().map(Param)), |r| r.get(0))?
    };
    if total == 0 {
        return Ok((Vec::new(), 0));
    }
    // Walking the sort order finds a page after about (offset + limit) × rows / matches rows,
    // if the matches are spread along it. (A search's matches can cluster instead: an email's
    // first letters searched, sorted by email from z to a, walks most of the index.)
    let plan = if (query.offset + query.limit) * super::totals::records(conn, entity, query.trash)?
        / total
        <= SORT_WALK
    {
        Plan::AlongSort
    } else {
        Plan::FromMatches
    };
    Ok((page(conn, entity, query, plan)?, total))
}

/// The text of a list's search when it is the list's only filter and goes through the
/// full-text index.
fn only_words(query: &ListQuery) -> Option<&str> {
    match query.filters.as_slice() {
        [Filter::Search(text)]
            if !query.trash && super::search::match_expression(text).is_some() =>
        {
            Some(text)
        }
        _ => None,
    }
}

/// One page without counting the matches, for callers that know the total (the board).
pub fn page_only(conn: &Connection, entity: Entity, query: &ListQuery) -> Result<Vec<Record>> {
    page(conn, entity, query, Plan::FromMatches)
}

/// The records of one page, their labels included.
fn page(conn: &Connection, entity: Entity, query: &ListQuery, plan: Plan) -> Result<Vec<Record>> {
    let (from_sql, where_sql, params) = conditions(entity, query, plan)?;
    let select = |extra: &str,
                  extra_params: &[Value],
                  order: &str,
                  limit: i64,
                  offset: i64|
     -> Result<Vec<Record>> {
        let sql = format!(
            "SELECT {} FROM {from_sql} WHERE {where_sql}{extra} ORDER BY {order} LIMIT ? OFFSET ?",
            select_list(entity, "r"),
        );
        let mut all = params.clone();
        all.extend(extra_params.iter().cloned());
        all.extend([limit.into(), offset.into()]);
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(all.iter().map(Param)), |row| {
                from_row(entity, row)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    };
    let mut records = match &query.after {
        None => select(
            "",
            &[],
            &order_by(entity, &query.sort, 0)?,
            query.limit,
            query.offset,
        )?,
        Some(after) => {
            if !super::keyset::seekable(entity, &query.sort.0) {
                return Err(Error::field("cursor", "is not a cursor of this order"));
            }
            let keys = super::keyset::keys(entity, &query.sort.0)?;
            let mut rows = Vec::new();
            for (equal, segment, values) in super::keyset::segments(&keys, query.sort.1, after)? {
                let room = query.limit - rows.len() as i64;
                if room <= 0 {
                    break;
                }
                let order = order_by(entity, &query.sort, equal)?;
                rows.extend(select(
                    &format!(" AND {segment}"),
                    &values,
                    &order,
                    room,
                    0,
                )?);
            }
            rows
        }
    };
    if entity.has_labels_and_custom() {
        let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
        let mut names = super::labels::names_of(conn, entity, &ids)?;
        for r in &mut records {
            r.labels = names.remove(&r.id).unwrap_or_default();
        }
    }
    Ok(records)
}

/// The FROM and WHERE clauses of a list (the records are `r`) and the parameters.
fn conditions(
    entity: Entity,
    query: &ListQuery,
    plan: Plan,
) -> Result<(String, String, Vec<Value>)> {
    let mut from = format!("{} r", entity.table());
    let mut joined = false;
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
            Filter::Eq(column, value) => {
                wheres.push(field_condition(entity, query, plan, column, value)?);
                params.extend(Some(value.clone()).filter(|v| !v.is_null()));
            }
            Filter::Label(name) => {
                let first = !joined;
                joined = true;
                wheres.push(label_condition(entity, plan, first, &mut from)?);
                params.push(name.clone().into());
            }
            Filter::Since(column, from, at) => {
                let column = time_column(entity, column)?;
                wheres.push(format!("r.{column} {} ?", if *from { ">=" } else { "<" }));
                params.push(at.clone().into());
            }
            Filter::SinceOrNever(column, at) => {
                let column = time_column(entity, column)?;
                wheres.push(format!("(r.{column} >= ? OR r.{column} IS NULL)"));
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
                let (condition, values) = search_condition(entity, text, query.trash, plan);
                wheres.push(condition);
                params.extend(values);
            }
        }
    }
    Ok((from, wheres.join(" AND "), params))
}

/// The condition of a field's value (`Null`: none). Along the sort, a `+` keeps SQLite from
/// reading the field's index and sorting every match (a stage's deals by title: 10 ms at
/// 60,000 deals); it walks the sort's index and tests each row instead. Not for the field the
/// sort follows (a stage's deals by stage): its matches sit together along the sort, and its
/// own index reads them.
fn field_condition(
    entity: Entity,
    query: &ListQuery,
    plan: Plan,
    column: &str,
    value: &Value,
) -> Result<String> {
    let along = if plan == Plan::AlongSort && column != sort_follows(&query.sort.0) {
        "+"
    } else {
        ""
    };
    let column = checked(entity, column)?;
    Ok(if value.is_null() {
        format!("{along}r.{column} IS NULL")
    } else {
        format!("{along}r.{column} = ?")
    })
}

/// The field whose value a sort's key follows: the link of a sort by a linked name, else the
/// sorted field itself.
fn sort_follows(sort: &str) -> &str {
    match sort {
        "company" => "company_id",
        "owner" => "owner_id",
        "assignee" => "assignee_id",
        "stage" => "stage_id",
        other => other,
    }
}

/// A column a time filter may name: when a record was made or changed, or a task is due.
fn time_column(entity: Entity, column: &str) -> Result<&'static str> {
    match column {
        "created_at" => Ok("created_at"),
        "updated_at" => Ok("updated_at"),
        "due_at" if entity == Entity::Task => Ok("due_at"),
        other => Err(Error::field(other, "is not a time of these records")),
    }
}

/// The condition of a label filter; the first label may lead the join instead.
fn label_condition(entity: Entity, plan: Plan, first: bool, from: &mut String) -> Result<String> {
    let (table, column) = super::labels::join_table(entity)
        .ok_or_else(|| Error::field("label", "this list has no labels"))?;
    Ok(match plan {
        // The first label leads the join (CROSS JOIN fixes the order): SQLite reads the
        // label's records and looks each up, without building a list first.
        Plan::FromMatches if first => {
            *from = format!(
                "labels l0 CROSS JOIN {table} x0 ON x0.label_id = l0.id CROSS JOIN {} r ON r.id = x0.{column}",
                entity.table()
            );
            "l0.name = ?".to_string()
        }
        Plan::FromMatches => format!(
            "r.id IN (SELECT x.{column} FROM {table} x JOIN labels l ON l.id = x.label_id WHERE l.name = ?)"
        ),
        Plan::AlongSort => format!(
            "EXISTS (SELECT 1 FROM {table} x JOIN labels l ON l.id = x.label_id WHERE x.{column} = r.id AND l.name = ?)"
        ),
    })
}

/// A list's own search: live records are in the full-text index, so the same words as the
/// global search are found through it instead of reading every row; the trash (which the
/// index leaves out), or text without words, is searched for `text` anywhere in the entity's
/// searched columns.
fn search_condition(entity: Entity, text: &str, trash: bool, plan: Plan) -> (String, Vec<Value>) {
    if let Some(expression) = (!trash)
        .then(|| super::search::match_expression(text))
        .flatten()
    {
        // Along the sort, the `+` keeps SQLite from reading the matches first and sorting
        // them all: it walks the sort's index and looks each row up among the matches.
        let condition = format!(
            "{}r.id IN (SELECT rowid / 8 FROM search WHERE search MATCH ? AND rowid % 8 = {})",
            if plan == Plan::AlongSort { "+" } else { "" },
            super::search::code(entity)
        );
        return (condition, vec![Value::String(expression)]);
    }
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
    let patterns = search_columns(entity)
        .iter()
        .map(|_| Value::String(pattern.clone()))
        .collect();
    (format!("({})", any.join(" OR ")), patterns)
}

#[cfg(test)]
mod tests;
