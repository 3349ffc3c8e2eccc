//! Browser sessions.

use crate::domain::ids::{SessionId, UserId};
use crate::error::Result;
use crate::store::Write;
use crate::store::users;
use rusqlite::{Connection, OptionalExtension, params};

pub use crate::domain::user::Session;

pub fn create(
    conn: &Write,
    user: UserId,
    token_hash: &str,
    csrf: &str,
    now: &str,
    expires_at: &str,
) -> Result<SessionId> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, user, csrf, now, expires_at],
    )?;
    Ok(SessionId(conn.last_insert_rowid()))
}

/// The live session with this token hash, if its user is still active.
pub fn find(conn: &Connection, token_hash: &str, now: &str) -> Result<Option<Session>> {
    let sql = format!(
        "SELECT s.id, s.csrf_token, s.expires_at, {} FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.active = 1",
        users::COLUMNS
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![token_hash, now], |r| {
            Ok(Session {
                id: r.get(0)?,
                csrf_token: r.get(1)?,
                expires_at: r.get(2)?,
                user: users::from_row(r, 3)?,
            })
        })
        .optional()?)
}

pub fn extend(conn: &Write, id: SessionId, expires_at: &str) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET expires_at = ?2 WHERE id = ?1",
        params![id, expires_at],
    )?;
    Ok(())
}

pub fn delete(conn: &Write, id: SessionId) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
    Ok(())
}

pub fn delete_by_token(conn: &Write, token_hash: &str) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Ends every session of a user except `keep` (after a password change or when disabled).
pub fn delete_for_user(conn: &Write, user: UserId, keep: Option<SessionId>) -> Result<()> {
    conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND id IS NOT ?2",
        params![user, keep],
    )?;
    Ok(())
}

pub fn delete_expired(conn: &Write, now: &str) -> Result<usize> {
    Ok(conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?)
}
