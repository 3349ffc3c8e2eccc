//! `/schedules`: when people work, weekly and on single days.

use super::ApiCtx;
use super::catalog::{object, text};
use crate::app::read::scheduling as read;
use crate::domain::ids::UserId;
use crate::domain::scheduling::availability::{Span, WeeklyHours};
use crate::domain::scheduling::{WEEKDAYS, span};
use crate::error::{Error, Result};
use crate::web::respond;
use chrono::NaiveDate;
use rouille::Response;
use serde_json::{Map, Value, json};

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
