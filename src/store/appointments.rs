//! Appointments: storing and reading them, their statuses and times, the reminders still to
//! go, and a contact's visits. What keeps people and resources busy is in `busy`.

use crate::domain::ids::{
    AppointmentId, ContactId, DealId, ResourceId, SeriesId, ServiceId, UserId,
};
use crate::domain::scheduling::{Appointment, Filter, Origin, Status, Visits};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

/// An appointment to store: its span and the span it keeps its person busy, as UTC stamps.
pub struct NewAppointment<'a> {
    pub contact_id: ContactId,
    pub staff_id: UserId,
    pub services: &'a [ServiceId],
    pub resources: &'a [ResourceId],
    pub starts_at: &'a str,
    pub ends_at: &'a str,
    pub busy_from: &'a str,
    pub busy_until: &'a str,
    /// Spans inside the busy one when its person is free (processing gaps).
    pub gaps: &'a [(String, String)],
    pub status: Status,
    pub notes: &'a str,
    pub created_by: Option<UserId>,
    pub origin: Origin,
    pub overbooked: bool,
    pub series_id: Option<SeriesId>,
    pub client_language: &'a str,
    pub deal_id: Option<DealId>,
}

pub fn insert_appointment(conn: &Write, a: &NewAppointment, now: &str) -> Result<AppointmentId> {
    conn.execute(
        "INSERT INTO appointments (contact_id, staff_id, starts_at, ends_at, busy_from, busy_until, status, notes,
                                   created_by, created_at, updated_at, origin, overbooked, series_id, client_language, deal_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![a.contact_id, a.staff_id, a.starts_at, a.ends_at, a.busy_from, a.busy_until, a.status.as_str(),
                a.notes, a.created_by, now, a.origin.as_str(), a.overbooked, a.series_id, a.client_language, a.deal_id],
    )?;
    let id = AppointmentId(conn.last_insert_rowid());
    let mut stmt = conn.prepare_cached(
        "INSERT INTO appointment_services (appointment_id, position, service_id) VALUES (?1, ?2, ?3)",
    )?;
    for (i, s) in a.services.iter().enumerate() {
        stmt.execute(params![id, i as i64, s])?;
    }
    set_resources(conn, id, a.resources, (a.busy_from, a.busy_until))?;
    set_gaps(conn, id, a.gaps)?;
    Ok(id)
}

/// The spans `id` leaves its person free (replacing those it had).
fn set_gaps(conn: &Write, id: AppointmentId, gaps: &[(String, String)]) -> Result<()> {
    conn.execute(
        "DELETE FROM appointment_gaps WHERE appointment_id = ?1",
        [id],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO appointment_gaps (appointment_id, free_from, free_until) VALUES (?1, ?2, ?3)",
    )?;
    for (from, until) in gaps {
        stmt.execute(params![id, from, until])?;
    }
    Ok(())
}

/// The resources `id` uses, over its busy span (replacing what it used).
fn set_resources(
    conn: &Write,
    id: AppointmentId,
    resources: &[ResourceId],
    (from, until): (&str, &str),
) -> Result<()> {
    conn.execute(
        "DELETE FROM appointment_resources WHERE appointment_id = ?1",
        [id],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO appointment_resources (appointment_id, resource_id, busy_from, busy_until)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for r in resources {
        stmt.execute(params![id, r, from, until])?;
    }
    Ok(())
}

pub fn insert_series(
    conn: &Write,
    frequency: &str,
    interval: u32,
    count: u32,
    local_time: &str,
    zone: &str,
    now: &str,
) -> Result<SeriesId> {
    conn.execute(
        "INSERT INTO appointment_series (frequency, interval, count, local_time, zone, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![frequency, interval, count, local_time, zone, now],
    )?;
    Ok(SeriesId(conn.last_insert_rowid()))
}

const APPOINTMENT: &str = "a.id, a.contact_id, a.staff_id, a.starts_at, a.ends_at, a.status, a.notes, a.cancel_reason,
     trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), a.origin, a.overbooked, a.series_id, a.sequence,
     coalesce(a.client_language, 'en'), EXISTS (SELECT 1 FROM appointment_links l WHERE l.appointment_id = a.id), coalesce(c.email, ''),
     a.deal_id";
const FROM: &str = "FROM appointments a JOIN contacts c ON c.id = a.contact_id";

fn appointment_row(r: &rusqlite::Row) -> rusqlite::Result<Appointment> {
    let status: String = r.get(5)?;
    let origin: String = r.get(9)?;
    Ok(Appointment {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        staff_id: r.get(2)?,
        services: Vec::new(),
        resources: Vec::new(),
        starts_at: r.get(3)?,
        ends_at: r.get(4)?,
        status: Status::parse(&status).unwrap_or(Status::Confirmed),
        notes: r.get(6)?,
        cancel_reason: r.get(7)?,
        contact_name: r.get(8)?,
        origin: if origin == "online" {
            Origin::Online
        } else {
            Origin::Staff
        },
        overbooked: r.get(10)?,
        series_id: r.get(11)?,
        sequence: r.get(12)?,
        client_language: r.get(13)?,
        mailed: r.get(14)?,
        contact_email: r.get(15)?,
        deal_id: r.get(16)?,
    })
}

/// The services and resources of each appointment, in their order.
fn with_parts(conn: &Connection, list: &mut [Appointment]) -> Result<()> {
    let mut services = conn.prepare_cached(
        "SELECT service_id FROM appointment_services WHERE appointment_id = ?1 ORDER BY position",
    )?;
    let mut resources = conn.prepare_cached(
        "SELECT resource_id FROM appointment_resources WHERE appointment_id = ?1 ORDER BY resource_id",
    )?;
    for a in list {
        a.services = services
            .query_map([a.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        a.resources = resources
            .query_map([a.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(())
}

fn one(
    conn: &Connection,
    filter: &str,
    value: &dyn rusqlite::ToSql,
) -> Result<Option<Appointment>> {
    let found = conn
        .prepare_cached(&format!("SELECT {APPOINTMENT} {FROM} WHERE {filter}"))?
        .query_row([value], appointment_row)
        .optional()?;
    let mut found: Vec<Appointment> = found.into_iter().collect();
    with_parts(conn, &mut found)?;
    Ok(found.pop())
}

pub fn appointment(conn: &Connection, id: AppointmentId) -> Result<Option<Appointment>> {
    one(conn, "a.id = ?1", &id)
}

/// A new private link for an appointment's client, by the hash of its token (each mail
/// carries its own).
pub fn insert_link(conn: &Write, id: AppointmentId, hash: &str, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO appointment_links (token_hash, appointment_id, created_at) VALUES (?1, ?2, ?3)",
        params![hash, id, now],
    )?;
    Ok(())
}

/// The appointment a client's private link opens, by the hash of its token.
pub fn by_link(conn: &Connection, hash: &str) -> Result<Option<Appointment>> {
    one(
        conn,
        "a.id = (SELECT appointment_id FROM appointment_links WHERE token_hash = ?1)",
        &hash,
    )
}

/// Appointments starting in `[from, to)`, of one person or everyone, of one status or any;
/// at most `limit`, in order of their start.
pub fn appointments(
    conn: &Connection,
    (from, to): (&str, &str),
    which: Filter,
    after: Option<(&str, i64)>,
    limit: i64,
) -> Result<Vec<Appointment>> {
    // After a cursor the range starts at its time, so a deep page seeks, not scans.
    let from = after.map_or(from, |(at, _)| at.max(from));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {APPOINTMENT} {FROM}
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND (?3 IS NULL OR a.staff_id = ?3)
           AND (?4 IS NULL OR a.status = ?4) AND (?6 IS NULL OR NOT (a.starts_at = ?6 AND a.id <= ?7))
           AND {WITH_SERVICE}
         ORDER BY a.starts_at, a.id LIMIT ?5"
    ))?;
    let mut list: Vec<Appointment> = stmt
        .query_map(
            params![
                from,
                to,
                which.staff,
                which.status.map(Status::as_str),
                limit,
                after.map(|a| a.0),
                after.map(|a| a.1),
                which.service
            ],
            appointment_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    with_parts(conn, &mut list)?;
    Ok(list)
}

/// A new status (and, when called off, why and by whom); the sequence grows for calendars.
pub fn set_status(
    conn: &Write,
    id: AppointmentId,
    status: Status,
    cancel: Option<(&str, Option<UserId>)>,
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
            cancel.and_then(|c| c.1),
            now
        ],
    )?;
    Ok(())
}

/// An appointment's new time and person (its services stay); its reminder goes again.
pub struct Moved<'a> {
    pub staff_id: UserId,
    pub starts_at: &'a str,
    pub ends_at: &'a str,
    pub busy_from: &'a str,
    pub busy_until: &'a str,
    pub gaps: &'a [(String, String)],
    pub overbooked: bool,
    pub resources: &'a [ResourceId],
}

pub fn move_appointment(conn: &Write, id: AppointmentId, m: &Moved, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE appointments SET staff_id = ?2, starts_at = ?3, ends_at = ?4, busy_from = ?5, busy_until = ?6,
                overbooked = ?7, reminded_at = NULL, sequence = sequence + 1, updated_at = ?8
         WHERE id = ?1",
        params![id, m.staff_id, m.starts_at, m.ends_at, m.busy_from, m.busy_until, m.overbooked, now],
    )?;
    set_resources(conn, id, m.resources, (m.busy_from, m.busy_until))?;
    set_gaps(conn, id, m.gaps)
}

/// The appointments starting in `[now, until)` whose reminder has not gone, at most `limit`.
pub fn due_reminders(
    conn: &Connection,
    now: &str,
    until: &str,
    limit: i64,
) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {APPOINTMENT}
         FROM appointments a INDEXED BY appointments_to_remind JOIN contacts c ON c.id = a.contact_id
         WHERE a.reminded_at IS NULL AND a.status IN ('requested', 'confirmed')
           AND a.starts_at >= ?1 AND a.starts_at < ?2
         ORDER BY a.starts_at LIMIT ?3"
    ))?;
    let mut list: Vec<Appointment> = stmt
        .query_map(params![now, until, limit], appointment_row)?
        .collect::<rusqlite::Result<_>>()?;
    with_parts(conn, &mut list)?;
    Ok(list)
}

pub fn mark_reminded(conn: &Write, id: AppointmentId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE appointments SET reminded_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// The earliest start of an appointment whose reminder is still to go, from `now` on.
pub fn next_reminder(conn: &Connection, now: &str) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT min(starts_at) FROM appointments INDEXED BY appointments_to_remind
         WHERE reminded_at IS NULL AND status IN ('requested', 'confirmed') AND starts_at >= ?1",
        [now],
        |r| r.get(0),
    )?)
}

/// How many appointments start in `[from, to)`, of one person or everyone, of one status or
/// any (one range of an index by start).
pub fn count_between(conn: &Connection, (from, to): (&str, &str), which: Filter) -> Result<i64> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM appointments a
             WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND (?3 IS NULL OR a.staff_id = ?3)
               AND (?4 IS NULL OR a.status = ?4) AND {WITH_SERVICE}"
        ))?
        .query_row(
            params![
                from,
                to,
                which.staff,
                which.status.map(Status::as_str),
                None::<i64>,
                None::<&str>,
                None::<i64>,
                which.service
            ],
            |r| r.get(0),
        )?)
}

/// The condition "has service ?8 among its services, or no service asked for".
const WITH_SERVICE: &str = "(?8 IS NULL OR EXISTS (SELECT 1 FROM appointment_services s
     WHERE s.appointment_id = a.id AND s.service_id = ?8))";

/// How many appointments `staff` has that keep them busy (the concurrency tests count them).
pub fn count_busy(conn: &Connection, staff: UserId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM appointments WHERE staff_id = ?1 AND status IN ('requested', 'confirmed', 'arrived', 'completed')",
        [staff],
        |r| r.get(0),
    )?)
}

/// A contact's next `limit` appointments (still to happen), its last `limit` ones, and its
/// no-shows, all along the index of a contact's appointments by start.
pub fn of_contact(conn: &Connection, contact: ContactId, now: &str, limit: i64) -> Result<Visits> {
    let read = |sql: &str| -> Result<Vec<Appointment>> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {APPOINTMENT} {FROM} WHERE a.contact_id = ?1 {sql}"
        ))?;
        let mut list: Vec<Appointment> = stmt
            .query_map(params![contact, now, limit], appointment_row)?
            .collect::<rusqlite::Result<_>>()?;
        with_parts(conn, &mut list)?;
        Ok(list)
    };
    let upcoming = read(
        "AND a.starts_at >= ?2 AND a.status IN ('requested', 'confirmed') ORDER BY a.starts_at LIMIT ?3",
    )?;
    let past = read("AND a.starts_at < ?2 ORDER BY a.starts_at DESC LIMIT ?3")?;
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
