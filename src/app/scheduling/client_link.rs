//! A client's private link: seeing their appointment, and moving or cancelling it within the
//! booking policy's window (after it, they are asked to call).

use super::booking::change_status;
use super::moving::shift;
use super::notices::notice;
use super::online::{bookable, open_policy};
use super::services_of;
use crate::app::{App, Tenant};
use crate::clock::parse_stamp;
use crate::domain::capability::Capability;
use crate::domain::scheduling::policy::BookingPolicy;
use crate::domain::scheduling::{Appointment, Service, Status};
use crate::domain::secret::hash_token;
use crate::error::{Error, Result};
use crate::mail::messages::Visit;
use crate::store::appointments as booked;
use crate::store::{Connection, audit, scheduling as store, users};

/// An appointment as its client's link shows it.
pub struct Managed {
    pub appointment: Appointment,
    pub services: Vec<Service>,
    pub staff: String,
    /// Whether the client may still move or cancel it.
    pub may_change: bool,
    pub policy: BookingPolicy,
}

impl App {
    /// The appointment a client's private link opens.
    pub fn managed(&self, tenant: &Tenant, token: &str) -> Result<Managed> {
        tenant.require(Capability::Scheduling)?;
        let conn = tenant.db.conn()?;
        let appointment = booked::by_link(&conn, &hash_token(token))?.ok_or(Error::NotFound)?;
        let policy = store::policy(&conn)?;
        let start = parse_stamp(&appointment.starts_at).ok_or(Error::NotFound)?;
        let may_change = matches!(appointment.status, Status::Requested | Status::Confirmed)
            && policy.client_may_change(start, self.now());
        Ok(Managed {
            services: services_of(&conn, &appointment.services)?,
            staff: users::by_id(&conn, appointment.staff_id)?
                .map(|u| u.display_name().to_string())
                .unwrap_or_default(),
            appointment,
            may_change,
            policy,
        })
    }

    /// The appointment of a client's link, if they may still change it; refused in words
    /// once the policy's window closed.
    fn changeable(&self, tx: &Connection, token: &str) -> Result<Appointment> {
        let a = booked::by_link(tx, &hash_token(token))?.ok_or(Error::NotFound)?;
        let policy = store::policy(tx)?;
        let start = parse_stamp(&a.starts_at).ok_or(Error::NotFound)?;
        if !matches!(a.status, Status::Requested | Status::Confirmed) {
            return Err(Error::field(
                "status",
                format!("the appointment is {}", a.status.as_str()),
            ));
        }
        if !policy.client_may_change(start, self.now()) {
            return Err(Error::field(
                "starts_at",
                format!(
                    "can be changed online until {} hours before; please call us",
                    policy.cancel_hours
                ),
            ));
        }
        Ok(a)
    }

    /// The client calls their appointment off through their link.
    pub fn cancel_by_client(&self, tenant: &Tenant, token: &str) -> Result<()> {
        tenant.require(Capability::Scheduling)?;
        let at = self.stamp();
        self.write_with_mail(&tenant.db, |tx| {
            let a = self.changeable(tx, token)?;
            let mails = change_status(
                self,
                tenant,
                tx,
                a.id,
                Status::Cancelled,
                ("by the client", None),
            )?;
            let what = format!("{}: → cancelled by the client", a.id);
            audit::record_appointment(tx, (None, "appointment.status", &what), a.id, &at)?;
            Ok(((), mails))
        })
        .inspect(|_| self.wake_jobs(tenant.slug()))
    }

    /// The client moves their appointment to another free time with the same person.
    pub fn move_by_client(&self, tenant: &Tenant, token: &str, starts_at: &str) -> Result<()> {
        tenant.require(Capability::Scheduling)?;
        let start = parse_stamp(starts_at)
            .ok_or_else(|| Error::field("starts_at", "is not a date and time"))?;
        let zone = tenant.zone_of(None);
        let (now, at) = (self.now(), self.stamp());
        self.write_with_mail(&tenant.db, |tx| {
            let policy = open_policy(tx, tenant)?;
            let a = self.changeable(tx, token)?;
            bookable(&policy, start, now)?;
            let moved = shift(tx, (zone, &at), &a, (None, start, None), false)?;
            let what = format!("{}: → {} by the client", a.id, moved.starts_at);
            audit::record_appointment(tx, (None, "appointment.moved", &what), a.id, &at)?;
            let mails = notice(self, tenant, tx, &moved, Visit::Moved)?
                .into_iter()
                .collect();
            Ok(((), mails))
        })
    }
}
