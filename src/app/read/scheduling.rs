//! What the scheduling API lists and shows.

use crate::app::Tenant;
use crate::clock::stamp;
use crate::domain::capability::Capability;
use crate::domain::ids::{AppointmentId, UserId};
use crate::domain::local_time::start_of;
use crate::domain::scheduling::availability::WeeklyHours;
use crate::domain::scheduling::{Appointment, Filter, Service};
use crate::error::Result;
use crate::store::scheduling as store;
use chrono::NaiveDate;

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

/// The longest span an appointment list covers, and the most appointments a calendar holds.
const LIST_DAYS: i64 = 92;
pub const LIST_MAX: i64 = 500;

/// Which appointments a list asks for: starting in `[from, to)` (at most 92 days apart), of
/// one person or everyone, of one status or any, a page of `limit` after `cursor`.
pub struct AppointmentQuery<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub which: Filter,
    pub cursor: Option<&'a str>,
    pub limit: i64,
}

/// A page of appointments in start order, how many the range holds, and the next page's
/// cursor (`<start>~<id>` of the page's last one) when there may be more.
pub fn appointments(
    tenant: &Tenant,
    q: &AppointmentQuery,
) -> Result<(Vec<Appointment>, i64, Option<String>)> {
    use crate::clock::{parse_stamp, stamp};
    use crate::error::Error;
    tenant.require(Capability::Scheduling)?;
    let start =
        parse_stamp(q.from).ok_or_else(|| Error::field("from", "is not a date and time"))?;
    let end = parse_stamp(q.to).ok_or_else(|| Error::field("to", "is not a date and time"))?;
    if end <= start || end - start > chrono::Duration::days(LIST_DAYS) {
        return Err(Error::field(
            "to",
            "must be after from, at most 92 days later",
        ));
    }
    let after = match q.cursor {
        None => None,
        Some(c) => {
            let bad = || Error::field("cursor", "is not a cursor of this list");
            let (at, id) = c.split_once('~').ok_or_else(bad)?;
            let at = parse_stamp(at).ok_or_else(bad)?;
            Some((stamp(at), id.parse::<i64>().map_err(|_| bad())?))
        }
    };
    let conn = tenant.db.conn()?;
    let range = (stamp(start), stamp(end));
    let range = (range.0.as_str(), range.1.as_str());
    let list = crate::store::appointments::appointments(
        &conn,
        range,
        q.which,
        after.as_ref().map(|(at, id)| (at.as_str(), *id)),
        q.limit,
    )?;
    let total = crate::store::appointments::count_between(&conn, range, q.which)?;
    let next = (list.len() as i64 == q.limit)
        .then(|| list.last().map(|a| format!("{}~{}", a.starts_at, a.id.0)))
        .flatten();
    Ok((list, total, next))
}

/// What a calendar of some days shows: the appointments (at most `LIST_MAX`; `capped` when
/// there were more), who takes appointments with their hours, the services and resources.
pub struct CalendarData {
    pub appointments: Vec<Appointment>,
    pub capped: bool,
    pub staff: Vec<(UserId, String)>,
    pub hours: Vec<(
        UserId,
        WeeklyHours,
        Vec<crate::domain::scheduling::availability::Exception>,
    )>,
    pub services: Vec<Service>,
    pub resources: Vec<crate::domain::scheduling::Resource>,
    pub zone: chrono_tz::Tz,
}

/// The UTC stamps bounding the days `[from, to]` of `zone`: from the first one's start to
/// the start of the day after the last.
fn window_of(zone: chrono_tz::Tz, from: NaiveDate, to: NaiveDate) -> (String, String) {
    let after = to.succ_opt().unwrap_or(to);
    (stamp(start_of(from, zone)), stamp(start_of(after, zone)))
}

/// Refused by `date` unless `[from, to]` is a span of at most `days` days.
fn at_most(from: NaiveDate, to: NaiveDate, days: i64, message: &str) -> Result<()> {
    if to < from || (to - from).num_days() >= days {
        return Err(crate::error::Error::field("date", message));
    }
    Ok(())
}

/// The calendar of the days `[from, to]` (at most 7) of the workspace's zone.
pub fn calendar(
    tenant: &Tenant,
    (from, to): (NaiveDate, NaiveDate),
    which: Filter,
) -> Result<CalendarData> {
    tenant.require(Capability::Scheduling)?;
    at_most(from, to, 7, "shows at most a week")?;
    let zone = tenant.zone_of(None);
    let conn = tenant.db.conn()?;
    let (start, end) = window_of(zone, from, to);
    let mut appointments =
        crate::store::appointments::appointments(&conn, (&start, &end), which, None, LIST_MAX + 1)?;
    let capped = appointments.len() as i64 > LIST_MAX;
    appointments.truncate(LIST_MAX as usize);
    let everyone = store::staff(&conn)?;
    let mut hours = Vec::new();
    for (id, _) in everyone
        .iter()
        .filter(|(id, _)| which.staff.is_none_or(|s| s == *id))
    {
        hours.push((
            *id,
            store::hours(&conn, *id)?,
            store::exceptions(&conn, *id, from, to)?,
        ));
    }
    Ok(CalendarData {
        appointments,
        capped,
        staff: everyone,
        hours,
        services: store::services(&conn)?,
        resources: store::resources(&conn)?,
        zone,
    })
}

/// A month overview: how many appointments start on each day, and who takes them.
pub struct MonthData {
    pub counts: Vec<(NaiveDate, i64)>,
    pub staff: Vec<(UserId, String)>,
    pub services: Vec<Service>,
}

/// How many appointments start on each of the days `[from, to]` (at most 42) of the
/// workspace's zone, and who takes appointments.
pub fn month(
    tenant: &Tenant,
    (from, to): (NaiveDate, NaiveDate),
    which: Filter,
) -> Result<MonthData> {
    tenant.require(Capability::Scheduling)?;
    at_most(from, to, 42, "shows at most six weeks")?;
    let zone = tenant.zone_of(None);
    let conn = tenant.db.conn()?;
    // A count a day, each one range of the start index (days end where the zone says).
    let counts = from
        .iter_days()
        .take_while(|day| *day <= to)
        .map(|day| {
            let (start, end) = window_of(zone, day, day);
            let n = crate::store::appointments::count_between(&conn, (&start, &end), which)?;
            Ok((day, n))
        })
        .collect::<Result<_>>()?;
    Ok(MonthData {
        counts,
        staff: store::staff(&conn)?,
        services: store::services(&conn)?,
    })
}

/// An appointment with what its page shows beside it: the names of its services and
/// resources and person, and its contact's no-shows.
pub struct AppointmentPage {
    pub appointment: Appointment,
    pub services: Vec<Service>,
    pub staff: Vec<(UserId, String)>,
    pub no_shows: i64,
    /// The deal it is about (id, title), while that deal is live.
    pub deal: Option<(i64, String)>,
    /// Its changes, oldest first (the newest `HISTORY_SHOWN`).
    pub history: Vec<crate::domain::scheduling::history::HistoryLine>,
}

/// How many of an appointment's changes its page shows.
const HISTORY_SHOWN: i64 = 50;

pub fn appointment_page(tenant: &Tenant, id: AppointmentId) -> Result<AppointmentPage> {
    tenant.require(Capability::Scheduling)?;
    let conn = tenant.db.conn()?;
    let appointment =
        crate::store::appointments::appointment(&conn, id)?.ok_or(crate::error::Error::NotFound)?;
    let visits = crate::store::appointments::of_contact(&conn, appointment.contact_id, "", 0)?;
    Ok(AppointmentPage {
        services: store::services(&conn)?,
        staff: store::staff(&conn)?,
        no_shows: visits.no_shows,
        deal: match appointment.deal_id {
            Some(d) => {
                crate::store::crm::records::get_live(&conn, crate::domain::crm::Entity::Deal, d.0)?
                    .map(|r| (d.0, r.title()))
            }
            None => None,
        },
        history: crate::store::audit::of_appointment(&conn, id, HISTORY_SHOWN)?
            .iter()
            .map(crate::domain::scheduling::history::line)
            .collect(),
        appointment,
    })
}

/// What the form for a new appointment offers: services, who takes appointments, and the
/// contact (with its no-shows) when one is chosen.
pub struct NewAppointmentData {
    pub services: Vec<Service>,
    pub staff: Vec<(UserId, String)>,
    pub contact: Option<(crate::domain::ids::ContactId, String, i64)>,
    /// The contact's deals (id, title), open ones first.
    pub deals: Vec<(i64, String)>,
}

/// How many of a client's deals the booking form offers.
const DEALS_OFFERED: i64 = 20;

pub fn new_appointment(
    tenant: &Tenant,
    contact: Option<crate::domain::ids::ContactId>,
) -> Result<NewAppointmentData> {
    tenant.require(Capability::Scheduling)?;
    let conn = tenant.db.conn()?;
    let contact = match contact {
        None => None,
        Some(id) => {
            crate::store::crm::records::get_live(&conn, crate::domain::crm::Entity::Contact, id.0)?
                .map(|r| {
                    let visits = crate::store::appointments::of_contact(&conn, id, "", 0)?;
                    Ok::<_, crate::error::Error>((id, r.title(), visits.no_shows))
                })
                .transpose()?
        }
    };
    let deals = match &contact {
        Some((id, _, _)) => {
            crate::store::crm::records::deals_of_contact(&conn, *id, DEALS_OFFERED)?
        }
        None => Vec::new(),
    };
    Ok(NewAppointmentData {
        services: store::services(&conn)?,
        staff: store::staff(&conn)?,
        contact,
        deals,
    })
}

/// What Settings → Scheduling shows: services, resources, the booking policy, who may have
/// hours (the active users), and `person`'s hours with their changes of the coming year.
pub struct SettingsData {
    pub services: Vec<Service>,
    pub resources: Vec<crate::domain::scheduling::Resource>,
    pub policy: crate::domain::scheduling::policy::BookingPolicy,
    pub people: Vec<(UserId, String)>,
    pub hours: WeeklyHours,
    pub exceptions: Vec<crate::domain::scheduling::availability::Exception>,
}

pub fn settings(tenant: &Tenant, person: UserId, today: chrono::NaiveDate) -> Result<SettingsData> {
    tenant.require(Capability::Scheduling)?;
    let conn = tenant.db.conn()?;
    let people = crate::store::users::list(&conn)?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id, u.display_name().to_string()))
        .collect();
    Ok(SettingsData {
        services: store::services(&conn)?,
        resources: store::resources(&conn)?,
        policy: store::policy(&conn)?,
        people,
        hours: store::hours(&conn, person)?,
        exceptions: store::exceptions(&conn, person, today, today + chrono::Duration::days(365))?,
    })
}
