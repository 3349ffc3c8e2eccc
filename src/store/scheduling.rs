//! Services, resources, the booking policy, working hours and exceptions (appointments are
//! in `appointments`).

use crate::domain::ids::{ResourceId, ServiceId, UserId};
use crate::domain::scheduling::availability::{Exception, Span, WeeklyHours};
use crate::domain::scheduling::policy::BookingPolicy;
use crate::domain::scheduling::{NewService, Resource, Service, span};
use crate::error::{Error, Result};
use crate::store::Write;
use chrono::NaiveDate;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

const SERVICE: &str = "id, name, minutes, buffer_before, buffer_after, price, vat_rate, online, category, colour, processing";

fn service(r: &rusqlite::Row) -> rusqlite::Result<Service> {
    Ok(Service {
        id: r.get(0)?,
        name: r.get(1)?,
        minutes: r.get(2)?,
        buffer_before: r.get(3)?,
        buffer_after: r.get(4)?,
        price: r.get(5)?,
        vat_rate: r.get(6)?,
        online: r.get(7)?,
        category: r.get(8)?,
        colour: r.get(9)?,
        processing: r.get(10)?,
        resources: Vec::new(),
        staff: Vec::new(),
    })
}

/// The resources each service needs and who may perform it.
fn with_resources(conn: &Connection, list: &mut [Service]) -> Result<()> {
    let mut resources = conn.prepare_cached(
        "SELECT resource_id FROM service_resources WHERE service_id = ?1 ORDER BY resource_id",
    )?;
    let mut staff = conn.prepare_cached(
        "SELECT user_id FROM service_staff WHERE service_id = ?1 ORDER BY user_id",
    )?;
    for s in list {
        s.resources = resources
            .query_map([s.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        s.staff = staff
            .query_map([s.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(())
}

pub fn insert_service(conn: &Write, s: &NewService, now: &str) -> Result<ServiceId> {
    let inserted = conn.execute(
        "INSERT INTO services (name, minutes, buffer_before, buffer_after, price, vat_rate, online, created_at, updated_at,
                               category, colour, processing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11)",
        params![s.name, s.minutes, s.buffer_before, s.buffer_after, s.price, s.vat_rate, s.online, now,
                s.category, s.colour, s.processing],
    );
    named(inserted)?;
    let id = ServiceId(conn.last_insert_rowid());
    set_parts(conn, id, s)?;
    Ok(id)
}

/// Replaces a service's settings; `false` when there is no such service. Appointments made
/// keep their times.
pub fn update_service(conn: &Write, id: ServiceId, s: &NewService, now: &str) -> Result<bool> {
    let updated = conn.execute(
        "UPDATE services SET name = ?2, minutes = ?3, buffer_before = ?4, buffer_after = ?5, price = ?6,
                vat_rate = ?7, online = ?8, category = ?9, colour = ?10, processing = ?11, updated_at = ?12
         WHERE id = ?1",
        params![id, s.name, s.minutes, s.buffer_before, s.buffer_after, s.price, s.vat_rate, s.online,
                s.category, s.colour, s.processing, now],
    );
    if named(updated)? == 0 {
        return Ok(false);
    }
    set_parts(conn, id, s)?;
    Ok(true)
}

/// A write of a service's row, its name refused when another service has it.
fn named(written: rusqlite::Result<usize>) -> Result<usize> {
    match written {
        Ok(n) => Ok(n),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
            Err(Error::field("name", "is the name of another service"))
        }
        Err(e) => Err(e.into()),
    }
}

/// The resources a service needs and who may perform it, replacing what it had.
fn set_parts(conn: &Write, id: ServiceId, s: &NewService) -> Result<()> {
    conn.execute("DELETE FROM service_resources WHERE service_id = ?1", [id])?;
    conn.execute("DELETE FROM service_staff WHERE service_id = ?1", [id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO service_resources (service_id, resource_id) VALUES (?1, ?2)",
    )?;
    for r in &s.resources {
        stmt.execute(params![id, r])?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO service_staff (service_id, user_id) VALUES (?1, ?2)",
    )?;
    for u in &s.staff {
        stmt.execute(params![id, u])?;
    }
    Ok(())
}

pub fn services(conn: &Connection) -> Result<Vec<Service>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SERVICE} FROM services ORDER BY category COLLATE NOCASE, name"
    ))?;
    let mut rows: Vec<Service> = stmt
        .query_map([], service)?
        .collect::<rusqlite::Result<_>>()?;
    with_resources(conn, &mut rows)?;
    Ok(rows)
}

pub fn service_by_id(conn: &Connection, id: ServiceId) -> Result<Option<Service>> {
    let found = conn
        .prepare_cached(&format!("SELECT {SERVICE} FROM services WHERE id = ?1"))?
        .query_row([id], service)
        .optional()?;
    let mut found: Vec<Service> = found.into_iter().collect();
    with_resources(conn, &mut found)?;
    Ok(found.pop())
}

pub fn insert_resource(conn: &Write, name: &str, capacity: i64, now: &str) -> Result<ResourceId> {
    let inserted = conn.execute(
        "INSERT INTO resources (name, capacity, created_at) VALUES (?1, ?2, ?3)",
        params![name, capacity, now],
    );
    match inserted {
        Ok(_) => Ok(ResourceId(conn.last_insert_rowid())),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
            Err(Error::field("name", "is the name of another resource"))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn resources(conn: &Connection) -> Result<Vec<Resource>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, capacity FROM resources ORDER BY name")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Resource {
                id: r.get(0)?,
                name: r.get(1)?,
                capacity: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn policy(conn: &Connection) -> Result<BookingPolicy> {
    Ok(conn
        .prepare_cached(
            "SELECT step_minutes, lead_minutes, horizon_days, cancel_hours, reminder_hours, online, approval
             FROM booking_policy WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok(BookingPolicy {
                step_minutes: r.get(0)?,
                lead_minutes: r.get(1)?,
                horizon_days: r.get(2)?,
                cancel_hours: r.get(3)?,
                reminder_hours: r.get(4)?,
                online: r.get(5)?,
                approval: r.get(6)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

pub fn set_policy(conn: &Write, p: &BookingPolicy, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO booking_policy (id, step_minutes, lead_minutes, horizon_days, cancel_hours, reminder_hours, online, approval, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET step_minutes = ?1, lead_minutes = ?2, horizon_days = ?3,
           cancel_hours = ?4, reminder_hours = ?5, online = ?6, approval = ?7, updated_at = ?8",
        params![p.step_minutes, p.lead_minutes, p.horizon_days, p.cancel_hours, p.reminder_hours, p.online, p.approval, now],
    )?;
    Ok(())
}

/// Replaces someone's weekly hours.
pub fn set_hours(conn: &Write, user: UserId, hours: &WeeklyHours) -> Result<()> {
    conn.execute("DELETE FROM working_hours WHERE user_id = ?1", [user])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO working_hours (user_id, weekday, starts, ends) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (weekday, spans) in hours.days.iter().enumerate() {
        for s in spans {
            let (starts, ends) = (
                s.start.format("%H:%M").to_string(),
                s.end.format("%H:%M").to_string(),
            );
            stmt.execute(params![user, weekday as i64, starts, ends])?;
        }
    }
    Ok(())
}

/// The spans of a (weekday, starts, ends) or (day, starts, ends) row.
fn span_of(starts: Option<String>, ends: Option<String>) -> Option<Span> {
    span(&starts?, &ends?)
}

pub fn hours(conn: &Connection, user: UserId) -> Result<WeeklyHours> {
    let mut stmt = conn.prepare_cached(
        "SELECT weekday, starts, ends FROM working_hours WHERE user_id = ?1 ORDER BY weekday, starts",
    )?;
    let mut hours = WeeklyHours::default();
    let rows = stmt.query_map([user], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))?;
    for row in rows {
        let (weekday, starts, ends) = row?;
        if let (Some(day), Some(s)) = (hours.days.get_mut(weekday as usize), span_of(starts, ends))
        {
            day.push(s);
        }
    }
    Ok(hours)
}

/// Someone's dated exceptions on the days `[from, to]`.
pub fn exceptions(
    conn: &Connection,
    user: UserId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Exception>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, starts, ends FROM working_exceptions WHERE user_id = ?1 AND day BETWEEN ?2 AND ?3
         ORDER BY day, starts",
    )?;
    let rows = stmt.query_map(params![user, from.to_string(), to.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
    })?;
    let mut out: Vec<Exception> = Vec::new();
    for row in rows {
        let (day, starts, ends) = row?;
        let Ok(day) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") else {
            continue;
        };
        if out.last().is_none_or(|e| e.day != day) {
            out.push(Exception {
                day,
                spans: Vec::new(),
            });
        }
        if let (Some(e), Some(s)) = (out.last_mut(), span_of(starts, ends)) {
            e.spans.push(s);
        }
    }
    Ok(out)
}

/// Replaces someone's exception on `day` with `spans` (none: a day off).
pub fn set_exception(conn: &Write, user: UserId, day: NaiveDate, spans: &[Span]) -> Result<()> {
    conn.execute(
        "DELETE FROM working_exceptions WHERE user_id = ?1 AND day = ?2",
        params![user, day.to_string()],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO working_exceptions (user_id, day, starts, ends) VALUES (?1, ?2, ?3, ?4)",
    )?;
    if spans.is_empty() {
        stmt.execute(params![
            user,
            day.to_string(),
            None::<String>,
            None::<String>
        ])?;
    }
    for s in spans {
        let (starts, ends) = (
            s.start.format("%H:%M").to_string(),
            s.end.format("%H:%M").to_string(),
        );
        stmt.execute(params![user, day.to_string(), starts, ends])?;
    }
    Ok(())
}

/// The active users who have working hours: who takes appointments, in order of name.
pub fn staff(conn: &Connection) -> Result<Vec<(UserId, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, CASE WHEN u.name = '' THEN u.email ELSE u.name END FROM users u
         WHERE u.active = 1 AND EXISTS (SELECT 1 FROM working_hours h WHERE h.user_id = u.id)
         ORDER BY 2 COLLATE NOCASE, u.id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
