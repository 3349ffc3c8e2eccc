//! Contacts, companies, deals, tasks and notes through one set of queries driven by the
//! entity's fields (lists are in `query`). Column names come only from the static field tables,
//! never from input.

use super::link_keys;
pub use super::link_keys::refresh_link_keys;
pub use super::query::{Filter, ListQuery, Page, Seek, list, page_only};

use crate::domain::crm::Entity;
use crate::domain::ids::{CompanyId, ContactId};
pub use crate::domain::record::Record;
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{Connection, OptionalExtension, ToSql, params, params_from_iter};
use serde_json::{Map, Value};

fn data_columns(entity: Entity) -> Vec<&'static str> {
    entity
        .fields()
        .iter()
        .map(|f| f.name)
        .chain(entity.derived().iter().copied())
        .collect()
}

/// A JSON value as an SQL parameter.
pub(super) struct Param<'a>(pub &'a Value);

impl ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Owned(SqlValue::Null),
            Value::Bool(b) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
            Value::Number(n) => match n.as_i64() {
                Some(i) => ToSqlOutput::Owned(SqlValue::Integer(i)),
                None => ToSqlOutput::Owned(SqlValue::Real(n.as_f64().unwrap_or_default())),
            },
            Value::String(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            other => ToSqlOutput::Owned(SqlValue::Text(other.to_string())),
        })
    }
}

fn json_of(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(f) => f.into(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
        ValueRef::Blob(_) => Value::Null,
    }
}

fn check_columns(entity: Entity, values: &Map<String, Value>) -> Result<Vec<&'static str>> {
    let allowed = data_columns(entity);
    values
        .keys()
        .map(|k| {
            allowed.iter().find(|c| **c == k).copied().ok_or_else(|| {
                Error::Internal(format!("{k} is not a column of {}", entity.table()))
            })
        })
        .collect()
}

pub fn insert(
    conn: &Write,
    entity: Entity,
    values: &Map<String, Value>,
    custom: &Map<String, Value>,
    actor: Option<i64>,
    now: &str,
) -> Result<i64> {
    let mut columns = check_columns(entity, values)?;
    let mut params: Vec<Value> = columns.iter().map(|c| values[*c].clone()).collect();
    if entity.has_labels_and_custom() {
        columns.push("custom");
        params.push(Value::String(Value::Object(custom.clone()).to_string()));
    }
    columns.extend(["created_at", "updated_at", "created_by"]);
    params.extend([now.into(), now.into(), actor.into()]);
    let mut marks: Vec<&str> = vec!["?"; columns.len()];
    for (column, sql, link) in link_keys::keys_of(entity, values) {
        columns.push(column);
        marks.push(sql);
        params.push(link.clone());
    }
    let marks = marks.join(", ");
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({marks})",
        entity.table(),
        columns.join(", ")
    );
    conn.prepare_cached(&sql)?
        .execute(params_from_iter(params.iter().map(Param)))?;
    Ok(conn.last_insert_rowid())
}

/// Writes the given columns (and the custom object, when given) of a live record.
pub fn update(
    conn: &Write,
    entity: Entity,
    id: i64,
    values: &Map<String, Value>,
    custom: Option<&Map<String, Value>>,
    now: &str,
) -> Result<()> {
    let columns = check_columns(entity, values)?;
    let mut sets: Vec<String> = columns.iter().map(|c| format!("{c} = ?")).collect();
    let mut params: Vec<Value> = columns.iter().map(|c| values[*c].clone()).collect();
    if let Some(custom) = custom.filter(|_| entity.has_labels_and_custom()) {
        sets.push("custom = ?".into());
        params.push(Value::String(Value::Object(custom.clone()).to_string()));
    }
    for (column, sql, link) in link_keys::keys_of(entity, values) {
        sets.push(format!("{column} = {sql}"));
        params.push(link.clone());
    }
    sets.push("updated_at = ?".into());
    params.extend([now.into(), id.into()]);
    let sql = format!(
        "UPDATE {} SET {} WHERE id = ? AND deleted_at IS NULL",
        entity.table(),
        sets.join(", ")
    );
    if conn
        .prepare_cached(&sql)?
        .execute(params_from_iter(params.iter().map(Param)))?
        == 0
    {
        return Err(Error::NotFound);
    }
    Ok(())
}

pub(super) fn select_list(entity: Entity, alias: &str) -> String {
    let mut cols: Vec<String> = std::iter::once("id")
        .chain(data_columns(entity))
        .map(|c| format!("{alias}.{c}"))
        .collect();
    cols.push(if entity.has_labels_and_custom() {
        format!("{alias}.custom")
    } else {
        "'{}'".into()
    });
    cols.extend(
        ["created_at", "updated_at", "created_by", "deleted_at"]
            .into_iter()
            .chain(super::link_keys::kept_columns(entity))
            .map(|c| format!("{alias}.{c}")),
    );
    cols.join(", ")
}

pub(super) fn from_row(entity: Entity, row: &rusqlite::Row) -> rusqlite::Result<Record> {
    let columns = data_columns(entity);
    let mut values = Map::new();
    for (i, c) in columns.iter().enumerate() {
        values.insert((*c).to_string(), json_of(row.get_ref(i + 1)?));
    }
    let n = columns.len() + 1;
    let custom: String = row.get(n)?;
    let kept = super::link_keys::kept_columns(entity)
        .enumerate()
        .map(|(i, c)| Ok((c.to_string(), json_of(row.get_ref(n + 5 + i)?))))
        .collect::<rusqlite::Result<Map<String, Value>>>()?;
    Ok(Record {
        entity,
        id: row.get(0)?,
        values,
        custom: serde_json::from_str::<Map<String, Value>>(&custom).unwrap_or_default(),
        labels: Vec::new(),
        created_at: row.get(n + 1)?,
        updated_at: row.get(n + 2)?,
        created_by: row.get(n + 3)?,
        deleted_at: row.get(n + 4)?,
        kept,
    })
}

/// A record, in the trash or not, with its labels.
pub fn get(conn: &Connection, entity: Entity, id: i64) -> Result<Option<Record>> {
    let sql = format!(
        "SELECT {} FROM {} r WHERE r.id = ?1",
        select_list(entity, "r"),
        entity.table()
    );
    let record = conn
        .prepare_cached(&sql)?
        .query_row([id], |row| from_row(entity, row))
        .optional()?;
    match record {
        Some(mut r) => {
            r.labels = super::labels::names_of(conn, entity, &[r.id])?
                .remove(&r.id)
                .unwrap_or_default();
            Ok(Some(r))
        }
        None => Ok(None),
    }
}

/// A live record (not in the trash).
pub fn get_live(conn: &Connection, entity: Entity, id: i64) -> Result<Option<Record>> {
    Ok(get(conn, entity, id)?.filter(|r| r.deleted_at.is_none()))
}

pub fn exists(conn: &Connection, entity: Entity, id: i64) -> Result<bool> {
    let sql = format!(
        "SELECT 1 FROM {} WHERE id = ?1 AND deleted_at IS NULL",
        entity.table()
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(super) fn checked(entity: Entity, column: &str) -> Result<&'static str> {
    data_columns(entity)
        .into_iter()
        .find(|c| *c == column)
        .ok_or_else(|| Error::field(column, "cannot filter by this"))
}

/// Moves a record into the trash (`Some(now)`) or out of it (`None`).
pub fn set_deleted(conn: &Write, entity: Entity, id: i64, deleted_at: Option<&str>) -> Result<()> {
    let sql = format!(
        "UPDATE {} SET deleted_at = ?2 WHERE id = ?1 AND (deleted_at IS NULL) = (?2 IS NOT NULL)",
        entity.table()
    );
    if conn.execute(&sql, rusqlite::params![id, deleted_at])? == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Names of records by id, for showing links (`title` of each).
pub fn titles(
    conn: &Connection,
    entity: Entity,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "SELECT id, {} FROM {} WHERE id IN ({marks})",
        title_sql(entity),
        entity.table()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(ids.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The SQL expression of a record's title (see `Record::title`).
fn title_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Contact => {
            "coalesce(nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), ''), email, '(no name)')"
        }
        Entity::Company => "name",
        Entity::Deal | Entity::Task => "title",
        Entity::Note => "substr(body, 1, 60)",
    }
}

/// Live records as (id, title) by title, for select boxes.
pub fn options(conn: &Connection, entity: Entity, limit: i64) -> Result<Vec<(i64, String)>> {
    let sql = format!(
        "SELECT id, {expr} FROM {} WHERE deleted_at IS NULL ORDER BY {expr} COLLATE NOCASE LIMIT ?1",
        entity.table(),
        expr = title_sql(entity)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A contact's live deals as (id, title), open ones first, then the latest changed.
pub fn deals_of_contact(
    conn: &Connection,
    contact: ContactId,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title FROM deals WHERE contact_id = ?1 AND deleted_at IS NULL
         ORDER BY status = 'open' DESC, updated_at DESC, id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![contact, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The live contact with this email, if any.
pub fn contact_by_email(conn: &Connection, email: &str) -> Result<Option<ContactId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM contacts WHERE email = ?1 AND deleted_at IS NULL")?
        .query_row([email], |r| r.get(0))
        .optional()?)
}

/// The oldest live company with this domain, if any.
pub fn company_by_domain(conn: &Connection, domain: &str) -> Result<Option<CompanyId>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM companies WHERE domain = ?1 AND deleted_at IS NULL ORDER BY id LIMIT 1",
        )?
        .query_row([domain], |r| r.get(0))
        .optional()?)
}

/// The oldest live company with this name, ignoring case, if any.
pub fn company_by_name(conn: &Connection, name: &str) -> Result<Option<CompanyId>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM companies WHERE name = ?1 COLLATE NOCASE AND deleted_at IS NULL \
             ORDER BY id LIMIT 1",
        )?
        .query_row([name], |r| r.get(0))
        .optional()?)
}

/// How many live records of `entity` point at `id` of `target` through `column`.
pub fn count_linked(conn: &Connection, entity: Entity, column: &str, id: i64) -> Result<i64> {
    let column = checked(entity, column)?;
    let sql = format!(
        "SELECT count(*) FROM {} WHERE {column} = ?1 AND deleted_at IS NULL",
        entity.table()
    );
    Ok(conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0))?)
}

/// A user's open tasks due before `now`, oldest first: (title, due_at).
pub fn overdue_tasks(
    conn: &Connection,
    user: i64,
    now: &str,
    limit: i64,
) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT title, due_at FROM tasks
         WHERE assignee_id = ?1 AND status = 'open' AND due_at < ?2 AND deleted_at IS NULL
         ORDER BY due_at, id LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![user, now, limit], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The oldest live contact with this phone number, as typed, if any.
pub fn contact_by_phone(conn: &Connection, phone: &str) -> Result<Option<ContactId>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM contacts INDEXED BY contacts_by_phone
             WHERE phone = ?1 AND deleted_at IS NULL ORDER BY id LIMIT 1",
        )?
        .query_row([phone], |r| r.get(0))
        .optional()?)
}
