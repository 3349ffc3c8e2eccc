//! The journal's rows: appended one at a time after the register's last, read back in order.

use crate::domain::ids::{RegisterId, UserId};
use crate::domain::kassa::journal::{GENESIS, Row};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

/// The register's last row: its number and hash (none yet: 0 and the genesis hash).
pub fn last(conn: &Connection, register: RegisterId) -> Result<(i64, String)> {
    Ok(conn
        .prepare_cached(
            "SELECT seq, hash FROM journal WHERE register_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([register], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_else(|| (0, GENESIS.to_string())))
}

pub fn append(
    conn: &Write,
    register: RegisterId,
    (kind, row): (&str, &Row),
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO journal (register_id, seq, at, kind, event, previous, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            register,
            row.seq,
            now,
            kind,
            row.event,
            row.previous,
            row.hash
        ],
    )?;
    Ok(())
}

/// Every row of a register, in order, handed to `each` (a register's journal grows for years).
pub fn each_row(
    conn: &Connection,
    register: RegisterId,
    mut each: impl FnMut(Row) -> bool,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT seq, previous, hash, event FROM journal WHERE register_id = ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([register])?;
    while let Some(r) = rows.next()? {
        let row = Row {
            seq: r.get(0)?,
            previous: r.get(1)?,
            hash: r.get(2)?,
            event: r.get(3)?,
        };
        if !each(row) {
            break;
        }
    }
    Ok(())
}

/// How many journal rows of `kind` a session has (drawer openings without a sale, say): read
/// along `journal_by_kind` from when the session opened, not through the register's years.
pub fn count_in_session(
    conn: &Connection,
    register: RegisterId,
    kind: &str,
    (session, opened_at): (i64, &str),
) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM journal INDEXED BY journal_by_kind
         WHERE register_id = ?1 AND kind = ?2 AND at >= ?4
           AND json_extract(event, '$.session_id') = ?3",
        params![register, kind, session, opened_at],
        |r| r.get(0),
    )?)
}

/// Whether `user` has signed in at the register since its session opened.
pub fn signed_in(
    conn: &Connection,
    register: RegisterId,
    (session, opened_at): (i64, &str),
    user: UserId,
) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM journal INDEXED BY journal_by_kind
         WHERE register_id = ?1 AND kind = 'operator.login' AND at >= ?3
           AND json_extract(event, '$.session_id') = ?2 AND json_extract(event, '$.user_id') = ?4)",
        params![register, session, opened_at, user],
        |r| r.get(0),
    )?)
}
