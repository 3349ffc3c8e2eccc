//! What the scheduling API lists and shows.

use crate::app::Tenant;
use crate::domain::capability::Capability;
use crate::domain::ids::{AppointmentId, UserId};
use crate::domain::scheduling::availability::WeeklyHours;
use crate::domain::scheduling::{Appointment, Service};
use crate::error::Result;
use crate::store::scheduling as store;

pub fn services(tenant: &Tenant) -> Result<Vec<Service>> {
    tenant.require(Capability::Scheduling)?;
    store::services(&*tenant.db.conn()?)
}

pub fn service(tenant: &Tenant, id: crate::domain::ids::ServiceId) -> Result<Option<Service>> {
    tenant.require(Capability::Scheduling)?;
    store::service_by_id(&*tenant.db.conn()?, id)
}

pub fn appointment(tenant: &Tenant, id: AppointmentId) -> Result<Option<Appointment>> {
    tenant.require(Capability::Scheduling)?;
    crate::store::appointments::appointment(&*tenant.db.conn()?, id)
}

/// A user's weekly hours; `NotFound` for one who is not a user here.
pub fn working_hours(tenant: &Tenant, staff: UserId) -> Result<WeeklyHours> {
    tenant.require(Capability::Scheduling)?;
    let conn = tenant.db.conn()?;
    crate::store::users::by_id(&conn, staff)?.ok_or(crate::error::Error::NotFound)?;
    store::hours(&conn, staff)
}

/// How many of a contact's next and last appointments its 360 view shows.
const VISITS_SHOWN: i64 = 5;

/// A contact's appointments for its 360 view, with the names of the services; `None` when the
/// workspace does not schedule.
pub fn visits(
    tenant: &Tenant,
    contact: crate::domain::ids::ContactId,
    now: &str,
) -> Result<Option<(crate::domain::scheduling::Visits, Vec<Service>)>> {
    if tenant.require(Capability::Scheduling).is_err() {
        return Ok(None);
    }
    let conn = tenant.db.conn()?;
    let visits = crate::store::appointments::of_contact(&conn, contact, now, VISITS_SHOWN)?;
    Ok(Some((visits, store::services(&conn)?)))
}

pub fn resources(tenant: &Tenant) -> Result<Vec<crate::domain::scheduling::Resource>> {
    tenant.require(Capability::Scheduling)?;
    store::resources(&*tenant.db.conn()?)
}

pub fn policy(tenant: &Tenant) -> Result<crate::domain::scheduling::policy::BookingPolicy> {
    tenant.require(Capability::Scheduling)?;
    store::policy(&*tenant.db.conn()?)
}

/// The longest span an appointment list covers, and the most appointments it holds.
const LIST_DAYS: i64 = 92;
pub const LIST_MAX: i64 = 500;

/// Appointments starting in `[from, to)` (UTC stamps, at most 92 days apart), of one
/// person or everyone, of one status or any; at most `LIST_MAX`.
pub fn appointments(
    tenant: &Tenant,
    (from, to): (&str, &str),
    staff: Option<UserId>,
    status: Option<crate::domain::scheduling::Status>,
) -> Result<Vec<Appointment>> {
    use crate::clock::{parse_stamp, stamp};
    use crate::error::Error;
    tenant.require(Capability::Scheduling)?;
    let start = parse_stamp(from).ok_or_else(|| Error::field("from", "is not a date and time"))?;
    let end = parse_stamp(to).ok_or_else(|| Error::field("to", "is not a date and time"))?;
    if end <= start || end - start > chrono::Duration::days(LIST_DAYS) {
        return Err(Error::field(
            "to",
            "must be after from, at most 92 days later",
        ));
    }
    crate::store::appointments::appointments(
        &*tenant.db.conn()?,
        (&stamp(start), &stamp(end)),
        staff,
        status,
        LIST_MAX,
    )
}
