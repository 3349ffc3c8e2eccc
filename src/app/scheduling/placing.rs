//! Where a booking can go: free slots, and the check every booking, move and hold passes in
//! its write transaction (its person works then, nothing of theirs overlaps it with the
//! buffers, each resource it needs has room).

use super::services_of;
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::capability::Capability;
use crate::domain::ids::{ResourceId, ServiceId, UserId};
use crate::domain::local_time::{start_of, today};
use crate::domain::scheduling::availability::{Calendar, Policy, ResourceUse};
use crate::domain::scheduling::{Service, need_of};
use crate::error::{Error, Result};
use crate::store::busy::{self, Except, LONGEST_BUSY_HOURS};
use crate::store::scheduling as store;
use crate::store::{Connection, users};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// A free time and whom it is with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub staff_id: UserId,
}

/// What a booking asks for, to be checked.
pub(super) struct Ask<'a> {
    pub staff: UserId,
    pub services: &'a [ServiceId],
    pub start: DateTime<Utc>,
    pub except: Except<'a>,
    /// Staff may book over their own other appointments, or outside their hours, on purpose.
    pub overbook: bool,
    /// How long it lasts, where not its services' minutes added (a resized appointment);
    /// processing gaps past its end are dropped.
    pub length: Option<Duration>,
}

/// A booking that passed: its spans as UTC stamps and what it uses.
pub(super) struct Placed {
    pub services: Vec<Service>,
    pub resources: Vec<ResourceId>,
    pub starts_at: String,
    pub ends_at: String,
    pub busy_from: String,
    pub busy_until: String,
    /// The spans inside it when its person is free (processing gaps), as UTC stamps.
    pub gaps: Vec<(String, String)>,
    pub overbooked: bool,
}

/// The resources `services` need, each with what uses it over `[from, to)`.
fn resource_uses(
    conn: &Connection,
    services: &[Service],
    (from, to): (&str, &str),
    except: Except,
) -> Result<(Vec<ResourceId>, Vec<ResourceUse>)> {
    let mut ids: Vec<ResourceId> = services.iter().flat_map(|s| s.resources.clone()).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok((ids, Vec::new()));
    }
    let all = store::resources(conn)?;
    let mut uses = Vec::new();
    for id in &ids {
        let capacity = all.iter().find(|r| r.id == *id).map_or(1, |r| r.capacity);
        let busy = busy::resource_busy(conn, *id, (from, to), except.appointment)?;
        uses.push(ResourceUse { capacity, busy });
    }
    Ok((ids, uses))
}

/// Checks a booking against everything it could clash with; `Conflict` when its time is
/// taken, a refusal of `starts_at` when its person does not work then.
pub(super) fn place(conn: &Connection, zone: Tz, ask: &Ask, now: &str) -> Result<Placed> {
    users::by_id(conn, ask.staff)?
        .filter(|u| u.active)
        .ok_or_else(|| Error::field("staff_id", "is not a user here"))?;
    let services = services_of(conn, ask.services)?;
    if let Some(s) = services.iter().find(|s| !s.done_by(ask.staff)) {
        return Err(Error::field(
            "staff_id",
            format!("does not perform {}", s.name),
        ));
    }
    let mut need = need_of(&services);
    if let Some(length) = ask.length {
        need.duration = length;
        need.gaps.retain(|(offset, gap)| *offset + *gap <= length);
    }
    let (from, until) = (
        ask.start - need.before,
        ask.start + need.duration + need.after,
    );
    if until - from > Duration::hours(LONGEST_BUSY_HOURS) {
        return Err(Error::field(
            "service_ids",
            "take longer than a day together",
        ));
    }
    let (busy_from, busy_until) = (stamp(from), stamp(until));
    let day = today(ask.start, zone);
    let hours = store::hours(conn, ask.staff)?;
    let exceptions = store::exceptions(conn, ask.staff, day, day)?;
    let window = (busy_from.as_str(), busy_until.as_str());
    let busy = busy::staff_busy(conn, ask.staff, window, ask.except, now)?;
    let (resources, uses) = resource_uses(conn, &services, window, ask.except)?;
    let calendar = Calendar {
        zone,
        hours: &hours,
        exceptions: &exceptions,
        busy: &busy,
        resources: &uses,
    };
    if !ask.overbook && !calendar.within_hours(ask.start, &need) {
        return Err(Error::field(
            "starts_at",
            "is not within the working hours of whom it is with",
        ));
    }
    if !calendar.has_resources(ask.start, &need) {
        return Err(Error::Conflict(
            "A room or resource it needs is taken at that time.".into(),
        ));
    }
    let clear = calendar.is_free(ask.start, &need);
    if !clear && !ask.overbook {
        return Err(Error::Conflict("That time is already booked.".into()));
    }
    Ok(Placed {
        services,
        resources,
        starts_at: stamp(ask.start),
        ends_at: stamp(ask.start + need.duration),
        busy_from,
        busy_until,
        gaps: need
            .gaps_at(ask.start)
            .into_iter()
            .map(|g| (stamp(g.start), stamp(g.end)))
            .collect(),
        overbooked: !clear,
    })
}

/// The free slots of `staff` (each, in order) on the days `[from, to]`.
pub(super) fn slots(
    conn: &Connection,
    zone: Tz,
    staff: &[UserId],
    services: &[Service],
    (from, to): (NaiveDate, NaiveDate),
    (policy, now): (Policy, DateTime<Utc>),
) -> Result<Vec<Slot>> {
    let need = need_of(services);
    let start = start_of(from, zone) - Duration::hours(LONGEST_BUSY_HOURS);
    let end = start_of(to.succ_opt().unwrap_or(to), zone) + Duration::hours(LONGEST_BUSY_HOURS);
    let window = (stamp(start), stamp(end));
    let window = (window.0.as_str(), window.1.as_str());
    let (_, uses) = resource_uses(conn, services, window, Except::default())?;
    let mut out = Vec::new();
    let able = staff
        .iter()
        .filter(|p| services.iter().all(|s| s.done_by(**p)));
    for person in able {
        let hours = store::hours(conn, *person)?;
        let exceptions = store::exceptions(conn, *person, from, to)?;
        let busy = busy::staff_busy(conn, *person, window, Except::default(), &stamp(now))?;
        let calendar = Calendar {
            zone,
            hours: &hours,
            exceptions: &exceptions,
            busy: &busy,
            resources: &uses,
        };
        out.extend(
            calendar
                .free_slots(&need, policy, now, (from, to))
                .into_iter()
                .map(|start| Slot {
                    start,
                    staff_id: *person,
                }),
        );
    }
    out.sort_by_key(|s| s.start);
    Ok(out)
}

impl App {
    /// When `services`, one after another, can start with `staff` (or anyone who takes
    /// appointments) on the days `[from, to]` of the workspace's zone.
    pub fn free_slots(
        &self,
        tenant: &Tenant,
        staff: Option<UserId>,
        services: &[ServiceId],
        (from, to): (NaiveDate, NaiveDate),
    ) -> Result<Vec<Slot>> {
        tenant.require(Capability::Scheduling)?;
        if to < from || (to - from).num_days() > 62 {
            return Err(Error::field(
                "to",
                "must be on or after from, at most 62 days later",
            ));
        }
        let conn = tenant.db.conn()?;
        let chosen = services_of(&conn, services)?;
        let people: Vec<UserId> = match staff {
            Some(one) => vec![one],
            None => store::staff(&conn)?.into_iter().map(|(id, _)| id).collect(),
        };
        let policy = store::policy(&conn)?.staff_slots();
        slots(
            &conn,
            tenant.zone_of(None),
            &people,
            &chosen,
            (from, to),
            (policy, self.now()),
        )
    }
}
