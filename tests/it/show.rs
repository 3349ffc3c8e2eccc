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
