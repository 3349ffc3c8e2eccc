//! `/services`, `/resources`, `/booking_policy`, `/availability` and `/appointments`.

use super::catalog::{flag, int, object, required_int, text};
use super::{ApiCtx, created, page};
use crate::app::read::scheduling as read;
use crate::app::scheduling::{Booking, Move};
use crate::domain::ids::{AppointmentId, ContactId, DealId, ResourceId, ServiceId, UserId};
use crate::domain::scheduling::policy::BookingPolicy;
use crate::domain::scheduling::series::{Frequency, Repeat};
use crate::domain::scheduling::{Filter, NewService, Status};
use crate::error::{Error, Result};
use crate::web::respond;
use chrono::NaiveDate;
use rouille::Response;
use serde_json::{Map, Value, json};

/// A list of ids under `key` (none given: empty).
fn ids(body: &Map<String, Value>, key: &str) -> Result<Vec<i64>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(list)) => list
            .iter()
            .map(Value::as_i64)
            .collect::<Option<_>>()
            .ok_or_else(|| Error::field(key, "must be a list of ids")),
        Some(_) => Err(Error::field(key, "must be a list of ids")),
    }
}

pub fn list_services(ctx: &ApiCtx) -> Result<Response> {
    let all = read::services(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

/// A service as a JSON body describes it (all of it: a change replaces the whole).
fn service_body(ctx: &ApiCtx) -> Result<NewService> {
    let keys = [
        "name",
        "minutes",
        "buffer_before",
        "buffer_after",
        "price",
        "vat_rate",
        "online",
        "resource_ids",
        "category",
        "colour",
        "processing",
        "staff_ids",
    ];
    let body = object(ctx, &keys)?;
    Ok(NewService {
        name: text(&body, "name")?.unwrap_or("").to_string(),
        minutes: required_int(&body, "minutes")?,
        buffer_before: int(&body, "buffer_before")?.unwrap_or(0),
        buffer_after: int(&body, "buffer_after")?.unwrap_or(0),
        price: int(&body, "price")?.unwrap_or(0),
        vat_rate: int(&body, "vat_rate")?.unwrap_or(2100),
        online: flag(&body, "online", true)?,
        resources: ids(&body, "resource_ids")?
            .into_iter()
            .map(ResourceId)
            .collect(),
        category: text(&body, "category")?.unwrap_or("").to_string(),
        colour: text(&body, "colour")?.unwrap_or("").to_string(),
        processing: int(&body, "processing")?.unwrap_or(0),
        staff: ids(&body, "staff_ids")?.into_iter().map(UserId).collect(),
    })
}

pub fn create_service(ctx: &ApiCtx) -> Result<Response> {
    let service = service_body(ctx)?;
    let id = ctx.app.add_service(ctx.tenant, &ctx.user, service)?;
    let saved = read::service(ctx.tenant, id)?.ok_or(Error::NotFound)?;
    let location = format!("/t/{}/api/v1/services/{id}", ctx.tenant.slug());
    Ok(created(&json!(saved), location))
}

pub fn get_service(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let found = read::service(ctx.tenant, ServiceId(id))?.ok_or(Error::NotFound)?;
    Ok(respond::json(&found))
}

/// `PUT /services/{id}`: replaces the service; appointments made keep their times.
pub fn put_service(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let service = service_body(ctx)?;
    let id = ServiceId(id);
    ctx.app.update_service(ctx.tenant, &ctx.user, id, service)?;
    get_service(ctx, id.0)
}

pub fn list_resources(ctx: &ApiCtx) -> Result<Response> {
    let all = read::resources(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

pub fn create_resource(ctx: &ApiCtx) -> Result<Response> {
    let body = object(ctx, &["name", "capacity"])?;
    let name = text(&body, "name")?.unwrap_or("");
    let capacity = int(&body, "capacity")?.unwrap_or(1);
    let id = ctx
        .app
        .add_resource(ctx.tenant, &ctx.user, name, capacity)?;
    let saved = read::resources(ctx.tenant)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(Error::NotFound)?;
    let location = format!("/t/{}/api/v1/resources", ctx.tenant.slug());
    Ok(created(&json!(saved), location))
}

pub fn get_policy(ctx: &ApiCtx) -> Result<Response> {
    Ok(respond::json(&read::policy(ctx.tenant)?))
}

/// The whole policy; a number left out keeps its value.
pub fn put_policy(ctx: &ApiCtx) -> Result<Response> {
    let keys = [
        "step_minutes",
        "lead_minutes",
        "horizon_days",
        "cancel_hours",
        "reminder_hours",
        "online",
        "approval",
    ];
    let body = object(ctx, &keys)?;
    let old = read::policy(ctx.tenant)?;
    let policy = BookingPolicy {
        step_minutes: int(&body, "step_minutes")?.unwrap_or(old.step_minutes),
        lead_minutes: int(&body, "lead_minutes")?.unwrap_or(old.lead_minutes),
        horizon_days: int(&body, "horizon_days")?.unwrap_or(old.horizon_days),
        cancel_hours: int(&body, "cancel_hours")?.unwrap_or(old.cancel_hours),
        reminder_hours: int(&body, "reminder_hours")?.unwrap_or(old.reminder_hours),
        online: flag(&body, "online", old.online)?,
        approval: flag(&body, "approval", old.approval)?,
    };
    ctx.app.set_booking_policy(ctx.tenant, &ctx.user, policy)?;
    Ok(respond::json(&read::policy(ctx.tenant)?))
}

/// `?service_id=&staff_id=&from=&to=`: when the service can start with that person (or, with
/// no `staff_id`, anyone who takes appointments) on those days of the workspace's zone.
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
    let service = ServiceId(id("service_id")?);
    let staff = match get("staff_id").filter(|v| !v.is_empty()) {
        None => None,
        Some(_) => Some(UserId(id("staff_id")?)),
    };
    let slots = ctx
        .app
        .free_slots(ctx.tenant, staff, &[service], (day("from")?, day("to")?))?;
    let data: Vec<Value> = slots
        .iter()
        .map(|s| json!({ "starts_at": crate::clock::stamp(s.start), "staff_id": s.staff_id }))
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
            "overbook",
            "notify",
            "repeat",
            "deal_id",
        ],
    )?;
    let services: Vec<ServiceId> = ids(&body, "service_ids")?
        .into_iter()
        .map(ServiceId)
        .collect();
    let starts_at =
        text(&body, "starts_at")?.ok_or_else(|| Error::field("starts_at", "is required"))?;
    let booking = Booking {
        contact_id: ContactId(required_int(&body, "contact_id")?),
        staff_id: UserId(required_int(&body, "staff_id")?),
        services: &services,
        starts_at,
        notes: text(&body, "notes")?.unwrap_or(""),
        overbook: flag(&body, "overbook", false)?,
        notify: flag(&body, "notify", false)?,
        deal_id: int(&body, "deal_id")?.map(DealId),
    };
    if let Some(repeat) = repeat_of(body.get("repeat"))? {
        let report = ctx
            .app
            .book_series(ctx.tenant, &ctx.user, &booking, repeat)?;
        let location = format!("/t/{}/api/v1/appointments", ctx.tenant.slug());
        return Ok(created(&json!(report), location));
    }
    let id = ctx.app.book(ctx.tenant, &ctx.user, &booking)?;
    let saved = read::appointment(ctx.tenant, id)?.ok_or(Error::NotFound)?;
    let location = format!("/t/{}/api/v1/appointments/{id}", ctx.tenant.slug());
    Ok(created(&json!(saved), location))
}

/// `{"frequency": "weekly", "interval": 1, "count": 10}`, if given.
fn repeat_of(value: Option<&Value>) -> Result<Option<Repeat>> {
    let Some(Value::Object(r)) = value else {
        return match value {
            None | Some(Value::Null) => Ok(None),
            Some(_) => Err(Error::field("repeat", "must be an object")),
        };
    };
    let frequency = r
        .get("frequency")
        .and_then(Value::as_str)
        .and_then(Frequency::parse)
        .ok_or_else(|| {
            Error::field(
                "repeat.frequency",
                "must be daily, weekly, monthly or monthly_weekday",
            )
        })?;
    let number = |key: &str, default: u32| -> Result<u32> {
        match r.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| Error::field(&format!("repeat.{key}"), "must be a whole number")),
        }
    };
    Ok(Some(Repeat {
        frequency,
        interval: number("interval", 1)?,
        count: number("count", 0)?,
    }))
}

/// `{"starts_at": …, "staff_id": …, "overbook": false}`: another time (and person).
pub fn move_appointment(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["starts_at", "ends_at", "staff_id", "overbook"])?;
    let starts_at =
        text(&body, "starts_at")?.ok_or_else(|| Error::field("starts_at", "is required"))?;
    let m = Move {
        staff_id: int(&body, "staff_id")?.map(UserId),
        starts_at,
        ends_at: text(&body, "ends_at")?,
        overbook: flag(&body, "overbook", false)?,
    };
    let moved = ctx
        .app
        .move_appointment(ctx.tenant, &ctx.user, AppointmentId(id), &m)?;
    Ok(respond::json(&moved))
}

/// `{"reason": "…"}`: calls the appointment off.
pub fn cancel(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["reason"])?;
    let id = AppointmentId(id);
    read::appointment(ctx.tenant, id)?.ok_or(Error::NotFound)?;
    let reason = text(&body, "reason")?.unwrap_or("");
    ctx.app
        .set_appointment_status(ctx.tenant, &ctx.user, id, Status::Cancelled, reason)?;
    Ok(respond::json(
        &read::appointment(ctx.tenant, id)?.ok_or(Error::NotFound)?,
    ))
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
    let limit = match get("limit") {
        None => 25,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| Error::field("limit", "must be a number from 1 to 100"))?,
    };
    let (from, to, cursor) = (
        get("from").unwrap_or_default(),
        get("to").unwrap_or_default(),
        get("cursor"),
    );
    let (list, total, next) = read::appointments(
        ctx.tenant,
        &read::AppointmentQuery {
            from: &from,
            to: &to,
            which: Filter {
                staff,
                status,
                service: None,
            },
            cursor: cursor.as_deref(),
            limit,
        },
    )?;
    Ok(page(list, total, next))
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
