//! The OpenAPI schemas of scheduling: services, schedules, free slots and appointments, as
//! `api::scheduling` reads and answers them.

use super::schemas::kit::*;
use serde_json::{Value, json};

/// Services, schedules, free slots and appointments.
pub(super) fn scheduling() -> Vec<(&'static str, Value)> {
    let mut all = services();
    all.extend(schedules());
    all.extend(appointments());
    all
}

/// What people book.
fn services() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Service",
            object(
                &[
                    "id",
                    "name",
                    "minutes",
                    "buffer_before",
                    "buffer_after",
                    "price",
                    "vat_rate",
                    "online",
                ],
                json!({
                    "id": int(), "name": text(), "minutes": int(), "buffer_before": int(),
                    "buffer_after": int(), "price": int(), "vat_rate": int(), "online": { "type": "boolean" }
                }),
            ),
        ),
        (
            "ServiceInput",
            input(json!({
                "name": { "type": "string", "description": "required, unique" },
                "minutes": { "type": "integer", "description": "required: 5 to 720" },
                "buffer_before": { "type": "integer", "description": "minutes kept free before (0 to 240)" },
                "buffer_after": { "type": "integer", "description": "minutes kept free after (0 to 240)" },
                "price": { "type": "integer", "description": "minor units, VAT included" },
                "vat_rate": { "type": "integer", "description": "basis points (2100 is 21 %)" },
                "online": { "type": "boolean", "description": "offered on the booking page (default true)" }
            })),
        ),
    ]
}

/// When people work, and when a service can start.
fn schedules() -> Vec<(&'static str, Value)> {
    let time = json!({ "type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$" });
    let spans = json!({ "type": "array", "items": object(&["starts", "ends"], json!({ "starts": time, "ends": time })) });
    let week = |spans: &Value| {
        let days: serde_json::Map<String, Value> = crate::domain::scheduling::WEEKDAYS
            .iter()
            .map(|d| (d.to_string(), spans.clone()))
            .collect();
        json!({ "type": "object", "additionalProperties": false, "properties": days })
    };
    vec![
        (
            "Slot",
            object(&["starts_at"], json!({ "starts_at": stamp() })),
        ),
        (
            "Schedule",
            object(
                &["user_id", "hours"],
                json!({ "user_id": int(), "hours": week(&spans) }),
            ),
        ),
        ("ScheduleInput", input(json!({ "hours": week(&spans) }))),
        (
            "Exception",
            object(
                &["user_id", "day", "spans"],
                json!({ "user_id": int(), "day": text(), "spans": spans.clone() }),
            ),
        ),
        (
            "ExceptionInput",
            input(
                json!({ "day": { "type": "string", "format": "date", "description": "required" }, "spans": spans.clone() }),
            ),
        ),
    ]
}

/// Appointments, booking one and moving it on.
fn appointments() -> Vec<(&'static str, Value)> {
    let status = json!({ "type": "string", "enum": crate::domain::scheduling::Status::ALL.map(|s| s.as_str()) });
    vec![
        (
            "Appointment",
            object(
                &[
                    "id",
                    "contact_id",
                    "staff_id",
                    "services",
                    "starts_at",
                    "ends_at",
                    "status",
                    "notes",
                    "cancel_reason",
                ],
                json!({
                    "id": int(), "contact_id": int(), "staff_id": int(),
                    "services": { "type": "array", "items": int() },
                    "starts_at": stamp(), "ends_at": stamp(), "status": status, "notes": text(),
                    "cancel_reason": opt_text()
                }),
            ),
        ),
        (
            "AppointmentStatus",
            input(json!({
                "status": { "type": "string", "enum": ["confirmed", "arrived", "completed", "cancelled", "no_show"], "description": "required" },
                "reason": { "type": "string", "description": "why it is cancelled" }
            })),
        ),
        (
            "AppointmentInput",
            input(json!({
                "contact_id": { "type": "integer", "description": "required" },
                "staff_id": { "type": "integer", "description": "required: whom it is with" },
                "service_ids": { "type": "array", "items": { "type": "integer" }, "description": "required: done one after another" },
                "starts_at": { "type": "string", "format": "date-time", "description": "required: a free slot (see /availability)" },
                "notes": { "type": "string" }
            })),
        ),
    ]
}
