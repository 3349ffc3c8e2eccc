//! Automations on appointments: rules listening to `appointment.*` with conditions on the
//! service and the person, mailing the client and making a follow-up task on them.

use crate::booking::salon;
use crate::support::TestApp;
use crate::support::http::Client;
use chrono::Duration;
use serde_json::{Value, json};

const API: &str = "/t/salon/api/v1";

fn post(api: &mut Client, path: &str, body: Value) -> Value {
    let made = api.json("POST", &format!("{API}{path}"), &body);
    assert!(made.status < 300, "{path}: {}", made.body);
    made.json()
}

/// The runs of rule `id`, once the engine has taken every due one.
fn runs(app: &TestApp, api: &mut Client, rule: &Value) -> Vec<Value> {
    onebox::jobs::tick(app.app()).expect("tick");
    api.get(&format!("{API}/automations/{}/runs", rule["id"]))
        .json()["data"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn appointment_events_run_the_rules_whose_service_and_person_match() {
    let app = TestApp::start();
    let s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let welcome = post(
        &mut api,
        "/automations",
        json!({
            "name": "Welcome Lotte's clients",
            "trigger": {"event": "appointment.booked"},
            "conditions": {"all": [{"field": "appointment.staff", "op": "eq", "value": "lotte@salon.test"}]},
            "actions": [{"type": "send_email", "to": "contact",
                "subject": "See you on {{appointment.date}}",
                "body": "Dear {{contact.first_name}}, {{appointment.services}} with {{appointment.staff_name}} at {{appointment.time}}."}]
        }),
    );
    let others = post(
        &mut api,
        "/automations",
        json!({
            "name": "Someone else's",
            "trigger": {"event": "appointment.booked"},
            "conditions": {"all": [{"field": "appointment.staff", "op": "eq", "value": "mia@salon.test"}]},
            "actions": [{"type": "send_email", "to": "contact", "subject": "Not this one", "body": "No."}]
        }),
    );
    let missed = post(
        &mut api,
        "/automations",
        json!({
            "name": "Call who missed a cut",
            "trigger": {"event": "appointment.no_show"},
            "conditions": {"all": [{"field": "appointment.services", "op": "contains", "value": "Cut"}]},
            "actions": [{"type": "create_task", "title": "Call {{contact.first_name}} about the {{appointment.services}} of {{appointment.date}}",
                "due_in": "1d", "assignee": "owner"}]
        }),
    );

    let daan = post(
        &mut api,
        "/contacts",
        json!({"first_name": "Daan", "email": "daan@example.test"}),
    );
    let day = s.day;
    let booked = post(
        &mut api,
        "/appointments",
        json!({"contact_id": daan["id"], "staff_id": s.owner_id, "service_ids": [s.cut],
               "starts_at": format!("{day}T09:00:00Z")}),
    );
    // The booking mails the client in the salon's wall time (10:00 in Amsterdam in winter).
    let mails = app.smtp.wait_for(1);
    assert_eq!(mails[0].to, ["daan@example.test"]);
    assert_eq!(mails[0].subject(), format!("See you on {day}"));
    assert!(
        mails[0]
            .text()
            .contains("Dear Daan, Cut with Olga Owner at 10:00."),
        "{}",
        mails[0].text()
    );
    assert!(runs(&app, &mut api, &others).is_empty(), "not their person");
    assert!(
        runs(&app, &mut api, &missed).is_empty(),
        "no one missed it yet"
    );
    assert_eq!(runs(&app, &mut api, &welcome).len(), 1);

    // Once its time has begun, a no-show makes the follow-up task on the client.
    let now = app.app().now();
    let start = chrono::DateTime::parse_from_rfc3339(&format!("{day}T09:00:00Z"))
        .expect("a time")
        .with_timezone(&chrono::Utc);
    app.clock.advance(start - now + Duration::minutes(20));
    let no_show = api.json(
        "POST",
        &format!("{API}/appointments/{}/status", booked["id"]),
        &json!({"status": "no_show"}),
    );
    assert_eq!(no_show.status, 200, "{}", no_show.body);
    let done = runs(&app, &mut api, &missed);
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(done[0]["status"], "done", "{done:?}");
    let tasks = api
        .get(&format!("{API}/tasks?contact_id={}", daan["id"]))
        .json();
    let titles: Vec<&str> = tasks["data"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter_map(|t| t["title"].as_str())
        .collect();
    assert_eq!(titles, [format!("Call Daan about the Cut of {day}")]);
    assert_eq!(tasks["data"][0]["assignee_id"], s.owner_id);
}

#[test]
fn an_appointment_rule_is_refused_where_scheduling_is_off() {
    let (_app, mut api) = crate::support::acme::setup();
    let rule = json!({
        "name": "Welcome",
        "trigger": {"event": "appointment.booked"},
        "actions": [{"type": "send_email", "to": "contact", "subject": "Hi", "body": "Hi"}]
    });
    let refused = api.json("POST", "/t/acme/api/v1/automations", &rule);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("trigger.event") && refused.body.contains("scheduling is off"),
        "{}",
        refused.body
    );
    let listed = api.get("/t/acme/api/v1/automations").json();
    assert_eq!(listed["total"], 0, "nothing saved: {listed}");
}
