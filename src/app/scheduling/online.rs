//! The online booking page's use cases: free slots as visitors see them (the policy's lead
//! time and horizon, services offered online), holding a slot while the visitor fills in the
//! form, booking it (the contact matched by email, else phone, else created), and the
//! visitor's private link to see, move or cancel it within the policy's window.

use super::notices::notice;
use super::placing::{Ask, Slot, place, slots};
use super::services_of;
use super::visitors::checked;
use crate::app::automations::events;
use crate::app::records::contact_for;
use crate::app::{App, Tenant};
use crate::clock::{parse_stamp, stamp};
use crate::domain::automation::Event;
use crate::domain::capability::Capability;
use crate::domain::ids::{AppointmentId, ServiceId, UserId};
use crate::domain::scheduling::policy::BookingPolicy;
use crate::domain::scheduling::{Origin, Service, Status};
use crate::domain::secret::{hash_token, new_token};
use crate::domain::words::Lang;
use crate::error::{Error, Result};
use crate::mail::messages::Visit;
use crate::store::appointments::{self as booked, NewAppointment};
use crate::store::busy::{self, Except, Hold};
use crate::store::{Connection, Write, audit, scheduling as store, users};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// How long a chosen slot is kept for the visitor filling in the form.
pub const HOLD_MINUTES: i64 = 10;
/// The most slots held at once in a workspace (a guard against someone holding them all).
const MAX_LIVE_HOLDS: i64 = 300;
/// The most days the booking page shows at once.
pub const PAGE_DAYS: i64 = 7;

/// Who books, as they typed it.
pub struct Visitor<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub consent: bool,
    pub notes: &'a str,
    pub lang: Lang,
}

/// A held slot: the token of the form's address, what was chosen, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub token: String,
    pub staff: String,
    pub services: Vec<Service>,
    pub starts_at: String,
    pub expires_at: String,
}

/// What the booking page offers: the workspace's name, services, who takes appointments.
pub struct Offer {
    pub services: Vec<Service>,
    pub staff: Vec<(UserId, String)>,
    pub policy: BookingPolicy,
}

pub(super) fn open_policy(conn: &Connection, tenant: &Tenant) -> Result<BookingPolicy> {
    tenant.require(Capability::Scheduling)?;
    let policy = store::policy(conn)?;
    if !policy.online {
        return Err(Error::NotFound);
    }
    Ok(policy)
}

/// The services chosen, each offered online.
pub(super) fn online_services(conn: &Connection, ids: &[ServiceId]) -> Result<Vec<Service>> {
    let chosen = services_of(conn, ids)?;
    if chosen.iter().any(|s| !s.online) {
        return Err(Error::field("service_ids", "are not all booked online"));
    }
    Ok(chosen)
}

pub(super) fn bookable(
    policy: &BookingPolicy,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let window = policy.online_slots();
    if start < now + window.lead || start > now + window.horizon {
        return Err(Error::field("starts_at", "is no longer bookable"));
    }
    Ok(())
}

/// Said when a visitor's hold ran out (or was booked) before they finished.
pub const HOLD_GONE: &str =
    "The time you chose was held for 10 minutes and is free again. Choose a time again.";

impl App {
    pub fn booking_offer(&self, tenant: &Tenant) -> Result<Offer> {
        let conn = tenant.db.conn()?;
        let policy = open_policy(&conn, tenant)?;
        Ok(Offer {
            services: store::services(&conn)?
                .into_iter()
                .filter(|s| s.online)
                .collect(),
            staff: store::staff(&conn)?,
            policy,
        })
    }

    /// The free slots of `services` with `staff` (or anyone) on `PAGE_DAYS` days from `from`.
    pub fn online_slots(
        &self,
        tenant: &Tenant,
        services: &[ServiceId],
        staff: Option<UserId>,
        from: NaiveDate,
    ) -> Result<Vec<Slot>> {
        let conn = tenant.db.conn()?;
        let policy = open_policy(&conn, tenant)?;
        let chosen = online_services(&conn, services)?;
        let all = store::staff(&conn)?;
        let people: Vec<UserId> = all
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| staff.is_none_or(|s| s == *id))
            .collect();
        let to = from + Duration::days(PAGE_DAYS - 1);
        let zone = tenant.zone_of(None);
        slots(
            &conn,
            zone,
            &people,
            &chosen,
            (from, to),
            (policy.online_slots(), self.now()),
        )
    }

    /// Holds a slot for `HOLD_MINUTES` while the visitor fills in the form: with `staff`, or
    /// the first person free then. Refused with `Conflict` when it was taken meanwhile.
    pub fn hold_slot(
        &self,
        tenant: &Tenant,
        services: &[ServiceId],
        staff: Option<UserId>,
        starts_at: &str,
    ) -> Result<Held> {
        let start = parse_stamp(starts_at)
            .ok_or_else(|| Error::field("starts_at", "is not a date and time"))?;
        let (now, at) = (self.now(), self.stamp());
        let zone = tenant.zone_of(None);
        let token = new_token();
        let hash = hash_token(&token);
        let expires_at = stamp(now + Duration::minutes(HOLD_MINUTES));
        tenant.db.write(|tx| {
            let policy = open_policy(tx, tenant)?;
            let chosen = online_services(tx, services)?;
            bookable(&policy, start, now)?;
            if busy::live_holds(tx, &at)? >= MAX_LIVE_HOLDS {
                return Err(Error::TooManyRequests(
                    "Too many bookings are being made right now. Try again in a few minutes."
                        .into(),
                ));
            }
            let people: Vec<UserId> = store::staff(tx)?
                .into_iter()
                .map(|(id, _)| id)
                .filter(|id| staff.is_none_or(|s| s == *id))
                .filter(|id| chosen.iter().all(|s| s.done_by(*id)))
                .collect();
            let mut refusal = Error::Conflict("That time is already booked.".into());
            for person in people {
                let ask = Ask {
                    staff: person,
                    services,
                    start,
                    except: Except::default(),
                    overbook: false,
                    length: None,
                };
                match place(tx, zone, &ask, &at) {
                    Ok(placed) => {
                        let ids: Vec<String> = services.iter().map(|s| s.to_string()).collect();
                        let hold = Hold {
                            staff_id: person,
                            busy_from: placed.busy_from,
                            busy_until: placed.busy_until,
                            services: ids.join(","),
                            starts_at: placed.starts_at,
                            expires_at: expires_at.clone(),
                        };
                        busy::release_hold(tx, &hash, &at)?;
                        busy::insert_hold(tx, &hash, &hold)?;
                        return held(tx, token.clone(), &hold);
                    }
                    Err(e @ (Error::Conflict(_) | Error::Invalid { .. })) => refusal = e,
                    Err(e) => return Err(e),
                }
            }
            Err(refusal)
        })
    }

    /// The slot a hold's token keeps; `None` once it expired or was booked.
    pub fn held_slot(&self, tenant: &Tenant, token: &str) -> Result<Option<Held>> {
        let conn = tenant.db.conn()?;
        open_policy(&conn, tenant)?;
        match busy::hold(&conn, &hash_token(token), &self.stamp())? {
            Some(h) => held(&conn, token.to_string(), &h).map(Some),
            None => Ok(None),
        }
    }
}

fn held(conn: &Connection, token: String, h: &Hold) -> Result<Held> {
    let ids: Vec<ServiceId> = h
        .services
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    Ok(Held {
        token,
        staff: users::by_id(conn, h.staff_id)?
            .map(|u| u.display_name().to_string())
            .unwrap_or_default(),
        services: services_of(conn, &ids)?,
        starts_at: h.starts_at.clone(),
        expires_at: h.expires_at.clone(),
    })
}

/// The person, services and start a live hold keeps, let go of as it is used.
fn take_hold(tx: &Write, hash: &str, at: &str) -> Result<(UserId, Vec<ServiceId>, DateTime<Utc>)> {
    let hold = busy::hold(tx, hash, at)?.ok_or_else(|| Error::Conflict(HOLD_GONE.into()))?;
    busy::release_hold(tx, hash, at)?;
    let services = hold
        .services
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    let start = parse_stamp(&hold.starts_at).ok_or(Error::NotFound)?;
    Ok((hold.staff_id, services, start))
}

impl App {
    /// Books the slot a hold keeps, for the visitor: re-checked in the write that stores it.
    /// Returns the appointment and the token of the visitor's private link.
    pub fn book_held(
        &self,
        tenant: &Tenant,
        token: &str,
        v: &Visitor,
    ) -> Result<(AppointmentId, String)> {
        let (name, email, phone) = checked(v)?;
        let zone = tenant.zone_of(None);
        let (now, at) = (self.now(), self.stamp());
        let hash = hash_token(token);
        let link = new_token();
        self.write_with_mail(&tenant.db, |tx| {
            let policy = open_policy(tx, tenant)?;
            let (staff, services, start) = take_hold(tx, &hash, &at)?;
            bookable(&policy, start, now)?;
            let ask = Ask {
                staff,
                services: &services,
                start,
                except: Except::default(),
                overbook: false,
                length: None,
            };
            let placed = place(tx, zone, &ask, &at)?;
            let contact_id =
                contact_for(self, tenant, tx, (&name, &email, &phone), "online booking")?;
            let status = if policy.approval {
                Status::Requested
            } else {
                Status::Confirmed
            };
            let id = booked::insert_appointment(
                tx,
                &NewAppointment {
                    contact_id,
                    staff_id: staff,
                    services: &services,
                    resources: &placed.resources,
                    starts_at: &placed.starts_at,
                    ends_at: &placed.ends_at,
                    busy_from: &placed.busy_from,
                    busy_until: &placed.busy_until,
                    gaps: &placed.gaps,
                    status,
                    notes: v.notes.trim(),
                    created_by: None,
                    origin: Origin::Online,
                    overbooked: false,
                    series_id: None,
                    deal_id: None,
                    client_language: v.lang.code(),
                },
                &at,
            )?;
            booked::insert_link(tx, id, &hash_token(&link), &at)?;
            let what = format!("{id} at {} online, consent given", placed.starts_at);
            audit::record_appointment(tx, (None, "appointment.booked", &what), id, &at)?;
            events::push_appointment(tx, Event::AppointmentBooked, id, &at)?;
            let a = booked::appointment(tx, id)?.ok_or(Error::NotFound)?;
            let news = if policy.approval {
                Visit::Requested
            } else {
                Visit::Confirmed
            };
            let mails = notice(self, tenant, tx, &a, news)?.into_iter().collect();
            Ok(((id, link.clone()), mails))
        })
        .inspect(|_| self.wake_jobs(tenant.slug()))
    }
}
