//! Demo scheduling for the seed: four services (treatments need the treatment room, which
//! has room for everyone at once), weekday hours for each person the work is spread over, and
//! their appointments from a year back to a year ahead, spread evenly over the working days
//! and packed into the hours without overlapping (buffers kept).

use crate::clock::stamp;
use crate::domain::demo::Rng;
use crate::domain::ids::UserId;
use crate::domain::local_time::to_utc;
use crate::domain::scheduling::availability::WeeklyHours;
use crate::domain::scheduling::{NewService, Service, span};
use crate::error::Result;
use crate::store::Write;
use crate::store::crm::seed::{self, IntoValue, Value};
use crate::store::scheduling as store;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// At most this many appointments a person has on a day.
const PER_DAY: usize = 12;

/// Who works, on which contacts, and how many appointments are wanted.
pub(super) struct Plan<'a> {
    pub owners: &'a [i64],
    /// The first contact's id and how many there are from it.
    pub contacts: (i64, usize),
    pub now: DateTime<Utc>,
    pub zone: Tz,
    pub wanted: usize,
}

/// The services of the demo, made if the workspace has none by their names.
fn services(tx: &Write, now: &str, people: usize) -> Result<Vec<Service>> {
    let have = store::services(tx)?;
    let room = match store::resources(tx)?
        .into_iter()
        .find(|r| r.name == "Treatment room")
    {
        Some(r) => r.id,
        None => store::insert_resource(tx, "Treatment room", people.clamp(1, 100) as i64, now)?,
    };
    for (name, minutes, after, price, (category, colour)) in [
        ("Quick check", 15, 0, 2_500, ("Consults", "grey")),
        ("Consult", 30, 0, 4_500, ("Consults", "blue")),
        ("Treatment", 60, 15, 9_000, ("Treatments", "green")),
        ("Follow-up", 45, 0, 6_000, ("Treatments", "teal")),
    ] {
        if !have.iter().any(|s| s.name == name) {
            let s = NewService {
                name: name.into(),
                minutes,
                buffer_before: 0,
                buffer_after: after,
                price,
                vat_rate: 2100,
                online: true,
                category: category.into(),
                colour: colour.into(),
                resources: if name == "Treatment" {
                    vec![room]
                } else {
                    Vec::new()
                },
                ..NewService::default()
            };
            store::insert_service(tx, &s, now)?;
        }
    }
    store::services(tx)
}

/// Mondays to Fridays 09:00–17:00 with an hour for lunch, for whoever has no hours yet.
fn hours(tx: &Write, owners: &[i64]) -> Result<()> {
    let mut week = WeeklyHours::default();
    for d in 0..5 {
        week.days[d] = [span("09:00", "12:00"), span("13:00", "17:00")]
            .into_iter()
            .flatten()
            .collect();
    }
    for owner in owners {
        if store::hours(tx, UserId(*owner))?
            .days
            .iter()
            .all(Vec::is_empty)
        {
            store::set_hours(tx, UserId(*owner), &week)?;
        }
    }
    Ok(())
}

/// The appointment rows made so far, and the service of each.
#[derive(Default)]
struct Made {
    rows: Vec<Vec<Value>>,
    services: Vec<i64>,
    /// The resources of each, over its busy span.
    resources: Vec<Vec<(i64, String, String)>>,
}

/// Up to `share` appointments of `owner` on `day`, one after another from 09:00, around lunch,
/// until 17:00.
fn person_day(
    rng: &mut Rng,
    plan: &Plan,
    services: &[Service],
    (day, owner): (NaiveDate, i64),
    share: usize,
    made: &mut Made,
) {
    let wall = |h: u32| day.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN));
    let made_at = stamp(plan.now);
    let mut at = wall(9);
    for _ in 0..share {
        let s = &services[rng.below(services.len())];
        let length = Duration::minutes(s.minutes);
        if at < wall(12) && at + length > wall(12) {
            at = wall(13);
        }
        if at + length > wall(17) {
            break;
        }
        let start = to_utc(at, plan.zone);
        let (end, until) = (
            start + length,
            start + length + Duration::minutes(s.buffer_after),
        );
        let contact = plan.contacts.0 + rng.below(plan.contacts.1) as i64;
        let status = match (start < plan.now, rng.below(100)) {
            (true, 0..=84) => "completed",
            (true, 85..=89) => "no_show",
            (true, _) | (false, 90..=94) => "cancelled",
            (false, 95..) => "requested",
            (false, _) => "confirmed",
        };
        let reason = (status == "cancelled").then(|| "Demo: called off".to_string());
        made.rows.push(vec![
            contact.into_value(),
            owner.into_value(),
            stamp(start).into_value(),
            stamp(end).into_value(),
            stamp(start).into_value(),
            stamp(until).into_value(),
            status.into_value(),
            reason.into_value(),
            made_at.clone().into_value(),
            made_at.clone().into_value(),
        ]);
        made.services.push(s.id.0);
        made.resources.push(
            s.resources
                .iter()
                .map(|r| (r.0, stamp(start), stamp(until)))
                .collect(),
        );
        at += length + Duration::minutes(s.buffer_after + 15 * i64::from(rng.below(4) == 0));
    }
}

/// Makes the appointments; how many it made (fewer than wanted when the hours are full).
pub(super) fn seed_schedule(tx: &Write, rng: &mut Rng, plan: &Plan) -> Result<usize> {
    if plan.owners.is_empty() || plan.contacts.1 == 0 || plan.wanted == 0 {
        return Ok(0);
    }
    let services = services(tx, &stamp(plan.now), plan.owners.len())?;
    hours(tx, plan.owners)?;
    let today = crate::domain::local_time::today(plan.now, plan.zone);
    let days: Vec<NaiveDate> = (-365..=365)
        .map(|d| today + Duration::days(d))
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect();
    let slots = days.len() * plan.owners.len();
    let mut made = Made::default();
    let person_days = days
        .iter()
        .flat_map(|d| plan.owners.iter().map(move |o| (*d, *o)));
    for (i, which) in person_days.enumerate() {
        // This person-day's share, so that the shares add up to what was wanted.
        let share = ((i + 1) * plan.wanted / slots - i * plan.wanted / slots).min(PER_DAY);
        person_day(rng, plan, &services, which, share, &mut made);
    }
    let columns = [
        "contact_id",
        "staff_id",
        "starts_at",
        "ends_at",
        "busy_from",
        "busy_until",
        "status",
        "cancel_reason",
        "created_at",
        "updated_at",
    ];
    let first = seed::insert_rows(tx, "appointments", &columns, &made.rows)?;
    let services: Vec<Vec<Value>> = made
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                (first + i as i64).into_value(),
                0i64.into_value(),
                (*s).into_value(),
            ]
        })
        .collect();
    let pairs = ["appointment_id", "position", "service_id"];
    seed::insert_pairs(tx, "appointment_services", &pairs, &services)?;
    let used: Vec<Vec<Value>> = made
        .resources
        .iter()
        .enumerate()
        .flat_map(|(i, list)| {
            list.iter().map(move |(r, from, until)| {
                vec![
                    (first + i as i64).into_value(),
                    (*r).into_value(),
                    from.clone().into_value(),
                    until.clone().into_value(),
                ]
            })
        })
        .collect();
    let columns = ["appointment_id", "resource_id", "busy_from", "busy_until"];
    seed::insert_pairs(tx, "appointment_resources", &columns, &used)?;
    Ok(made.rows.len())
}
