//! Private calendar feeds: a secret address per person (only its hash is kept), and the
//! appointments a feed lists.

use crate::domain::ids::{AppointmentId, UserId};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

pub fn insert_feed(conn: &Write, user: UserId, token_hash: &str, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?1, ?2, ?3)",
        params![user, token_hash, now],
    )?;
    Ok(())
}

/// Whose feed a token's hash opens, unless it was revoked.
pub fn feed_owner(conn: &Connection, token_hash: &str) -> Result<Option<UserId>> {
    Ok(conn
        .prepare_cached(
            "SELECT user_id FROM calendar_feeds WHERE token_hash = ?1 AND revoked_at IS NULL",
        )?
        .query_row([token_hash], |r| r.get(0))
        .optional()?)
}

/// Whether `user` has a feed that works.
pub fn has_feed(conn: &Connection, user: UserId) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM calendar_feeds WHERE user_id = ?1 AND revoked_at IS NULL)",
        [user],
        |r| r.get(0),
    )?)
}

/// Ends every feed of `user`.
pub fn revoke_feeds(conn: &Write, user: UserId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE calendar_feeds SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        params![user, now],
    )?;
    Ok(())
}

/// One appointment of a feed: when, its status, its contact's name and its services' names.
pub struct FeedEntry {
    pub id: AppointmentId,
    pub starts_at: String,
    pub ends_at: String,
    pub status: String,
    pub contact: String,
    pub services: String,
    pub sequence: u32,
}

/// `staff`'s appointments starting in `[from, to)`, cancelled ones too (a calendar then
/// removes them), in order.
pub fn feed_entries(
    conn: &Connection,
    staff: UserId,
    from: &str,
    to: &str,
) -> Result<Vec<FeedEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.starts_at, a.ends_at, a.status,
                trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),
                coalesce((SELECT group_concat(s.name, ', ') FROM appointment_services x
                          JOIN services s ON s.id = x.service_id WHERE x.appointment_id = a.id), ''),
                a.sequence
         FROM appointments a JOIN contacts c ON c.id = a.contact_id
         WHERE a.staff_id = ?1 AND a.starts_at >= ?2 AND a.starts_at < ?3
         ORDER BY a.starts_at",
    )?;
    let rows = stmt
        .query_map(params![staff, from, to], |r| {
            Ok(FeedEntry {
                id: r.get(0)?,
                starts_at: r.get(1)?,
                ends_at: r.get(2)?,
                status: r.get(3)?,
                contact: r.get(4)?,
                services: r.get(5)?,
                sequence: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
