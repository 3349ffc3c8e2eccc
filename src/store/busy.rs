//! What keeps people and resources busy: their appointments (buffers included) and the
//! slots visitors hold while they fill in the booking form. The busy check reads a range of
//! the partial index `appointments_busy` (or `appointment_resources_busy`), from the longest
//! span an appointment may have before the window.

use crate::domain::ids::{AppointmentId, ResourceId, UserId};
use crate::domain::scheduling::availability::{Busy, without};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

/// The longest an appointment keeps someone busy (its services and buffers): what the busy
/// check reads back from its start.
pub const LONGEST_BUSY_HOURS: i64 = 24;

/// What a busy check leaves out: the appointment being moved, the visitor's own hold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Except<'a> {
    pub appointment: Option<AppointmentId>,
    pub hold: Option<&'a str>,
}

fn earliest(from: &str) -> String {
    crate::clock::parse_stamp(from)
        .map(|t| crate::clock::stamp(t - chrono::Duration::hours(LONGEST_BUSY_HOURS)))
        .unwrap_or_else(|| from.to_string())
}

/// Busy spans from rows of (from, until, gaps), the gaps as `from/until` pairs joined by
/// commas (the spans its person is free inside: they are left out).
fn spans(
    rows: impl Iterator<Item = rusqlite::Result<(String, String, Option<String>)>>,
) -> Result<Vec<Busy>> {
    use crate::clock::parse_stamp;
    let mut out = Vec::new();
    for row in rows {
        let (a, b, gaps) = row?;
        let (Some(start), Some(end)) = (parse_stamp(&a), parse_stamp(&b)) else {
            continue;
        };
        let mut free: Vec<Busy> = gaps
            .iter()
            .flat_map(|g| g.split(','))
            .filter_map(|pair| {
                let (f, u) = pair.split_once('/')?;
                Some(Busy {
                    start: parse_stamp(f)?,
                    end: parse_stamp(u)?,
                })
            })
            .collect();
        free.sort_by_key(|g| g.start);
        out.extend(without(Busy { start, end }, &free));
    }
    out.sort_by_key(|b| b.start);
    Ok(out)
}

/// What keeps `staff` busy in `[from, to)` (UTC stamps): their appointments, buffers
/// included and processing gaps left out, and the holds not expired at `now` (a hold keeps
/// its whole span: it lasts minutes).
pub fn staff_busy(
    conn: &Connection,
    staff: UserId,
    (from, to): (&str, &str),
    except: Except,
    now: &str,
) -> Result<Vec<Busy>> {
    let mut stmt = conn.prepare_cached(
        "SELECT busy_from, busy_until,
                (SELECT group_concat(free_from || '/' || free_until) FROM appointment_gaps g
                 WHERE g.appointment_id = a.id)
         FROM appointments a
         WHERE staff_id = ?1 AND status IN ('requested', 'confirmed', 'arrived', 'completed')
           AND busy_from >= ?2 AND busy_from < ?3 AND busy_until > ?4 AND id IS NOT ?5
         UNION ALL
         SELECT busy_from, busy_until, NULL FROM booking_holds
         WHERE staff_id = ?1 AND busy_from >= ?2 AND busy_from < ?3 AND busy_until > ?4
           AND expires_at > ?6 AND token_hash IS NOT ?7",
    )?;
    let rows = stmt.query_map(
        params![
            staff,
            earliest(from),
            to,
            from,
            except.appointment,
            now,
            except.hold
        ],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    spans(rows)
}

/// The spans `resource` is used in `[from, to)` by appointments that keep it busy.
pub fn resource_busy(
    conn: &Connection,
    resource: ResourceId,
    (from, to): (&str, &str),
    except: Option<AppointmentId>,
) -> Result<Vec<Busy>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.busy_from, r.busy_until FROM appointment_resources r
         JOIN appointments a ON a.id = r.appointment_id
         WHERE r.resource_id = ?1 AND r.busy_from >= ?2 AND r.busy_from < ?3 AND r.busy_until > ?4
           AND a.status IN ('requested', 'confirmed', 'arrived', 'completed') AND a.id IS NOT ?5",
    )?;
    let rows = stmt.query_map(params![resource, earliest(from), to, from, except], |r| {
        Ok((r.get(0)?, r.get(1)?, None))
    })?;
    spans(rows)
}

/// A slot a visitor holds: whom with, the span it keeps busy, what they chose, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub staff_id: UserId,
    pub busy_from: String,
    pub busy_until: String,
    /// Service ids, comma-separated, in order.
    pub services: String,
    pub starts_at: String,
    pub expires_at: String,
}

pub fn insert_hold(conn: &Write, token_hash: &str, h: &Hold) -> Result<()> {
    conn.execute(
        "INSERT INTO booking_holds (staff_id, busy_from, busy_until, token_hash, services, starts_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![h.staff_id, h.busy_from, h.busy_until, token_hash, h.services, h.starts_at, h.expires_at],
    )?;
    Ok(())
}

/// The hold a token's hash names, unless it expired at `now`.
pub fn hold(conn: &Connection, token_hash: &str, now: &str) -> Result<Option<Hold>> {
    Ok(conn
        .prepare_cached(
            "SELECT staff_id, busy_from, busy_until, services, starts_at, expires_at FROM booking_holds
             WHERE token_hash = ?1 AND expires_at > ?2",
        )?
        .query_row(params![token_hash, now], |r| {
            Ok(Hold {
                staff_id: r.get(0)?,
                busy_from: r.get(1)?,
                busy_until: r.get(2)?,
                services: r.get(3)?,
                starts_at: r.get(4)?,
                expires_at: r.get(5)?,
            })
        })
        .optional()?)
}

/// Lets go of a hold (booked, or given up) and of every hold expired at `now`.
pub fn release_hold(conn: &Write, token_hash: &str, now: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM booking_holds WHERE token_hash = ?1 OR expires_at <= ?2",
        params![token_hash, now],
    )?;
    Ok(())
}

/// How many holds are live at `now` (a visitor may not hold many at once).
pub fn live_holds(conn: &Connection, now: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM booking_holds WHERE expires_at > ?1",
        [now],
        |r| r.get(0),
    )?)
}
