//! Private calendar feeds: a secret address per person (only its hash is kept), and the
//! appointments a feed lists.

use crate::domain::ids::{AppointmentId, UserId};
use crate::domain::scheduling::FeedScope;
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

pub fn insert_feed(
    conn: &Write,
    user: UserId,
    scope: FeedScope,
    token_hash: &str,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO calendar_feeds (user_id, scope, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![user, scope.as_str(), token_hash, now],
    )?;
    Ok(())
}

/// Whose feed a token's hash opens and what it shows, unless it was revoked or its maker no
/// longer works here.
pub fn feed_owner(conn: &Connection, token_hash: &str) -> Result<Option<(UserId, FeedScope)>> {
    let found: Option<(UserId, String)> = conn
        .prepare_cached(
            "SELECT f.user_id, f.scope FROM calendar_feeds f JOIN users u ON u.id = f.user_id
             WHERE f.token_hash = ?1 AND f.revoked_at IS NULL AND u.active = 1",
        )?
        .query_row([token_hash], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(found.and_then(|(user, scope)| Some((user, FeedScope::parse(&scope)?))))
}

/// Ends every feed of `user` of `scope`.
pub fn revoke_feeds(conn: &Write, user: UserId, scope: FeedScope, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE calendar_feeds SET revoked_at = ?3 WHERE user_id = ?1 AND scope = ?2 AND revoked_at IS NULL",
        params![user, scope.as_str(), now],
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
    /// Whom it is with (their name, else their address).
    pub staff: String,
    pub sequence: u32,
}

/// The appointments of `staff` (everyone's: `None`) starting in `[from, to)`, cancelled ones
/// too (a calendar then removes them), in order.
pub fn feed_entries(
    conn: &Connection,
    staff: Option<UserId>,
    from: &str,
    to: &str,
) -> Result<Vec<FeedEntry>> {
    // One person's read `appointments_by_staff`, everyone's `appointments_by_start`.
    let whose = match staff {
        Some(_) => "a.staff_id = ?1 AND",
        None => "?1 IS NULL AND",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.starts_at, a.ends_at, a.status,
                trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),
                coalesce((SELECT group_concat(s.name, ', ') FROM appointment_services x
                          JOIN services s ON s.id = x.service_id WHERE x.appointment_id = a.id), ''),
                CASE WHEN u.name = '' THEN u.email ELSE u.name END,
                a.sequence
         FROM appointments a JOIN contacts c ON c.id = a.contact_id JOIN users u ON u.id = a.staff_id
         WHERE {whose} a.starts_at >= ?2 AND a.starts_at < ?3
         ORDER BY a.starts_at"
    ))?;
    let rows = stmt
        .query_map(params![staff, from, to], |r| {
            Ok(FeedEntry {
                id: r.get(0)?,
                starts_at: r.get(1)?,
                ends_at: r.get(2)?,
                status: r.get(3)?,
                contact: r.get(4)?,
                services: r.get(5)?,
                staff: r.get(6)?,
                sequence: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
