//! API tokens: stored as SHA-256 with a short prefix to recognise them in a list.

use crate::domain::ids::{TokenId, UserId};
pub use crate::domain::token::ApiToken;
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::users::{self, User};
use rusqlite::{Connection, OptionalExtension, params};

pub fn create(
    conn: &Write,
    user: UserId,
    label: &str,
    token_hash: &str,
    prefix: &str,
    now: &str,
) -> Result<TokenId> {
    conn.execute(
        "INSERT INTO api_tokens (user_id, label, token_hash, prefix, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user, label, token_hash, prefix, now],
    )?;
    Ok(TokenId(conn.last_insert_rowid()))
}

/// The active user behind a live token, with when the token was last used.
pub fn find_user(
    conn: &Connection,
    token_hash: &str,
) -> Result<Option<(TokenId, Option<String>, User)>> {
    let sql = format!(
        "SELECT t.id, t.last_used_at, {} FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.active = 1",
        users::COLUMNS
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([token_hash], |r| {
            Ok((r.get(0)?, r.get(1)?, users::from_row(r, 2)?))
        })
        .optional()?)
}

pub fn touch(conn: &Write, id: TokenId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Tokens of one user, or of everyone with `None`; newest first.
pub fn list(conn: &Connection, user: Option<UserId>) -> Result<Vec<ApiToken>> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.user_id, u.email, t.label, t.prefix, t.created_at, t.last_used_at, t.revoked_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE ?1 IS NULL OR t.user_id = ?1 ORDER BY t.revoked_at IS NOT NULL, t.id DESC",
    )?;
    let rows = stmt
        .query_map([user], |r| {
            Ok(ApiToken {
                id: r.get(0)?,
                user_id: r.get(1)?,
                user_email: r.get(2)?,
                label: r.get(3)?,
                prefix: r.get(4)?,
                created_at: r.get(5)?,
                last_used_at: r.get(6)?,
                revoked_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Revokes a token; with `owner`, only if it belongs to that user.
pub fn revoke(conn: &Write, id: TokenId, owner: Option<UserId>, now: &str) -> Result<()> {
    let n = conn.execute(
        "UPDATE api_tokens SET revoked_at = ?3 WHERE id = ?1 AND (?2 IS NULL OR user_id = ?2) AND revoked_at IS NULL",
        params![id, owner, now],
    )?;
    if n == 0 { Err(Error::NotFound) } else { Ok(()) }
}
