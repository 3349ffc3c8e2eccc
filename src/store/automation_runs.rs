//! Runs of automation rules and the log of their steps.

pub use crate::domain::automation::run::{Run, Step};
use crate::domain::ids::{RuleId, RunId};
use crate::error::Result;
use crate::store::Write;
use crate::store::automations::changed_list;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

const RUN_COLUMNS: &str =
    "id, automation_id, definition, trigger, subject, subject_id, changed, label, depth,
    status, next_step, attempts, due_at, error, created_at, finished_at";

fn run(r: &Row) -> rusqlite::Result<Run> {
    Ok(Run {
        id: r.get(0)?,
        automation_id: r.get(1)?,
        definition: r.get(2)?,
        trigger: r.get(3)?,
        subject: r.get(4)?,
        subject_id: r.get(5)?,
        changed: changed_list(r.get(6)?),
        label: r.get(7)?,
        depth: r.get(8)?,
        status: r.get(9)?,
        next_step: r.get(10)?,
        attempts: r.get(11)?,
        due_at: r.get(12)?,
        error: r.get(13)?,
        created_at: r.get(14)?,
        finished_at: r.get(15)?,
    })
}

pub struct NewRun<'a> {
    pub automation_id: RuleId,
    pub definition: &'a Value,
    pub trigger: &'a str,
    pub subject: Option<&'a str>,
    pub subject_id: Option<i64>,
    pub changed: &'a [String],
    pub label: Option<&'a str>,
    pub depth: i64,
}

pub fn insert_run(conn: &Write, new: &NewRun, now: &str) -> Result<RunId> {
    conn.prepare_cached(
        "INSERT INTO automation_runs (automation_id, definition, trigger, subject, subject_id, changed, label, depth,
           status, due_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'queued', ?9, ?9)",
    )?
    .execute(params![
        new.automation_id,
        new.definition.to_string(),
        new.trigger,
        new.subject,
        new.subject_id,
        serde_json::to_string(new.changed).unwrap_or_else(|_| "[]".into()),
        new.label,
        new.depth,
        now
    ])?;
    Ok(RunId(conn.last_insert_rowid()))
}

pub fn get_run(conn: &Connection, id: RunId) -> Result<Option<Run>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM automation_runs WHERE id = ?1"
        ))?
        .query_row([id], run)
        .optional()?)
}

/// Runs that may go on at `now`, oldest first.
pub fn runnable(conn: &Connection, now: &str, limit: i64) -> Result<Vec<RunId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM automation_runs WHERE status IN ('queued', 'waiting', 'retrying') AND due_at <= ?1
         ORDER BY due_at, id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![now, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// When the next waiting or retrying run is due.
pub fn next_run_due(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT min(due_at) FROM automation_runs WHERE status IN ('queued', 'waiting', 'retrying')",
        [],
        |r| r.get(0),
    )?)
}

/// Where a run stands after a step.
pub struct RunState<'a> {
    pub status: &'a str,
    pub next_step: i64,
    pub attempts: i64,
    pub due_at: Option<&'a str>,
    pub error: Option<&'a str>,
    pub finished_at: Option<&'a str>,
}

/// Moves run `id` on from step `from`; false when the run is no longer at that step (another
/// pass took it), in which case nothing changes.
pub fn advance(conn: &Write, id: RunId, from: i64, to: &RunState) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE automation_runs SET status = ?3, next_step = ?4, attempts = ?5, due_at = ?6, error = ?7, finished_at = ?8
             WHERE id = ?1 AND next_step = ?2 AND status IN ('queued', 'waiting', 'retrying')",
        )?
        .execute(params![
            id,
            from,
            to.status,
            to.next_step,
            to.attempts,
            to.due_at,
            to.error,
            to.finished_at
        ])?;
    Ok(n == 1)
}

/// Puts a failed run back in the queue at the step that failed.
pub fn retry_run(conn: &Write, id: RunId, now: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE automation_runs SET status = 'queued', attempts = 0, due_at = ?2, error = NULL, finished_at = NULL
         WHERE id = ?1 AND status = 'failed'",
        params![id, now],
    )? == 1)
}

pub fn runs(conn: &Connection, automation_id: Option<RuleId>, limit: i64) -> Result<Vec<Run>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM automation_runs WHERE ?1 IS NULL OR automation_id = ?1 ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![automation_id, limit], run)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Logs a step of the run and moves the run on from step `from` (see `advance`): false when
/// another pass moved it first.
pub fn record_step(
    conn: &crate::store::Write,
    run_id: RunId,
    step: &Step,
    from: i64,
    to: &RunState,
) -> Result<bool> {
    insert_step(conn, run_id, step)?;
    advance(conn, run_id, from, to)
}

fn insert_step(conn: &Write, run_id: RunId, step: &Step) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO automation_steps (run_id, position, attempt, action, status, detail, error, started_at, duration_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        run_id,
        step.position,
        step.attempt,
        step.action,
        step.status,
        step.detail,
        step.error,
        step.started_at,
        step.duration_ms
    ])?;
    Ok(())
}

pub fn steps(conn: &Connection, run_id: RunId) -> Result<Vec<Step>> {
    let mut stmt = conn.prepare_cached(
        "SELECT position, attempt, action, status, detail, error, started_at, duration_ms
         FROM automation_steps WHERE run_id = ?1 ORDER BY position, attempt",
    )?;
    let rows = stmt
        .query_map([run_id], |r| {
            Ok(Step {
                position: r.get(0)?,
                attempt: r.get(1)?,
                action: r.get(2)?,
                status: r.get(3)?,
                detail: r.get(4)?,
                error: r.get(5)?,
                started_at: r.get(6)?,
                duration_ms: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The number the next attempt at a run's step gets in the log.
pub fn next_attempt(conn: &Connection, run_id: RunId, position: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(attempt), 0) + 1 FROM automation_steps WHERE run_id = ?1 AND position = ?2",
        params![run_id, position],
        |r| r.get(0),
    )?)
}
