//! One-time links: the owner's setup link, invitations and password resets.

use crate::domain::ids::{LinkId, UserId};
pub use crate::domain::link::{Link, LinkKind};
use crate::domain::user::Role;
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

pub struct NewLink<'a> {
    pub kind: LinkKind,
    pub token_hash: &'a str,
    pub email: Option<&'a str>,
    pub role: Role,
    pub user_id: Option<UserId>,
    pub created_by: Option<UserId>,
    pub expires_at: &'a str,
}

pub fn create(conn: &Write, link: &NewLink, now: &str) -> Result<LinkId> {
    conn.execute(
        "INSERT INTO auth_links (kind, token_hash, email, role, user_id, created_by, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![link.kind.as_str(), link.token_hash, link.email, link.role.as_str(), link.user_id, link.created_by, now, link.expires_at],
    )?;
    Ok(LinkId(conn.last_insert_rowid()))
}

const COLUMNS: &str = "id, email, role, user_id, created_at, expires_at";

fn from_row(kind: LinkKind, r: &rusqlite::Row) -> rusqlite::Result<Link> {
    let role: String = r.get(2)?;
    Ok(Link {
        id: r.get(0)?,
        kind,
        email: r.get(1)?,
        role: role.parse().unwrap_or(Role::Member),
        user_id: r.get(3)?,
        created_at: r.get(4)?,
        expires_at: r.get(5)?,
    })
}

/// The unused, unrevoked, unexpired link of this kind with this token hash.
pub fn find_live(
    conn: &Connection,
    kind: LinkKind,
    token_hash: &str,
    now: &str,
) -> Result<Option<Link>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM auth_links WHERE kind = ?1 AND token_hash = ?2
             AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?3"
        ))?
        .query_row(params![kind.as_str(), token_hash, now], |r| {
            from_row(kind, r)
        })
        .optional()?)
}

pub fn mark_used(conn: &Write, id: LinkId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE auth_links SET used_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Revokes every live link of `kind` for `email` (an invitation sent again replaces the old one).
pub fn revoke_for_email(conn: &Write, kind: LinkKind, email: &str, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE auth_links SET revoked_at = ?3 WHERE kind = ?1 AND email = ?2 AND used_at IS NULL AND revoked_at IS NULL",
        params![kind.as_str(), email, now],
    )?;
    Ok(())
}

/// Revokes a user's live links of `kind` but the newest `keep`.
pub fn revoke_all_but_newest(
    conn: &Write,
    kind: LinkKind,
    user: crate::domain::ids::UserId,
    keep: usize,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE auth_links SET revoked_at = ?4
         WHERE id IN (SELECT id FROM auth_links
                      WHERE kind = ?1 AND user_id = ?2 AND used_at IS NULL AND revoked_at IS NULL
                      ORDER BY id DESC LIMIT -1 OFFSET ?3)",
        params![kind.as_str(), user, keep as i64, now],
    )?;
    Ok(())
}

pub fn revoke(conn: &Write, id: LinkId, now: &str) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE auth_links SET revoked_at = ?2 WHERE id = ?1 AND used_at IS NULL AND revoked_at IS NULL",
        params![id, now],
    )?)
}

/// Invitations still waiting to be accepted.
pub fn pending_invitations(conn: &Connection, now: &str) -> Result<Vec<Link>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM auth_links WHERE kind = 'invite' AND used_at IS NULL AND revoked_at IS NULL
         AND expires_at > ?1 ORDER BY created_at DESC"
    ))?;
    let rows = stmt
        .query_map([now], |r| from_row(LinkKind::Invite, r))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
