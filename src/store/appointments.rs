//! Appointments: the busy spans a booking is checked against, storing and reading them,
//! their statuses, and the calendar feeds that list them.

use crate::domain::ids::{AppointmentId, ContactId, ServiceId, UserId};
use crate::domain::scheduling::availability::Busy;
use crate::domain::scheduling::{Appointment, Status, Visits};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

/// The longest an appointment keeps someone busy (its services and buffers): what the busy
/// check reads back from its start.
pub const LONGEST_BUSY_HOURS: i64 = 24;

/// What keeps `staff` busy in `[from, to)` (UTC stamps), their appointments' buffers included.
pub fn busy(conn: &Connection, staff: UserId, from: &str, to: &str) -> Result<Vec<Busy>> {
    let earliest = crate::clock::parse_stamp(from)
        .map(|t| crate::clock::stamp(t - chrono::Duration::hours(LONGEST_BUSY_HOURS)))
        .unwrap_or_else(|| from.to_string());
    let mut stmt = conn.prepare_cached(
        "SELECT busy_from, busy_until FROM appointments
         WHERE staff_id = ?1 AND status IN ('requested', 'confirmed', 'arrived', 'completed')
           AND busy_from >= ?2 AND busy_from < ?3 AND busy_until > ?4
         ORDER BY busy_from",
    )?;
    let rows = stmt.query_map(params![staff, earliest, to, from], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (a, b) = row?;
        if let (Some(start), Some(end)) =
            (crate::clock::parse_stamp(&a), crate::clock::parse_stamp(&b))
        {
            out.push(Busy { start, end });
        }
    }
    Ok(out)
}

/// An appointment to store: its span and the span it keeps its person busy, as UTC stamps.
pub struct NewAppointment<'a> {
    pub contact_id: ContactId,
    pub staff_id: UserId,
    pub services: &'a [ServiceId],
    pub starts_at: &'a str,
    pub ends_at: &'a str,
    pub busy_from: &'a str,
    pub busy_until: &'a str,
    pub status: Status,
    pub notes: &'a str,
    pub created_by: Option<UserId>,
}

pub fn insert_appointment(conn: &Write, a: &NewAppointment, now: &str) -> Result<AppointmentId> {
    conn.execute(
        "INSERT INTO appointments (contact_id, staff_id, starts_at, ends_at, busy_from, busy_until, status, notes, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        params![a.contact_id, a.staff_id, a.starts_at, a.ends_at, a.busy_from, a.busy_until, a.status.as_str(), a.notes, a.created_by, now],
    )?;
    let id = AppointmentId(conn.last_insert_rowid());
    let mut stmt = conn.prepare_cached(
        "INSERT INTO appointment_services (appointment_id, position, service_id) VALUES (?1, ?2, ?3)",
    )?;
    for (i, s) in a.services.iter().enumerate() {
        stmt.execute(params![id, i as i64, s])?;
    }
    Ok(id)
}

const APPOINTMENT: &str =
    "id, contact_id, staff_id, starts_at, ends_at, status, notes, cancel_reason";

fn appointment_row(r: &rusqlite::Row) -> rusqlite::Result<Appointment> {
    let status: String = r.get(5)?;
    Ok(Appointment {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        staff_id: r.get(2)?,
        services: Vec::new(),
        starts_at: r.get(3)?,
        ends_at: r.get(4)?,
        status: Status::parse(&status).unwrap_or(Status::Confirmed),
        notes: r.get(6)?,
        cancel_reason: r.get(7)?,
    })
}

/// The services of each appointment, in their order.
fn with_services(conn: &Connection, list: &mut [Appointment]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT service_id FROM appointment_services WHERE appointment_id = ?1 ORDER BY position",
    )?;
    for a in list {
        a.services = stmt
            .query_map([a.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(())
}

pub fn appointment(conn: &Connection, id: AppointmentId) -> Result<Option<Appointment>> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {APPOINTMENT} FROM appointments WHERE id = ?1"
        ))?
        .query_row([id], appointment_row)
        .optional()?;
    let mut found: Vec<Appointment> = found.into_iter().collect();
    with_services(conn, &mut found)?;
    Ok(found.pop())
}

/// Appointments starting in `[from, to)`, of one person or everyone, of one status or any;
/// at most `limit`, in order of their start.
pub fn appointments(
    conn: &Connection,
    (from, to): (&str, &str),
    staff: Option<UserId>,
    status: Option<Status>,
    limit: i64,
) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {APPOINTMENT} FROM appointments
         WHERE starts_at >= ?1 AND starts_at < ?2 AND (?3 IS NULL OR staff_id = ?3)
           AND (?4 IS NULL OR status = ?4)
         ORDER BY starts_at, id LIMIT ?5"
    ))?;
    let mut list: Vec<Appointment> = stmt
        .query_map(
            params![from, to, staff, status.map(Status::as_str), limit],
            appointment_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    with_services(conn, &mut list)?;
    Ok(list)
}

/// A new status (and, when called off, why and by whom); the sequence grows for calendars.
pub fn set_status(
    conn: &Write,
    id: AppointmentId,
    status: Status,
    cancel: Option<(&str, UserId)>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE appointments SET status = ?2, cancel_reason = coalesce(?3, cancel_reason),
                cancelled_by = coalesce(?4, cancelled_by), sequence = sequence + 1, updated_at = ?5
         WHERE id = ?1",
        params![
            id,
            status.as_str(),
            cancel.map(|c| c.0),
            cancel.map(|c| c.1),
            now
        ],
    )?;
    Ok(())
}

/// How many appointments `staff` has that keep them busy (the concurrency tests count them).
pub fn count_busy(conn: &Connection, staff: UserId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM appointments WHERE staff_id = ?1 AND status IN ('requested', 'confirmed', 'arrived', 'completed')",
        [staff],
        |r| r.get(0),
    )?)
}

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

/// A contact's next `limit` appointments (still to happen), its last `limit` ones, and its
/// no-shows, all along the index of a contact's appointments by start.
pub fn of_contact(conn: &Connection, contact: ContactId, now: &str, limit: i64) -> Result<Visits> {
    let read = |sql: &str| -> Result<Vec<Appointment>> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {APPOINTMENT} FROM appointments WHERE contact_id = ?1 {sql}"
        ))?;
        let mut list: Vec<Appointment> = stmt
            .query_map(params![contact, now, limit], appointment_row)?
            .collect::<rusqlite::Result<_>>()?;
        with_services(conn, &mut list)?;
        Ok(list)
    };
    let upcoming = read(
        "AND starts_at >= ?2 AND status IN ('requested', 'confirmed') ORDER BY starts_at LIMIT ?3",
    )?;
    let past = read("AND starts_at < ?2 ORDER BY starts_at DESC LIMIT ?3")?;
    let (no_shows, last_no_show) = conn.query_row(
        "SELECT count(*), max(starts_at) FROM appointments WHERE contact_id = ?1 AND status = 'no_show'",
        [contact],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Visits {
        upcoming,
        past,
        no_shows,
        last_no_show,
    })
}
