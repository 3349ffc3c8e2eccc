//! What the scheduling API lists and shows.

use crate::app::Tenant;
use crate::domain::capability::Capability;
use crate::domain::ids::AppointmentId;
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
