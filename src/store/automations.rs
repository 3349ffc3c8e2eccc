//! Automation rules, their event queue, runs and steps.

pub use crate::domain::automation::run::StoredRule;
use crate::domain::ids::{RuleId, UserId};
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

const RULE_COLUMNS: &str =
    "id, name, enabled, definition, next_run_at, created_by, created_at, updated_at";

fn rule(r: &Row) -> rusqlite::Result<StoredRule> {
    let definition: String = r.get(3)?;
    Ok(StoredRule {
        id: r.get(0)?,
        name: r.get(1)?,
        enabled: r.get(2)?,
        definition: serde_json::from_str(&definition).unwrap_or(Value::Null),
        next_run_at: r.get(4)?,
        created_by: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

/// The columns of a rule the engine looks it up by.
pub struct RuleRow<'a> {
    pub name: &'a str,
    pub enabled: bool,
    pub event: Option<&'a str>,
    pub schedule: Option<&'a str>,
    pub definition: &'a Value,
    pub next_run_at: Option<&'a str>,
}

pub fn insert(conn: &Write, row: &RuleRow, created_by: UserId, now: &str) -> Result<RuleId> {
    conn.execute(
        "INSERT INTO automations (name, enabled, event, schedule, definition, next_run_at, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            row.name,
            row.enabled,
            row.event,
            row.schedule,
            row.definition.to_string(),
            row.next_run_at,
            created_by,
            now
        ],
    )?;
    Ok(RuleId(conn.last_insert_rowid()))
}

pub fn update(conn: &Write, id: RuleId, row: &RuleRow, now: &str) -> Result<()> {
    let n = conn.execute(
        "UPDATE automations SET name = ?2, enabled = ?3, event = ?4, schedule = ?5, definition = ?6,
           next_run_at = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            id,
            row.name,
            row.enabled,
            row.event,
            row.schedule,
            row.definition.to_string(),
            row.next_run_at,
            now
        ],
    )?;
    if n == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub fn delete(conn: &Write, id: RuleId) -> Result<()> {
    if conn.execute("DELETE FROM automations WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

pub fn get(conn: &Connection, id: RuleId) -> Result<Option<StoredRule>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {RULE_COLUMNS} FROM automations WHERE id = ?1"
        ))?
        .query_row([id], rule)
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<StoredRule>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {RULE_COLUMNS} FROM automations ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([], rule)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Whether an enabled rule listens to `event`: a change queues its event only then.
pub fn listening(conn: &Connection, event: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM automations WHERE event = ?1 AND enabled = 1 LIMIT 1")?
        .exists([event])?)
}

/// The enabled rules that listen to `event`.
pub fn for_event(conn: &Connection, event: &str) -> Result<Vec<StoredRule>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RULE_COLUMNS} FROM automations WHERE event = ?1 AND enabled = 1 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([event], rule)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Enabled schedules whose next slot has come.
pub fn due_schedules(conn: &Connection, now: &str) -> Result<Vec<StoredRule>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RULE_COLUMNS} FROM automations WHERE enabled = 1 AND next_run_at <= ?1 ORDER BY next_run_at, id"
    ))?;
    let rows = stmt
        .query_map([now], rule)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn set_next_run(conn: &Write, id: RuleId, at: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE automations SET next_run_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}

/// The round-robin position of a rule, moved on by one.
pub fn next_round_robin(conn: &Write, id: RuleId) -> Result<i64> {
    Ok(conn.query_row(
        "UPDATE automations SET round_robin = round_robin + 1 WHERE id = ?1 RETURNING round_robin - 1",
        [id],
        |r| r.get(0),
    )?)
}

/// Whether an enabled rule listens for overdue tasks.
pub fn wants_overdue(conn: &Connection) -> Result<bool> {
    listening(conn, "task.overdue")
}

// ---------------------------------------------------------------------------------------------
// Events

#[derive(Debug, Clone)]
pub struct QueuedEvent {
    pub id: i64,
    pub event: String,
    pub entity: String,
    pub record_id: i64,
    pub changed: Vec<String>,
    pub label: Option<String>,
    pub depth: i64,
}

pub fn push_event(conn: &Write, e: &QueuedEvent, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO automation_events (event, entity, record_id, changed, label, depth, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        e.event,
        e.entity,
        e.record_id,
        serde_json::to_string(&e.changed).unwrap_or_else(|_| "[]".into()),
        e.label,
        e.depth,
        now
    ])?;
    Ok(())
}

pub(crate) fn changed_list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

pub fn first_events(conn: &Connection, limit: i64) -> Result<Vec<QueuedEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, event, entity, record_id, changed, label, depth FROM automation_events ORDER BY id LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok(QueuedEvent {
                id: r.get(0)?,
                event: r.get(1)?,
                entity: r.get(2)?,
                record_id: r.get(3)?,
                changed: changed_list(r.get(4)?),
                label: r.get(5)?,
                depth: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn remove_event(conn: &Write, id: i64) -> Result<()> {
    conn.execute("DELETE FROM automation_events WHERE id = ?1", [id])?;
    Ok(())
}

/// Open, live tasks whose due time has passed and whose overdue event has not fired for
/// that due time; marks them as fired.
pub fn take_newly_overdue(conn: &Write, now: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.due_at FROM tasks t
         LEFT JOIN automation_overdue o ON o.task_id = t.id
         WHERE t.status = 'open' AND t.deleted_at IS NULL AND t.due_at <= ?1
           AND (o.due_at IS NULL OR o.due_at != t.due_at)
         LIMIT 1000",
    )?;
    let due: Vec<(i64, String)> = stmt
        .query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut mark = conn.prepare_cached(
        "INSERT INTO automation_overdue (task_id, due_at) VALUES (?1, ?2)
         ON CONFLICT (task_id) DO UPDATE SET due_at = excluded.due_at",
    )?;
    for (id, due_at) in &due {
        mark.execute(params![id, due_at])?;
    }
    Ok(due.into_iter().map(|(id, _)| id).collect())
}

/// When the next schedule slot comes.
pub fn next_schedule_due(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT min(next_run_at) FROM automations WHERE enabled = 1 AND next_run_at IS NOT NULL",
        [],
        |r| r.get(0),
    )?)
}

/// When the next open task falls due after `now`: when task.overdue may fire next.
pub fn next_task_due(conn: &Connection, now: &str) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT min(due_at) FROM tasks WHERE status = 'open' AND deleted_at IS NULL AND due_at > ?1",
        [now],
        |r| r.get(0),
    )?)
}
