//! The waitlist of the booking page: who waits for a time on which day, for which service,
//! and whether they were told one opened up.

use crate::domain::ids::ServiceId;
use crate::error::Result;
use crate::store::Write;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

/// Someone on the waitlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: i64,
    pub service_id: ServiceId,
    pub name: String,
    pub email: String,
    pub language: String,
}

/// Puts someone on the list for `day` and `service`; `false` when they were on it already.
pub fn insert(
    conn: &Write,
    (service, day): (ServiceId, NaiveDate),
    (name, email, language): (&str, &str, &str),
    now: &str,
) -> Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO waitlist (service_id, day, name, email, language, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![service, day.to_string(), name, email, language, now],
    )?;
    Ok(n == 1)
}

/// Who waits for `day` and was not told yet, first come first, at most `limit`.
pub fn waiting(conn: &Connection, day: NaiveDate, limit: i64) -> Result<Vec<Waiting>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, service_id, name, email, language FROM waitlist
         WHERE day = ?1 AND notified_at IS NULL ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![day.to_string(), limit], |r| {
            Ok(Waiting {
                id: r.get(0)?,
                service_id: r.get(1)?,
                name: r.get(2)?,
                email: r.get(3)?,
                language: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn mark_told(conn: &Write, id: i64, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE waitlist SET notified_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Forgets the waiting for days before `day` (their details are kept no longer than needed).
pub fn purge_before(conn: &Write, day: NaiveDate) -> Result<usize> {
    Ok(conn.execute("DELETE FROM waitlist WHERE day < ?1", [day.to_string()])?)
}
