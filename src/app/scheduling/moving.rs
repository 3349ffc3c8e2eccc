//! Moving an appointment: to another time or person, or to another end (resized), re-checked
//! like a new booking but beside itself; its client hears of it.

use super::booking::start_of;
use super::notices::notice;
use super::placing::{Ask, place};
use crate::app::{App, Tenant};
use crate::clock::parse_stamp;
use crate::domain::capability::Capability;
use crate::domain::ids::{AppointmentId, UserId};
use crate::domain::scheduling::{Appointment, Status};
use crate::error::{Error, Result};
use crate::mail::messages::Visit;
use crate::store::appointments::{self as booked, Moved};
use crate::store::busy::Except;
use crate::store::users::User;
use crate::store::{Write, audit};
use chrono::{DateTime, Duration, Utc};

/// A new time (and perhaps person) for an appointment.
pub struct Move<'a> {
    pub staff_id: Option<UserId>,
    pub starts_at: &'a str,
    /// A new end (resizing it); none: it keeps its length.
    pub ends_at: Option<&'a str>,
    pub overbook: bool,
}

/// The longest an appointment can be made by resizing it.
const LONGEST_MINUTES: i64 = 720;

/// How long an appointment from `start` to `end` lasts, if that is a length it may have.
fn length_of(start: DateTime<Utc>, end: Option<&str>) -> Result<Option<Duration>> {
    let Some(end) = end.filter(|e| !e.trim().is_empty()) else {
        return Ok(None);
    };
    let end = parse_stamp(end).ok_or_else(|| Error::field("ends_at", "is not a date and time"))?;
    let length = end - start;
    if length < Duration::minutes(5) {
        return Err(Error::field(
            "ends_at",
            "must be at least 5 minutes after the start",
        ));
    }
    if length > Duration::minutes(LONGEST_MINUTES) {
        return Err(Error::field(
            "ends_at",
            "must be at most 12 hours after the start",
        ));
    }
    Ok(Some(length))
}

impl App {
    /// Moves an appointment that is still to come to another time (and person), re-checked
    /// like a new booking but beside itself; its client hears of it.
    pub fn move_appointment(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: AppointmentId,
        m: &Move,
    ) -> Result<Appointment> {
        tenant.require(Capability::Scheduling)?;
        let start = start_of(m.starts_at)?;
        let length = length_of(start, m.ends_at)?;
        let zone = tenant.zone_of(None);
        let now = self.stamp();
        self.write_with_mail(&tenant.db, |tx| {
            let current = booked::appointment(tx, id)?.ok_or(Error::NotFound)?;
            let ask = (m.staff_id, start, length);
            let moved = shift(tx, (zone, &now), &current, ask, m.overbook)?;
            let what = format!(
                "{id}: {} → {} until {}",
                current.starts_at, moved.starts_at, moved.ends_at
            );
            audit::record_appointment(tx, (Some(actor.id), "appointment.moved", &what), id, &now)?;
            let mails = if moved.mailed {
                notice(self, tenant, tx, &moved, Visit::Moved)?
                    .into_iter()
                    .collect()
            } else {
                Vec::new()
            };
            Ok((moved, mails))
        })
        .inspect(|_| self.wake_jobs(tenant.slug()))
    }
}

/// Puts `current` at `start` (with `staff`, or its own person; for `length`, or as long as it
/// is now) if that is free beside itself.
pub(super) fn shift(
    tx: &Write,
    (zone, now): (chrono_tz::Tz, &str),
    current: &Appointment,
    (staff, start, length): (Option<UserId>, DateTime<Utc>, Option<Duration>),
    overbook: bool,
) -> Result<Appointment> {
    if !matches!(current.status, Status::Requested | Status::Confirmed) {
        return Err(Error::field(
            "status",
            format!("a {} appointment cannot be moved", current.status.as_str()),
        ));
    }
    let staff = staff.unwrap_or(current.staff_id);
    let now_long = match (
        parse_stamp(&current.starts_at),
        parse_stamp(&current.ends_at),
    ) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let ask = Ask {
        staff,
        services: &current.services,
        start,
        except: Except {
            appointment: Some(current.id),
            hold: None,
        },
        overbook,
        length: length.or(now_long),
    };
    let placed = place(tx, zone, &ask, now)?;
    booked::move_appointment(
        tx,
        current.id,
        &Moved {
            staff_id: staff,
            starts_at: &placed.starts_at,
            ends_at: &placed.ends_at,
            busy_from: &placed.busy_from,
            busy_until: &placed.busy_until,
            gaps: &placed.gaps,
            overbooked: placed.overbooked,
            resources: &placed.resources,
        },
        now,
    )?;
    booked::appointment(tx, current.id)?.ok_or(Error::NotFound)
}
