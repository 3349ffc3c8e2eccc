//! Register sessions: opened with a float, cash put in or taken out, closed with a blind
//! count; the Z report that closes one is kept as it was.

use crate::domain::ids::{RegisterId, RegisterSessionId, UserId};
use crate::domain::kassa::RegisterSession;
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

pub fn open(
    conn: &Write,
    register: RegisterId,
    float: i64,
    by: UserId,
    now: &str,
) -> Result<RegisterSessionId> {
    let written = conn.execute(
        "INSERT INTO register_sessions (register_id, opened_at, opened_by, float) VALUES (?1, ?2, ?3, ?4)",
        params![register, now, by, float],
    );
    match written {
        Ok(_) => Ok(RegisterSessionId(conn.last_insert_rowid())),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
            Err(Error::Conflict(
                "This register has a session open already.".into(),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn session(r: &rusqlite::Row) -> rusqlite::Result<RegisterSession> {
    Ok(RegisterSession {
        id: r.get(0)?,
        register_id: r.get(1)?,
        opened_at: r.get(2)?,
        float: r.get(3)?,
        closed_at: r.get(4)?,
        counted: r.get(5)?,
        expected: r.get(6)?,
    })
}

const SESSION: &str = "id, register_id, opened_at, float, closed_at, counted, expected";

pub fn by_id(conn: &Connection, id: RegisterSessionId) -> Result<Option<RegisterSession>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {SESSION} FROM register_sessions WHERE id = ?1"
        ))?
        .query_row([id], session)
        .optional()?)
}

/// Cash put in (above zero) or taken out (below zero), with why.
pub fn move_cash(
    conn: &Write,
    session: RegisterSessionId,
    (amount, reason): (i64, &str),
    by: UserId,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO cash_moves (session_id, amount, reason, at, by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![session, amount, reason, now, by],
    )?;
    Ok(())
}

/// The cash put in and taken out of a session (both as amounts above zero).
pub fn cash_moved(conn: &Connection, session: RegisterSessionId) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(max(amount, 0)), 0), coalesce(sum(max(-amount, 0)), 0)
         FROM cash_moves WHERE session_id = ?1",
        [session],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

pub fn close(
    conn: &Write,
    id: RegisterSessionId,
    (count, counted, expected): (&str, i64, i64),
    by: UserId,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE register_sessions SET closed_at = ?2, closed_by = ?3, count = ?4, counted = ?5, expected = ?6
         WHERE id = ?1 AND closed_at IS NULL",
        params![id, now, by, count, counted, expected],
    )?;
    Ok(())
}

pub fn insert_z_report(
    conn: &Write,
    (register, session): (RegisterId, RegisterSessionId),
    report: &str,
    now: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO z_reports (register_id, session_id, at, report) VALUES (?1, ?2, ?3, ?4)",
        params![register, session, now, report],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The Z report that closed a session (its JSON), if it is closed.
pub fn z_report(conn: &Connection, session: RegisterSessionId) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT report FROM z_reports WHERE session_id = ?1")?
        .query_row([session], |r| r.get(0))
        .optional()?)
}

/// The Z reports made in `[from, to)` (UTC stamps): register, session, when, the report's JSON.
pub fn z_reports_between(
    conn: &Connection,
    (from, to): (&str, &str),
) -> Result<Vec<(String, RegisterSessionId, String, String)>> {
    let rows = conn
        .prepare_cached(
            "SELECT g.name, z.session_id, z.at, z.report FROM z_reports z JOIN registers g ON g.id = z.register_id
             WHERE z.at >= ?1 AND z.at < ?2 ORDER BY g.name, z.at",
        )?
        .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
