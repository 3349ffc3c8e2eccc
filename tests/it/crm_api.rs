//! The CRM through the JSON API: every route, the rules of each entity, and bad input that
//! gets a clear 4xx and writes nothing.

use crate::support::TestApp;
use onebox::domain::capability::Profile;
use onebox::domain::user::Role;
use serde_json::{Value, json};
use std::collections::BTreeSet;

use crate::support::acme::{API, ok, post, setup};

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// The slot two hours after `slot` (a stamp): free when only `slot` was booked.
fn slot_after(slot: &Value) -> String {
    let at = onebox::clock::parse_stamp(slot.as_str().expect("a stamp")).expect("a stamp");
    onebox::clock::stamp(at + chrono::Duration::hours(2))
}

#[test]
fn every_route_of_the_openapi_document_is_served() {
    let (app, mut api) = setup();
    let doc = app.client().get(&format!("{API}/openapi.json")).json();
    let label = post(
        &mut api,
        "/labels",
        json!({"name": "vip", "color": "#dc2626"}),
    );
    let field = post(
        &mut api,
        "/custom_fields",
        json!({"entity": "contact", "key": "tier", "label": "Tier", "kind": "select", "options": ["gold", "silver"]}),
    );
    let pipeline = post(&mut api, "/pipelines", json!({"name": "Onboarding"}));
    let stage = post(
        &mut api,
        &format!("/pipelines/{}/stages", id(&pipeline)),
        json!({"name": "Kick-off", "probability": 30, "kind": "open"}),
    );
    let company = post(&mut api, "/companies", json!({"name": "Acme"}));
    let contact = post(
        &mut api,
        "/contacts",
        json!({"first_name": "Ann", "company_id": id(&company), "custom": {"tier": "gold"}, "labels": ["vip"]}),
    );
    let deal = post(
        &mut api,
        "/deals",
        json!({"title": "Cakes", "contact_id": id(&contact)}),
    );
    let task = post(
        &mut api,
        "/tasks",
        json!({"title": "Call back", "deal_id": id(&deal)}),
    );
    let note = post(
        &mut api,
        "/notes",
        json!({"body": "Likes lemon", "contact_id": id(&contact)}),
    );
    let activity = post(
        &mut api,
        "/activities",
        json!({"kind": "call", "contact_id": id(&contact), "outcome": "Interested"}),
    );

    let ids = |table: &str| match table {
        "contacts" => id(&contact),
        "companies" => id(&company),
        "deals" => id(&deal),
        "tasks" => id(&task),
        "notes" => id(&note),
        "labels" => id(&label),
        "pipelines" => id(&pipeline),
        "stages" => id(&stage),
        "custom_fields" => id(&field),
        "activities" => id(&activity),
        other => panic!("no id for {other}"),
    };
    let mut requests: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", "/openapi.json".into(), None),
        ("GET", "/account".into(), None),
        ("GET", "/me".into(), None),
        ("GET", "/search?q=ann".into(), None),
    ];
    let create_bodies = [
        ("contacts", json!({"email": "new@acme.test"})),
        ("companies", json!({"name": "Bolt"})),
        ("deals", json!({"title": "More cakes"})),
        ("tasks", json!({"title": "Write"})),
        ("notes", json!({"body": "Hi", "company_id": id(&company)})),
    ];
    for (table, body) in &create_bodies {
        let one = format!("/{table}/{}", ids(table));
        requests.push(("GET", format!("/{table}"), None));
        requests.push(("POST", format!("/{table}"), Some(body.clone())));
        requests.push(("GET", one.clone(), None));
        requests.push(("PATCH", one.clone(), Some(json!({}))));
        requests.push(("DELETE", one.clone(), None));
        requests.push(("POST", format!("{one}/restore"), None));
    }
    for table in ["labels", "pipelines"] {
        requests.push(("GET", format!("/{table}"), None));
        requests.push(("GET", format!("/{table}/{}", ids(table)), None));
        requests.push((
            "PATCH",
            format!("/{table}/{}", ids(table)),
            Some(json!({"name": format!("Renamed {table}")})),
        ));
    }
    requests.extend([
        (
            "POST",
            "/labels".into(),
            Some(json!({"name": "cold", "color": "#2563eb"})),
        ),
        (
            "POST",
            "/pipelines".into(),
            Some(json!({"name": "Renewals"})),
        ),
        (
            "POST",
            format!("/pipelines/{}/stages", id(&pipeline)),
            Some(json!({"name": "Live", "kind": "won", "probability": 100})),
        ),
        (
            "PATCH",
            format!("/stages/{}", id(&stage)),
            Some(json!({"probability": 40})),
        ),
        ("GET", "/custom_fields".into(), None),
        (
            "POST",
            "/custom_fields".into(),
            Some(json!({"entity": "deal", "key": "po", "label": "PO number", "kind": "text"})),
        ),
        ("GET", "/activities".into(), None),
        (
            "POST",
            "/activities".into(),
            Some(json!({"kind": "meeting", "deal_id": id(&deal)})),
        ),
        ("GET", format!("/activities/{}", id(&activity)), None),
        ("DELETE", format!("/activities/{}", id(&activity)), None),
        ("DELETE", format!("/stages/{}", id(&stage)), None),
        ("DELETE", format!("/labels/{}", id(&label)), None),
        ("DELETE", format!("/custom_fields/{}", id(&field)), None),
    ]);
    // The pipeline must be empty to go: its deals were none, its stages go with it.
    requests.push(("DELETE", format!("/pipelines/{}", id(&pipeline)), None));

    // A rule whose run fails (the contact has no email), so it can be retried.
    let rule = post(
        &mut api,
        "/automations",
        json!({"name": "Welcome", "trigger": {"event": "contact.created"},
               "actions": [{"type": "send_email", "to": "contact", "subject": "Hi", "body": "Hello"}]}),
    );
    let mailless = post(&mut api, "/contacts", json!({"first_name": "Nomail"}));
    onebox::jobs::tick(app.app()).expect("tick");
    let runs = ok(
        api.get(&format!("{API}/automations/{}/runs", id(&rule))),
        "runs",
    );
    assert_eq!(runs["data"][0]["status"], "failed", "{runs}");
    let run = runs["data"][0]["id"].as_i64().expect("run id");
    let rule_path = format!("/automations/{}", id(&rule));
    requests.extend([
        ("GET", "/automations".into(), None),
        ("GET", rule_path.clone(), None),
        ("PATCH", rule_path.clone(), Some(json!({"name": "Welcome them"}))),
        ("GET", format!("{rule_path}/runs"), None),
        ("POST", format!("{rule_path}/test"), Some(json!({"record_id": id(&mailless)}))),
        ("GET", format!("/automation_runs/{run}"), None),
        ("POST", format!("/automation_runs/{run}/retry"), None),
        ("POST", "/automations".into(), Some(json!({"name": "Other", "trigger": {"event": "task.created"}, "actions": [{"type": "wait", "duration": "1h"}]}))),
        ("DELETE", rule_path, None),
    ]);
    // Scheduling, switched on for this workspace, its owner working every day 09:00–17:00.
    let tenant = app
        .app()
        .tenant(&onebox::domain::slug::Slug::parse("acme").expect("slug"))
        .expect("tenant");
    let owner = app
        .app()
        .user_by_email(&tenant.db, "owner@acme.test")
        .expect("owner");
    let on = [
        (onebox::domain::capability::Capability::Scheduling, true),
        (onebox::domain::capability::Capability::Kassa, true),
    ];
    let zone = tenant.account.time_zone.clone();
    app.app()
        .update_account(&tenant, &owner, "Acme", Profile::Generic, &zone, &on)
        .expect("scheduling on");
    let tenant = app
        .app()
        .tenant(&onebox::domain::slug::Slug::parse("acme").expect("slug"))
        .expect("tenant");
    let mut hours = onebox::domain::scheduling::availability::WeeklyHours::default();
    let day = onebox::domain::scheduling::span("09:00", "17:00").expect("a span");
    hours.days = std::array::from_fn(|_| vec![day]);
    app.app()
        .set_working_hours(&tenant, &owner, owner.id, &hours)
        .expect("hours");
    let service = post(
        &mut api,
        "/services",
        json!({"name": "Cut", "minutes": 45, "buffer_after": 15, "price": 4500}),
    );
    let tomorrow = (app.app().now() + chrono::Duration::days(1)).date_naive();
    let free = format!(
        "/availability?service_id={}&staff_id={}&from={tomorrow}&to={tomorrow}",
        id(&service),
        owner.id
    );
    let slot = ok(api.get(&format!("{API}{free}")), "availability")["data"][0]["starts_at"].clone();
    let booked = post(
        &mut api,
        "/appointments",
        json!({"contact_id": id(&contact), "staff_id": owner.id.0, "service_ids": [id(&service)], "starts_at": slot}),
    );
    assert_eq!(booked["status"], "confirmed", "{booked}");
    let later = slot_after(&json!(slot_after(&slot)));
    let second = post(
        &mut api,
        "/appointments",
        json!({"contact_id": id(&contact), "staff_id": owner.id.0, "service_ids": [id(&service)], "starts_at": later}),
    );
    let week = json!({"monday": [{"starts": "09:00", "ends": "17:00"}], "tuesday": [{"starts": "09:00", "ends": "17:00"}],
        "wednesday": [{"starts": "09:00", "ends": "17:00"}], "thursday": [{"starts": "09:00", "ends": "17:00"}],
        "friday": [{"starts": "09:00", "ends": "17:00"}], "saturday": [{"starts": "09:00", "ends": "17:00"}],
        "sunday": [{"starts": "09:00", "ends": "17:00"}]});
    requests.extend([
        ("GET", format!("/schedules/{}", owner.id), None),
        ("PUT", format!("/schedules/{}", owner.id), Some(json!({"hours": week}))),
        (
            "POST",
            format!("/schedules/{}/exceptions", owner.id),
            Some(json!({"day": (tomorrow + chrono::Duration::days(30)).to_string(), "spans": []})),
        ),
        ("GET", "/services".into(), None),
        ("POST", "/services".into(), Some(json!({"name": "Colour", "minutes": 90}))),
        ("GET", format!("/services/{}", id(&service)), None),
        (
            "PUT",
            format!("/services/{}", id(&service)),
            Some(json!({"name": "Cut", "minutes": 45, "buffer_after": 15, "price": 4500})),
        ),
        ("GET", free, None),
        ("GET", format!("/appointments/{}", id(&booked)), None),
        (
            "GET",
            format!("/appointments?from={}T00:00:00Z&to={}T00:00:00Z", tomorrow, tomorrow + chrono::Duration::days(1)),
            None,
        ),
        ("POST", format!("/appointments/{}/status", id(&booked)), Some(json!({"status": "arrived"}))),
        (
            "POST",
            format!("/appointments/{}/move", id(&second)),
            Some(json!({"starts_at": slot_after(&json!(later))})),
        ),
        ("POST", format!("/appointments/{}/cancel", id(&second)), Some(json!({"reason": "ill"}))),
        ("GET", "/resources".into(), None),
        ("POST", "/resources".into(), Some(json!({"name": "Room 1"}))),
        ("GET", "/booking_policy".into(), None),
        ("PUT", "/booking_policy".into(), Some(json!({"lead_minutes": 60}))),
        (
            "POST",
            "/appointments".into(),
            Some(json!({"contact_id": id(&contact), "staff_id": owner.id.0, "service_ids": [id(&service)], "starts_at": slot_after(&slot)})),
        ),
    ]);

    // The kassa: a register with an open session, a draft, a finalized receipt.
    let register = post(&mut api, "/registers", json!({"name": "Front"}));
    let other = post(&mut api, "/registers", json!({"name": "Back"}));
    let session = post(
        &mut api,
        &format!("/registers/{}/sessions", id(&register)),
        json!({"float": 1000}),
    );
    let free =
        json!([{"kind": "free", "description": "Item", "unit_price": 100, "vat_code": "high"}]);
    let receipt = |api: &mut crate::support::http::Client| {
        post(
            api,
            "/receipts",
            json!({"session_id": id(&session), "lines": free}),
        )
    };
    let (paid, to_pay, to_void) = (receipt(&mut api), receipt(&mut api), receipt(&mut api));
    post(
        &mut api,
        &format!("/receipts/{}/finalize", id(&paid)),
        json!({"payments": [{"method": "card", "amount": 100}]}),
    );
    let card = post(
        &mut api,
        "/products",
        json!({"name": "Gift card", "kind": "gift_card", "price": 2500}),
    );
    let sold = post(
        &mut api,
        "/receipts",
        json!({"session_id": id(&session), "lines": [{"kind": "product", "product_id": id(&card)}]}),
    );
    let sold = post(
        &mut api,
        &format!("/receipts/{}/finalize", id(&sold)),
        json!({"payments": [{"method": "card", "amount": 2500}]}),
    );
    let code = sold["gift_cards"][0]
        .as_str()
        .expect("a gift card")
        .to_string();
    let s = format!("/sessions/{}", id(&session));
    requests.extend([
        ("GET", "/products".into(), None),
        (
            "POST",
            "/products".into(),
            Some(json!({"name": "Wax", "price": 900})),
        ),
        ("GET", "/registers".into(), None),
        ("POST", "/registers".into(), Some(json!({"name": "Side"}))),
        ("GET", format!("/registers/{}", id(&register)), None),
        (
            "POST",
            format!("/registers/{}/sessions", id(&other)),
            Some(json!({"float": 0})),
        ),
        (
            "POST",
            format!("/registers/{}/training", id(&other)),
            Some(json!({"on": false})),
        ),
        ("GET", s.clone(), None),
        (
            "POST",
            format!("{s}/cash"),
            Some(json!({"amount": 500, "reason": "Change"})),
        ),
        ("POST", format!("{s}/drawer"), Some(json!({}))),
        ("GET", format!("{s}/x_report"), None),
        (
            "POST",
            "/receipts".into(),
            Some(json!({"session_id": id(&session), "lines": free})),
        ),
        ("GET", format!("/receipts/{}", id(&paid)), None),
        (
            "POST",
            format!("/receipts/{}/finalize", id(&to_pay)),
            Some(json!({"payments": [{"method": "cash", "amount": 100}]})),
        ),
        (
            "POST",
            format!("/receipts/{}/void", id(&to_void)),
            Some(json!({})),
        ),
        (
            "POST",
            format!("/receipts/{}/credit", id(&paid)),
            Some(json!({"session_id": id(&session), "lines": [{"position": 0, "quantity": 1}]})),
        ),
        (
            "POST",
            format!("{s}/close"),
            Some(json!({"count": {"100": 16}})),
        ),
        ("GET", format!("{s}/z_report"), None),
        ("GET", format!("/gift_cards/{code}"), None),
        ("GET", "/vat_rates".into(), None),
        (
            "PUT",
            format!("/products/{}", id(&card)),
            Some(json!({"name": "Gift card", "kind": "gift_card", "price": 3000})),
        ),
        (
            "POST",
            "/vat_rates".into(),
            Some(json!({"code": "zero", "basis_points": 0, "valid_from": "2099-01-01"})),
        ),
    ]);

    // The inbox: one mail fetched from a real IMAP server makes a conversation.
    let dovecot = crate::support::dovecot::Dovecot::start();
    dovecot.deliver(
        b"From: ann@example.test\r\nSubject: Hello\r\nMessage-ID: <h1@example.test>\r\n\r\nHi\r\n",
    );
    let imap = |name: &str| {
        json!({"name": name, "address": "support@acme.test", "imap_host": "localhost",
               "imap_port": dovecot.port, "imap_user": crate::support::dovecot::USER,
               "imap_password": crate::support::dovecot::PASSWORD, "imap_ca": dovecot.ca_pem()})
    };
    let inbox = post(&mut api, "/inboxes", imap("Support"));
    onebox::jobs::tick(app.app()).expect("a pass");
    let talk = api.get(&format!("{API}/conversations")).json()["data"][0].clone();
    assert_eq!(talk["subject"], "Hello", "{talk}");
    let canned = post(
        &mut api,
        "/canned_replies",
        json!({"shortcut": "hello", "body": "Hello {{contact.first_name}}"}),
    );
    requests.extend([
        ("GET", "/inboxes".into(), None),
        ("POST", "/inboxes".into(), Some(imap("Sales"))),
        ("GET", format!("/inboxes/{}/health", id(&inbox)), None),
        (
            "POST",
            format!("/inboxes/{}/fetch_again", id(&inbox)),
            Some(json!({})),
        ),
        ("GET", "/conversations".into(), None),
        ("GET", format!("/conversations/{}", id(&talk)), None),
        (
            "POST",
            format!("/conversations/{}/messages", id(&talk)),
            Some(json!({"text": "Hello Ann"})),
        ),
        (
            "PATCH",
            format!("/conversations/{}", id(&talk)),
            Some(json!({"status": "pending", "priority": "high", "assignee_id": null})),
        ),
        (
            "GET",
            "/conversations?queue=unassigned&status=pending&priority=high&limit=5".into(),
            None,
        ),
        (
            "GET",
            format!("/conversations/{}/messages", id(&talk)),
            None,
        ),
        (
            "POST",
            format!("/conversations/{}/notes", id(&talk)),
            Some(json!({"text": "Ann is a regular"})),
        ),
        ("GET", "/canned_replies".into(), None),
        (
            "POST",
            "/canned_replies".into(),
            Some(json!({"shortcut": "thanks", "body": "Thank you, {{contact.first_name}}!"})),
        ),
        ("DELETE", format!("/canned_replies/{}", id(&canned)), None),
        ("GET", "/notifications".into(), None),
        ("DELETE", format!("/conversations/{}", id(&talk)), None),
    ]);

    let mut covered = BTreeSet::new();
    for (method, path, body) in &requests {
        let r = match body {
            Some(b) => api.json(method, &format!("{API}{path}"), b),
            None => api.request(method, &format!("{API}{path}"), &[], b""),
        };
        assert!(
            (200..300).contains(&r.status),
            "{method} {path}: {} {}",
            r.status,
            r.body
        );
        let template: String = path
            .split('?')
            .next()
            .unwrap_or_default()
            .split('/')
            .map(|s| {
                if s.parse::<i64>().is_ok() {
                    "{id}"
                } else if s.starts_with("GC-") {
                    "{code}"
                } else {
                    s
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        assert!(
            doc["paths"][&template][method.to_lowercase()].is_object(),
            "{method} {template} is served but not documented"
        );
        covered.insert((method.to_string(), template));
    }
    // Imports take CSV, not JSON.
    for table in ["contacts", "companies", "deals"] {
        let path = format!("/{table}/import");
        let r = api.request(
            "POST",
            &format!("{API}{path}"),
            &[("Content-Type", "text/csv")],
            b"title,name,email\nImported,Imported Ltd,imported@acme.test\n",
        );
        assert_eq!(r.status, 200, "POST {path}: {}", r.body);
        assert_eq!(r.json()["created"], 1, "POST {path}: {}", r.body);
        assert!(doc["paths"][&path]["post"]["requestBody"]["content"]["text/csv"].is_object());
        covered.insert(("POST".to_string(), path));
    }
    let documented: BTreeSet<(String, String)> = onebox::web::api::routes()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path))
        .collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes of the document this test did not call: {missing:?}"
    );
}

#[test]
fn contacts_carry_custom_values_and_labels_and_list_with_filters() {
    let (app, mut api) = setup();
    post(
        &mut api,
        "/custom_fields",
        json!({"entity": "contact", "key": "seats", "label": "Seats", "kind": "number", "required": false}),
    );
    post(
        &mut api,
        "/labels",
        json!({"name": "vip", "color": "#dc2626"}),
    );
    let owner_id = api.get(&format!("{API}/me")).json()["id"]
        .as_i64()
        .expect("id");
    let ann = post(
        &mut api,
        "/contacts",
        json!({"first_name": "Ann", "last_name": "Zed", "email": "ANN@acme.test", "custom": {"seats": "12"}, "labels": ["VIP"], "owner_id": owner_id, "lifecycle": "customer"}),
    );
    assert_eq!(
        (
            ann["email"].as_str(),
            ann["custom"]["seats"].as_i64(),
            ann["labels"][0].as_str()
        ),
        (Some("ann@acme.test"), Some(12), Some("vip"))
    );
    post(
        &mut api,
        "/contacts",
        json!({"first_name": "Bob", "last_name": "Able", "email": "bob@acme.test"}),
    );
    post(
        &mut api,
        "/contacts",
        json!({"first_name": "Cleo", "last_name": "Mid", "phone": "+49 30 1234"}),
    );

    let names = |r: Value| {
        r["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|c| c["first_name"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(api.get(&format!("{API}/contacts?sort=name")).json()),
        ["Bob", "Cleo", "Ann"]
    );
    assert_eq!(
        names(api.get(&format!("{API}/contacts?sort=-name")).json()),
        ["Ann", "Cleo", "Bob"]
    );
    assert_eq!(
        names(api.get(&format!("{API}/contacts?label=vip")).json()),
        ["Ann"]
    );
    assert_eq!(
        names(
            api.get(&format!("{API}/contacts?lifecycle=lead&sort=name"))
                .json()
        ),
        ["Bob", "Cleo"]
    );
    assert_eq!(
        names(
            api.get(&format!("{API}/contacts?owner_id={owner_id}"))
                .json()
        ),
        ["Ann"]
    );
    assert_eq!(
        names(
            api.get(&format!("{API}/contacts?q=acme.test&sort=name"))
                .json()
        ),
        ["Bob", "Ann"]
    );
    assert_eq!(
        names(api.get(&format!("{API}/contacts?q=1234")).json()),
        ["Cleo"]
    );

    let patched = ok(
        api.json(
            "PATCH",
            &format!("{API}/contacts/{}", id(&ann)),
            &json!({"title": "CEO", "labels": [], "custom": {"seats": null}}),
        ),
        "patch",
    );
    assert_eq!(
        (
            patched["title"].as_str(),
            patched["labels"].as_array().map(Vec::len)
        ),
        (Some("CEO"), Some(0))
    );
    assert!(patched["custom"].get("seats").is_none());
    assert_eq!(
        patched["first_name"], "Ann",
        "PATCH leaves the other fields alone"
    );
    drop(app);
}

#[test]
fn bad_input_gets_a_clear_4xx_naming_the_field_and_writes_nothing() {
    let (app, mut api) = setup();
    let other = post(&mut api, "/pipelines", json!({"name": "Onboarding"}));
    let other_stage = other["stages"][0]["id"].as_i64().expect("stage");
    post(
        &mut api,
        "/custom_fields",
        json!({"entity": "deal", "key": "seats", "label": "Seats", "kind": "number"}),
    );
    let contact = post(&mut api, "/contacts", json!({"email": "c@acme.test"}));
    // A contact of another tenant: its id must mean nothing here.
    drop(app.tenant_with_owner("bolt", Profile::Generic, "owner@bolt.test"));
    let mut bolt = app.api("bolt", "owner@bolt.test");
    let foreign = ok(
        bolt.json(
            "POST",
            "/t/bolt/api/v1/contacts",
            &json!({"email": "x@bolt.test", "first_name": "Foreign"}),
        ),
        "bolt contact",
    );
    ok(
        bolt.json("POST", "/t/bolt/api/v1/companies", &json!({"name": "pad"})),
        "bolt company",
    );

    let foreign_path = format!("/contacts/{}", id(&foreign) + 10);
    let before = app.disk_state("acme");
    let cases: Vec<(&str, &str, String, u16, &str)> = vec![
        (
            "POST",
            "/deals",
            json!({"title": "x", "stage_id": 999}).to_string(),
            422,
            "stage_id",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "pipeline_id": 1, "stage_id": other_stage}).to_string(),
            422,
            "stage_id",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "pipeline_id": 999}).to_string(),
            422,
            "pipeline_id",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "custom": {"seats": "many"}}).to_string(),
            422,
            "custom.seats",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "custom": {"nope": 1}}).to_string(),
            422,
            "custom.nope",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "contact_id": 9999}).to_string(),
            422,
            "contact_id",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "contact_id": id(&foreign) + 5}).to_string(),
            422,
            "contact_id",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "owner_id": 42}).to_string(),
            422,
            "owner_id",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x".repeat(201)}).to_string(),
            422,
            "title",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "amount": -5}).to_string(),
            422,
            "amount",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "amount": 1.5}).to_string(),
            422,
            "amount",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "currency": "euro"}).to_string(),
            422,
            "currency",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "status": "won"}).to_string(),
            422,
            "status",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "stage_id": 6}).to_string(),
            422,
            "lost_reason",
        ),
        (
            "POST",
            "/deals",
            json!({"amount": 5}).to_string(),
            422,
            "title",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "colour": "red"}).to_string(),
            422,
            "colour",
        ),
        (
            "POST",
            "/deals",
            json!({"title": "x", "labels": ["nope"]}).to_string(),
            422,
            "labels",
        ),
        ("POST", "/deals", "{\"title\": \"x\",".to_string(), 400, ""),
        ("POST", "/deals", "[1, 2]".to_string(), 400, ""),
        ("POST", "/deals", String::new(), 400, ""),
        (
            "POST",
            "/contacts",
            json!({"email": "not-an-email"}).to_string(),
            422,
            "email",
        ),
        (
            "POST",
            "/contacts",
            json!({"phone": "+1 555"}).to_string(),
            422,
            "first_name",
        ),
        (
            "POST",
            "/contacts",
            json!({"first_name": "a\u{7}b"}).to_string(),
            422,
            "first_name",
        ),
        (
            "POST",
            "/contacts",
            json!({"first_name": "x", "lifecycle": "vip"}).to_string(),
            422,
            "lifecycle",
        ),
        (
            "POST",
            "/tasks",
            json!({"title": "x", "due_at": "tomorrow"}).to_string(),
            422,
            "due_at",
        ),
        (
            "POST",
            "/tasks",
            json!({"title": "x", "notes": ["a"]}).to_string(),
            422,
            "notes",
        ),
        (
            "POST",
            "/notes",
            json!({"body": "orphan"}).to_string(),
            422,
            "contact_id",
        ),
        (
            "POST",
            "/notes",
            json!({"body": "two", "contact_id": id(&contact), "company_id": 1}).to_string(),
            422,
            "contact_id",
        ),
        (
            "POST",
            "/custom_fields",
            json!({"entity": "contact", "key": "Bad Key", "label": "x", "kind": "text"})
                .to_string(),
            422,
            "key",
        ),
        (
            "POST",
            "/custom_fields",
            json!({"entity": "contact", "key": "tier", "label": "x", "kind": "select"}).to_string(),
            422,
            "options",
        ),
        (
            "POST",
            "/labels",
            json!({"name": "x", "color": "red"}).to_string(),
            422,
            "color",
        ),
        (
            "POST",
            "/activities",
            json!({"kind": "fax", "contact_id": id(&contact)}).to_string(),
            422,
            "kind",
        ),
        (
            "POST",
            "/activities",
            json!({"kind": "call"}).to_string(),
            422,
            "contact_id",
        ),
        (
            "PATCH",
            "/contacts/9999",
            json!({"first_name": "x"}).to_string(),
            404,
            "",
        ),
        (
            "PATCH",
            &foreign_path,
            json!({"first_name": "x"}).to_string(),
            404,
            "",
        ),
        ("GET", "/contacts?limit=1000", String::new(), 422, "limit"),
        ("GET", "/contacts?sort=password", String::new(), 422, "sort"),
        (
            "GET",
            "/contacts?shoe_size=9",
            String::new(),
            422,
            "shoe_size",
        ),
        (
            "GET",
            "/contacts?owner_id=abc",
            String::new(),
            422,
            "owner_id",
        ),
        ("GET", "/contacts?cursor=-1", String::new(), 422, "cursor"),
        (
            "GET",
            "/contacts?cursor=10001",
            String::new(),
            422,
            "cursor",
        ),
        ("DELETE", "/pipelines/1", String::new(), 409, ""),
        ("GET", "/contacts/abc", String::new(), 404, ""),
        ("GET", "/widgets", String::new(), 404, ""),
    ];
    for (method, path, body, status, field) in &cases {
        let r = api.request(
            method,
            &format!("{API}{path}"),
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        assert_eq!(r.status, *status, "{method} {path} {body}: {}", r.body);
        let error = &r.json()["error"];
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{method} {path}: {}",
            r.body
        );
        assert!(error["request_id"].is_string());
        if !field.is_empty() {
            assert!(
                error["fields"][field].is_string(),
                "{method} {path} {body} should name {field}: {}",
                r.body
            );
        }
    }
    assert_eq!(
        app.disk_state("acme"),
        before,
        "refused requests wrote nothing"
    );
}

#[test]
fn a_duplicate_email_is_a_409_that_names_the_existing_contact() {
    let (_app, mut api) = setup();
    let ann = post(
        &mut api,
        "/contacts",
        json!({"first_name": "Ann", "email": "ann@acme.test"}),
    );
    let r = api.json(
        "POST",
        &format!("{API}/contacts"),
        &json!({"first_name": "Other", "email": "Ann@Acme.Test"}),
    );
    assert_eq!(r.status, 409);
    let e = &r.json()["error"];
    assert_eq!(
        (
            e["code"].as_str(),
            e["existing"]["type"].as_str(),
            e["existing"]["id"].as_i64()
        ),
        (Some("duplicate"), Some("contact"), Some(id(&ann)))
    );
    assert!(
        e["fields"]["email"]
            .as_str()
            .is_some_and(|m| m.contains("already exists"))
    );
    // Trashing frees the address; restoring the old one then conflicts with the new one.
    ok(
        api.request("DELETE", &format!("{API}/contacts/{}", id(&ann)), &[], b""),
        "delete",
    );
    assert_eq!(api.get(&format!("{API}/contacts/{}", id(&ann))).status, 404);
    let trash = api.get(&format!("{API}/contacts?trash=true")).json();
    assert_eq!(trash["total"], 1);
    post(
        &mut api,
        "/contacts",
        json!({"first_name": "New Ann", "email": "ann@acme.test"}),
    );
    let restore = api.request(
        "POST",
        &format!("{API}/contacts/{}/restore", id(&ann)),
        &[],
        b"",
    );
    assert_eq!(restore.status, 409, "{}", restore.body);
    assert!(restore.body.contains("another contact now has the email"));
}

#[test]
fn deals_follow_their_stage_record_each_move_and_take_the_contacts_company() {
    let (app, mut api) = setup();
    let company = post(&mut api, "/companies", json!({"name": "Acme"}));
    let contact = post(
        &mut api,
        "/contacts",
        json!({"first_name": "Ann", "company_id": id(&company)}),
    );
    let deal = post(
        &mut api,
        "/deals",
        json!({"title": "Cakes", "contact_id": id(&contact), "amount": "1,250.50"}),
    );
    assert_eq!(
        (
            deal["pipeline_id"].as_i64(),
            deal["stage_id"].as_i64(),
            deal["status"].as_str()
        ),
        (Some(1), Some(1), Some("open"))
    );
    assert_eq!(
        (
            deal["company_id"].as_i64(),
            deal["amount"].as_i64(),
            deal["currency"].as_str()
        ),
        (Some(id(&company)), Some(125_050), Some("EUR"))
    );
    let path = format!("{API}/deals/{}", id(&deal));
    let won = ok(api.json("PATCH", &path, &json!({"stage_id": 5})), "won");
    assert_eq!(won["status"], "won");
    assert!(won["closed_at"].is_string());
    let lost = api.json("PATCH", &path, &json!({"stage_id": 6}));
    assert_eq!(lost.status, 422);
    let lost = ok(
        api.json(
            "PATCH",
            &path,
            &json!({"stage_id": 6, "lost_reason": "Price"}),
        ),
        "lost",
    );
    assert_eq!(
        (lost["status"].as_str(), lost["lost_reason"].as_str()),
        (Some("lost"), Some("Price"))
    );
    let reopened = ok(api.json("PATCH", &path, &json!({"stage_id": 2})), "reopen");
    assert_eq!(
        (
            reopened["status"].as_str(),
            reopened["closed_at"].is_null(),
            reopened["lost_reason"].is_null()
        ),
        (Some("open"), true, true)
    );
    // Moving to another pipeline without a stage lands in its first stage.
    let onboarding = post(&mut api, "/pipelines", json!({"name": "Onboarding"}));
    let moved = ok(
        api.json("PATCH", &path, &json!({"pipeline_id": id(&onboarding)})),
        "move pipeline",
    );
    assert_eq!(moved["stage_id"], onboarding["stages"][0]["id"]);

    let conn = rusqlite::Connection::open(app.tenant_file("acme")).expect("open");
    let moves: Vec<(Option<i64>, i64)> = conn
        .prepare("SELECT from_stage_id, to_stage_id FROM deal_stage_changes WHERE deal_id = ?1 ORDER BY id")
        .expect("prepare")
        .query_map([id(&deal)], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(moves.len(), 4, "{moves:?}");
    assert_eq!(moves[..3], [(Some(1), 5), (Some(5), 6), (Some(6), 2)]);
    // The timeline of the company holds the deal's and the contact's events.
    let kinds: Vec<String> = api
        .get(&format!(
            "{API}/activities?company_id={}&limit=100",
            id(&company)
        ))
        .json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|a| a["kind"].as_str().unwrap_or("").to_string())
        .collect();
    for kind in ["created", "won", "lost", "stage_changed"] {
        assert!(
            kinds.contains(&kind.to_string()),
            "{kind} missing from {kinds:?}"
        );
    }
}

#[test]
fn completing_a_task_never_changes_its_deal() {
    let (_app, mut api) = setup();
    let deal = post(&mut api, "/deals", json!({"title": "Cakes"}));
    let task = post(
        &mut api,
        "/tasks",
        json!({"title": "Call", "deal_id": id(&deal), "due_at": "2026-12-01T10:00"}),
    );
    assert_eq!(
        (task["status"].as_str(), task["due_at"].as_str()),
        (Some("open"), Some("2026-12-01T10:00:00Z"))
    );
    let done = ok(
        api.json(
            "PATCH",
            &format!("{API}/tasks/{}", id(&task)),
            &json!({"status": "done"}),
        ),
        "done",
    );
    assert!(done["completed_at"].is_string());
    let after = api.get(&format!("{API}/deals/{}", id(&deal))).json();
    assert_eq!(after, deal, "the deal is untouched");
    let reopened = ok(
        api.json(
            "PATCH",
            &format!("{API}/tasks/{}", id(&task)),
            &json!({"status": "open"}),
        ),
        "reopen",
    );
    assert!(reopened["completed_at"].is_null());
}

#[test]
fn notes_are_changed_only_by_their_author_or_an_admin() {
    let (app, mut owner) = setup();
    app.add_user("acme", "mia@acme.test", Role::Member);
    app.add_user("acme", "max@acme.test", Role::Member);
    let (mut mia, mut max) = (
        app.api("acme", "mia@acme.test"),
        app.api("acme", "max@acme.test"),
    );
    let contact = post(&mut owner, "/contacts", json!({"first_name": "Ann"}));
    let note = post(
        &mut mia,
        "/notes",
        json!({"body": "Mia's note", "contact_id": id(&contact)}),
    );
    let path = format!("{API}/notes/{}", id(&note));
    assert_eq!(
        max.json("PATCH", &path, &json!({"body": "Max was here"}))
            .status,
        403
    );
    assert_eq!(max.request("DELETE", &path, &[], b"").status, 403);
    assert_eq!(
        ok(
            mia.json("PATCH", &path, &json!({"body": "Mia's note, edited"})),
            "author"
        )["body"],
        "Mia's note, edited"
    );
    assert_eq!(
        owner
            .json("PATCH", &path, &json!({"contact_id": 99}))
            .status,
        422,
        "a note does not move"
    );
    ok(owner.request("DELETE", &path, &[], b""), "admin deletes");
}

#[test]
fn switched_off_capabilities_answer_404_in_the_api_the_pages_and_the_navigation() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("clinic", Profile::Healthcare, "doc@clinic.test");
    let mut api = app.api("clinic", "doc@clinic.test");
    // Healthcare starts without deals.
    for path in ["/t/clinic/api/v1/deals", "/t/clinic/api/v1/pipelines"] {
        assert_eq!(api.get(path).status, 404, "{path}");
    }
    assert_eq!(
        api.json("POST", "/t/clinic/api/v1/deals", &json!({"title": "x"}))
            .status,
        404
    );
    assert_eq!(owner.get("/t/clinic/deals/board").status, 404);
    assert_eq!(owner.get("/t/clinic/deals").status, 404);
    let home = owner.get("/t/clinic/").body;
    assert!(
        !home.contains("href=\"/t/clinic/deals/board\""),
        "no Deals in the navigation"
    );
    assert!(home.contains("href=\"/t/clinic/tasks/mine\""));
    // Switch deals on and tasks off.
    let saved = owner.submit(
        "/t/clinic/settings/account",
        "/t/clinic/settings/account",
        &[
            ("name", "Clinic"),
            ("profile", "healthcare"),
            ("capability", "deals"),
            ("capability", "scheduling"),
        ],
    );
    assert_eq!(saved.status, 303);
    assert_eq!(api.get("/t/clinic/api/v1/deals").status, 200);
    assert_eq!(api.get("/t/clinic/api/v1/tasks").status, 404);
    assert_eq!(owner.get("/t/clinic/tasks/mine").status, 404);
    let home = owner.get("/t/clinic/").body;
    assert!(
        home.contains("href=\"/t/clinic/deals/board\"")
            && !home.contains("href=\"/t/clinic/tasks/mine\"")
    );
}

#[test]
fn lists_page_with_a_cursor() {
    let (_app, mut api) = setup();
    for i in 0..23 {
        post(
            &mut api,
            "/companies",
            json!({"name": format!("Company {i:02}")}),
        );
    }
    let mut seen = Vec::new();
    let mut next = Some(String::new());
    while let Some(cursor) = next {
        let page = api
            .get(&format!(
                "{API}/companies?limit=10&sort=name&cursor={cursor}"
            ))
            .json();
        assert_eq!(page["total"], 23);
        seen.extend(
            page["data"]
                .as_array()
                .expect("data")
                .iter()
                .map(|c| c["name"].as_str().unwrap_or("").to_string()),
        );
        next = page["next"].as_str().map(str::to_string);
    }
    assert_eq!(seen.len(), 23);
    assert_eq!(seen.first().map(String::as_str), Some("Company 00"));
    assert_eq!(seen.last().map(String::as_str), Some("Company 22"));
}

#[test]
fn stages_with_deals_are_deleted_only_by_saying_where_the_deals_go() {
    let (_app, mut api) = setup();
    let deal = post(&mut api, "/deals", json!({"title": "Cakes", "stage_id": 2}));
    let r = api.request("DELETE", &format!("{API}/stages/2"), &[], b"");
    assert_eq!(r.status, 422);
    assert!(r.body.contains("holds 1 deals"), "{}", r.body);
    let r = api.request("DELETE", &format!("{API}/stages/2?move_to=3"), &[], b"");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["deals_moved"], 1);
    assert_eq!(
        api.get(&format!("{API}/deals/{}", id(&deal))).json()["stage_id"],
        3
    );
    let other = post(&mut api, "/pipelines", json!({"name": "Other"}));
    let foreign_stage = other["stages"][0]["id"].as_i64().expect("stage");
    assert_eq!(
        api.request(
            "DELETE",
            &format!("{API}/stages/3?move_to={foreign_stage}"),
            &[],
            b""
        )
        .status,
        422
    );
    let pipelines = api.get(&format!("{API}/pipelines")).json();
    assert_eq!(
        pipelines["data"][0]["stages"].as_array().map(Vec::len),
        Some(5)
    );
}

#[test]
fn the_timeline_logs_owner_label_and_note_events_but_not_every_edit() {
    let (app, mut api) = setup();
    app.add_user("acme", "sam@acme.test", Role::Member);
    let sam = app
        .api("acme", "sam@acme.test")
        .get(&format!("{API}/me"))
        .json()["id"]
        .as_i64()
        .expect("id");
    post(
        &mut api,
        "/labels",
        json!({"name": "vip", "color": "#dc2626"}),
    );
    let contact = post(&mut api, "/contacts", json!({"first_name": "Ann"}));
    let path = format!("{API}/contacts/{}", id(&contact));
    ok(
        api.json(
            "PATCH",
            &path,
            &json!({"title": "CEO", "phone": "+1 555 0100"}),
        ),
        "plain edit",
    );
    ok(api.json("PATCH", &path, &json!({"owner_id": sam})), "owner");
    ok(
        api.json("PATCH", &path, &json!({"labels": ["vip"]})),
        "label on",
    );
    ok(
        api.json("PATCH", &path, &json!({"labels": []})),
        "label off",
    );
    post(
        &mut api,
        "/notes",
        json!({"body": "Prefers mornings", "contact_id": id(&contact)}),
    );
    let entries = api
        .get(&format!("{API}/activities?contact_id={}", id(&contact)))
        .json();
    let summaries: Vec<&str> = entries["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|a| a["summary"].as_str())
        .collect();
    assert_eq!(
        summaries,
        [
            "Note added",
            "Label vip removed from Ann",
            "Label vip added to Ann",
            "Owner of Ann changed to sam@acme.test",
            "Contact Ann created"
        ],
        "newest first; the plain edit left no entry"
    );
}

#[test]
fn a_web_address_with_control_characters_is_refused_and_never_reaches_the_export() {
    let (app, mut api) = crate::support::acme::setup();
    let r = api.json(
        "POST",
        "/t/acme/api/v1/companies",
        &serde_json::json!({"name": "Nul Ltd", "website": "https://nul.example/\u{0}x"}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.json()["error"]["fields"]["website"].is_string(),
        "{}",
        r.body
    );
    let before = app.disk_state("acme");
    let r = api.json(
        "POST",
        "/t/acme/api/v1/companies",
        &serde_json::json!({"name": "Bell Ltd", "website": "https://bell.example/\u{7}"}),
    );
    assert_eq!(r.status, 422);
    assert_eq!(app.disk_state("acme"), before);
}

#[test]
fn clearing_a_field_with_a_default_restores_the_default() {
    let (_app, mut api) = crate::support::acme::setup();
    let id = crate::support::acme::create(
        &mut api,
        "/tasks",
        serde_json::json!({"title": "Call", "priority": "high", "status": "done"}),
    );
    let r = api.json(
        "PATCH",
        &format!("/t/acme/api/v1/tasks/{id}"),
        &serde_json::json!({"status": null, "priority": ""}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let task = r.json();
    assert_eq!(
        (task["status"].as_str(), task["priority"].as_str()),
        (Some("open"), Some("normal"))
    );
    assert!(task["completed_at"].is_null());
}
