//! Working with many records: CSV export of a filtered list, page sizes, the command
//! palette's commands.

use crate::support::TestApp;
use crate::support::acme::create;
use onebox::domain::capability::Profile;
use serde_json::json;

#[test]
fn a_filtered_list_exports_as_csv_with_custom_fields_labels_and_names() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    create(
        &mut api,
        "/custom_fields",
        json!({"entity": "contact", "key": "tier", "label": "Tier", "kind": "select", "options": ["gold", "silver"]}),
    );
    create(
        &mut api,
        "/labels",
        json!({"name": "vip", "color": "#dc2626"}),
    );
    let company = create(&mut api, "/companies", json!({"name": "Acme, Inc."}));
    create(
        &mut api,
        "/contacts",
        json!({"first_name": "Ann", "last_name": "Müller", "company_id": company, "custom": {"tier": "gold"}, "labels": ["vip"]}),
    );
    create(
        &mut api,
        "/contacts",
        json!({"first_name": "=HYPERLINK(\"x\")", "last_name": "Evil", "lifecycle": "customer"}),
    );
    create(
        &mut api,
        "/contacts",
        json!({"first_name": "Bob", "lifecycle": "customer"}),
    );

    let all = page.get("/t/acme/contacts/export.csv?sort=name");
    assert_eq!(all.status, 200);
    assert_eq!(all.header("Content-Type"), Some("text/csv; charset=utf-8"));
    assert!(
        all.header("Content-Disposition")
            .is_some_and(|d| d.contains("attachment") && d.contains(".csv"))
    );
    let lines: Vec<&str> = all.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4, "header and three contacts: {}", all.body);
    let header = lines[0];
    assert!(header.starts_with("id,first_name,last_name,email,phone,title,company_id,company,owner_id,owner,lifecycle,source,custom.tier,labels,created_at,updated_at"), "{header}");
    let ann = lines.iter().find(|l| l.contains("Ann")).expect("Ann");
    assert!(
        ann.contains("Müller") && ann.contains("\"Acme, Inc.\"") && ann.contains(",gold,vip,"),
        "{ann}"
    );
    let evil = lines.iter().find(|l| l.contains("Evil")).expect("evil");
    assert!(
        evil.contains("\"'=HYPERLINK(\"\"x\"\")\""),
        "formulas are defused: {evil}"
    );

    // The same filters as the list.
    let customers = page
        .get("/t/acme/contacts/export.csv?lifecycle=customer&sort=name")
        .body;
    assert_eq!(customers.split("\r\n").filter(|l| !l.is_empty()).count(), 3);
    assert!(!customers.contains("Ann"));
    let list = page.get("/t/acme/contacts?lifecycle=customer").body;
    assert!(
        list.contains("/t/acme/contacts/export.csv?lifecycle=customer"),
        "the list links its own export"
    );
    assert_eq!(
        page.get("/t/acme/contacts/export.csv?sort=nope").status,
        422
    );
}

#[test]
fn lists_offer_page_sizes_and_keep_them_while_paging() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    for i in 0..60 {
        api.json(
            "POST",
            "/t/acme/api/v1/companies",
            &json!({"name": format!("C{i:02}")}),
        );
    }
    let first = page.get("/t/acme/companies?sort=name").body;
    assert!(first.contains("Showing 1–25 of 60"));
    assert!(first.contains("limit=50") && first.contains("limit=100"));
    let fifty = page.get("/t/acme/companies?sort=name&limit=50").body;
    assert!(fifty.contains("Showing 1–50 of 60") && fifty.contains("<strong>50</strong>"));
    // The next page starts after this one's last row, and keeps the size.
    let next = fifty
        .split("<a ")
        .find(|tag| tag.contains("rel=\"next\""))
        .and_then(|tag| tag.split("href=\"").nth(1)?.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .expect("a next link");
    assert!(
        next.contains("limit=50") && next.contains("cursor=k"),
        "{next}"
    );
    let second = page.get(&next).body;
    assert!(
        second.contains("Showing 51–60 of 60")
            && second.contains(">C50<")
            && !second.contains(">C49<")
    );
    assert_eq!(page.get("/t/acme/companies?limit=1000").status, 422);
}

#[test]
fn the_palette_offers_only_what_the_account_has() {
    let app = TestApp::start();
    let mut clinic = app.tenant_with_owner("clinic", Profile::Healthcare, "doc@clinic.test");
    let home = clinic.get("/t/clinic/").body;
    assert!(
        home.contains("id=\"palette\"") && home.contains("data-search=\"/t/clinic/api/v1/search\"")
    );
    assert!(
        home.contains("data-href=\"/t/clinic/contacts/new\"")
            && home.contains("data-href=\"/t/clinic/tasks/new\"")
    );
    assert!(
        !home.contains("data-href=\"/t/clinic/deals/new\""),
        "no deals for a clinic by default"
    );
    assert!(
        home.contains("action=\"/t/clinic/search\""),
        "the header search works without JavaScript"
    );
}

#[test]
fn facets_filter_by_dates_custom_values_labels_stages_and_ids() {
    let app = TestApp::start();
    let _first_session = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    create(
        &mut api,
        "/custom_fields",
        json!({"entity": "contact", "key": "tier", "label": "Tier", "kind": "select", "options": ["gold", "silver"]}),
    );
    create(
        &mut api,
        "/custom_fields",
        json!({"entity": "contact", "key": "seats", "label": "Seats", "kind": "number"}),
    );
    create(
        &mut api,
        "/custom_fields",
        json!({"entity": "contact", "key": "vip", "label": "VIP", "kind": "boolean"}),
    );
    let old = create(
        &mut api,
        "/contacts",
        json!({"first_name": "Old", "custom": {"tier": "gold", "seats": 5, "vip": true}}),
    );
    app.clock.advance(chrono::Duration::days(10));
    let new = create(
        &mut api,
        "/contacts",
        json!({"first_name": "New", "custom": {"tier": "silver", "seats": 7}}),
    );
    let names = |api: &mut crate::support::http::Client, q: &str| -> Vec<String> {
        let r = api.get(&format!("/t/acme/api/v1/contacts?sort=name&{q}"));
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        r.json()["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|c| c["first_name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let today = app.app().now().format("%Y-%m-%d").to_string();
    assert_eq!(names(&mut api, &format!("created_from={today}")), ["New"]);
    assert_eq!(
        names(
            &mut api,
            &format!(
                "created_to={}",
                (app.app().now() - chrono::Duration::days(1)).format("%Y-%m-%d")
            )
        ),
        ["Old"]
    );
    assert_eq!(names(&mut api, "custom.tier=gold"), ["Old"]);
    assert_eq!(names(&mut api, "custom.seats=7"), ["New"]);
    assert_eq!(names(&mut api, "custom.vip=true"), ["Old"]);
    assert_eq!(names(&mut api, &format!("ids={new},{old}")), ["New", "Old"]);
    assert_eq!(
        names(&mut api, "lifecycle=&label=&owner_id="),
        ["New", "Old"],
        "empty facets mean any"
    );
    for bad in ["created_from=yesterday", "custom.Bad=1", "ids=1,x"] {
        assert_eq!(
            api.get(&format!("/t/acme/api/v1/contacts?{bad}")).status,
            422,
            "{bad}"
        );
    }

    // The page's filter bar shows the facets, keeps the chosen ones, and filters. (Ten idle
    // days ended the browser session.)
    let (mut page, _) = app.login("acme", "owner@acme.test", crate::support::PASSWORD);
    let html = page.get("/t/acme/contacts?custom.tier=gold").body;
    assert!(
        html.contains("name=\"custom.tier\"")
            && html.contains("<option value=\"gold\" selected>gold</option>")
    );
    assert!(
        html.contains("name=\"custom.vip\"") && !html.contains("name=\"custom.seats\""),
        "only fixed-choice fields are facets"
    );
    assert!(html.contains(">Old<") && !html.contains(">New<"));
    let deals = page.get("/t/acme/deals?status=won").body;
    assert!(deals.contains("name=\"stage_id\"") && deals.contains("Sales · Won"));
}

#[test]
fn bulk_actions_change_each_selected_record_and_report_what_was_refused() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let me = api.get("/t/acme/api/v1/me").json()["id"]
        .as_i64()
        .expect("me");
    api.json(
        "POST",
        "/t/acme/api/v1/labels",
        &json!({"name": "vip", "color": "#dc2626"}),
    );
    let ids: Vec<String> = (0..3)
        .map(|i| {
            api.json(
                "POST",
                "/t/acme/api/v1/contacts",
                &json!({"first_name": format!("C{i}")}),
            )
            .json()["id"]
                .to_string()
        })
        .collect();
    let list = page.get("/t/acme/contacts");
    assert!(list.body.contains("form=\"bulk\"") && list.body.contains("id=\"bulk\""));
    let csrf = list.csrf();
    let bulk = |page: &mut crate::support::http::Client, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let r = page.post_form("/t/acme/contacts/bulk", &all);
        assert_eq!(r.status, 303, "{}", r.body);
        page.get(r.location()).body
    };
    let done = bulk(
        &mut page,
        &[
            ("action", "add_label"),
            ("label", "vip"),
            ("ids", &ids[0]),
            ("ids", &ids[1]),
        ],
    );
    assert!(done.contains("Done for 2 contacts."), "{done}");
    assert_eq!(
        api.get("/t/acme/api/v1/contacts?label=vip").json()["total"],
        2
    );
    bulk(
        &mut page,
        &[
            ("action", "remove_label"),
            ("label", "vip"),
            ("ids", &ids[0]),
        ],
    );
    assert_eq!(
        api.get("/t/acme/api/v1/contacts?label=vip").json()["total"],
        1
    );
    bulk(
        &mut page,
        &[
            ("action", "owner"),
            ("owner_id", &me.to_string()),
            ("ids", &ids[2]),
        ],
    );
    assert_eq!(
        api.get(&format!("/t/acme/api/v1/contacts/{}", ids[2]))
            .json()["owner_id"],
        me
    );
    let export = page.post_form(
        "/t/acme/contacts/bulk",
        &[
            ("csrf", &csrf),
            ("action", "export"),
            ("ids", &ids[1]),
            ("ids", &ids[2]),
        ],
    );
    assert_eq!(
        export.location(),
        format!("/t/acme/contacts/export.csv?ids={},{}", ids[1], ids[2])
    );
    // Moving to the trash asks first, with the count, and changes nothing until confirmed.
    let asked = page.post_form(
        "/t/acme/contacts/bulk",
        &[
            ("csrf", &csrf),
            ("action", "trash"),
            ("ids", &ids[0]),
            ("ids", &ids[1]),
        ],
    );
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert!(
        asked.body.contains("Move 2 contacts to the trash?"),
        "{}",
        asked.body
    );
    assert_eq!(api.get("/t/acme/api/v1/contacts").json()["total"], 3);
    let trash_two = [
        ("action", "trash"),
        ("confirmed", "yes"),
        ("ids", ids[0].as_str()),
        ("ids", ids[1].as_str()),
    ];
    let trashed = bulk(&mut page, &trash_two);
    assert_eq!(api.get("/t/acme/api/v1/contacts").json()["total"], 1);
    // The list then offers to undo it; undone, both are back.
    assert!(
        trashed.contains("Moved 2 contacts to the trash."),
        "{trashed}"
    );
    assert!(trashed.contains("value=\"restore\"") && trashed.contains(">Undo</button>"));
    let undone = bulk(
        &mut page,
        &[("action", "restore"), ("ids", &ids[0]), ("ids", &ids[1])],
    );
    assert!(undone.contains("Done for 2 contacts."), "{undone}");
    assert_eq!(api.get("/t/acme/api/v1/contacts").json()["total"], 3);
    bulk(&mut page, &trash_two);
    assert_eq!(api.get("/t/acme/api/v1/contacts").json()["total"], 1);
    let empty = bulk(&mut page, &[("action", "trash")]);
    assert!(empty.contains("Choose at least one record."), "{empty}");
    // No action is chosen until one is.
    assert!(
        list.body
            .contains("<option value=\"\" selected>Choose an action…</option>")
    );
    let unchosen = bulk(&mut page, &[("action", ""), ("ids", &ids[2])]);
    assert!(
        unchosen.contains("Choose what to do with the selected records."),
        "{unchosen}"
    );

    // Deals moved to a lost stage without a reason are refused one by one; the rest move.
    let won = api
        .json("POST", "/t/acme/api/v1/deals", &json!({"title": "A"}))
        .json()["id"]
        .to_string();
    let other = api
        .json("POST", "/t/acme/api/v1/deals", &json!({"title": "B"}))
        .json()["id"]
        .to_string();
    let csrf = page.get("/t/acme/deals").csrf();
    let r = page.post_form(
        "/t/acme/deals/bulk",
        &[
            ("csrf", &csrf),
            ("action", "stage"),
            ("stage_id", "6"),
            ("ids", &won),
            ("ids", &other),
        ],
    );
    let shown = page.get(r.location()).body;
    assert!(
        shown.contains("Done for 0; 2 refused") && shown.contains("lost_reason"),
        "{shown}"
    );
    let r = page.post_form(
        "/t/acme/deals/bulk",
        &[
            ("csrf", &csrf),
            ("action", "stage"),
            ("stage_id", "5"),
            ("ids", &won),
        ],
    );
    assert!(page.get(r.location()).body.contains("Done for 1 deal."));
    assert_eq!(
        api.get(&format!("/t/acme/api/v1/deals/{won}")).json()["status"],
        "won"
    );
}

#[test]
fn the_dashboard_shows_the_figures_of_known_data() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let me = api.get("/t/acme/api/v1/me").json()["id"]
        .as_i64()
        .expect("me");
    let deal =
        |api: &mut crate::support::http::Client, amount: i64, stage: i64, reason: Option<&str>| {
            let mut body =
                json!({"title": "d", "amount": amount, "owner_id": me, "stage_id": stage});
            if let Some(r) = reason {
                body["lost_reason"] = r.into();
            }
            let r = api.json("POST", "/t/acme/api/v1/deals", &body);
            assert_eq!(r.status, 201, "{}", r.body);
        };
    // Closed 40 days ago: outside the last 30 days.
    deal(&mut api, 99_900, 5, None);
    app.clock.advance(chrono::Duration::days(40));
    let (mut page2, _) = app.login("acme", "owner@acme.test", crate::support::PASSWORD);
    let mut api = app.api("acme", "owner@acme.test");
    deal(&mut api, 100_000, 5, None);
    deal(&mut api, 50_000, 5, None);
    deal(&mut api, 70_000, 6, Some("price"));
    deal(&mut api, 200_000, 1, None); // Lead, 10 %
    deal(&mut api, 100_000, 3, None); // Proposal, 50 %
    for (name, lifecycle) in [("a", "lead"), ("b", "lead"), ("c", "customer")] {
        api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": name, "lifecycle": lifecycle}),
        );
    }
    let due = |d: i64| {
        (app.app().now() + chrono::Duration::days(d))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    api.json(
        "POST",
        "/t/acme/api/v1/tasks",
        &json!({"title": "late", "due_at": due(-2)}),
    );
    api.json(
        "POST",
        "/t/acme/api/v1/tasks",
        &json!({"title": "done late", "due_at": due(-3), "status": "done"}),
    );
    api.json(
        "POST",
        "/t/acme/api/v1/tasks",
        &json!({"title": "soon", "due_at": due(2)}),
    );
    api.json(
        "POST",
        "/t/acme/api/v1/tasks",
        &json!({"title": "later", "due_at": due(20)}),
    );

    let html = page2.get("/t/acme/?period=30d").body;
    let stat = |label: &str| -> String {
        let at = html
            .find(&format!("<p class=\"label\">{label}</p>"))
            .unwrap_or_else(|| panic!("{label} missing"));
        let rest = &html[at..];
        let v = rest.find("<p class=\"value\"").expect("value");
        let v = v + rest[v..].find('>').expect("tag") + 1;
        rest[v..v + rest[v..].find('<').expect("end")].to_string()
    };
    assert_eq!(stat("Win rate"), "67 %", "2 won, 1 lost in the period");
    assert_eq!(stat("Won"), "€1,500", "tiles show whole euros");
    assert_eq!(stat("Open pipeline"), "€3,000");
    // A figure opens the list it counts.
    assert!(html.contains("<a class=\"stat\" href=\"/t/acme/deals?status=open\">"));
    assert!(html.contains("<a class=\"stat\" href=\"/t/acme/contacts?lifecycle=customer\">"));
    assert!(html.contains("weighted €700"), "2000 × 10 % + 1000 × 50 %");
    assert_eq!(stat("New leads"), "2");
    assert_eq!(stat("Customers"), "1");
    assert_eq!(stat("Overdue"), "1");
    assert_eq!(stat("Due this week"), "1");
    assert!(
        html.contains("<svg")
            && html.contains("Won per month")
            && html.contains("Open deals by stage")
    );
    assert!(
        html.contains("<td>Olga Owner</td><td>2</td><td>1</td><td>67 %</td><td class=\"num\">€1,500.00</td><td class=\"num\">€3,000.00</td>"),
        "the owner row: {html}"
    );
    // A longer period takes in the deal won 40 days ago.
    let year = page2.get("/t/acme/?period=90d").body;
    assert!(year.contains("€2,499.00"), "1,500 + 999");
    assert_eq!(page2.get("/t/acme/?period=week").status, 422);
    drop(page.get("/t/acme/"));
}

#[test]
fn pages_carry_no_inline_styles_the_content_security_policy_would_block() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    api.json(
        "POST",
        "/t/acme/api/v1/labels",
        &json!({"name": "vip", "color": "#dc2626"}),
    );
    let id = api
        .json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": "Ann", "labels": ["vip"]}),
        )
        .json()["id"]
        .as_i64()
        .expect("id");
    for path in [
        "/t/acme/".to_string(),
        "/t/acme/contacts".into(),
        format!("/t/acme/contacts/{id}"),
        format!("/t/acme/contacts/{id}/edit"),
        "/t/acme/deals/board".into(),
        "/t/acme/settings/labels".into(),
        "/t/acme/search?q=ann".into(),
    ] {
        let body = page.get(&path).body;
        assert!(!body.contains(" style="), "{path} has an inline style");
    }
    assert!(
        page.get(&format!("/t/acme/contacts/{id}"))
            .body
            .contains("fill=\"#dc2626\""),
        "the label's colour is an SVG fill"
    );
}

#[test]
fn saved_views_keep_filters_sort_and_columns_for_one_user_or_everyone() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", onebox::domain::user::Role::Member);
    let (mut mia, _) = app.login("acme", "mia@acme.test", crate::support::PASSWORD);
    let mut api = app.api("acme", "owner@acme.test");
    api.json(
        "POST",
        "/t/acme/api/v1/contacts",
        &json!({"first_name": "Cus", "email": "c@x.example", "lifecycle": "customer"}),
    );
    api.json(
        "POST",
        "/t/acme/api/v1/contacts",
        &json!({"first_name": "Lea", "lifecycle": "lead"}),
    );

    // Columns: what the address asks for, the name always first.
    let narrow = owner
        .get("/t/acme/contacts?columns=email&columns=created_at")
        .body;
    // Headers are sort links; the column chooser's labels are not.
    assert!(
        narrow.contains(">Created</a>")
            && narrow.contains(">Email</a>")
            && !narrow.contains(">Company</a>"),
        "{narrow}"
    );

    let save = |c: &mut crate::support::http::Client, name: &str, query: &str, shared: bool| {
        let csrf = c.get("/t/acme/contacts").csrf();
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("entity", "contact"),
            ("name", name),
            ("query", query),
        ];
        if shared {
            fields.push(("shared", "1"));
        }
        c.post_form("/t/acme/views", &fields)
    };
    let r = save(
        &mut owner,
        "Customers",
        "lifecycle=customer&sort=-name&columns=email",
        false,
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location(),
        "/t/acme/contacts?lifecycle=customer&sort=-name&columns=email"
    );
    let home = owner.get("/t/acme/").body;
    assert!(home.contains("href=\"/t/acme/contacts?lifecycle=customer&amp;sort=-name&amp;columns=email\">Customers</a>"), "in the sidebar");
    let view = owner
        .get("/t/acme/contacts?lifecycle=customer&sort=-name&columns=email")
        .body;
    assert!(view.contains(">Cus<") && !view.contains(">Lea<") && !view.contains(">Company</a>"));
    assert!(
        !mia.get("/t/acme/").body.contains(">Customers</a>"),
        "a personal view is the owner's alone"
    );

    assert_eq!(
        save(&mut owner, "Leads", "lifecycle=lead", true).status,
        303
    );
    assert!(
        mia.get("/t/acme/").body.contains(">Leads</a>"),
        "a shared view is everyone's"
    );
    let bad = save(&mut owner, "Broken", "sort=password", false);
    assert_eq!(bad.status, 422, "a view must be a list the page can show");

    // Mia cannot remove the owner's shared view; the owner can.
    let conn = rusqlite::Connection::open(app.tenant_file("acme")).expect("open");
    let shared: i64 = conn
        .query_row("SELECT id FROM saved_views WHERE name = 'Leads'", [], |r| {
            r.get(0)
        })
        .expect("id");
    let csrf = mia.get("/t/acme/contacts").csrf();
    assert_eq!(
        mia.post_form(
            &format!("/t/acme/views/{shared}/delete"),
            &[("csrf", &csrf)]
        )
        .status,
        403
    );
    let csrf = owner.get("/t/acme/contacts").csrf();
    let removed = owner.post_form(
        &format!("/t/acme/views/{shared}/delete"),
        &[("csrf", &csrf), ("return_to", "/t/acme/contacts")],
    );
    assert_eq!(removed.location(), "/t/acme/contacts");
    assert!(!mia.get("/t/acme/").body.contains(">Leads</a>"));
}

#[test]
fn a_bulk_change_applies_to_all_records_the_filters_match_or_refuses_too_many() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let seeded = crate::support::onebox(
        &app.data_dir(),
        &["seed", "--tenant", "acme", "--contacts", "1100"],
        &[],
        None,
    );
    assert!(seeded.status.success());
    let mut api = app.api("acme", "owner@acme.test");
    api.json(
        "POST",
        "/t/acme/api/v1/labels",
        &json!({"name": "spring-mailing", "color": "#dc2626"}),
    );
    let customers = api.get("/t/acme/api/v1/contacts?lifecycle=customer").json()["total"]
        .as_i64()
        .expect("a count");
    assert!(customers > 100 && customers <= 1000, "{customers}");

    let list = page.get("/t/acme/contacts?lifecycle=customer");
    let offer = format!("All {customers} matching records, not only the ticked ones");
    assert!(
        list.body.contains(&offer),
        "the list offers all that match: {}",
        list.body
    );
    let csrf = list.csrf();
    let post = |page: &mut crate::support::http::Client, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        page.post_form("/t/acme/contacts/bulk", &all)
    };
    let labelled = post(
        &mut page,
        &[
            ("action", "add_label"),
            ("label", "spring-mailing"),
            ("all", "1"),
            ("query", "lifecycle=customer&sort=name"),
        ],
    );
    assert_eq!(labelled.status, 303, "{}", labelled.body);
    let done = page.get(labelled.location()).body;
    assert!(
        done.contains(&format!("Done for {customers} contacts.")),
        "{done}"
    );
    assert_eq!(
        api.get("/t/acme/api/v1/contacts?label=spring-mailing")
            .json()["total"],
        customers
    );
    assert_eq!(
        api.get("/t/acme/api/v1/contacts?label=spring-mailing&lifecycle=customer")
            .json()["total"],
        customers,
        "only the matching records changed"
    );

    // All 1,100 at once is more than a bulk change takes: refused, nothing written.
    let before = app.disk_state("acme");
    let refused = post(
        &mut page,
        &[
            ("action", "owner"),
            ("owner_id", ""),
            ("all", "1"),
            ("query", ""),
        ],
    );
    assert_eq!(refused.status, 303);
    let said = page.get(refused.location()).body;
    assert!(said.contains("More than 1000 records match"), "{said}");
    assert_eq!(app.disk_state("acme"), before);

    // Moving them all to the trash asks first, with the count.
    let ask = post(
        &mut page,
        &[
            ("action", "trash"),
            ("all", "1"),
            ("query", "label=spring-mailing"),
        ],
    );
    assert_eq!(ask.status, 200, "{}", ask.body);
    assert!(
        ask.body
            .contains(&format!("Move {customers} contacts to the trash?")),
        "{}",
        ask.body
    );
    let csrf = ask.csrf();
    let mut confirm: Vec<(&str, &str)> =
        vec![("csrf", &csrf), ("action", "trash"), ("confirmed", "yes")];
    // The confirmation carries the records it asks about, as the browser sends them back.
    let ids: Vec<&str> = ask
        .body
        .split("name=\"ids\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(ids.len() as i64, customers);
    confirm.extend(ids.iter().map(|id| ("ids", *id)));
    let trashed = page.post_form("/t/acme/contacts/bulk", &confirm);
    assert_eq!(trashed.status, 303, "{}", trashed.body);
    let after = page.get(trashed.location()).body;
    assert!(
        after.contains(&format!(
            "Moved {customers} contacts to the trash; restore them from the Trash"
        )),
        "{after}"
    );
    assert_eq!(
        api.get("/t/acme/api/v1/contacts?label=spring-mailing")
            .json()["total"],
        0
    );
}

#[test]
fn exporting_all_matching_downloads_the_lists_own_csv_of_its_filters() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    for (name, lifecycle) in [("Ann", "customer"), ("Bob", "lead"), ("Cor", "customer")] {
        api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": name, "lifecycle": lifecycle}),
        );
    }
    let csrf = page.get("/t/acme/contacts").csrf();
    let asked = page.post_form(
        "/t/acme/contacts/bulk",
        &[
            ("csrf", &csrf),
            ("action", "export"),
            ("all", "1"),
            ("query", "lifecycle=customer&sort=name\r\nX: y"),
        ],
    );
    assert_eq!(asked.status, 303, "{}", asked.body);
    // The query is read and written again: no line break reaches the address.
    assert_eq!(
        asked.location(),
        "/t/acme/contacts/export.csv?lifecycle=customer&sort=name%0D%0AX%3A%20y"
    );
    let csv = page
        .get("/t/acme/contacts/export.csv?lifecycle=customer&sort=name")
        .body;
    assert!(
        csv.contains("Ann") && csv.contains("Cor") && !csv.contains("Bob"),
        "{csv}"
    );
}
