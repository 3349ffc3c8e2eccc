//! Saved list views.

use crate::domain::crm::Entity;
use crate::domain::ids::{UserId, ViewId};
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, params};

pub use crate::domain::saved_view::SavedView;

/// The views shared with everyone, by name.
pub fn shared(conn: &Connection) -> Result<Vec<SavedView>> {
    views_of(conn, None)
}

/// The views `user` sees: the shared ones and their own, by name.
pub fn visible_to(conn: &Connection, user: UserId) -> Result<Vec<SavedView>> {
    views_of(conn, Some(user))
}

/// The shared views, and `user`'s own when one is given.
fn views_of(conn: &Connection, user: Option<UserId>) -> Result<Vec<SavedView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, entity, name, query, user_id, created_by FROM saved_views
         WHERE user_id IS NULL OR user_id = ?1 ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([user], |r| {
            let entity: String = r.get(1)?;
            Ok(SavedView {
                id: r.get(0)?,
                entity: Entity::from_singular(&entity).unwrap_or(Entity::Contact),
                name: r.get(2)?,
                query: r.get(3)?,
                user_id: r.get(4)?,
                created_by: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn create(
    conn: &Write,
    entity: Entity,
    name: &str,
    query: &str,
    user: Option<UserId>,
    by: UserId,
    now: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO saved_views (entity, name, query, user_id, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![entity.singular(), name, query, user, by, now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: ViewId) -> Result<Option<(Option<UserId>, Option<UserId>)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT user_id, created_by FROM saved_views WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub fn delete(conn: &Write, id: ViewId) -> Result<()> {
    if conn.execute("DELETE FROM saved_views WHERE id = ?1", [id])? == 0 {
        Err(Error::NotFound)
    } else {
        Ok(())
    }
}
