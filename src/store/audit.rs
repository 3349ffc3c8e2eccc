//! The audit log: who changed settings, users and access.

pub use crate::domain::audit::AuditEntry;
use crate::domain::ids::UserId;
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
    conn.execute(
        "INSERT INTO audit_log (at, user_id, action, detail) VALUES (?1, ?2, ?3, ?4)",
        params![now, actor, action, detail],
    )?;
    Ok(())
}

pub fn recent(conn: &Connection, limit: i64) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT a.at, u.email, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
         ORDER BY a.id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                actor: r.get(1)?,
                action: r.get(2)?,
                detail: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
