//! Scheduling's use cases: services, working hours, free slots, and booking. A booking is
//! checked against its person's other bookings inside its own write transaction, and the
//! workspace's writes take turns, so two bookings of one slot can never both be made.

use crate::app::catalog::admin;
use crate::app::{App, Tenant};
use crate::clock::{parse_stamp, stamp};
use crate::domain::capability::Capability;
use crate::domain::ids::{AppointmentId, ContactId, ServiceId, UserId};
use crate::domain::scheduling::availability::{Calendar, Policy, WeeklyHours};
use crate::domain::scheduling::ics::{Event, Method, calendar};
use crate::domain::scheduling::{NewService, Service, Status, need_of};
use crate::error::{Error, Result};
use crate::store::appointments::{self as booked, LONGEST_BUSY_HOURS, NewAppointment};
use crate::store::scheduling as store;
use crate::store::users::{self, User};
use crate::store::{Connection, audit};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// What a booking asks for.
pub struct Booking<'a> {
    pub contact_id: ContactId,
    pub staff_id: UserId,
    pub services: &'a [ServiceId],
    /// A UTC stamp.
    pub starts_at: &'a str,
    pub notes: &'a str,
}

/// The default booking policy until the settings have one: half-hour slots, bookable from
/// now to a year ahead.
pub const POLICY: Policy = Policy {
    step: Duration::minutes(30),
    lead: Duration::zero(),
    horizon: Duration::days(365),
};

/// People set their own hours; owners and admins anyone's.
fn may_schedule(tenant: &Tenant, actor: &User, staff: UserId) -> Result<()> {
    tenant.require(Capability::Scheduling)?;
    if actor.id != staff {
        admin(actor)?;
    }
    Ok(())
}

fn staff_exists(conn: &Connection, staff: UserId) -> Result<()> {
    users::by_id(conn, staff)?.ok_or_else(|| Error::field("staff_id", "is not a user here"))?;
    Ok(())
}

/// The services, in order, each of them existing; refused by `services` otherwise.
fn services_of(conn: &Connection, ids: &[ServiceId]) -> Result<Vec<Service>> {
    if ids.is_empty() {
        return Err(Error::field("service_ids", "choose at least one service"));
    }
    ids.iter()
        .map(|id| {
            store::service_by_id(conn, *id)?
                .ok_or_else(|| Error::field("service_ids", format!("{id} is not a service here")))
        })
        .collect()
}

impl App {
    pub fn add_service(
        &self,
        tenant: &Tenant,
        actor: &User,
        service: NewService,
    ) -> Result<ServiceId> {
        tenant.require(Capability::Scheduling)?;
        admin(actor)?;
        let service = service.checked()?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let id = store::insert_service(tx, &service, &now)?;
            audit::record(tx, Some(actor.id), "service.created", &service.name, &now)?;
            Ok(id)
        })
    }

    /// Sets when `staff` works each week (wall times of the workspace's zone).
    pub fn set_working_hours(
        &self,
        tenant: &Tenant,
        actor: &User,
        staff: UserId,
        hours: &WeeklyHours,
    ) -> Result<()> {
        may_schedule(tenant, actor, staff)?;
        tenant.db.write(|tx| {
            staff_exists(tx, staff)?;
            store::set_hours(tx, staff, hours)
        })
    }

    /// Replaces `staff`'s hours on `day` with `spans` (none: a day off).
    pub fn set_working_exception(
        &self,
        tenant: &Tenant,
        actor: &User,
        staff: UserId,
        day: NaiveDate,
        spans: &[crate::domain::scheduling::availability::Span],
    ) -> Result<()> {
        may_schedule(tenant, actor, staff)?;
        tenant.db.write(|tx| {
            staff_exists(tx, staff)?;
            store::set_exception(tx, staff, day, spans)
        })
    }

    /// When `services`, one after another, can start with `staff` on the days `[from, to]`
    /// of the workspace's zone.
    pub fn free_slots(
        &self,
        tenant: &Tenant,
        staff: UserId,
        services: &[ServiceId],
        (from, to): (NaiveDate, NaiveDate),
    ) -> Result<Vec<DateTime<Utc>>> {
        tenant.require(Capability::Scheduling)?;
        if to < from || (to - from).num_days() > 62 {
            return Err(Error::field(
                "to",
                "must be on or after from, at most 62 days later",
            ));
        }
        let zone = tenant.zone_of(None);
        let conn = tenant.db.conn()?;
        let need = need_of(&services_of(&conn, services)?);
        let hours = store::hours(&conn, staff)?;
        let exceptions = store::exceptions(&conn, staff, from, to)?;
        let (start, end) = (
            crate::domain::local_time::start_of(from, zone),
            crate::domain::local_time::start_of(to.succ_opt().unwrap_or(to), zone),
        );
        let busy = booked::busy(
            &conn,
            staff,
            &stamp(start - Duration::hours(LONGEST_BUSY_HOURS)),
            &stamp(end + Duration::hours(LONGEST_BUSY_HOURS)),
        )?;
        let calendar = Calendar {
            zone,
            hours: &hours,
            exceptions: &exceptions,
            busy: &busy,
        };
        Ok(calendar.free_slots(need, POLICY, self.now(), (from, to)))
    }

    /// Books an appointment: its contact, person and services exist, it starts on a free slot
    /// of its person's hours, and nothing else keeps them busy then, checked in the write that
    /// stores it. A slot taken meanwhile is refused with `Conflict`.
    pub fn book(&self, tenant: &Tenant, actor: &User, b: &Booking) -> Result<AppointmentId> {
        tenant.require(Capability::Scheduling)?;
        let start = parse_stamp(b.starts_at)
            .ok_or_else(|| Error::field("starts_at", "is not a date and time"))?;
        let zone = tenant.zone_of(None);
        let now = self.stamp();
        tenant.db.write(|tx| {
            crate::store::crm::records::get_live(
                tx,
                crate::domain::crm::Entity::Contact,
                b.contact_id.0,
            )?
            .ok_or_else(|| Error::field("contact_id", "does not exist"))?;
            users::by_id(tx, b.staff_id)?
                .filter(|u| u.active)
                .ok_or_else(|| Error::field("staff_id", "is not a user here"))?;
            let need = need_of(&services_of(tx, b.services)?);
            let (busy_from, busy_until) = (start - need.before, start + need.duration + need.after);
            if busy_until - busy_from > Duration::hours(LONGEST_BUSY_HOURS) {
                return Err(Error::field(
                    "service_ids",
                    "take longer than a day together",
                ));
            }
            let day = crate::domain::local_time::today(start, zone);
            let hours = store::hours(tx, b.staff_id)?;
            let exceptions = store::exceptions(tx, b.staff_id, day, day)?;
            let busy = booked::busy(tx, b.staff_id, &stamp(busy_from), &stamp(busy_until))?;
            let calendar = Calendar {
                zone,
                hours: &hours,
                exceptions: &exceptions,
                busy: &busy,
            };
            if !calendar.within_hours(start, need) {
                return Err(Error::field(
                    "starts_at",
                    "is not within the working hours of whom it is with",
                ));
            }
            if !calendar.is_free(start, need) {
                return Err(Error::Conflict("That time is already booked.".into()));
            }
            let (starts_at, ends_at) = (stamp(start), stamp(start + need.duration));
            let id = booked::insert_appointment(
                tx,
                &NewAppointment {
                    contact_id: b.contact_id,
                    staff_id: b.staff_id,
                    services: b.services,
                    starts_at: &starts_at,
                    ends_at: &ends_at,
                    busy_from: &stamp(busy_from),
                    busy_until: &stamp(busy_until),
                    status: Status::Confirmed,
                    notes: b.notes,
                    created_by: Some(actor.id),
                },
                &now,
            )?;
            audit::record(
                tx,
                Some(actor.id),
                "appointment.booked",
                &format!("{id} at {starts_at}"),
                &now,
            )?;
            Ok(id)
        })
    }
}

/// The longest span an appointment list covers, and the most appointments it holds.
const LIST_DAYS: i64 = 92;
const LIST_MAX: i64 = 500;

impl App {
    /// Appointments starting in `[from, to)` (UTC stamps, at most 92 days apart), of one
    /// person or everyone, of one status or any.
    pub fn appointments(
        &self,
        tenant: &Tenant,
        (from, to): (&str, &str),
        staff: Option<UserId>,
        status: Option<Status>,
    ) -> Result<Vec<crate::domain::scheduling::Appointment>> {
        tenant.require(Capability::Scheduling)?;
        let start =
            parse_stamp(from).ok_or_else(|| Error::field("from", "is not a date and time"))?;
        let end = parse_stamp(to).ok_or_else(|| Error::field("to", "is not a date and time"))?;
        if end <= start || end - start > Duration::days(LIST_DAYS) {
            return Err(Error::field(
                "to",
                "must be after from, at most 92 days later",
            ));
        }
        booked::appointments(
            &*tenant.db.conn()?,
            (&stamp(start), &stamp(end)),
            staff,
            status,
            LIST_MAX,
        )
    }

    /// Moves an appointment on in its life (see `Status::can_become`); a cancellation keeps its
    /// reason and who called it off.
    pub fn set_appointment_status(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: AppointmentId,
        status: Status,
        reason: &str,
    ) -> Result<()> {
        tenant.require(Capability::Scheduling)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let current = booked::appointment(tx, id)?.ok_or(Error::NotFound)?;
            if !current.status.can_become(status) {
                return Err(Error::field(
                    "status",
                    format!(
                        "cannot go from {} to {}",
                        current.status.as_str(),
                        status.as_str()
                    ),
                ));
            }
            let reason = reason.trim();
            let cancel = (status == Status::Cancelled).then_some((reason, actor.id));
            booked::set_status(tx, id, status, cancel, &now)?;
            let what = format!("{id}: {} → {}", current.status.as_str(), status.as_str());
            audit::record(tx, Some(actor.id), "appointment.status", &what, &now)
        })
    }
}

/// A feed shows from this long ago to this far ahead.
const FEED_PAST_DAYS: i64 = 60;
const FEED_AHEAD_DAYS: i64 = 400;

impl App {
    /// A new private feed of `actor`'s appointments; the token is shown once, only its hash
    /// is kept. Their older feeds stop working.
    pub fn create_calendar_feed(&self, tenant: &Tenant, actor: &User) -> Result<String> {
        tenant.require(Capability::Scheduling)?;
        let token = crate::domain::secret::new_token();
        let hash = crate::domain::secret::hash_token(&token);
        let now = self.stamp();
        tenant.db.write(|tx| {
            booked::revoke_feeds(tx, actor.id, &now)?;
            booked::insert_feed(tx, actor.id, &hash, &now)?;
            audit::record(tx, Some(actor.id), "calendar_feed.created", "", &now)
        })?;
        Ok(token)
    }

    /// Ends `actor`'s feeds: their addresses answer 404 from now on.
    pub fn revoke_calendar_feeds(&self, tenant: &Tenant, actor: &User) -> Result<()> {
        let now = self.stamp();
        tenant
            .db
            .write(|tx| booked::revoke_feeds(tx, actor.id, &now))
    }

    /// The calendar a feed's token opens (RFC 5545, `PUBLISH`); `NotFound` for a token that is
    /// unknown or revoked.
    pub fn calendar_feed(&self, tenant: &Tenant, token: &str) -> Result<String> {
        tenant.require(Capability::Scheduling)?;
        let conn = tenant.db.conn()?;
        let hash = crate::domain::secret::hash_token(token);
        let staff = booked::feed_owner(&conn, &hash)?.ok_or(Error::NotFound)?;
        let now = self.now();
        let (from, to) = (
            now - Duration::days(FEED_PAST_DAYS),
            now + Duration::days(FEED_AHEAD_DAYS),
        );
        let events: Vec<Event> = booked::feed_entries(&conn, staff, &stamp(from), &stamp(to))?
            .into_iter()
            .filter_map(|e| {
                let (start, end) = (parse_stamp(&e.starts_at)?, parse_stamp(&e.ends_at)?);
                Some(Event {
                    uid: format!("appointment-{}@{}.onebox", e.id, tenant.slug()),
                    sequence: e.sequence,
                    start,
                    end,
                    summary: format!("{} · {}", e.services, e.contact),
                    description: String::new(),
                    location: String::new(),
                    cancelled: matches!(e.status.as_str(), "cancelled" | "no_show"),
                })
            })
            .collect();
        Ok(calendar(
            &events,
            tenant.zone_of(None),
            Method::Publish,
            now,
        ))
    }
}
