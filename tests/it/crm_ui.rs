//! The CRM through its pages, as a browser without JavaScript uses them: forms, redirects,
//! flash messages. (Drag and drop on the board posts the same form as the card's "Move".)

use crate::support::http::{Client, Response};
use crate::support::{PASSWORD, TestApp};
use chrono::Duration;
use onebox::domain::capability::Profile;

/// Posts a form found on `page` to `action` and follows the redirect.
fn submit_and_follow(
    c: &mut Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (String, Response) {
    let r = c.submit(page, action, fields);
    assert_eq!(r.status, 303, "{action}: {} {}", r.status, r.body);
    let to = r.location().to_string();
    let page = c.get(&to);
    assert_eq!(page.status, 200, "{to}");
    (to, page)
}

fn id_of(path: &str) -> i64 {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {path}"))
}

#[test]
fn a_whole_small_sales_process_in_the_browser() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");

    let (company_path, company) = submit_and_follow(
        &mut c,
        "/t/acme/companies/new",
        "/t/acme/companies",
        &[("name", "Acme Bakery"), ("domain", "acme.example")],
    );
    assert!(company.body.contains("Company created.") && company.body.contains("Acme Bakery"));
    let company_id = id_of(&company_path);

    let new_contact = format!("/t/acme/contacts/new?company_id={company_id}");
    let form = c.get(&new_contact);
    assert!(
        form.body.contains(&format!(
            "<option value=\"{company_id}\" selected>Acme Bakery</option>"
        )),
        "the company is chosen"
    );
    let (contact_path, contact) = submit_and_follow(
        &mut c,
        &new_contact,
        "/t/acme/contacts",
        &[
            ("first_name", "Ann"),
            ("last_name", "Baker"),
            ("email", "ann@acme.example"),
            ("company_id", &company_id.to_string()),
            ("lifecycle", "prospect"),
        ],
    );
    assert!(contact.body.contains("Ann Baker") && contact.body.contains("Acme Bakery"));
    let contact_id = id_of(&contact_path);

    // Open a deal from the contact: the form comes with the contact chosen.
    let new_deal = format!("/t/acme/deals/new?contact_id={contact_id}");
    let (deal_path, deal) = submit_and_follow(
        &mut c,
        &new_deal,
        "/t/acme/deals",
        &[
            ("title", "Wedding cakes"),
            ("contact_id", &contact_id.to_string()),
            ("company_id", ""),
            ("amount", "2500"),
            ("stage_id", "1"),
        ],
    );
    assert!(
        deal.body.contains("€2,500.00") && deal.body.contains("Acme Bakery"),
        "the company follows the contact"
    );
    let deal_id = id_of(&deal_path);

    // Move it on the board (the card's own form), from Lead to Proposal.
    let board = c.get("/t/acme/deals/board");
    assert!(
        board.body.contains("Wedding cakes") && board.body.contains("1 · €2,500.00"),
        "the Lead column counts it"
    );
    let moved = c.submit(
        "/t/acme/deals/board",
        &format!("/t/acme/deals/{deal_id}/stage"),
        &[
            ("stage_id", "3"),
            ("return_to", "/t/acme/deals/board?pipeline=1"),
        ],
    );
    assert_eq!(moved.location(), "/t/acme/deals/board?pipeline=1");
    assert!(
        c.get("/t/acme/deals/board")
            .body
            .contains("Wedding cakes is now in Proposal.")
    );

    // Log a call, add a follow-up task and complete it, all from the deal's page.
    let logged = c.submit(
        &deal_path,
        &format!("{deal_path}/activities"),
        &[
            ("kind", "call"),
            ("outcome", "Wants a tasting"),
            ("body", "Call back Friday"),
            ("occurred_at", ""),
        ],
    );
    assert_eq!(logged.status, 303);
    let added = c.submit(
        &deal_path,
        "/t/acme/tasks",
        &[
            ("title", "Send the quote"),
            ("deal_id", &deal_id.to_string()),
            ("due_at", ""),
            ("return_to", &deal_path),
        ],
    );
    assert_eq!(added.location(), deal_path);
    let page = c.get(&deal_path).body;
    let task_id: i64 = page
        .split("/t/acme/tasks/")
        .skip(1)
        .find_map(|s| s.split(['/', '"']).next()?.parse().ok())
        .expect("task link");
    let done = c.submit(
        &deal_path,
        &format!("/t/acme/tasks/{task_id}/complete"),
        &[("return_to", &deal_path)],
    );
    assert_eq!(done.location(), deal_path);

    // Win it from the stage bar.
    let won = c.submit(
        &deal_path,
        &format!("/t/acme/deals/{deal_id}/stage"),
        &[("stage_id", "5")],
    );
    assert_eq!(won.status, 303);
    let deal = c.get(&deal_path).body;
    assert!(
        deal.contains("aria-current=\"step\">Won"),
        "the stage bar shows Won"
    );

    // Every part of the story is on the deal's, the contact's and the company's timelines.
    for path in [&deal_path, &contact_path, &company_path] {
        let page = c.get(path).body;
        for entry in [
            "Deal Wedding cakes created in Lead",
            "Wedding cakes moved from Lead to Proposal",
            "Call logged: Wants a tasting",
            "Task created: Send the quote",
            "Task completed: Send the quote",
            "Deal Wedding cakes won",
        ] {
            assert!(page.contains(entry), "{path} lacks {entry:?}");
        }
    }
    assert!(
        c.get(&company_path)
            .body
            .contains("Contact Ann Baker created")
    );
}

#[test]
fn form_errors_are_shown_by_their_fields_and_save_nothing() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    c.submit(
        "/t/acme/settings/fields",
        "/t/acme/settings/fields",
        &[
            ("entity", "contact"),
            ("label", "Seats"),
            ("key", "seats"),
            ("kind", "number"),
        ],
    );
    let (first, _) = submit_and_follow(
        &mut c,
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[("first_name", "Ann"), ("email", "ann@acme.test")],
    );
    let before = app.disk_state("acme");

    let bad = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[
            ("first_name", "Bo"),
            ("email", "bo@"),
            ("custom.seats", "many"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Email is not a valid email address")
            && bad.body.contains("Seats must be a number"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"Bo\""), "what was typed stays");
    let duplicate = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[("first_name", "Again"), ("email", "ANN@acme.test")],
    );
    assert_eq!(duplicate.status, 409);
    assert!(
        duplicate.body.contains(&format!("href=\"{first}\""))
            && duplicate.body.contains("open the existing contact"),
        "{}",
        duplicate.body
    );
    let lost = c.submit(
        "/t/acme/deals/new",
        "/t/acme/deals",
        &[("title", "x"), ("stage_id", "6")],
    );
    assert_eq!(lost.status, 422);
    assert!(
        lost.body
            .contains("Reason lost is required when a deal is lost")
    );
    assert_eq!(app.disk_state("acme"), before);
}

#[test]
fn deleting_says_what_stays_linked_and_the_trash_restores() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let (company, _) = submit_and_follow(
        &mut c,
        "/t/acme/companies/new",
        "/t/acme/companies",
        &[("name", "Acme")],
    );
    let cid = id_of(&company);
    submit_and_follow(
        &mut c,
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[("first_name", "Ann"), ("company_id", &cid.to_string())],
    );
    let confirm = c.get(&format!("{company}/delete"));
    assert!(
        confirm.body.contains("1 contacts")
            && confirm.body.contains("restore it there for 30 days"),
        "{}",
        confirm.body
    );
    let (list, page) = submit_and_follow(
        &mut c,
        &format!("{company}/delete"),
        &format!("{company}/delete"),
        &[],
    );
    assert_eq!(list, "/t/acme/companies");
    assert!(page.body.contains("Acme moved to the trash"));
    assert_eq!(c.get(&company).status, 404);
    assert!(
        c.get("/t/acme/contacts").body.contains("Ann"),
        "the contact stays"
    );
    let trash = c.get("/t/acme/trash");
    assert!(trash.body.contains("Acme") && trash.body.contains("company"));
    let (back, _) = submit_and_follow(&mut c, "/t/acme/trash", &format!("{company}/restore"), &[]);
    assert_eq!(back, company);

    // After 30 days in the trash a record is purged by the cron thread's daily upkeep.
    submit_and_follow(
        &mut c,
        &format!("{company}/delete"),
        &format!("{company}/delete"),
        &[],
    );
    app.clock.advance(Duration::days(31));
    // A month idle ends the session too.
    let (mut c, _) = app.login("acme", "owner@acme.test", PASSWORD);
    let (other, _) = submit_and_follow(
        &mut c,
        "/t/acme/companies/new",
        "/t/acme/companies",
        &[("name", "Bolt")],
    );
    submit_and_follow(
        &mut c,
        &format!("{other}/delete"),
        &format!("{other}/delete"),
        &[],
    );
    let trash = c.get("/t/acme/trash").body;
    assert!(
        trash.contains(">Acme<"),
        "not purged before the upkeep runs"
    );
    onebox::jobs::tick(app.app()).expect("cron tick");
    let trash = c.get("/t/acme/trash").body;
    assert!(
        trash.contains("Bolt") && !trash.contains(">Acme<"),
        "{trash}"
    );
    let conn = rusqlite::Connection::open(app.tenant_file("acme")).expect("open");
    let contact_company: Option<i64> = conn
        .query_row("SELECT company_id FROM contacts", [], |r| r.get(0))
        .expect("contact");
    assert_eq!(
        contact_company, None,
        "the purge cleared the link, and the contact stayed"
    );
}

#[test]
fn settings_manage_pipelines_stages_labels_and_fields() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let (_, page) = submit_and_follow(
        &mut c,
        "/t/acme/settings/pipelines",
        "/t/acme/settings/pipelines",
        &[("name", "Onboarding")],
    );
    assert!(page.body.contains("Pipeline Onboarding added.") && !page.body.contains("Kick"));
    submit_and_follow(
        &mut c,
        "/t/acme/deals/new",
        "/t/acme/deals",
        &[("title", "Cakes"), ("stage_id", "2")],
    );
    // Deleting a stage that holds a deal asks where it goes.
    let ask = c.get("/t/acme/settings/stages/2/delete");
    assert!(
        ask.body.contains("1 deals are in this stage") && ask.body.contains("name=\"move_to\"")
    );
    let (_, done) = submit_and_follow(
        &mut c,
        "/t/acme/settings/stages/2/delete",
        "/t/acme/settings/stages/2/delete",
        &[("move_to", "4")],
    );
    assert!(done.body.contains("Stage deleted; 1 deals moved."));
    let (_, renamed) = submit_and_follow(
        &mut c,
        "/t/acme/settings/pipelines",
        "/t/acme/settings/stages/3",
        &[("name", "Offer"), ("probability", "60"), ("kind", "open")],
    );
    assert!(renamed.body.contains("Stage Offer saved."));
    let bad = c.submit(
        "/t/acme/settings/pipelines",
        "/t/acme/settings/stages/3",
        &[("name", "Offer"), ("probability", "160"), ("kind", "open")],
    );
    assert!(c.get(bad.location()).body.contains("from 0 to 100"));

    let (_, labels) = submit_and_follow(
        &mut c,
        "/t/acme/settings/labels",
        "/t/acme/settings/labels",
        &[("name", "vip"), ("color", "#dc2626")],
    );
    assert!(labels.body.contains("Label vip added."));
    let twice = c.submit(
        "/t/acme/settings/labels",
        "/t/acme/settings/labels",
        &[("name", "VIP"), ("color", "#dc2626")],
    );
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("exists already"));

    let bad_field = c.submit(
        "/t/acme/settings/fields",
        "/t/acme/settings/fields",
        &[
            ("entity", "deal"),
            ("label", "Tier"),
            ("key", "Tier!"),
            ("kind", "select"),
        ],
    );
    assert_eq!(bad_field.status, 422);
    assert!(
        bad_field
            .body
            .contains("Key must start with a lowercase letter")
    );
    let (_, fields) = submit_and_follow(
        &mut c,
        "/t/acme/settings/fields",
        "/t/acme/settings/fields",
        &[
            ("entity", "deal"),
            ("label", "Tier"),
            ("key", "tier"),
            ("kind", "select"),
            ("options", "gold, silver"),
        ],
    );
    assert!(fields.body.contains("Field Tier added."));
    let form = c.get("/t/acme/deals/new").body;
    assert!(
        form.contains("name=\"custom.tier\"") && form.contains(">gold<") && form.contains("vip"),
        "the deal form offers the field and the label"
    );

    // Members see none of it.
    app.add_user("acme", "mia@acme.test", onebox::domain::user::Role::Member);
    let (mut mia, _) = app.login("acme", "mia@acme.test", PASSWORD);
    for path in [
        "/t/acme/settings/pipelines",
        "/t/acme/settings/labels",
        "/t/acme/settings/fields",
    ] {
        assert_eq!(mia.get(path).status, 403, "{path}");
    }
}

#[test]
fn my_tasks_sorts_by_due_and_completes_with_one_click() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let now = app.app().now();
    let at = |d: Duration| (now + d).format("%Y-%m-%dT%H:%M").to_string();
    let me = c.get("/t/acme/api/v1/me").json()["id"].to_string();
    for (title, due) in [
        ("Overdue call", at(-Duration::days(2))),
        ("Later visit", at(Duration::days(3))),
        ("Someday", String::new()),
    ] {
        submit_and_follow(
            &mut c,
            "/t/acme/tasks/new",
            "/t/acme/tasks",
            &[("title", title), ("due_at", &due), ("assignee_id", &me)],
        );
    }
    let page = c.get("/t/acme/tasks/mine").body;
    let overdue = page
        .find("Overdue</h2>")
        .or_else(|| page.find("Overdue "))
        .expect("overdue section");
    let upcoming = page.find("Upcoming and undated").expect("upcoming section");
    let at_of = |t: &str| page.find(t).unwrap_or_else(|| panic!("{t} missing"));
    assert!(
        overdue < at_of("Overdue call")
            && at_of("Overdue call") < upcoming
            && upcoming < at_of("Later visit")
            && upcoming < at_of("Someday")
    );
    let id = page
        .split("/tasks/")
        .filter_map(|s| s.split('/').next()?.parse::<i64>().ok())
        .next()
        .expect("a task id");
    let (back, done) = submit_and_follow(
        &mut c,
        "/t/acme/tasks/mine",
        &format!("/t/acme/tasks/{id}/complete"),
        &[("return_to", "/t/acme/tasks/mine")],
    );
    assert_eq!(back, "/t/acme/tasks/mine");
    assert!(done.body.contains("Done: ") && done.body.contains("Done lately"));
}

#[test]
fn lists_sort_by_column_and_page() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    for name in ["Cedar", "Apple", "Birch"] {
        api.json(
            "POST",
            "/t/acme/api/v1/companies",
            &serde_json::json!({"name": name}),
        );
    }
    let order = |body: &str| {
        ["Apple", "Birch", "Cedar"].map(|n| body.find(&format!(">{n}<")).unwrap_or(usize::MAX))
    };
    let asc = c.get("/t/acme/companies?sort=name").body;
    let [a, b, cc] = order(&asc);
    assert!(a < b && b < cc);
    assert!(
        asc.contains("href=\"/t/acme/companies?sort=-name\""),
        "the heading link flips the order"
    );
    let desc = c.get("/t/acme/companies?sort=-name").body;
    let [a, b, cc] = order(&desc);
    assert!(cc < b && b < a);
    let one = c.get("/t/acme/companies?sort=name&limit=1&cursor=1").body;
    assert!(
        one.contains(">Birch<") && !one.contains(">Apple<") && one.contains("Showing 2–2 of 3")
    );
    assert!(c.get("/t/acme/companies?q=ced").body.contains(">Cedar<"));
    assert_eq!(c.get("/t/acme/companies?sort=bogus").status, 422);
}

/// What the list's inline edit (assets/app.js) relies on: plain cells marked with their field
/// and value, the API address and CSRF token on the table, and the API taking the session with
/// that token and refusing it without.
#[test]
fn list_cells_carry_what_inline_edit_needs_and_the_session_api_checks_csrf() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let company = api
        .json(
            "POST",
            "/t/acme/api/v1/companies",
            &serde_json::json!({"name": "Bolt"}),
        )
        .json()["id"]
        .clone();
    let ann = api
        .json(
            "POST",
            "/t/acme/api/v1/contacts",
            &serde_json::json!({"first_name": "Ann", "email": "ann@acme.test", "company_id": company}),
        )
        .json()["id"]
        .as_i64()
        .expect("id");
    let list = page.get("/t/acme/contacts");
    assert!(list.body.contains("data-api=\"/t/acme/api/v1/contacts/\""));
    let csrf = {
        let at = list.body.find("data-csrf=\"").expect("data-csrf") + 11;
        list.body[at..at + 64].to_string()
    };
    assert!(list.body.contains(&format!("<tr data-id=\"{ann}\">")));
    assert!(
        list.body
            .contains("data-edit=\"email\" data-value=\"ann@acme.test\""),
        "{}",
        list.body
    );
    assert!(list.body.contains(
        "data-edit=\"lifecycle\" data-value=\"lead\" data-options=\"[[&quot;lead&quot;,&quot;Lead&quot;],[&quot;prospect&quot;,&quot;Prospect&quot;],[&quot;customer&quot;,&quot;Customer&quot;],[&quot;former&quot;,&quot;Former&quot;]]\""
    ));
    assert!(
        !list.body.contains("data-edit=\"company_id\""),
        "links to records are not edited inline"
    );
    assert!(!list.body.contains("data-edit=\"owner_id\""));

    let path = format!("/t/acme/api/v1/contacts/{ann}");
    let body = br#"{"email": "not an email"}"#;
    let json = [("Content-Type", "application/json")];
    let forged = page.request("PATCH", &path, &json, body);
    assert_eq!(forged.status, 403, "no X-CSRF-Token, no change");
    let with_token = [
        ("Content-Type", "application/json"),
        ("X-CSRF-Token", csrf.as_str()),
    ];
    let refused = page.request("PATCH", &path, &with_token, body);
    assert_eq!(refused.status, 422);
    assert!(refused.json()["error"]["fields"]["email"].is_string());
    let saved = page.request("PATCH", &path, &with_token, br#"{"lifecycle": "customer"}"#);
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json()["lifecycle"], "customer");
}

#[test]
fn a_pipelines_stages_take_the_order_the_settings_send_and_nothing_else() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let pipeline = api.get("/t/acme/api/v1/pipelines").json()["data"][0].clone();
    let id = pipeline["id"].to_string();
    let stages: Vec<String> = pipeline["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["id"].to_string())
        .collect();
    let page = c.get("/t/acme/settings/pipelines").body;
    assert!(
        page.contains(&format!(
            "data-order=\"/t/acme/settings/pipelines/{id}/order\""
        )),
        "{page}"
    );
    let csrf = c.get("/t/acme/settings/pipelines").csrf();
    let mut reversed: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    reversed.extend(stages.iter().rev().map(|s| ("stages", s.as_str())));
    let moved = c.post_form(&format!("/t/acme/settings/pipelines/{id}/order"), &reversed);
    assert_eq!(moved.status, 303, "{}", moved.body);
    let now: Vec<String> = api.get(&format!("/t/acme/api/v1/pipelines/{id}")).json()["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["id"].to_string())
        .collect();
    assert_eq!(now, stages.iter().rev().cloned().collect::<Vec<_>>());
    // An order that leaves a stage out changes nothing.
    let before = app.disk_state("acme");
    let short = c.post_form(
        &format!("/t/acme/settings/pipelines/{id}/order"),
        &[("csrf", &csrf), ("stages", &stages[0])],
    );
    assert_eq!(short.status, 422, "{}", short.body);
    assert_eq!(app.disk_state("acme"), before);
}
