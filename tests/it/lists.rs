//! The orders a list offers: each of them answers in its order, and links to other records,
//! which would sort by id, are not offered.

use crate::support::TestApp;
use onebox::domain::capability::Profile;
use onebox::domain::crm::Entity;
use serde_json::json;

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
