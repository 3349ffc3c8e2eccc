//! Automations on appointments: rules listening to `appointment.*` with conditions on the
//! service and the person, mailing the client and making a follow-up task on them.

use crate::booking::{salon, stamp};
use crate::support::TestApp;
use crate::support::http::Client;
use crate::support::webhook::Receiver;
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

/// The runs of rule `id` once `done` holds for them (ticking the engine meanwhile).
fn runs_until(
    app: &TestApp,
    api: &mut Client,
    id: i64,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let list = runs(app, api, &json!({ "id": id }));
        if done(&list) {
            return list;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "runs never got there: {list:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
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

/// A salon whose installation sends text messages through the gateway `receiver` stands for.
fn texting_salon(receiver: &Receiver) -> (TestApp, crate::booking::Salon) {
    let url = receiver.url("/sms");
    let app = TestApp::start_with(|raw| {
        raw.sms = onebox::config::RawSms {
            url: Some(url),
            authorization: Some("Bearer t0ken".into()),
            ..onebox::config::RawSms::default()
        };
    });
    let s = salon(&app);
    (app, s)
}

#[test]
fn a_reminder_rule_texts_the_client_once_through_the_gateway_and_retries_a_failing_one() {
    let receiver = Receiver::start();
    let (app, s) = texting_salon(&receiver);
    let mut api = app.api("salon", "lotte@salon.test");
    let rule = post(
        &mut api,
        "/automations",
        json!({
            "name": "Text the reminder",
            "trigger": {"event": "appointment.reminder"},
            "actions": [{"type": "send_sms",
                "text": "Hi {{contact.first_name}}: {{appointment.services}} on {{appointment.date}} at {{appointment.time}}. \"Salon Lotte\""}]
        }),
    );
    let book = |api: &mut Client, first: &str, phone: &str, hour: u32| {
        let who = post(
            api,
            "/contacts",
            json!({"first_name": first, "phone": phone}),
        );
        post(
            api,
            "/appointments",
            json!({"contact_id": who["id"], "staff_id": s.owner_id, "service_ids": [s.cut],
                   "starts_at": stamp(s.day, hour, 0)}),
        )
    };
    book(&mut api, "Daan", "+31 6 1234 5678", 9);
    // The day before, 23 hours ahead: the reminder's event runs the rule, which texts Daan.
    let start = onebox::clock::parse_stamp(&stamp(s.day, 9, 0)).expect("a stamp");
    app.clock
        .advance(start - app.app().now() - Duration::hours(23));
    runs(&app, &mut api, &rule);
    let got = receiver.wait_for(1);
    assert_eq!(
        got[0].headers.get("authorization").map(String::as_str),
        Some("Bearer t0ken")
    );
    assert_eq!(
        got[0].headers.get("content-type").map(String::as_str),
        Some("application/json")
    );
    let sent: Value = serde_json::from_str(&got[0].body).expect("the default body is JSON");
    assert_eq!(sent["to"], "+31612345678");
    let text = sent["text"].as_str().expect("a text");
    assert!(
        text.starts_with("Hi Daan: Cut on ") && text.ends_with("at 09:00. \"Salon Lotte\""),
        "in the salon's wall time: {text}"
    );
    let id = rule["id"].as_i64().expect("the rule's id");
    runs_until(&app, &mut api, id, |r| r[0]["status"] == "done");
    // Once: more passes, and a restart, send nothing more.
    app.clock.advance(Duration::hours(1));
    runs(&app, &mut api, &rule);
    let mut app = app;
    app.restart();
    onebox::jobs::tick(app.app()).expect("tick");
    assert_eq!(receiver.deliveries().len(), 1, "a reminder is texted once");

    // The gateway is down for Eva's: the step waits and tries again with the same key.
    receiver.answer_with(503);
    let mut api = app.api("salon", "lotte@salon.test");
    book(&mut api, "Eva", "06-1111 2222", 14);
    let later = onebox::clock::parse_stamp(&stamp(s.day, 14, 0)).expect("a stamp");
    app.clock
        .advance(later - app.app().now() - Duration::hours(23));
    let id = rule["id"].as_i64().expect("the rule's id");
    runs_until(&app, &mut api, id, |r| r[0]["status"] == "retrying");
    receiver.answer_with(200);
    app.clock.advance(Duration::minutes(5));
    runs_until(&app, &mut api, id, |r| r[0]["status"] == "done");
    let got = receiver.wait_for(3);
    assert_eq!(
        got[1].headers.get("idempotency-key"),
        got[2].headers.get("idempotency-key")
    );
    let sent: Value = serde_json::from_str(&got[2].body).expect("json");
    assert_eq!(sent["to"], "0611112222");
}

#[test]
fn text_messages_are_refused_where_no_gateway_is_set_up_and_a_contact_without_a_phone_fails_plainly()
 {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    // A first call marks the token used; what follows must write nothing.
    api.get(&format!("{API}/automations"));
    let before = app.disk_state("salon");
    let refused = api.json(
        "POST",
        &format!("{API}/automations"),
        &json!({"name": "Text", "trigger": {"event": "appointment.booked"},
                "actions": [{"type": "send_sms", "text": "Booked"}]}),
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("actions[0].type") && refused.body.contains("SMS gateway"));
    assert_eq!(app.disk_state("salon"), before, "nothing saved");

    let receiver = Receiver::start();
    let (app, s) = texting_salon(&receiver);
    let mut api = app.api("salon", "lotte@salon.test");
    let long = api.json(
        "POST",
        &format!("{API}/automations"),
        &json!({"name": "Text", "trigger": {"event": "appointment.booked"},
                "actions": [{"type": "send_sms", "text": "x".repeat(500)}]}),
    );
    assert_eq!(long.status, 422, "{}", long.body);
    assert!(long.body.contains("actions[0].text"), "{}", long.body);
    let rule = post(
        &mut api,
        "/automations",
        json!({"name": "Text", "trigger": {"event": "appointment.booked"},
               "actions": [{"type": "send_sms", "text": "Booked for {{appointment.time}}"}]}),
    );
    let who = post(&mut api, "/contacts", json!({"first_name": "Noor"}));
    post(
        &mut api,
        "/appointments",
        json!({"contact_id": who["id"], "staff_id": s.owner_id, "service_ids": [s.cut],
               "starts_at": stamp(s.day, 9, 0)}),
    );
    let id = rule["id"].as_i64().expect("the rule's id");
    let failed = runs_until(&app, &mut api, id, |r| {
        r.first().is_some_and(|r| r["status"] == "failed")
    });
    assert!(
        failed[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("no phone number")),
        "{failed:?}"
    );
    assert!(receiver.deliveries().is_empty());
}
