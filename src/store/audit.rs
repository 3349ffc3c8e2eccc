//! The audit log: who changed settings, users and access, and what happened to each
//! appointment (its history).

pub use crate::domain::audit::AuditEntry;
use crate::domain::ids::{AppointmentId, UserId};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, params};

pub fn record(
    conn: &Write,
    actor: Option<UserId>,
    action: &str,
    detail: &str,
    now: &str,
) -> Result<()> {
    insert(conn, (actor, action, detail), None, now)
}

/// A row of `appointment`'s history (`actor` none: its client, or the system).
pub fn record_appointment(
    conn: &Write,
    (actor, action, detail): (Option<UserId>, &str, &str),
    appointment: AppointmentId,
    now: &str,
) -> Result<()> {
    insert(conn, (actor, action, detail), Some(appointment), now)
}

fn insert(
    conn: &Write,
    (actor, action, detail): (Option<UserId>, &str, &str),
    appointment: Option<AppointmentId>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, user_id, action, detail, appointment_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![now, actor, action, detail, appointment],
    )?;
    Ok(())
}

fn entry(r: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        at: r.get(0)?,
        actor: r.get(1)?,
        action: r.get(2)?,
        detail: r.get(3)?,
    })
}

/// `appointment`'s history, oldest first, at most `limit` rows (its newest).
pub fn of_appointment(
    conn: &Connection,
    appointment: AppointmentId,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, email, action, detail FROM (
           SELECT a.id, a.at, coalesce(nullif(u.name, ''), u.email) AS email, a.action, a.detail
           FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
           WHERE a.appointment_id = ?1 ORDER BY a.id DESC LIMIT ?2)
         ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![appointment, limit], entry)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn recent(conn: &Connection, limit: i64) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT a.at, u.email, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
         ORDER BY a.id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], entry)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
