//! `/services`, `/availability` and `/appointments`.

use super::catalog::{object, text};
use super::{ApiCtx, created, page};
use crate::app::read::scheduling as read;
use crate::app::scheduling::Booking;
use crate::domain::ids::{AppointmentId, ContactId, ServiceId, UserId};
use crate::domain::scheduling::availability::{Span, WeeklyHours};
use crate::domain::scheduling::{NewService, Status, WEEKDAYS, span};
use crate::error::{Error, Result};
use crate::web::respond;
use chrono::NaiveDate;
use rouille::Response;
use serde_json::{Map, Value, json};

/// A whole number under `key`, if given.
fn int(body: &Map<String, Value>, key: &str) -> Result<Option<i64>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| Error::field(key, "must be a whole number")),
    }
}

fn required_int(body: &Map<String, Value>, key: &str) -> Result<i64> {
    int(body, key)?.ok_or_else(|| Error::field(key, "is required"))
}

pub fn list_services(ctx: &ApiCtx) -> Result<Response> {
    let all = read::services(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

pub fn create_service(ctx: &ApiCtx) -> Result<Response> {
    let keys = [
        "name",
        "minutes",
        "buffer_before",
        "buffer_after",
        "price",
        "vat_rate",
        "online",
    ];
    let body = object(ctx, &keys)?;
    let online = match body.get("online") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::field("online", "must be true or false")),
    };
    let service = NewService {
        name: text(&body, "name")?.unwrap_or("").to_string(),
        minutes: required_int(&body, "minutes")?,
        buffer_before: int(&body, "buffer_before")?.unwrap_or(0),
        buffer_after: int(&body, "buffer_after")?.unwrap_or(0),
        price: int(&body, "price")?.unwrap_or(0),
        vat_rate: int(&body, "vat_rate")?.unwrap_or(2100),
        online,
    };
    let id = ctx.app.add_service(ctx.tenant, &ctx.user, service)?;
    let saved = read::service(ctx.tenant, id)?.ok_or(Error::NotFound)?;
    let location = format!("/t/{}/api/v1/services/{id}", ctx.tenant.slug());
    Ok(created(&json!(saved), location))
}

/// `?service_id=&staff_id=&from=&to=`: when the service can start with that person on those
/// days (of the workspace's zone), as UTC stamps.
pub fn availability(ctx: &ApiCtx) -> Result<Response> {
    let get = |key: &str| ctx.req.get_param(key);
    let id = |key: &str| -> Result<i64> {
        get(key)
            .and_then(|v| v.parse::<i64>().ok())
            .ok_or_else(|| Error::field(key, "must be an id"))
    };
    let day = |key: &str| -> Result<NaiveDate> {
        get(key)
            .and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok())
            .ok_or_else(|| Error::field(key, "is not a date like 2026-11-21"))
    };
    let (service, staff) = (ServiceId(id("service_id")?), UserId(id("staff_id")?));
    let slots = ctx
        .app
        .free_slots(ctx.tenant, staff, &[service], (day("from")?, day("to")?))?;
    let data: Vec<Value> = slots
        .iter()
        .map(|s| json!({ "starts_at": crate::clock::stamp(*s) }))
        .collect();
    let n = data.len() as i64;
    Ok(page(data, n, None))
}

pub fn create_appointment(ctx: &ApiCtx) -> Result<Response> {
    let body = object(
        ctx,
        &[
            "contact_id",
            "staff_id",
            "service_ids",
            "starts_at",
            "notes",
        ],
    )?;
    let services: Vec<ServiceId> = match body.get("service_ids") {
        Some(Value::Array(list)) => list
            .iter()
            .map(|v| v.as_i64().map(ServiceId))
            .collect::<Option<_>>()
            .ok_or_else(|| Error::field("service_ids", "must be service ids"))?,
        _ => return Err(Error::field("service_ids", "must be a list of service ids")),
    };
    let starts_at =
        text(&body, "starts_at")?.ok_or_else(|| Error::field("starts_at", "is required"))?;
    let booking = Booking {
        contact_id: ContactId(required_int(&body, "contact_id")?),
        staff_id: UserId(required_int(&body, "staff_id")?),
        services: &services,
        starts_at,
        notes: text(&body, "notes")?.unwrap_or(""),
    };
    let id = ctx.app.book(ctx.tenant, &ctx.user, &booking)?;
    let saved = read::appointment(ctx.tenant, id)?.ok_or(Error::NotFound)?;
    let location = format!("/t/{}/api/v1/appointments/{id}", ctx.tenant.slug());
    Ok(created(&json!(saved), location))
}

pub fn get_appointment(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let found = read::appointment(ctx.tenant, AppointmentId(id))?.ok_or(Error::NotFound)?;
    Ok(respond::json(&found))
}

/// `?from=&to=` (date-times, at most 92 days apart), `staff_id=`, `status=`.
pub fn list_appointments(ctx: &ApiCtx) -> Result<Response> {
    let get = |key: &str| ctx.req.get_param(key).filter(|v| !v.is_empty());
    let staff = match get("staff_id") {
        None => None,
        Some(v) => Some(UserId(
            v.parse()
                .map_err(|_| Error::field("staff_id", "must be an id"))?,
        )),
    };
    let status = match get("status") {
        None => None,
        Some(v) => {
            Some(Status::parse(&v).ok_or_else(|| Error::field("status", "is not a status"))?)
        }
    };
    let (from, to) = (
        get("from").unwrap_or_default(),
        get("to").unwrap_or_default(),
    );
    let list = ctx
        .app
        .appointments(ctx.tenant, (&from, &to), staff, status)?;
    let n = list.len() as i64;
    Ok(page(list, n, None))
}

/// `{"status": "…", "reason": "…"}`: the appointment's next step in its life.
pub fn set_status(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["status", "reason"])?;
    let status = text(&body, "status")?
        .and_then(Status::parse)
        .ok_or_else(|| Error::field("status", "must be a status"))?;
    let id = AppointmentId(id);
    read::appointment(ctx.tenant, id)?.ok_or(Error::NotFound)?;
    let reason = text(&body, "reason")?.unwrap_or("");
    ctx.app
        .set_appointment_status(ctx.tenant, &ctx.user, id, status, reason)?;
    Ok(respond::json(
        &read::appointment(ctx.tenant, id)?.ok_or(Error::NotFound)?,
    ))
}

/// Spans as JSON: `[{"starts": "09:00", "ends": "12:00"}, …]`.
fn spans_json(spans: &[Span]) -> Value {
    let one = |s: &Span| json!({ "starts": s.start.format("%H:%M").to_string(), "ends": s.end.format("%H:%M").to_string() });
    Value::Array(spans.iter().map(one).collect())
}

/// Spans from JSON, each starting before it ends; refused by `field` otherwise.
fn spans_of(value: Option<&Value>, field: &str) -> Result<Vec<Span>> {
    let refuse = || {
        Error::field(
            field,
            "must be a list of {\"starts\": \"HH:MM\", \"ends\": \"HH:MM\"}, each starting before it ends",
        )
    };
    let list = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(refuse()),
    };
    list.iter()
        .map(|v| {
            let (starts, ends) = (
                v.get("starts").and_then(Value::as_str),
                v.get("ends").and_then(Value::as_str),
            );
            starts
                .zip(ends)
                .and_then(|(a, b)| span(a, b))
                .ok_or_else(refuse)
        })
        .collect()
}

fn schedule_json(staff: UserId, hours: &WeeklyHours) -> Value {
    let days: Map<String, Value> = WEEKDAYS
        .iter()
        .zip(&hours.days)
        .map(|(name, spans)| (name.to_string(), spans_json(spans)))
        .collect();
    json!({ "user_id": staff, "hours": days })
}

pub fn get_schedule(ctx: &ApiCtx, staff: i64) -> Result<Response> {
    let staff = UserId(staff);
    Ok(respond::json(&schedule_json(
        staff,
        &read::working_hours(ctx.tenant, staff)?,
    )))
}

/// `{"hours": {"monday": [{"starts": "09:00", "ends": "12:00"}, …], …}}`: a weekday left out
/// is not worked.
pub fn put_schedule(ctx: &ApiCtx, staff: i64) -> Result<Response> {
    let staff = UserId(staff);
    let body = object(ctx, &["hours"])?;
    let Some(Value::Object(days)) = body.get("hours") else {
        return Err(Error::field("hours", "must be an object of weekdays"));
    };
    if let Some(unknown) = days.keys().find(|k| !WEEKDAYS.contains(&k.as_str())) {
        return Err(Error::field(
            &format!("hours.{unknown}"),
            "is not a weekday",
        ));
    }
    let mut hours = WeeklyHours::default();
    for (i, name) in WEEKDAYS.iter().enumerate() {
        hours.days[i] = spans_of(days.get(*name), &format!("hours.{name}"))?;
    }
    ctx.app
        .set_working_hours(ctx.tenant, &ctx.user, staff, &hours)?;
    Ok(respond::json(&schedule_json(
        staff,
        &read::working_hours(ctx.tenant, staff)?,
    )))
}

/// `{"day": "2026-12-24", "spans": […]}`: other hours that day; no spans, a day off.
pub fn put_exception(ctx: &ApiCtx, staff: i64) -> Result<Response> {
    let staff = UserId(staff);
    let body = object(ctx, &["day", "spans"])?;
    let day = text(&body, "day")?
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .ok_or_else(|| Error::field("day", "is not a date like 2026-11-21"))?;
    let spans = spans_of(body.get("spans"), "spans")?;
    ctx.app
        .set_working_exception(ctx.tenant, &ctx.user, staff, day, &spans)?;
    Ok(respond::json(
        &json!({ "user_id": staff, "day": day.to_string(), "spans": spans_json(&spans) }),
    ))
}
