//! Users of a tenant.

use crate::domain::ids::UserId;
use crate::domain::user::Role;
pub use crate::domain::user::User;
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

/// What `from_row` reads, for any query over `users u` (joined or not).
pub const COLUMNS: &str = "u.id, u.email, u.name, u.role, u.active, u.password_hash IS NOT NULL, u.created_at, u.time_zone, u.checklist_hidden_at IS NOT NULL, u.language, u.browser_language";

pub fn from_row(r: &rusqlite::Row, first: usize) -> rusqlite::Result<User> {
    let role: String = r.get(first + 3)?;
    Ok(User {
        id: r.get(first)?,
        email: r.get(first + 1)?,
        name: r.get(first + 2)?,
        role: role.parse().unwrap_or(Role::Member),
        active: r.get(first + 4)?,
        has_password: r.get(first + 5)?,
        created_at: r.get(first + 6)?,
        time_zone: r.get(first + 7)?,
        checklist_hidden: r.get(first + 8)?,
        language: r.get(first + 9)?,
        browser_language: r.get(first + 10)?,
    })
}

pub fn insert(
    conn: &Write,
    email: &str,
    name: &str,
    role: Role,
    password_hash: Option<&str>,
    now: &str,
) -> Result<UserId> {
    let inserted = conn.execute(
        "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![email, name, role.as_str(), password_hash, now],
    );
    match inserted {
        Ok(_) => Ok(UserId(conn.last_insert_rowid())),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
            Err(Error::Conflict(format!(
                "a user with email {email} already exists"
            )))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn by_id(conn: &Connection, id: UserId) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM users u WHERE u.id = ?1"))?
        .query_row([id], |r| from_row(r, 0))
        .optional()?)
}

pub fn by_email(conn: &Connection, email: &str) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM users u WHERE u.email = ?1"))?
        .query_row([email], |r| from_row(r, 0))
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM users u ORDER BY u.active DESC, lower(u.name), u.email"
    ))?;
    let users = stmt
        .query_map([], |r| from_row(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(users)
}

pub fn password_hash(conn: &Connection, id: UserId) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT password_hash FROM users WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .flatten())
}

pub fn set_password(conn: &Write, id: UserId, hash: &str, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, hash, now],
    )?;
    Ok(())
}

/// The user's own time zone (an IANA name), or none: the workspace's.
pub fn set_time_zone(conn: &Write, id: UserId, zone: Option<&str>, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET time_zone = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, zone, now],
    )?;
    Ok(())
}

/// The language the user chose (a code: `nl`), or none: their browser's.
pub fn set_language(conn: &Write, id: UserId, code: Option<&str>, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET language = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, code, now],
    )?;
    Ok(())
}

/// The language the user's browser asked for when they signed in, for mails to them.
pub fn set_browser_language(conn: &Write, id: UserId, code: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET browser_language = ?2 WHERE id = ?1",
        params![id, code],
    )?;
    Ok(())
}

/// The user hid the first-steps checklist of the home page.
pub fn hide_checklist(conn: &Write, id: UserId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET checklist_hidden_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

pub fn set_name(conn: &Write, id: UserId, name: &str, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET name = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, name, now],
    )?;
    Ok(())
}

pub fn set_active(conn: &Write, id: UserId, active: bool, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET active = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, active, now],
    )?;
    Ok(())
}

pub fn set_role(conn: &Write, id: UserId, role: Role, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, role.as_str(), now],
    )?;
    Ok(())
}

pub fn active_owner_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users WHERE role = 'owner' AND active = 1",
        [],
        |r| r.get(0),
    )?)
}
