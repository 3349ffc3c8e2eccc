//! The 360 view at any size: each section shows the newest, counts them all and links to the
//! list of them; the timeline is paged.

use crate::support::TestApp;
use onebox::domain::capability::Profile;
use serde_json::json;

#[test]
fn a_company_with_many_contacts_shows_the_newest_and_pages_its_timeline() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let company = api.json(
        "POST",
        "/t/acme/api/v1/companies",
        &json!({"name": "Bigco"}),
    );
    assert_eq!(company.status, 201, "{}", company.body);
    let id = company.json()["id"].clone();
    for i in 0..30 {
        let made = api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": "Person", "last_name": format!("Number{i:02}"), "company_id": id}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
    }
    let page = c.get(&format!("/t/acme/companies/{id}")).body;
    assert_eq!(
        page.matches("\">Person Number").count(),
        10,
        "the newest 10 contacts"
    );
    assert!(page.contains(">Person Number29<") && !page.contains(">Person Number05<"));
    assert!(
        page.contains("Contacts <span class=\"count\">30</span>"),
        "{page}"
    );
    assert!(page.contains(&format!(
        "href=\"/t/acme/contacts?company_id={id}\">Show all 30"
    )));
    // 31 timeline entries (the company and each contact), 25 a page.
    assert!(
        page.contains("Timeline <span class=\"count\">31</span>"),
        "{page}"
    );
    let older = format!("/t/acme/companies/{id}?timeline=25");
    assert!(page.contains(&format!("href=\"{older}#timeline-h\"")));
    let second = c.get(&older).body;
    assert!(second.contains("26–31 of 31") && second.contains("← Newer"));
    assert!(
        second.contains("Company Bigco created"),
        "the oldest entry is on the last page"
    );
    assert!(!page.contains("Company Bigco created"));
    assert_eq!(
        c.get(&format!("/t/acme/companies/{id}?timeline=-3")).status,
        422
    );
}

#[test]
fn won_and_lost_are_drop_zones_and_a_lost_drop_needs_a_reason() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let stages = api.get("/t/acme/api/v1/pipelines").json()["data"][0]["stages"].clone();
    let stage = |kind: &str| {
        stages
            .as_array()
            .expect("stages")
            .iter()
            .find(|s| s["kind"] == kind)
            .map(|s| s["id"].to_string())
            .expect("a stage of the kind")
    };
    let (won, lost) = (stage("won"), stage("lost"));
    for (title, to) in [("Closed one", Some(&won)), ("Still open", None)] {
        let mut body = json!({"title": title, "amount": 1000});
        if let Some(s) = to {
            body["stage_id"] = s.parse::<i64>().expect("id").into();
        }
        let made = api.json("POST", "/t/acme/api/v1/deals", &body);
        assert_eq!(made.status, 201, "{}", made.body);
    }
    let open = api.get("/t/acme/api/v1/deals?status=open").json()["data"][0]["id"].clone();
    let board = c.get("/t/acme/deals/board").body;
    assert!(board.contains("Still open"), "open deals are cards");
    assert!(
        !board.contains(">Closed one<"),
        "closed deals are not cards"
    );
    assert!(board.contains(&format!(
        "href=\"/t/acme/deals?stage_id={won}\">All 1 in the list"
    )));

    // Dropped on Lost without a reason: refused, and the board says why.
    let refused = c.submit(
        "/t/acme/deals/board",
        &format!("/t/acme/deals/{open}/stage"),
        &[("stage_id", &lost), ("return_to", "/t/acme/deals/board")],
    );
    assert_eq!(refused.status, 303);
    let after = c.get("/t/acme/deals/board").body;
    assert!(after.contains("required when a deal is lost"), "{after}");
    assert!(after.contains("Still open"), "the deal stays where it was");
    let moved = c.submit(
        "/t/acme/deals/board",
        &format!("/t/acme/deals/{open}/stage"),
        &[
            ("stage_id", &lost),
            ("lost_reason", "Too dear"),
            ("return_to", "/t/acme/deals/board"),
        ],
    );
    assert_eq!(moved.status, 303);
    let after = c.get("/t/acme/deals/board").body;
    assert!(after.contains(&format!(
        "href=\"/t/acme/deals?stage_id={lost}\">All 1 in the list"
    )));
    assert!(!after.contains(">Still open<"));
}

#[test]
fn the_board_shows_one_owners_deals_with_their_counts() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", onebox::domain::user::Role::Member);
    let mut api = app.api("acme", "owner@acme.test");
    let me = api.get("/t/acme/api/v1/me").json()["id"].clone();
    let mia = app
        .api("acme", "mia@acme.test")
        .get("/t/acme/api/v1/me")
        .json()["id"]
        .clone();
    for (title, owner) in [("Mine one", &me), ("Mine two", &me), ("Mia's", &mia)] {
        let made = api.json(
            "POST",
            "/t/acme/api/v1/deals",
            &json!({"title": title, "amount": 1000, "owner_id": owner}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
    }
    let everyone = c.get("/t/acme/deals/board").body;
    assert!(everyone.contains(">Mine one<") && everyone.contains(">Mia's<"));
    assert!(everyone.contains("3 · €30.00"), "{everyone}");
    let mine = c.get("/t/acme/deals/board?owner=me").body;
    assert!(
        mine.contains(">Mine one<") && mine.contains(">Mine two<") && !mine.contains(">Mia's<")
    );
    assert!(
        mine.contains("2 · €20.00"),
        "the column counts her deals only"
    );
    assert!(mine.contains("<option value=\"me\" selected>"));
    let hers = c.get(&format!("/t/acme/deals/board?owner={mia}")).body;
    assert!(hers.contains(">Mia's<") && !hers.contains(">Mine one<"));
    assert_eq!(c.get("/t/acme/deals/board?owner=nobody").status, 422);
}

/// The first-steps checklist leads to adding contacts and a deal, ticks them off when done,
/// and a user can hide it.
#[test]
fn the_checklist_asks_for_contacts_and_a_deal_and_can_be_hidden() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let home = c.get("/t/acme/").body;
    assert!(
        home.contains("Welcome, Olga Owner"),
        "the greeting uses the name"
    );
    let step = |body: &str, label: &str| -> bool {
        let at = body
            .find(label)
            .unwrap_or_else(|| panic!("{label} missing"));
        let item = &body[body[..at].rfind("<li").expect("its item")..at];
        item.contains("class=\"done\"")
    };
    assert!(!step(&home, "Add or import contacts"));
    assert!(!step(&home, "Create a deal"));
    let mut api = app.api("acme", "owner@acme.test");
    api.json(
        "POST",
        "/t/acme/api/v1/contacts",
        &serde_json::json!({"first_name": "Ann"}),
    );
    let home = c.get("/t/acme/").body;
    assert!(
        step(&home, "Add or import contacts"),
        "done once there is a contact"
    );
    assert!(!step(&home, "Create a deal"));
    let hidden = c.submit("/t/acme/", "/t/acme/checklist/hide", &[]);
    assert_eq!(hidden.status, 303, "{}", hidden.body);
    let home = c.get("/t/acme/").body;
    assert!(
        !home.contains("Set up your workspace"),
        "hidden for this user"
    );
}

/// A contact's lifecycle and a deal's amount, changed, leave "was → now" on the timeline; an
/// edit that changes neither leaves nothing.
#[test]
fn field_changes_reach_the_timeline() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let made = api.json(
        "POST",
        "/t/acme/api/v1/contacts",
        &json!({"first_name": "Ann", "last_name": "Smith"}),
    );
    let contact = made.json()["id"].as_i64().expect("contact");
    let path = format!("/t/acme/api/v1/contacts/{contact}");
    api.json("PATCH", &path, &json!({"lifecycle": "customer"}));
    api.json("PATCH", &path, &json!({"title": "Owner"}));
    let deal = api
        .json(
            "POST",
            "/t/acme/api/v1/deals",
            &json!({"title": "Hair colour course", "amount": 100000, "contact_id": contact}),
        )
        .json()["id"]
        .as_i64()
        .expect("deal");
    api.json(
        "PATCH",
        &format!("/t/acme/api/v1/deals/{deal}"),
        &json!({"amount": "2500.50"}),
    );
    let page = c.get(&format!("/t/acme/contacts/{contact}")).body;
    assert!(
        page.contains("Lifecycle of Ann Smith: Lead → Customer"),
        "{page}"
    );
    assert!(
        page.contains("Amount of Hair colour course: €1,000.00 → €2,500.50"),
        "{page}"
    );
    let entries = api
        .get(&format!(
            "/t/acme/api/v1/activities?contact_id={contact}&kind=field_changed"
        ))
        .json();
    assert_eq!(entries["total"], 2, "the title edit left none: {entries}");
}
