//! A list's filters as SQL: the FROM clause and one condition per filter, each knowing whether
//! it bounds the key the list is sorted by (so a walk along the sort's index may seek on it).

use super::{Filter, ListQuery, Plan};
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::store::crm::records::checked;
use serde_json::Value;

/// The FROM clause of a list (its records are `r`) and its conditions, the first of which
/// says live records or the trash.
pub(super) struct Conditions {
    pub from: String,
    parts: Vec<Part>,
}

struct Part {
    sql: String,
    params: Vec<Value>,
    /// On the sorted key itself (or live or trash): a range of the sort's index.
    on_sort_key: bool,
}

/// A WHERE clause (or a condition) and its parameters.
pub(super) type Sql = (String, Vec<Value>);

impl Conditions {
    /// Every condition, as one WHERE clause.
    pub fn all(&self) -> Sql {
        join(self.parts.iter())
    }

    /// Those on the sorted key (a range of its index), and the others (tested row by row along
    /// it), if any.
    pub fn split(&self) -> (Sql, Option<Sql>) {
        let rest: Vec<&Part> = self.parts.iter().filter(|p| !p.on_sort_key).collect();
        (
            join(self.parts.iter().filter(|p| p.on_sort_key)),
            (!rest.is_empty()).then(|| join(rest.into_iter())),
        )
    }
}

fn join<'a>(parts: impl Iterator<Item = &'a Part>) -> Sql {
    let (mut sql, mut params) = (Vec::new(), Vec::new());
    for part in parts {
        sql.push(part.sql.as_str());
        params.extend(part.params.iter().cloned());
    }
    (sql.join(" AND "), params)
}

pub(super) fn conditions(entity: Entity, query: &ListQuery, plan: Plan) -> Result<Conditions> {
    let mut from = format!("{} r", entity.table());
    let mut joined = false;
    let deleted = if query.trash {
        "IS NOT NULL"
    } else {
        "IS NULL"
    };
    let mut parts = vec![Part {
        sql: format!("r.deleted_at {deleted}"),
        params: Vec::new(),
        on_sort_key: true,
    }];
    let sorted = query.sort.0.as_str();
    let held = held_in_order(entity, query);
    for filter in &query.filters {
        let (sql, params, on_sort_key) = match filter {
            Filter::Eq(column, value) => (
                field_condition(entity, column, value)?,
                Some(value.clone())
                    .filter(|v| !v.is_null())
                    .into_iter()
                    .collect(),
                *column == sorted || held.contains(column),
            ),
            Filter::Label(name) => {
                let first = !joined;
                joined = true;
                let sql = label_condition(entity, plan, first, &mut from)?;
                (sql, vec![name.clone().into()], false)
            }
            Filter::Since(column, from, at) => {
                let column = time_column(entity, column)?;
                let op = if *from { ">=" } else { "<" };
                let sql = format!("r.{column} {op} ?");
                (sql, vec![at.clone().into()], column == sorted)
            }
            Filter::SinceOrNever(column, at) => {
                let column = time_column(entity, column)?;
                let sql = format!("(r.{column} >= ? OR r.{column} IS NULL)");
                (sql, vec![at.clone().into()], column == sorted)
            }
            Filter::Custom(key, value) => (
                "json_extract(r.custom, '$.' || ?) = ?".into(),
                vec![Value::String(key.clone()), value.clone()],
                false,
            ),
            Filter::Ids(ids) => {
                let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
                let list = if ids.is_empty() {
                    "NULL".into()
                } else {
                    ids.join(", ")
                };
                (format!("r.id IN ({list})"), Vec::new(), false)
            }
            Filter::Search(text) => {
                let (sql, params) = search_condition(entity, text, query.trash);
                (sql, params, false)
            }
        };
        parts.push(Part {
            sql,
            params,
            on_sort_key,
        });
    }
    Ok(Conditions { from, parts })
}

/// Indexes that hold the records with some fields equal in the order of a sort (besides each
/// sort's own index): a person's records by when they last changed, a stage's deals, a
/// person's open tasks by due date and done ones by completion. Filtered on every one of those
/// fields and sorted so, a list reads that index's range instead of testing every row along
/// the sort.
const ORDERED_WITHIN: &[(Entity, &[&str], &str)] = &[
    (Entity::Contact, &["owner_id"], "updated_at"), // contacts_by_owner
    (Entity::Deal, &["owner_id"], "updated_at"),    // deals_by_owner
    (Entity::Deal, &["stage_id"], "updated_at"),    // deals_live_stage
    (Entity::Task, &["assignee_id", "status"], "due_at"), // tasks_by_assignee
    (Entity::Task, &["assignee_id", "status"], "completed_at"), // tasks_done_by_assignee
];

/// The fields whose equality filters bound the range of an index in the list's order (see
/// `ORDERED_WITHIN`), if the list has one.
fn held_in_order(entity: Entity, query: &ListQuery) -> &'static [&'static str] {
    let equal = |column: &str| {
        query
            .filters
            .iter()
            .any(|f| matches!(f, Filter::Eq(c, v) if *c == column && !v.is_null()))
    };
    ORDERED_WITHIN
        .iter()
        .find(|(e, fields, sort)| {
            *e == entity && *sort == query.sort.0 && fields.iter().all(|f| equal(f))
        })
        .map_or(&[], |(_, fields, _)| fields)
}

/// The condition of a field's value (`Null`: none).
fn field_condition(entity: Entity, column: &str, value: &Value) -> Result<String> {
    let column = checked(entity, column)?;
    Ok(if value.is_null() {
        format!("r.{column} IS NULL")
    } else {
        format!("r.{column} = ?")
    })
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
    let (table, column) = crate::store::crm::labels::join_table(entity)
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

fn search_columns(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Contact => &["first_name", "last_name", "email", "phone"],
        Entity::Company => &["name", "domain"],
        Entity::Deal | Entity::Task => &["title"],
        Entity::Note => &["body"],
    }
}

/// A list's own search: live records are in the full-text index, so the same words as the
/// global search are found through it instead of reading every row; the trash (which the
/// index leaves out), or text without words, is searched for `text` anywhere in the entity's
/// searched columns.
fn search_condition(entity: Entity, text: &str, trash: bool) -> Sql {
    use crate::store::crm::search;
    if let Some(expression) = (!trash).then(|| search::match_expression(text)).flatten() {
        let condition = format!(
            "r.id IN (SELECT rowid / 8 FROM search WHERE search MATCH ? AND rowid % 8 = {})",
            search::code(entity)
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
