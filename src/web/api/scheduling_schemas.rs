//! The OpenAPI schemas of scheduling: services, schedules, free slots and appointments, as
//! `api::scheduling` reads and answers them.

use super::schemas::kit::*;
use serde_json::{Value, json};

/// Services, schedules, free slots and appointments.
pub(super) fn scheduling() -> Vec<(&'static str, Value)> {
    let mut all = services();
    all.extend(schedules());
    all.extend(appointments());
    all.extend(appointment_changes());
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
                    "resources",
                    "category",
                    "colour",
                    "processing",
                    "staff",
                ],
                json!({
                    "id": int(), "name": text(), "minutes": int(), "buffer_before": int(),
                    "buffer_after": int(), "price": int(), "vat_rate": int(), "online": { "type": "boolean" },
                    "resources": { "type": "array", "items": int() },
                    "category": text(),
                    "colour": { "type": "string", "enum": ["blue", "green", "amber", "rose", "violet", "teal", "grey"] },
                    "processing": int(),
                    "staff": { "type": "array", "items": int(), "description": "who may perform it (empty: everyone)" }
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
                "online": { "type": "boolean", "description": "offered on the booking page (default true)" },
                "resource_ids": { "type": "array", "items": { "type": "integer" }, "description": "rooms or machines it needs" },
                "category": { "type": "string", "description": "what the booking page groups it under (at most 60 characters)" },
                "colour": { "type": "string", "enum": ["blue", "green", "amber", "rose", "violet", "teal", "grey"], "description": "its colour on the calendar (default blue)" },
                "processing": { "type": "integer", "description": "its last minutes, when its person is free for others (less than minutes)" },
                "staff_ids": { "type": "array", "items": { "type": "integer" }, "description": "who may perform it (none: everyone)" }
            })),
        ),
        (
            "Resource",
            object(
                &["id", "name", "capacity"],
                json!({ "id": int(), "name": text(), "capacity": int() }),
            ),
        ),
        (
            "ResourceInput",
            input(json!({
                "name": { "type": "string", "description": "required, unique" },
                "capacity": { "type": "integer", "description": "how many appointments use it at once (1 to 100, default 1)" }
            })),
        ),
        ("BookingPolicy", object(&POLICY, policy_props())),
        ("BookingPolicyInput", input(policy_props())),
    ]
}

const POLICY: [&str; 7] = [
    "step_minutes",
    "lead_minutes",
    "horizon_days",
    "cancel_hours",
    "reminder_hours",
    "online",
    "approval",
];

fn policy_props() -> Value {
    json!({
        "step_minutes": { "type": "integer", "description": "minutes between slots (5 to 240)" },
        "lead_minutes": { "type": "integer", "description": "how soon the booking page offers a slot (0 to 43200)" },
        "horizon_days": { "type": "integer", "description": "how far ahead it offers slots (1 to 730)" },
        "cancel_hours": { "type": "integer", "description": "until how many hours before a client may move or cancel (0 to 720)" },
        "reminder_hours": { "type": "integer", "description": "hours before the start the reminder goes (0: none; up to 720)" },
        "online": { "type": "boolean", "description": "whether the booking page takes bookings" },
        "approval": { "type": "boolean", "description": "whether online bookings wait for staff to confirm" }
    })
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
            object(
                &["starts_at", "staff_id"],
                json!({ "starts_at": stamp(), "staff_id": int() }),
            ),
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
                    "contact_name",
                    "resources",
                    "origin",
                    "overbooked",
                    "series_id",
                    "sequence",
                    "mailed",
                    "deal_id",
                ],
                json!({
                    "id": int(), "contact_id": int(), "staff_id": int(),
                    "services": { "type": "array", "items": int() },
                    "starts_at": stamp(), "ends_at": stamp(), "status": status, "notes": text(),
                    "cancel_reason": opt_text(), "contact_name": text(),
                    "resources": { "type": "array", "items": int() },
                    "origin": { "type": "string", "enum": ["staff", "online"] },
                    "overbooked": { "type": "boolean" }, "series_id": opt_int(), "sequence": int(),
                    "mailed": { "type": "boolean", "description": "whether its client was mailed (and hears of changes)" },
                    "deal_id": opt_int()
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
                "notes": { "type": "string" },
                "overbook": { "type": "boolean", "description": "book over the person's other appointments or outside their hours, on purpose (logged)" },
                "notify": { "type": "boolean", "description": "mail the contact a confirmation with an invitation (.ics)" },
                "deal_id": { "type": "integer", "description": "the deal it is about" },
                "repeat": {
                    "type": "object", "additionalProperties": false, "required": ["frequency", "count"],
                    "description": "book a series; the answer is a SeriesReport",
                    "properties": {
                        "frequency": { "type": "string", "enum": ["daily", "weekly", "monthly", "monthly_weekday"] },
                        "interval": { "type": "integer", "description": "every how many days, weeks or months (1 to 52)" },
                        "count": { "type": "integer", "description": "how many appointments in all (2 to 104)" }
                    }
                }
            })),
        ),
    ]
}

/// What a series booked, and moving or cancelling one appointment.
fn appointment_changes() -> Vec<(&'static str, Value)> {
    vec![
        (
            "SeriesReport",
            object(
                &["series_id", "booked", "conflicts"],
                json!({
                    "series_id": int(), "booked": { "type": "array", "items": int() },
                    "conflicts": { "type": "array", "items": { "type": "array", "items": text() }, "description": "[start, why] of each time not booked" }
                }),
            ),
        ),
        (
            "AppointmentMove",
            input(json!({
                "starts_at": { "type": "string", "format": "date-time", "description": "required" },
                "ends_at": { "type": "string", "format": "date-time", "description": "a new end, 5 minutes to 12 hours after the start (default: as long as it is)" },
                "staff_id": { "type": "integer", "description": "another person (default: the same)" },
                "overbook": { "type": "boolean" }
            })),
        ),
        (
            "AppointmentCancel",
            input(json!({ "reason": { "type": "string" } })),
        ),
    ]
}
