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

pub fn appointment(tenant: &Tenant, id: AppointmentId) -> Result<Option<Appointment>> {
    tenant.require(Capability::Scheduling)?;
    store::appointment(&*tenant.db.conn()?, id)
}

/// A user's weekly hours; `NotFound` for one who is not a user here.
pub fn working_hours(tenant: &Tenant, staff: UserId) -> Result<WeeklyHours> {
    tenant.require(Capability::Scheduling)?;
    let conn = tenant.db.conn()?;
    crate::store::users::by_id(&conn, staff)?.ok_or(crate::error::Error::NotFound)?;
    store::hours(&conn, staff)
}
