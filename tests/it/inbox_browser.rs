//! The inbox in a real browser: j and k move through a queue and Enter opens a conversation;
//! r goes to the reply editor, where `/shortcut` and Tab put in a canned reply written out for
//! the contact; someone else typing a reply in the same conversation shows within seconds; and
//! the inbox's pages have no serious accessibility problems and fit a desktop and a phone.

use crate::support::browser::{Browser, key};
use crate::support::{PASSWORD, TestApp};
use onebox::domain::capability::Profile;
use onebox::domain::slug::Slug;
use onebox::domain::user::Role;
use serde_json::json;

#[test]
fn a_queue_is_worked_from_the_keyboard_and_the_inbox_pages_pass_axe() {
    let app = TestApp::start();
    let mut owner_client = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", Role::Member);
    let t = app
        .app()
        .tenant(&Slug::parse("acme").expect("slug"))
        .expect("tenant");
    let counts = onebox::app::seed::SeedCounts::for_contacts(40);
    let made = app.app().seed(&t, counts).expect("seeded");
    assert_eq!(made.conversations, 40);
    let owner = app
        .app()
        .user_by_email(&t.db, "owner@acme.test")
        .expect("owner");
    app.app()
        .add_canned_reply(&t, &owner, ("hi", "Hallo {{contact.first_name}}, dank je."))
        .expect("canned reply");

    let base = format!("http://{}/t/acme", app.addr());
    let mut browser = Browser::start(1280, 900);
    browser.sign_in(&base, "owner@acme.test", PASSWORD);
    browser.goto(&format!("{base}/inbox"));
    browser.wait_for("[data-keys='list'] a");
    let focused = "return document.activeElement.getAttribute('href');";
    let links = browser.eval(
        "return [...document.querySelectorAll(\"[data-keys='list'] a\")].map(a => a.getAttribute('href'));",
        json!([]),
    );
    browser.press(&["j"]);
    browser.press(&["j"]);
    assert_eq!(
        browser.eval(focused, json!([])),
        links[1],
        "j twice: the second"
    );
    browser.press(&["k"]);
    assert_eq!(
        browser.eval(focused, json!([])),
        links[0],
        "k: back to the first"
    );
    browser.press(&[key::ENTER]);
    browser.wait_for("#f-reply");
    let conversation = browser.url();
    assert!(
        conversation.ends_with(links[0].as_str().expect("a link")),
        "{conversation}"
    );

    // r: to the reply; `/hi` and Tab: the canned reply for this contact.
    browser.press(&["r"]);
    assert_eq!(
        browser.eval("return document.activeElement.id;", json!([])),
        json!("f-reply")
    );
    browser.press(&["/"]);
    browser.press(&["h"]);
    browser.press(&["i"]);
    browser.press(&["\u{E004}"]);
    let typed = browser.eval(
        "return document.getElementById('f-reply').value;",
        json!([]),
    );
    let typed = typed.as_str().unwrap_or_default().to_string();
    assert!(
        typed.starts_with("Hallo ") && typed.ends_with(", dank je.") && !typed.contains("{{"),
        "{typed}"
    );

    // Mia starts typing a reply in the same conversation: it shows here within seconds.
    let (mut mia, _) = app.login("acme", "mia@acme.test", PASSWORD);
    let path = crate::support::path_of(&conversation);
    let page = mia.get(&path);
    let told = mia.post_form(
        &format!("{path}/presence"),
        &[("csrf", &page.csrf()), ("typing", "1")],
    );
    assert_eq!(told.status, 200, "{}", told.body);
    browser.wait_until(
        "Mia's typing shown",
        "return document.getElementById('presence').textContent.includes('is writing a reply');",
    );

    let pages = [
        format!("{base}/inbox"),
        format!("{base}/inbox?queue=mine&status=resolved&priority=high"),
        conversation.clone(),
        format!("{base}/notifications"),
        format!("{base}/inbox/settings"),
    ];
    for page in &pages {
        let path = crate::support::path_of(page);
        assert_eq!(owner_client.get(&path).status, 200, "{path}");
    }
    crate::support::axe::pages_pass(&mut browser, &pages, &[(1280, 900), (390, 844)]);
}
