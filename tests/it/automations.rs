//! Automations end to end: rules saved through the API, events queued with their change, the
//! worker and the cron `tick` with a moved clock, mail arriving at the SMTP receiver, webhooks
//! at a loopback receiver, and a crash of the real binary between steps.

use crate::support::TestApp;
use crate::support::http::Client;
use crate::support::webhook::Receiver;
use chrono::{Datelike, Duration, Timelike, Weekday};
use onebox::domain::capability::Profile;
use serde_json::{Value, json};

use crate::support::acme::{API, get, ok, post, setup};

fn stage(api: &mut Client, name: &str) -> i64 {
    let pipelines = get(api, "/pipelines");
    pipelines["data"][0]["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["id"].as_i64())
        .unwrap_or_else(|| panic!("no stage {name}"))
}

/// Waits until rule `rule`'s runs satisfy `done`, ticking the engine meanwhile.
fn runs_until(
    app: &TestApp,
    api: &mut Client,
    rule: i64,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let runs = get(api, &format!("/automations/{rule}/runs"))["data"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if done(&runs) {
            return runs;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "runs never got there: {runs:?}"
        );
        onebox::jobs::tick(app.app()).expect("tick");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn won_rule() -> Value {
    json!({
        "name": "Thank won customers",
        "trigger": {"event": "deal.won"},
        "conditions": {"all": [{"field": "deal.amount", "op": "gt", "value": 1000}]},
        "actions": [
            {"type": "send_email", "to": "contact", "subject": "Thank you, {{contact.first_name}}",
             "body": "Thank you for choosing us for {{deal.title}}."},
            {"type": "create_task", "title": "Onboard {{contact.first_name}}", "due_in": "2d", "assignee": "owner"},
            {"type": "wait", "duration": "3d"},
            {"type": "send_email", "to": "contact", "subject": "How did we do?",
             "body": "Dear {{contact.first_name}}, please answer our survey."}
        ]
    })
}

#[test]
fn a_won_deal_thanks_the_contact_makes_a_task_waits_and_sends_a_survey() {
    let (app, mut api) = setup();
    let me = get(&mut api, "/me");
    let rule = post(&mut api, "/automations", won_rule());
    let rule_id = rule["id"].as_i64().expect("id");
    assert_eq!(rule["trigger"]["event"], "deal.won");
    let contact = post(
        &mut api,
        "/contacts",
        json!({"first_name": "Ana", "email": "ana@client.test"}),
    );
    let small = post(
        &mut api,
        "/deals",
        json!({"title": "Small job", "amount": 50000, "contact_id": contact["id"], "owner_id": me["id"]}),
    );
    let big = post(
        &mut api,
        "/deals",
        json!({"title": "Roof", "amount": 250000, "contact_id": contact["id"], "owner_id": me["id"]}),
    );
    let won = stage(&mut api, "Won");
    for deal in [&small, &big] {
        ok(
            api.json(
                "PATCH",
                &format!("{API}/deals/{}", deal["id"]),
                &json!({"stage_id": won}),
            ),
            "win",
        );
    }
    // The small deal (500.00) fails the condition; the big one runs. The worker thread does it
    // on its own: the mail arrives without a tick.
    let mails = app.smtp.wait_for(1);
    assert_eq!(mails[0].to, ["ana@client.test"]);
    assert!(
        mails[0]
            .text()
            .contains("Thank you for choosing us for Roof"),
        "{}",
        mails[0].text()
    );
    let runs = runs_until(&app, &mut api, rule_id, |r| {
        r.len() == 1 && r[0]["status"] == "waiting"
    });
    assert_eq!(runs[0]["subject_id"], big["id"]);
    let tasks = get(&mut api, "/tasks");
    let task = &tasks["data"][0];
    assert_eq!(task["title"], "Onboard Ana");
    assert_eq!(task["assignee_id"], me["id"]);
    assert_eq!(task["deal_id"], big["id"]);
    let due = onebox::clock::parse_stamp(task["due_at"].as_str().expect("due")).expect("stamp");
    let in_two_days = due - app.app().now();
    assert!(
        in_two_days > Duration::hours(47) && in_two_days <= Duration::days(2),
        "{in_two_days}"
    );

    // Nothing more until three days have passed.
    app.clock.advance(Duration::days(2));
    onebox::jobs::tick(app.app()).expect("tick");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(app.smtp.mails().len(), 1);
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    let runs = runs_until(&app, &mut api, rule_id, |r| r[0]["status"] == "done");
    let mails = app.smtp.wait_for(2);
    assert_eq!(mails[1].subject(), "How did we do?");
    assert!(mails[1].text().contains("Dear Ana"));
    let run = get(&mut api, &format!("/automation_runs/{}", runs[0]["id"]));
    let steps: Vec<&str> = run["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(steps, ["send_email", "create_task", "wait", "send_email"]);
    assert!(
        run["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .all(|s| s["status"] == "done")
    );
    // Ticking again does nothing twice.
    onebox::jobs::tick(app.app()).expect("tick");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(app.smtp.mails().len(), 2);
}

fn next_monday_eight(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    let mut t = app.app().now();
    loop {
        t += Duration::minutes(1);
        if t.weekday() == Weekday::Mon && t.hour() == 8 && t.minute() == 0 {
            return t.with_second(0).expect("second");
        }
    }
}

#[test]
fn the_monday_digest_fires_on_schedule_and_once_after_a_restart_that_spanned_slots() {
    let (mut app, mut api) = setup();
    let me = get(&mut api, "/me");
    for title in ["Call Bo", "Send quote"] {
        post(
            &mut api,
            "/tasks",
            json!({"title": title, "due_at": "2020-01-06T09:00:00Z", "assignee_id": me["id"]}),
        );
    }
    let rule = post(
        &mut api,
        "/automations",
        json!({
            "name": "Monday digest",
            "trigger": {"schedule": "0 8 * * 1", "for": "users"},
            "conditions": {"all": [{"field": "user.overdue_tasks", "op": "gt", "value": 0}]},
            "actions": [{"type": "send_email", "to": "user", "subject": "Your overdue tasks",
                         "body": "Hello {{user.name}},\n\n{{user.overdue_task_list}}"}]
        }),
    );
    let rule_id = rule["id"].as_i64().expect("id");
    let slot = next_monday_eight(&app);
    assert_eq!(rule["next_run_at"], onebox::clock::stamp(slot));
    // A minute before the slot: nothing.
    app.clock
        .advance(slot - app.app().now() - Duration::minutes(1));
    onebox::jobs::tick(app.app()).expect("tick");
    assert!(
        get(&mut api, &format!("/automations/{rule_id}/runs"))["data"]
            .as_array()
            .expect("runs")
            .is_empty()
    );
    app.clock.advance(Duration::minutes(2));
    runs_until(&app, &mut api, rule_id, |r| {
        r.len() == 1 && r[0]["status"] == "done"
    });
    let mails = app.smtp.wait_for(1);
    assert_eq!(mails[0].to, ["owner@acme.test"]);
    assert!(
        mails[0].text().contains("- Call Bo (due 2020-01-06)")
            && mails[0].text().contains("Send quote")
    );

    // Down for two weeks: two slots missed, one run after the restart.
    app.restart_after(Duration::days(14));
    let mut api = app.api("acme", "owner@acme.test");
    let runs = runs_until(&app, &mut api, rule_id, |r| {
        r.len() == 2 && r[0]["status"] == "done"
    });
    assert_eq!(runs.len(), 2);
    for _ in 0..3 {
        onebox::jobs::tick(app.app()).expect("tick");
    }
    assert_eq!(
        get(&mut api, &format!("/automations/{rule_id}/runs"))["data"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(app.smtp.wait_for(2).len(), 2);
    let next = get(&mut api, &format!("/automations/{rule_id}"))["next_run_at"]
        .as_str()
        .map(str::to_string);
    let next = onebox::clock::parse_stamp(&next.expect("next slot")).expect("stamp");
    assert!(next > app.app().now() && next.weekday() == Weekday::Mon && next.hour() == 8);
}

#[test]
fn a_webhook_is_signed_and_a_failing_receiver_is_retried_then_the_run_fails() {
    let (app, mut api) = setup();
    let receiver = Receiver::start();
    let rule = post(
        &mut api,
        "/automations",
        json!({
            "name": "Tell the ERP",
            "trigger": {"event": "contact.created"},
            "actions": [{"type": "webhook", "url": receiver.url("/hook"), "secret": "shh", "retries": 2}]
        }),
    );
    let rule_id = rule["id"].as_i64().expect("id");
    let contact = post(
        &mut api,
        "/contacts",
        json!({"first_name": "Eve", "email": "eve@x.test"}),
    );
    let got = receiver.wait_for(1);
    let body = &got[0].body;
    let expected = format!(
        "sha256={}",
        onebox::domain::secret::hex(&onebox::domain::secret::hmac_sha256(
            b"shh",
            body.as_bytes()
        ))
    );
    assert_eq!(got[0].headers.get("x-onebox-signature"), Some(&expected));
    let payload: Value = serde_json::from_str(body).expect("json");
    assert_eq!(payload["event"], "contact.created");
    assert_eq!(payload["data"]["contact"]["email"], "eve@x.test");
    assert_eq!(payload["data"]["contact"]["id"], contact["id"]);
    assert!(
        got[0]
            .headers
            .get("idempotency-key")
            .is_some_and(|k| k.starts_with("acme-"))
    );
    runs_until(&app, &mut api, rule_id, |r| {
        r.len() == 1 && r[0]["status"] == "done"
    });

    // Now the receiver fails: two retries with backoff, then the run fails.
    receiver.answer_with(500);
    post(&mut api, "/contacts", json!({"first_name": "Fay"}));
    receiver.wait_for(2);
    let runs = runs_until(&app, &mut api, rule_id, |r| {
        r.len() == 2 && r[0]["status"] == "retrying"
    });
    let failing = runs[0]["id"].as_i64().expect("id");
    app.clock
        .advance(Duration::minutes(1) + Duration::seconds(5));
    onebox::jobs::tick(app.app()).expect("tick");
    receiver.wait_for(3);
    runs_until(&app, &mut api, rule_id, |r| r[0]["attempts"] == 2);
    app.clock
        .advance(Duration::minutes(2) + Duration::seconds(5));
    onebox::jobs::tick(app.app()).expect("tick");
    receiver.wait_for(4);
    let runs = runs_until(&app, &mut api, rule_id, |r| r[0]["status"] == "failed");
    assert!(
        runs[0]["error"].as_str().is_some_and(|e| e.contains("500")),
        "{}",
        runs[0]
    );
    let run = get(&mut api, &format!("/automation_runs/{failing}"));
    let statuses: Vec<&str> = run["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses, ["retrying", "retrying", "failed"]);
    // More time brings no more attempts.
    app.clock.advance(Duration::hours(1));
    onebox::jobs::tick(app.app()).expect("tick");
    assert_eq!(receiver.deliveries().len(), 4);

    // Retried from the log once the receiver is back, it succeeds.
    receiver.answer_with(200);
    let retried = post(
        &mut api,
        &format!("/automation_runs/{failing}/retry"),
        json!({}),
    );
    assert_eq!(retried["status"], "queued");
    runs_until(&app, &mut api, rule_id, |r| r[0]["status"] == "done");
    assert_eq!(receiver.deliveries().len(), 5);
    let again = api.json(
        "POST",
        &format!("{API}/automation_runs/{failing}/retry"),
        &json!({}),
    );
    assert_eq!(again.status, 409, "a done run is not retried");
}

#[test]
fn bad_rules_are_refused_with_the_field_and_nothing_is_saved() {
    let (_app, mut api) = setup();
    let cases = [
        (json!({"schedule": "0 8 * * 9"}), "trigger.schedule"),
        (json!({"event": "deal.exploded"}), "trigger.event"),
    ];
    for (trigger, field) in cases {
        let mut rule = won_rule();
        rule["trigger"] = trigger;
        let r = api.json("POST", &format!("{API}/automations"), &rule);
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(
            r.json()["error"]["fields"].get(field).is_some(),
            "{}",
            r.body
        );
    }
    let mut rule = won_rule();
    rule["conditions"]["all"][0]["field"] = json!("deal.colour");
    let r = api.json("POST", &format!("{API}/automations"), &rule);
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("conditions.all[0].field") && r.body.contains("colour"),
        "{}",
        r.body
    );
    let mut rule = won_rule();
    rule["actions"][3]["body"] = json!("Hi {{contact.nickname}}");
    let r = api.json("POST", &format!("{API}/automations"), &rule);
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("actions[3].body") && r.body.contains("nickname"),
        "{}",
        r.body
    );
    assert_eq!(get(&mut api, "/automations")["total"], 0);
}

#[test]
fn a_refused_change_fires_nothing_and_rules_that_trigger_each_other_stop() {
    let (app, mut api) = setup();
    // Each change of a contact changes it again: a loop the depth bound must stop.
    let rule = post(
        &mut api,
        "/automations",
        json!({
            "name": "Bump", "trigger": {"event": "contact.updated"},
            "actions": [{"type": "update_field", "field": "contact.title", "value": "x{{contact.title}}"}]
        }),
    );
    let rule_id = rule["id"].as_i64().expect("id");
    let contact = post(&mut api, "/contacts", json!({"first_name": "Lo"}));
    let path = format!("{API}/contacts/{}", contact["id"]);
    let refused = api.json("PATCH", &path, &json!({"email": "not an email"}));
    assert_eq!(refused.status, 422);
    onebox::jobs::tick(app.app()).expect("tick");
    assert_eq!(
        get(&mut api, &format!("/automations/{rule_id}/runs"))["total"],
        0,
        "a refused change fired a rule"
    );

    ok(
        api.json("PATCH", &path, &json!({"last_name": "Op"})),
        "change",
    );
    let runs = runs_until(&app, &mut api, rule_id, |r| {
        r.iter().any(|r| r["status"] == "skipped")
    });
    let done = runs.iter().filter(|r| r["status"] == "done").count();
    assert_eq!(
        done as i64,
        onebox::app::automations::engine::MAX_DEPTH,
        "{runs:?}"
    );
    let skipped = runs
        .iter()
        .find(|r| r["status"] == "skipped")
        .expect("skipped");
    assert!(
        skipped["error"]
            .as_str()
            .is_some_and(|e| e.contains("levels deep"))
    );
    // It stays stopped.
    onebox::jobs::tick(app.app()).expect("tick");
    assert_eq!(
        get(&mut api, &format!("/automations/{rule_id}/runs"))["total"],
        runs.len() as i64
    );
}

/// The real binary, killed (SIGKILL) when dropped.
struct RealServer {
    child: std::process::Child,
    addr: std::net::SocketAddr,
    setup: Option<String>,
}

impl RealServer {
    /// Starts `onebox serve` on `data`, mailing through `smtp`.
    fn start(data: &std::path::Path, smtp: std::net::SocketAddr) -> RealServer {
        use std::io::BufRead;
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_onebox"))
            .env_clear()
            .env("ONEBOX_SMTP_HOST", "127.0.0.1")
            .env("ONEBOX_SMTP_PORT", smtp.port().to_string())
            .env("ONEBOX_SMTP_SECURITY", "none")
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let mut server = RealServer {
            child,
            addr: "127.0.0.1:0".parse().expect("addr"),
            setup: None,
        };
        let stdout = server.child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        loop {
            let line = lines
                .next()
                .expect("the server prints its address")
                .expect("line");
            if line.contains("/setup/") {
                server.setup = Some(line.trim().to_string());
            }
            if let Some(at) = line.find("listening on http://") {
                server.addr = line[at + 20..].trim().parse().expect("address");
                // Keep reading stdout so the server never blocks on a full pipe.
                std::thread::spawn(move || lines.for_each(drop));
                return server;
            }
        }
    }

    /// Kills the process with no chance to clean up, as a power cut would.
    fn crash(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_crash_between_steps_resumes_without_sending_anything_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let smtp = crate::support::smtp::SmtpServer::start();
    let receiver = Receiver::start();
    let server = RealServer::start(&data, smtp.addr);
    let addr = server.addr;
    let mut web = Client::new(addr);
    let link = crate::support::path_of(server.setup.as_deref().expect("setup link"));
    let done = web.submit(
        &link,
        &link,
        &[
            ("email", "me@example.test"),
            ("name", "Me"),
            ("password", crate::support::PASSWORD),
            ("confirm", crate::support::PASSWORD),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let out = crate::support::onebox(
        &data,
        &[
            "token",
            "create",
            "--tenant",
            "default",
            "--email",
            "me@example.test",
        ],
        &[],
        None,
    );
    let token = crate::support::stdout(&out).trim().to_string();
    let api_path = "/t/default/api/v1";
    let mut api = Client::bearer(addr, &token);
    let rule = ok(api.json("POST", &format!("{api_path}/automations"), &json!({
        "name": "Welcome and tell the ERP",
        "trigger": {"event": "contact.created"},
        "actions": [
            {"type": "send_email", "to": "contact", "subject": "Welcome", "body": "Hello {{contact.first_name}}"},
            {"type": "webhook", "url": receiver.url("/erp"), "secret": "k", "timeout": "30s"}
        ]
    })), "rule");
    // The receiver holds the webhook open: the process dies with step 2 in flight.
    receiver.hang(true);
    ok(
        api.json(
            "POST",
            &format!("{api_path}/contacts"),
            &json!({"first_name": "Ida", "email": "ida@x.test"}),
        ),
        "contact",
    );
    smtp.wait_for(1);
    let first = receiver.wait_for(1);
    // Give the mailer the moment it needs to mark the mail as sent.
    std::thread::sleep(std::time::Duration::from_millis(500));
    server.crash();
    receiver.hang(false);

    let server = RealServer::start(&data, smtp.addr);
    let addr = server.addr;
    let got = receiver.wait_for(2);
    let key = |d: &crate::support::webhook::Delivery| d.headers.get("idempotency-key").cloned();
    assert_eq!(
        key(&got[1]),
        key(&first[0]),
        "the repeat carries the same key"
    );
    let mut api = Client::bearer(addr, &token);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let runs = loop {
        let runs = ok(
            api.get(&format!("{api_path}/automations/{}/runs", rule["id"])),
            "runs",
        );
        if runs["data"][0]["status"] == "done" {
            break runs;
        }
        assert!(std::time::Instant::now() < deadline, "{runs}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let run = ok(
        api.get(&format!(
            "{api_path}/automation_runs/{}",
            runs["data"][0]["id"]
        )),
        "run",
    );
    let actions: Vec<&str> = run["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(actions, ["send_email", "webhook"], "the mail step ran once");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(smtp.mails().len(), 1, "the welcome mail was not sent again");
    assert_eq!(receiver.deliveries().len(), 2);
    drop(server);
}

#[test]
fn the_won_deal_rule_is_built_and_works_in_the_browser() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let new = "/t/acme/settings/automations/new";
    let page = c.get(new);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("A deal is won") && page.body.contains("Add action"));
    let mut fields: Vec<(&str, &str)> = vec![
        ("name", "Won: thanks, onboarding, survey"),
        ("enabled", "1"),
        ("trigger_kind", "event"),
        ("event", "deal.won"),
        ("schedule", ""),
        ("for", "once"),
        ("view", ""),
        ("match", "all"),
        ("c0_field", ""),
        ("c0_op", "eq"),
        ("c0_value", ""),
        ("a0_type", "send_email"),
        ("a0_to", "contact"),
        ("a0_subject", "Thank you, {{contact.first_name}}!"),
        ("a0_body", "Thank you for {{deal.title}}."),
    ];
    // "Add action" re-renders the form with a new, empty create-task action: no JS needed.
    let mut adding = fields.clone();
    adding.extend([("op", "add_action"), ("new_action", "create_task")]);
    let added = c.submit(new, new, &adding);
    assert_eq!(added.status, 200);
    assert!(
        added
            .body
            .contains("name=\"a1_type\" value=\"create_task\""),
        "{}",
        added.body
    );
    assert!(
        added.body.contains("Thank you for {{deal.title}}."),
        "the draft is kept"
    );

    fields.extend([
        ("a1_type", "create_task"),
        ("a1_title", "Onboard {{contact.first_name}}"),
        ("a1_due_in", "2d"),
        ("a1_assignee", "owner"),
        ("a2_type", "wait"),
        ("a2_duration", "3d"),
        ("a3_type", "send_email"),
        ("a3_to", "contact"),
        ("a3_subject", "How did we do?"),
        (
            "a3_body",
            "Dear {{contact.first_name}}, two minutes for our survey?",
        ),
    ]);
    // A typo in a placeholder is refused next to its input, and nothing is saved.
    let mut typo = fields.clone();
    typo.retain(|(k, _)| *k != "a3_body");
    typo.extend([("a3_body", "Dear {{contact.frist_name}}"), ("op", "save")]);
    let refused = c.submit(new, new, &typo);
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("frist_name") && refused.body.contains("f-a3_body"),
        "{}",
        refused.body
    );
    let mut bad_cron = fields.clone();
    bad_cron.retain(|(k, _)| !matches!(*k, "trigger_kind" | "schedule"));
    bad_cron.extend([
        ("trigger_kind", "schedule"),
        ("schedule", "0 8 * *"),
        ("op", "save"),
    ]);
    let refused = c.submit(new, new, &bad_cron);
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("five fields"), "{}", refused.body);
    assert!(
        c.get("/t/acme/settings/automations")
            .body
            .contains("No rules yet")
    );

    fields.push(("op", "save"));
    let saved = c.submit(new, new, &fields);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let rule_page = saved.location().to_string();
    let list = c.get("/t/acme/settings/automations").body;
    assert!(list.contains("Won: thanks, onboarding, survey") && list.contains("A deal is won"));

    // A contact and a deal, won on the board.
    let r = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[("first_name", "Bea"), ("email", "bea@client.test")],
    );
    let contact = r.location().rsplit('/').next().expect("id").to_string();
    let r = c.submit(
        "/t/acme/deals/new",
        "/t/acme/deals",
        &[
            ("title", "Kitchen"),
            ("contact_id", &contact),
            ("amount", "1200"),
            ("owner_id", "1"),
            ("stage_id", "1"),
        ],
    );
    let deal = r.location().rsplit('/').next().expect("id").to_string();

    // The dry run says what would happen, and does nothing.
    let dry = c.get(&format!("{rule_page}?test={deal}"));
    assert!(
        dry.body.contains("the rule would run")
            && dry.body.contains("Send an email to bea@client.test"),
        "{}",
        dry.body
    );
    assert!(
        dry.body
            .contains("Create the task “Onboard Bea”, due in 2d, for owner@acme.test"),
        "{}",
        dry.body
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(app.smtp.mails().is_empty(), "a dry run sends nothing");

    let moved = c.submit(
        "/t/acme/deals/board",
        &format!("/t/acme/deals/{deal}/stage"),
        &[("stage_id", "5"), ("return_to", "/t/acme/deals/board")],
    );
    assert_eq!(moved.status, 303);
    let mails = app.smtp.wait_for(1);
    assert_eq!(mails[0].to, ["bea@client.test"]);
    assert_eq!(mails[0].subject(), "Thank you, Bea!");
    assert!(c.get("/t/acme/tasks").body.contains("Onboard Bea"));
    app.clock.advance(Duration::days(3) + Duration::minutes(1));
    onebox::jobs::tick(app.app()).expect("tick");
    let mails = app.smtp.wait_for(2);
    assert!(
        mails[1]
            .text()
            .contains("Dear Bea, two minutes for our survey?")
    );

    // The runs log shows the run and its four steps.
    let rule = c.get(&rule_page).body;
    let run_link = rule
        .find("/settings/automations/runs/")
        .expect("a run in the log");
    let href_start = rule[..run_link].rfind('"').expect("href") + 1;
    let href_end = run_link + rule[run_link..].find('"').expect("end");
    let run = c.get(&rule[href_start..href_end]).body;
    assert!(
        run.contains("done") && run.contains("create_task") && run.contains("wait"),
        "{run}"
    );
    assert!(!run.contains("Retry from the failed step"));

    // Switched off, a rule does nothing.
    let id = rule_page.rsplit('/').next().expect("id");
    let off = c.submit(
        "/t/acme/settings/automations",
        &format!("/t/acme/settings/automations/{id}/disable"),
        &[],
    );
    assert_eq!(off.status, 303);
    assert!(
        c.get("/t/acme/settings/automations")
            .body
            .contains("Switch on")
    );
}

#[test]
fn schedules_follow_the_account_time_zone() {
    let (app, mut api) = setup();
    let rule = post(
        &mut api,
        "/automations",
        json!({
            "name": "Weekly", "trigger": {"schedule": "0 8 * * 1"},
            "actions": [{"type": "send_email", "to": "team@acme.test", "subject": "Week", "body": "Plan the week"}]
        }),
    );
    let utc_slot =
        onebox::clock::parse_stamp(rule["next_run_at"].as_str().expect("next")).expect("stamp");
    assert_eq!((utc_slot.weekday(), utc_slot.hour()), (Weekday::Mon, 8));
    let (mut owner, _) = app.login("acme", "owner@acme.test", crate::support::PASSWORD);
    let page = "/t/acme/settings/account";
    let bad = owner.submit(
        page,
        page,
        &[
            ("name", "acme Ltd"),
            ("profile", "generic"),
            ("time_zone", "Mars/Olympus"),
            ("capability", "deals"),
            ("capability", "tasks"),
            ("capability", "automations"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("not a known time zone"), "{}", bad.body);
    let saved = owner.submit(
        page,
        page,
        &[
            ("name", "acme Ltd"),
            ("profile", "generic"),
            ("time_zone", "Asia/Tokyo"),
            ("capability", "deals"),
            ("capability", "tasks"),
            ("capability", "automations"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(get(&mut api, "/account")["time_zone"], "Asia/Tokyo");
    let rule = get(&mut api, &format!("/automations/{}", rule["id"]));
    let tokyo_slot =
        onebox::clock::parse_stamp(rule["next_run_at"].as_str().expect("next")).expect("stamp");
    // Monday 08:00 in Tokyo (UTC+9) is Sunday 23:00 UTC.
    assert_eq!(
        (tokyo_slot.weekday(), tokyo_slot.hour()),
        (Weekday::Sun, 23)
    );
}

#[test]
fn the_cron_thread_backs_up_every_tenant_daily_and_keeps_the_newest() {
    let app = TestApp::start_with(|c| c.backup_keep = Some(2));
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let dir = app.data_dir().join("backups/acme");
    let files = || {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    onebox::jobs::tick(app.app()).expect("tick");
    let first = files();
    assert_eq!(first.len(), 1, "{first:?}");
    // The same day again: nothing new.
    app.clock.advance(Duration::hours(3));
    onebox::jobs::tick(app.app()).expect("tick");
    assert_eq!(files(), first);
    for _ in 0..2 {
        app.clock.advance(Duration::hours(25));
        onebox::jobs::tick(app.app()).expect("tick");
    }
    let kept = files();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(!kept.contains(&first[0]), "the oldest went");
    // A backup is a whole, readable tenant file.
    let out = crate::support::onebox(
        &app.data_dir(),
        &[
            "restore",
            dir.join(&kept[1]).to_str().expect("path"),
            "--tenant",
            "copy",
        ],
        &[],
        None,
    );
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
}

#[test]
fn labels_owners_stages_and_overdue_tasks_drive_and_take_actions() {
    let (app, mut api) = setup();
    app.add_user("acme", "sam@acme.test", onebox::domain::user::Role::Member);
    post(&mut api, "/labels", json!({"name": "hot"}));
    post(&mut api, "/labels", json!({"name": "triaged"}));
    // A "hot" label: round-robin owner, swap the label, move the deal to Proposal.
    let rule = post(
        &mut api,
        "/automations",
        json!({
            "name": "Hot deals", "trigger": {"event": "label.added"},
            "conditions": {"all": [{"field": "label.name", "op": "eq", "value": "hot"}]},
            "actions": [
                {"type": "assign_owner", "round_robin": ["owner@acme.test", "sam@acme.test"]},
                {"type": "remove_label", "label": "hot"},
                {"type": "add_label", "label": "triaged"},
                {"type": "move_stage", "stage": "Proposal"}
            ]
        }),
    );
    let rule_id = rule["id"].as_i64().expect("id");
    let mut owners = Vec::new();
    for title in ["One", "Two"] {
        let deal = post(
            &mut api,
            "/deals",
            json!({"title": title, "labels": ["hot"]}),
        );
        runs_until(&app, &mut api, rule_id, |r| {
            r.len() == owners.len() + 1 && r[0]["status"] == "done"
        });
        let deal = get(&mut api, &format!("/deals/{}", deal["id"]));
        assert_eq!(deal["labels"], json!(["triaged"]), "{deal}");
        assert_eq!(deal["stage_id"], stage(&mut api, "Proposal"));
        owners.push(deal["owner_id"].as_i64().expect("owner"));
    }
    assert_ne!(owners[0], owners[1], "round robin takes turns");

    // An overdue task fires once per due time.
    let overdue = post(
        &mut api,
        "/automations",
        json!({
            "name": "Chase", "trigger": {"event": "task.overdue"},
            "actions": [{"type": "update_field", "field": "task.priority", "value": "high"}]
        }),
    );
    let overdue_id = overdue["id"].as_i64().expect("id");
    let due = onebox::clock::stamp(app.app().now() + Duration::hours(1));
    let task = post(
        &mut api,
        "/tasks",
        json!({"title": "Call back", "due_at": due}),
    );
    onebox::jobs::tick(app.app()).expect("tick");
    assert_eq!(
        get(&mut api, &format!("/automations/{overdue_id}/runs"))["total"],
        0,
        "not due yet"
    );
    app.clock.advance(Duration::hours(2));
    runs_until(&app, &mut api, overdue_id, |r| {
        r.len() == 1 && r[0]["status"] == "done"
    });
    assert_eq!(
        get(&mut api, &format!("/tasks/{}", task["id"]))["priority"],
        "high"
    );
    for _ in 0..2 {
        onebox::jobs::tick(app.app()).expect("tick");
    }
    assert_eq!(
        get(&mut api, &format!("/automations/{overdue_id}/runs"))["total"],
        1,
        "once per due time"
    );
}

#[test]
fn work_the_cli_leaves_is_found_after_a_clean_restart_without_a_pass_over_every_workspace() {
    let (mut app, mut api) = setup();
    post(&mut api, "/labels", json!({"name": "imported"}));
    let rule = post(
        &mut api,
        "/automations",
        json!({
            "name": "Label imported people",
            "trigger": {"event": "contact.created"},
            "actions": [{"type": "add_label", "label": "imported"}]
        }),
    )["id"]
        .as_i64()
        .expect("rule id");
    let serving = app.data_dir().join("serving");
    assert!(
        serving.exists(),
        "a running server marks its data directory"
    );
    app.restart_with(|stopped| {
        assert!(!serving.exists(), "a clean stop clears the mark");
        // `onebox import` runs without an automation worker: the contact's event waits in the
        // workspace, and the registry's hint says so.
        let file = stopped.data_dir().join("people.csv");
        std::fs::write(&file, "first_name,email\nIda,ida@example.test\n").expect("csv");
        let out = crate::support::onebox(
            &stopped.data_dir(),
            &[
                "import",
                "--tenant",
                "acme",
                "contacts",
                file.to_str().expect("path"),
            ],
            &[],
            None,
        );
        assert!(out.status.success(), "{}", crate::support::stderr(&out));
    });
    // No tick here: the restarted server's own threads find the work from the hint.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let runs = get(&mut api, &format!("/automations/{rule}/runs"));
        if runs["data"][0]["status"] == "done" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no run: {runs}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let ida = get(&mut api, "/contacts?q=ida");
    assert_eq!(ida["data"][0]["labels"], json!(["imported"]), "{ida}");
}
