//! Scheduling's use cases: services, resources, working hours, the booking policy (here);
//! free slots and the check every booking passes (`placing`); booking and statuses
//! (`booking`), moving and resizing (`moving`); the online booking page (`online`, its
//! visitors counted in `visitors`, the client's own link in `client_link`); the mails to
//! clients (`notices`); reminders (`reminders`); calendar feeds (`feeds`); the waitlist
//! (`waitlist`). A booking is checked against its person's and resources' other bookings
//! inside its own write transaction, and the workspace's writes take turns, so two bookings
//! of one slot can never both be made.

mod booking;
mod client_link;
mod feeds;
mod moving;
mod notices;
mod online;
mod placing;
mod reminders;
mod visitors;
mod waitlist;

pub use booking::{Booking, SeriesReport};
pub use client_link::Managed;
pub use moving::Move;
pub use online::{HOLD_GONE, HOLD_MINUTES, Held, Offer, PAGE_DAYS, Visitor};
pub use placing::Slot;
pub use visitors::{VISITS_PER_ADDRESS, VISITS_WINDOW_MINUTES};

use crate::app::catalog::admin;
use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::ids::{ResourceId, ServiceId, UserId};
use crate::domain::scheduling::availability::{Span, WeeklyHours};
use crate::domain::scheduling::policy::BookingPolicy;
use crate::domain::scheduling::{NewService, Service};
use crate::error::{Error, Result};
use crate::store::scheduling as store;
use crate::store::users::{self, User};
use crate::store::{Connection, audit};
use chrono::NaiveDate;

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

/// The services, in order, each of them existing; refused by `service_ids` otherwise.
fn services_of(conn: &Connection, ids: &[ServiceId]) -> Result<Vec<Service>> {
    if ids.is_empty() {
        return Err(Error::field("service_ids", "choose at least one service"));
    }
    if ids.len() > 8 {
        return Err(Error::field(
            "service_ids",
            "at most 8 services in one booking",
        ));
    }
    ids.iter()
        .map(|id| {
            store::service_by_id(conn, *id)?
                .ok_or_else(|| Error::field("service_ids", format!("{id} is not a service here")))
        })
        .collect()
}

/// The resources a service needs and the people who perform it are here.
fn parts_exist(conn: &Connection, service: &NewService) -> Result<()> {
    let known = store::resources(conn)?;
    if let Some(r) = service
        .resources
        .iter()
        .find(|r| !known.iter().any(|k| k.id == **r))
    {
        return Err(Error::field(
            "resource_ids",
            format!("{r} is not a resource here"),
        ));
    }
    for u in &service.staff {
        users::by_id(conn, *u)?
            .ok_or_else(|| Error::field("staff_ids", format!("{u} is not a user here")))?;
    }
    Ok(())
}

impl App {
    pub fn add_service(
        &self,
        tenant: &Tenant,
        actor: &User,
        service: NewService,
    ) -> Result<ServiceId> {
        self.save_service(tenant, actor, None, service)
    }

    /// Changes a service; appointments already made keep their times.
    pub fn update_service(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ServiceId,
        service: NewService,
    ) -> Result<()> {
        self.save_service(tenant, actor, Some(id), service)
            .map(|_| ())
    }

    /// Adds a service (`id` none) or changes one, checked against what it names.
    fn save_service(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: Option<ServiceId>,
        service: NewService,
    ) -> Result<ServiceId> {
        tenant.require(Capability::Scheduling)?;
        admin(actor)?;
        let service = service.checked()?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            parts_exist(tx, &service)?;
            match id {
                None => {
                    let id = store::insert_service(tx, &service, &now)?;
                    audit::record(tx, Some(actor.id), "service.created", &service.name, &now)?;
                    Ok(id)
                }
                Some(id) => {
                    if !store::update_service(tx, id, &service, &now)? {
                        return Err(Error::NotFound);
                    }
                    let what = format!("{id}: {}", service.name);
                    audit::record(tx, Some(actor.id), "service.changed", &what, &now)?;
                    Ok(id)
                }
            }
        })
    }

    /// A room, chair or machine services can need; `capacity` appointments use it at once.
    pub fn add_resource(
        &self,
        tenant: &Tenant,
        actor: &User,
        name: &str,
        capacity: i64,
    ) -> Result<ResourceId> {
        tenant.require(Capability::Scheduling)?;
        admin(actor)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(Error::field("name", "must be 1 to 80 characters"));
        }
        if !(1..=100).contains(&capacity) {
            return Err(Error::field("capacity", "must be from 1 to 100"));
        }
        let now = self.stamp();
        tenant.db.write(|tx| {
            let id = store::insert_resource(tx, name, capacity, &now)?;
            audit::record(tx, Some(actor.id), "resource.created", name, &now)?;
            Ok(id)
        })
    }

    pub fn set_booking_policy(
        &self,
        tenant: &Tenant,
        actor: &User,
        policy: BookingPolicy,
    ) -> Result<()> {
        tenant.require(Capability::Scheduling)?;
        admin(actor)?;
        let policy = policy.checked()?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            store::set_policy(tx, &policy, &now)?;
            audit::record(tx, Some(actor.id), "booking_policy.changed", "", &now)
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
        spans: &[Span],
    ) -> Result<()> {
        may_schedule(tenant, actor, staff)?;
        tenant.db.write(|tx| {
            staff_exists(tx, staff)?;
            store::set_exception(tx, staff, day, spans)
        })
    }
}
