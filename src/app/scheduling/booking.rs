//! Booking by staff (one appointment or a repeating series) and its statuses (moving is in
//! `moving`). Each write re-checks the slot in its own transaction (`placing::place`) and
//! queues the client's mail in it.

use super::notices::notice;
use super::placing::{Ask, Placed, place};
use crate::app::automations::events;
use crate::app::{App, Tenant};
use crate::clock::parse_stamp;
use crate::domain::automation::Event;
use crate::domain::capability::Capability;
use crate::domain::crm::Entity;
use crate::domain::ids::{AppointmentId, ContactId, DealId, SeriesId, ServiceId, UserId};
use crate::domain::scheduling::series::Repeat;
use crate::domain::scheduling::{Origin, Status};
use crate::error::{Error, Result};
use crate::mail::messages::Visit;
use crate::store::appointments::{self as booked, NewAppointment};
use crate::store::busy::Except;
use crate::store::users::User;
use crate::store::{Write, audit};
use chrono::{DateTime, Utc};

/// What a booking asks for.
pub struct Booking<'a> {
    pub contact_id: ContactId,
    pub staff_id: UserId,
    pub services: &'a [ServiceId],
    /// A UTC stamp.
    pub starts_at: &'a str,
    pub notes: &'a str,
    /// Book over the person's other appointments or outside their hours, on purpose.
    pub overbook: bool,
    /// Mail the client a confirmation with the invitation (when they have an address).
    pub notify: bool,
    /// The deal it is about, if any.
    pub deal_id: Option<DealId>,
}

/// What a series booked, and which of its times could not be (with why).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeriesReport {
    pub series_id: SeriesId,
    pub booked: Vec<AppointmentId>,
    pub conflicts: Vec<(String, String)>,
}

pub(super) fn start_of(text: &str) -> Result<DateTime<Utc>> {
    parse_stamp(text).ok_or_else(|| Error::field("starts_at", "is not a date and time"))
}

/// Stores a placed booking with its services and resources.
fn insert(
    tx: &Write,
    b: &Booking,
    p: &Placed,
    (actor, series, lang): (&User, Option<SeriesId>, &str),
    now: &str,
) -> Result<AppointmentId> {
    let services: Vec<ServiceId> = p.services.iter().map(|s| s.id).collect();
    let id = booked::insert_appointment(
        tx,
        &NewAppointment {
            contact_id: b.contact_id,
            staff_id: b.staff_id,
            services: &services,
            resources: &p.resources,
            starts_at: &p.starts_at,
            ends_at: &p.ends_at,
            busy_from: &p.busy_from,
            busy_until: &p.busy_until,
            gaps: &p.gaps,
            status: Status::Confirmed,
            notes: b.notes,
            created_by: Some(actor.id),
            origin: Origin::Staff,
            overbooked: p.overbooked,
            series_id: series,
            client_language: lang,
            deal_id: b.deal_id,
        },
        now,
    )?;
    let what = format!(
        "{id} at {}{}",
        p.starts_at,
        if p.overbooked {
            ", booked over another"
        } else {
            ""
        }
    );
    audit::record_appointment(tx, (Some(actor.id), "appointment.booked", &what), id, now)?;
    events::push_appointment(tx, Event::AppointmentBooked, id, now)?;
    Ok(id)
}

/// Its contact, and its deal if it names one, are live records here.
fn parties_exist(tx: &Write, tenant: &Tenant, b: &Booking) -> Result<()> {
    crate::store::crm::records::get_live(tx, Entity::Contact, b.contact_id.0)?
        .ok_or_else(|| Error::field("contact_id", "does not exist"))?;
    if let Some(deal) = b.deal_id {
        if !tenant.caps.allows(Capability::Deals) {
            return Err(Error::field("deal_id", "deals are off in this workspace"));
        }
        crate::store::crm::records::get_live(tx, Entity::Deal, deal.0)?
            .ok_or_else(|| Error::field("deal_id", "is not a deal here"))?;
    }
    Ok(())
}

/// The confirmation of a just-booked appointment, when its client is to have one.
fn confirmation(
    app: &App,
    tenant: &Tenant,
    tx: &Write,
    id: AppointmentId,
) -> Result<Vec<crate::domain::outbox::NewMail>> {
    let a = booked::appointment(tx, id)?.ok_or(Error::NotFound)?;
    Ok(notice(app, tenant, tx, &a, Visit::Confirmed)?
        .into_iter()
        .collect())
}

impl App {
    /// Books an appointment: its contact, person and services exist, it starts within its
    /// person's hours, and nothing else keeps them or its resources busy then, checked in the
    /// write that stores it. A slot taken meanwhile is refused with `Conflict`.
    pub fn book(&self, tenant: &Tenant, actor: &User, b: &Booking) -> Result<AppointmentId> {
        tenant.require(Capability::Scheduling)?;
        let start = start_of(b.starts_at)?;
        let zone = tenant.zone_of(None);
        let now = self.stamp();
        self.write_with_mail(&tenant.db, |tx| {
            parties_exist(tx, tenant, b)?;
            let ask = Ask {
                staff: b.staff_id,
                services: b.services,
                start,
                except: Except::default(),
                overbook: b.overbook,
                length: None,
            };
            let placed = place(tx, zone, &ask, &now)?;
            let lang = actor.mail_lang().code();
            let id = insert(tx, b, &placed, (actor, None, lang), &now)?;
            let mails = if b.notify {
                confirmation(self, tenant, tx, id)?
            } else {
                Vec::new()
            };
            Ok((id, mails))
        })
        .inspect(|_| self.wake_jobs(tenant.slug()))
    }

    /// Books `b` and its repeats: each time that is free is booked, each that is not is
    /// reported with why (the first one too); all in one write. Nothing is booked when no
    /// time is free.
    pub fn book_series(
        &self,
        tenant: &Tenant,
        actor: &User,
        b: &Booking,
        repeat: Repeat,
    ) -> Result<SeriesReport> {
        tenant.require(Capability::Scheduling)?;
        let repeat = repeat.checked()?;
        let zone = tenant.zone_of(None);
        let first = start_of(b.starts_at)?.with_timezone(&zone).naive_local();
        let now = self.stamp();
        tenant
            .db
            .write(|tx| {
                parties_exist(tx, tenant, b)?;
                let series_id = booked::insert_series(
                    tx,
                    repeat.frequency.as_str(),
                    repeat.interval,
                    repeat.count,
                    &first.time().format("%H:%M").to_string(),
                    zone.name(),
                    &now,
                )?;
                let mut report = SeriesReport {
                    series_id,
                    booked: Vec::new(),
                    conflicts: Vec::new(),
                };
                let lang = actor.mail_lang().code();
                for start in repeat.starts(first, zone) {
                    let ask = Ask {
                        staff: b.staff_id,
                        services: b.services,
                        start,
                        except: Except::default(),
                        overbook: b.overbook,
                        length: None,
                    };
                    match place(tx, zone, &ask, &now) {
                        Ok(placed) => report.booked.push(insert(
                            tx,
                            b,
                            &placed,
                            (actor, Some(series_id), lang),
                            &now,
                        )?),
                        Err(e @ (Error::Conflict(_) | Error::Invalid { .. })) => report
                            .conflicts
                            .push((crate::clock::stamp(start), e.to_string())),
                        Err(e) => return Err(e),
                    }
                }
                if report.booked.is_empty() {
                    return Err(Error::Conflict("None of the series' times is free.".into()));
                }
                Ok(report)
            })
            .inspect(|_| self.wake_jobs(tenant.slug()))
    }
}

impl App {
    /// Moves an appointment on in its life (see `Status::can_become`); a cancellation keeps its
    /// reason and who called it off, and tells a client who was mailed.
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
        self.write_with_mail(&tenant.db, |tx| {
            let mails = change_status(self, tenant, tx, id, status, (reason, Some(actor.id)))?;
            let what = format!("{id}: → {}", status.as_str());
            audit::record_appointment(tx, (Some(actor.id), "appointment.status", &what), id, &now)?;
            Ok(((), mails))
        })
        .inspect(|_| self.wake_jobs(tenant.slug()))
    }
}

/// The status change itself, for staff and for a client through their link (`by` none), and
/// the mail it sends.
pub(super) fn change_status(
    app: &App,
    tenant: &Tenant,
    tx: &Write,
    id: AppointmentId,
    status: Status,
    (reason, by): (&str, Option<UserId>),
) -> Result<Vec<crate::domain::outbox::NewMail>> {
    let current = booked::appointment(tx, id)?.ok_or(Error::NotFound)?;
    if let Some(why) = current.refusal(status, &app.stamp()) {
        return Err(Error::field("status", why));
    }
    let cancel = (status == Status::Cancelled).then_some((reason.trim(), by));
    booked::set_status(tx, id, status, cancel, &app.stamp())?;
    if let Some(event) = Event::of_appointment(status) {
        events::push_appointment(tx, event, id, &app.stamp())?;
    }
    let news = match (current.status, status) {
        (_, Status::Cancelled) => Some(Visit::Cancelled),
        (Status::Requested, Status::Confirmed) => Some(Visit::Confirmed),
        _ => None,
    };
    let changed = booked::appointment(tx, id)?.ok_or(Error::NotFound)?;
    let mut mails: Vec<_> = match news {
        Some(news) if changed.mailed => notice(app, tenant, tx, &changed, news)?
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    // A cancelled time may be what someone on the waitlist waits for.
    if status == Status::Cancelled
        && let Some(start) = parse_stamp(&changed.starts_at)
    {
        let day = crate::domain::local_time::today(start, tenant.zone_of(None));
        mails.extend(super::waitlist::offer_freed(app, tenant, tx, day)?);
    }
    Ok(mails)
}
