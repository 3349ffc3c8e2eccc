//! The orders a list offers: each of them answers in its order, and links to other records,
//! which would sort by id, are not offered.

use crate::support::TestApp;
use onebox::domain::capability::Profile;
use onebox::domain::crm::Entity;
use serde_json::{Value, json};

#[test]
fn every_offered_sort_orders_and_links_by_id_are_not_offered() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    for (first, email) in [("Bea", "b@x.test"), ("Al", "A@x.test"), ("Cy", "c@x.test")] {
        let made = api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": first, "email": email}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
    }
    let names = |sort: &str, api: &mut crate::support::http::Client| -> Vec<String> {
        let page = api.get(&format!("/t/acme/api/v1/contacts?sort={sort}"));
        assert_eq!(page.status, 200, "{sort}: {}", page.body);
        page.json()["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|c| c["first_name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        names("email", &mut api),
        ["Al", "Bea", "Cy"],
        "emails compare without case"
    );
    assert_eq!(names("-email", &mut api), ["Cy", "Bea", "Al"]);
    // Every sort of every list the OpenAPI document offers answers.
    let doc = api.get("/t/acme/api/v1/openapi.json").json();
    for e in [
        Entity::Contact,
        Entity::Company,
        Entity::Deal,
        Entity::Task,
        Entity::Note,
    ] {
        let offered = doc["paths"][format!("/{}", e.table())]["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == "sort")
            .map(|p| p["schema"]["enum"].as_array().expect("enum").len())
            .expect("a sort parameter");
        assert_eq!(offered, e.sorts().len() * 2, "{e:?}: each sort both ways");
        for sort in e.sorts() {
            let page = api.get(&format!("/t/acme/api/v1/{}?sort=-{sort}", e.table()));
            assert_eq!(page.status, 200, "{e:?} {sort}: {}", page.body);
        }
    }
    let refused = api.get("/t/acme/api/v1/contacts?sort=company_id");
    assert_eq!(refused.status, 422);
    assert!(
        refused.json()["error"]["fields"]["sort"].is_string(),
        "{}",
        refused.body
    );
    let list = c.get("/t/acme/contacts").body;
    assert!(
        list.contains("href=\"/t/acme/contacts?sort=email\""),
        "offered sorts are links"
    );
    assert!(!list.contains("sort=company_id") && !list.contains("sort=owner_id"));
}

#[test]
fn a_picker_finds_a_record_beyond_the_select_box_by_name_without_javascript() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let mut company = |name: &str, domain: &str| -> String {
        let made = api.json(
            "POST",
            "/t/acme/api/v1/companies",
            &json!({"name": name, "domain": domain}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
        made.json()["id"].to_string()
    };
    for i in 0..60 {
        company(&format!("Filler {i:02}"), &format!("filler{i}.example"));
    }
    let twin_a = company("Twin Corp", "twin-a.example");
    let twin_b = company("Twin Corp", "twin-b.example");
    let zeta = company("Zeta Unique", "zeta.example");

    // What the picker's search-as-you-type asks: companies only.
    let found = api
        .get("/t/acme/api/v1/search?type=companies&q=twin")
        .json();
    assert_eq!(found["data"].as_array().map(Vec::len), Some(2), "{found}");
    assert!(
        found["data"]
            .as_array()
            .expect("hits")
            .iter()
            .all(|h| h["type"] == "company")
    );
    assert_eq!(
        api.get("/t/acme/api/v1/search?type=people&q=twin").status,
        422
    );
    let form = c.get("/t/acme/contacts/new").body;
    assert!(form.contains("data-search=\"/t/acme/api/v1/search\""));
    assert!(
        form.contains("name=\"company_id.name\""),
        "many companies: a picker"
    );
    assert!(
        !form.contains("Zeta Unique"),
        "no select box of every company"
    );

    let saved = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[
            ("first_name", "Zed"),
            ("company_id", ""),
            ("company_id.name", "zeta unique"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let zed = api.get("/t/acme/api/v1/contacts?q=Zed").json()["data"][0].clone();
    assert_eq!(zed["company_id"].to_string(), zeta);

    // Two have the name: the form asks which one, and tells them apart.
    let ask = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[
            ("first_name", "Tia"),
            ("company_id", ""),
            ("company_id.name", "Twin Corp"),
        ],
    );
    assert_eq!(ask.status, 422);
    assert!(ask.body.contains("Which company?"), "{}", ask.body);
    assert!(ask.body.contains("twin-a.example") && ask.body.contains("twin-b.example"));
    assert!(ask.body.contains(&format!("value=\"{twin_b}\"")));
    let chosen = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[
            ("first_name", "Tia"),
            ("company_id", &twin_b),
            ("company_id.name", "Twin Corp"),
        ],
    );
    assert_eq!(chosen.status, 303, "{}", chosen.body);
    let tia = api.get("/t/acme/api/v1/contacts?q=Tia").json()["data"][0].clone();
    assert_eq!(tia["company_id"].to_string(), twin_b);
    assert_ne!(twin_a, twin_b);

    // The edit form shows the linked company's name; an unknown name is refused in words.
    let edit = c.get(&format!("/t/acme/contacts/{}/edit", tia["id"])).body;
    assert!(edit.contains("value=\"Twin Corp\""), "{edit}");
    let unknown = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[
            ("first_name", "Uma"),
            ("company_id", ""),
            ("company_id.name", "Nowhere Ltd"),
        ],
    );
    assert_eq!(unknown.status, 422);
    assert!(
        unknown.body.contains("no company is named"),
        "{}",
        unknown.body
    );

    // A company made from within the contact form, in the same transaction as the contact.
    let companies = |api: &mut crate::support::http::Client, q: &str| {
        api.get(&format!("/t/acme/api/v1/companies?q={q}")).json()["total"].clone()
    };
    assert!(
        form.contains("name=\"new_company\""),
        "the new-company field"
    );
    let refused = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[
            ("first_name", "Nia"),
            ("email", "not an email"),
            ("company_id", ""),
            ("company_id.name", ""),
            ("new_company", "Nieuw Bouw BV"),
        ],
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("value=\"Nieuw Bouw BV\""),
        "what was typed stays"
    );
    assert_eq!(
        companies(&mut api, "nieuw"),
        0,
        "a refused contact leaves no company"
    );
    let both = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[
            ("first_name", "Nia"),
            ("company_id", &zeta),
            ("company_id.name", "Zeta Unique"),
            ("new_company", "Nieuw Bouw BV"),
        ],
    );
    assert_eq!(both.status, 422);
    assert!(
        both.body.contains("choose one or name a new one"),
        "{}",
        both.body
    );
    let made = c.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[
            ("first_name", "Nia"),
            ("company_id", ""),
            ("company_id.name", ""),
            ("new_company", "Nieuw Bouw BV"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let nia = api.get("/t/acme/api/v1/contacts?q=Nia").json()["data"][0].clone();
    let company = api
        .get(&format!("/t/acme/api/v1/companies/{}", nia["company_id"]))
        .json();
    assert_eq!(company["name"], "Nieuw Bouw BV", "{company}");
    assert_eq!(companies(&mut api, "nieuw"), 1);
}

#[test]
fn sorting_by_a_link_orders_by_the_linked_name_and_follows_renames() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    // Companies made in the opposite order of their names: an id order would be wrong.
    let mut ids = Vec::new();
    for name in ["Zebra Ltd", "Mango BV", "Apple AG"] {
        let made = api.json("POST", "/t/acme/api/v1/companies", &json!({"name": name}));
        ids.push(made.json()["id"].clone());
    }
    for (first, company) in [("Zoe", &ids[0]), ("Max", &ids[1]), ("Ada", &ids[2])] {
        let made = api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": first, "company_id": company}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
    }
    let order = |api: &mut crate::support::http::Client, sort: &str| -> Vec<String> {
        api.get(&format!("/t/acme/api/v1/contacts?sort={sort}"))
            .json()["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|c| c["first_name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(order(&mut api, "company"), ["Ada", "Max", "Zoe"]);
    assert_eq!(order(&mut api, "-company"), ["Zoe", "Max", "Ada"]);
    // A renamed company moves its contacts along.
    let renamed = api.json(
        "PATCH",
        &format!("/t/acme/api/v1/companies/{}", ids[0]),
        &json!({"name": "Aardvark Inc"}),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert_eq!(order(&mut api, "company"), ["Zoe", "Ada", "Max"]);
    // The column heading sorts by the company, and so does the page.
    let list = c.get("/t/acme/contacts").body;
    assert!(
        list.contains("href=\"/t/acme/contacts?sort=company\""),
        "{list}"
    );
    let page = c.get("/t/acme/contacts?sort=company").body;
    let at = |t: &str| page.find(t).unwrap_or_else(|| panic!("{t} missing"));
    assert!(at(">Zoe<") < at(">Ada<") && at(">Ada<") < at(">Max<"));

    // Deals by stage follow the pipeline's order, not the stages' ids.
    let stages = api.get("/t/acme/api/v1/pipelines").json()["data"][0]["stages"].clone();
    let stages = stages.as_array().expect("stages");
    let last_open = stages
        .iter()
        .rev()
        .find(|s| s["kind"] == "open")
        .expect("an open stage");
    assert_ne!(
        last_open["id"], stages[0]["id"],
        "the pipeline has several open stages"
    );
    for (title, stage) in [("Late", last_open), ("Early", &stages[0])] {
        let made = api.json(
            "POST",
            "/t/acme/api/v1/deals",
            &json!({"title": title, "stage_id": stage["id"]}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
    }
    let titles = |api: &mut crate::support::http::Client| -> Vec<String> {
        api.get("/t/acme/api/v1/deals?sort=stage").json()["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|d| d["title"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(titles(&mut api), ["Early", "Late"]);
    // Moving the first stage down, past every other open stage, reorders its deals.
    let first = stages[0]["id"].to_string();
    let open = stages.iter().filter(|s| s["kind"] == "open").count();
    for _ in 1..open {
        let moved = c.submit(
            "/t/acme/settings/pipelines",
            &format!("/t/acme/settings/stages/{first}/down"),
            &[],
        );
        assert_eq!(moved.status, 303, "{}", moved.body);
    }
    assert_eq!(titles(&mut api), ["Late", "Early"]);
}

#[test]
fn following_next_and_prev_cursors_reads_every_row_once_in_order_both_ways() {
    let app = TestApp::start();
    let _c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let contact = api
        .json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": "Ann"}),
        )
        .json()["id"]
        .clone();
    for i in 0..30 {
        // Several entries share a time: the id decides between them.
        let at = format!("2026-11-{:02}T10:00", 1 + i % 9);
        let logged = api.json(
            "POST",
            "/t/acme/api/v1/activities",
            &json!({"kind": "call", "occurred_at": at, "contact_id": contact}),
        );
        assert_eq!(logged.status, 201, "{}", logged.body);
    }
    let read_all = |api: &mut crate::support::http::Client, first: &str| -> (Vec<Value>, i64) {
        let mut rows = Vec::new();
        let mut url = first.to_string();
        loop {
            let page = api.get(&url).json();
            let total = page["total"].as_i64().expect("total");
            rows.extend(page["data"].as_array().expect("data").iter().cloned());
            match page["next"].as_str() {
                Some(next) => url = format!("{first}&cursor={next}"),
                None => return (rows, total),
            }
        }
    };
    let (entries, total) = read_all(&mut api, "/t/acme/api/v1/activities?limit=7");
    assert_eq!(entries.len() as i64, total);
    let keys: Vec<(String, i64)> = entries
        .iter()
        .map(|a| {
            (
                a["occurred_at"].as_str().unwrap_or("").to_string(),
                a["id"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(keys, sorted, "newest first, each once");

    let companies: Vec<Value> = ["Beta", "acme"]
        .iter()
        .map(|name| {
            api.json("POST", "/t/acme/api/v1/companies", &json!({"name": name}))
                .json()["id"]
                .clone()
        })
        .collect();
    for i in 0..20 {
        // A third without a company; the others at two, whose names differ in case.
        let company = (i % 3 != 0).then(|| companies[i % 2].clone());
        api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": format!("P{i:02}"), "last_name": "Same", "company_id": company}),
        );
    }
    // A sort by a linked name pages after the last row too, not by counting rows.
    let first = api
        .get("/t/acme/api/v1/contacts?limit=6&sort=-company")
        .json();
    assert!(
        first["next"].as_str().is_some_and(|n| n.starts_with('k')),
        "{first}"
    );
    for sort in [
        "name",
        "-name",
        "-updated_at",
        "id",
        "company",
        "-company",
        "owner",
    ] {
        let (rows, total) = read_all(
            &mut api,
            &format!("/t/acme/api/v1/contacts?limit=6&sort={sort}"),
        );
        let mut ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap_or(0)).collect();
        assert_eq!(ids.len() as i64, total, "{sort}");
        // Back from the last page by the pages' `prev` cursors: the same rows, in order.
        let first = format!("/t/acme/api/v1/contacts?limit=6&sort={sort}");
        let mut page = api.get(&first).json();
        while let Some(next) = page["next"].as_str() {
            page = api.get(&format!("{first}&cursor={next}")).json();
        }
        assert_eq!(page["total_exact"], true, "{page}");
        let mut back: Vec<i64> = Vec::new();
        loop {
            let shown = page["data"].as_array().expect("data").iter();
            back.splice(0..0, shown.map(|r| r["id"].as_i64().unwrap_or(0)));
            match page["prev"].as_str() {
                Some(prev) => page = api.get(&format!("{first}&cursor={prev}")).json(),
                None => break,
            }
        }
        assert_eq!(back, ids, "{sort}: back to the first page");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len() as i64, total, "{sort}: each once");
    }
    assert_eq!(
        api.get("/t/acme/api/v1/contacts?sort=email&cursor=k5b5d")
            .status,
        422
    );
}

/// What a list page says is in words: the filter badge counts the filters set (the form sends
/// every facet, empty ones too), the table's caption names the order by its column, and a
/// refused form says which field in words.
#[test]
fn a_list_speaks_in_words_not_column_names() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let contact = api
        .json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": "Ann", "lifecycle": "lead"}),
        )
        .json()["id"]
        .clone();
    let page = c
        .get("/t/acme/contacts?q=&owner_id=&lifecycle=lead&label=&created_from=&sort=-updated_at")
        .body;
    assert!(
        page.contains("Filters <span class=\"count\">1</span>"),
        "{page}"
    );
    assert!(
        page.contains("Contacts, sorted by changed, descending"),
        "{page}"
    );
    assert!(!page.contains("updated_at</caption>"));
    let show = format!("/t/acme/contacts/{contact}");
    assert!(!c.get(&show).body.contains("id is"), "no internal ids");
    let refused = c.submit(
        &show,
        &format!("{show}/activities"),
        &[("kind", "call"), ("occurred_at", "someday"), ("body", "")],
    );
    assert_eq!(refused.status, 303);
    let flash = c.get(&show).body;
    assert!(flash.contains("Occurred at "), "{flash}");
    assert!(!flash.contains("occurred_at:"), "{flash}");
}

/// A custom field can be a list column: chosen in the column picker, headed by its label, its
/// value in each row.
#[test]
fn custom_fields_can_be_list_columns() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let made = api.json(
        "POST",
        "/t/acme/api/v1/custom_fields",
        &json!({"entity": "contact", "key": "hair", "label": "Hair type", "kind": "text"}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    api.json(
        "POST",
        "/t/acme/api/v1/contacts",
        &json!({"first_name": "Ann", "custom": {"hair": "curly"}}),
    );
    let plain = c.get("/t/acme/contacts").body;
    assert!(
        plain.contains("value=\"custom.hair\""),
        "offered in the column picker"
    );
    assert!(
        !plain.contains("<th scope=\"col\">Hair type</th>"),
        "not shown unasked"
    );
    let chosen = c
        .get("/t/acme/contacts?columns=name&columns=email&columns=custom.hair")
        .body;
    assert!(
        chosen.contains("<th scope=\"col\">Hair type</th>"),
        "{chosen}"
    );
    assert!(
        chosen.contains("<td data-col=\"Hair type\">curly</td>"),
        "{chosen}"
    );
}

#[test]
fn the_toolbar_shows_filters_in_use_as_chips_and_its_menus_keep_each_others_choices() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let list = page
        .get("/t/acme/contacts?lifecycle=customer&q=ann&columns=phone&sort=-name")
        .body;
    // The chip names the filter in words and leads to the list without it, the rest kept.
    assert!(
        list.contains("<span class=\"muted\">Lifecycle: </span>Customer"),
        "{list}"
    );
    assert!(
        list.contains("href=\"/t/acme/contacts?q=ann&amp;columns=phone&amp;sort=-name\""),
        "{list}"
    );
    // The filter menu's form keeps the search, columns and sort; the columns menu keeps the
    // filters; each sets only its own fields.
    let menu = |n: usize| {
        let at = list
            .match_indices("<details class=\"menu")
            .nth(n)
            .expect("a menu")
            .0;
        let end = list[at..].find("</details>").expect("its end") + at;
        list[at..end].to_string()
    };
    let (filters, columns) = (menu(0), menu(1));
    assert!(
        filters.contains("type=\"hidden\" name=\"columns\" value=\"phone\""),
        "{filters}"
    );
    assert!(filters.contains("type=\"hidden\" name=\"q\" value=\"ann\""));
    assert!(
        !filters.contains("type=\"hidden\" name=\"lifecycle\""),
        "the menu sets the lifecycle itself"
    );
    assert!(
        columns.contains("type=\"hidden\" name=\"lifecycle\" value=\"customer\""),
        "{columns}"
    );
    assert!(!columns.contains("type=\"hidden\" name=\"columns\""));
    assert!(
        list.contains("<span class=\"count\">1</span>"),
        "one filter in use"
    );
    // Without filters there are no chips.
    assert!(
        !page
            .get("/t/acme/contacts")
            .body
            .contains("class=\"chips\"")
    );
}
