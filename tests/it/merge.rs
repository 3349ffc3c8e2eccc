//! Merging two contacts who are one person: from the contact's page, found by name; the deal,
//! task, note, conversation and address of the one merged away follow to the one kept, the
//! kept one's timeline says so, the other waits in the trash; mail from its address lands on
//! the kept contact afterwards. A merge into itself or into nothing is refused and writes
//! nothing.

use crate::support::TestApp;
use crate::support::dovecot::Dovecot;
use onebox::domain::capability::Profile;
use onebox::domain::slug::Slug;
use serde_json::json;

#[test]
fn a_contact_merged_into_another_brings_everything_along_and_can_be_found_in_the_trash() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let post = |api: &mut crate::support::http::Client, path: &str, body: serde_json::Value| {
        let r = api.json("POST", &format!("/t/acme/api/v1/{path}"), &body);
        assert_eq!(r.status, 201, "{path}: {}", r.body);
        r.json()["id"].as_i64().expect("an id")
    };
    let keep = post(
        &mut api,
        "contacts",
        json!({"first_name": "Daan", "last_name": "de Vries", "email": "daan@example.test"}),
    );
    let gone = post(
        &mut api,
        "contacts",
        json!({"first_name": "D.", "last_name": "Vries", "email": "d.vries@work.test"}),
    );
    post(
        &mut api,
        "deals",
        json!({"title": "Dakkapel", "contact_id": gone}),
    );
    post(
        &mut api,
        "tasks",
        json!({"title": "Bel D. terug", "contact_id": gone}),
    );

    // A conversation from the address of the one merged away.
    let d = Dovecot::start();
    let t = app
        .app()
        .tenant(&Slug::parse("acme").expect("slug"))
        .expect("tenant");
    let boss = app
        .app()
        .user_by_email(&t.db, "owner@acme.test")
        .expect("owner");
    let inbox = app
        .app()
        .create_inbox(&t, &boss, &d.inbox_input())
        .expect("inbox");
    let from_work = |id: &str, subject: &str| {
        format!("From: D. Vries <d.vries@work.test>\r\nTo: support@acme.test\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\r\nHallo\r\n").into_bytes()
    };
    d.deliver(&from_work("w1@work.test", "Eerste vraag"));
    app.app().fetch_inbox(&t, inbox).expect("fetched");
    let contact_of = |subject: &str| {
        app.app()
            .conversations(&t, 10)
            .expect("list")
            .into_iter()
            .find(|c| c.subject == subject)
            .and_then(|c| c.contact_id)
            .map(|c| c.0)
    };
    assert_eq!(contact_of("Eerste vraag"), Some(gone));

    // Refused: into itself, into no one; nothing written.
    let page = format!("/t/acme/contacts/{gone}/merge");
    let before = app.disk_state("acme");
    for into in [gone.to_string(), "999999".into(), "x".into()] {
        let r = owner.submit(&page, &page, &[("into", &into)]);
        assert_eq!(r.status, 303, "{into}: {}", r.body);
        let shown = owner.get(&page).body;
        assert!(shown.contains("class=\"flash error\""), "{into}: {shown}");
    }
    assert_eq!(app.disk_state("acme"), before, "refusals wrote nothing");

    // Found by name, merged from its button.
    let found = owner.get(&format!("{page}?q=Daan")).body;
    assert!(
        found.contains(&format!("name=\"into\" value=\"{keep}\"")),
        "{found}"
    );
    let merged = owner.submit(
        &format!("{page}?q=Daan"),
        &page,
        &[("into", &keep.to_string())],
    );
    assert_eq!(merged.status, 303, "{}", merged.body);
    assert!(merged.location().ends_with(&format!("/contacts/{keep}")));
    let kept = owner.get(&format!("/t/acme/contacts/{keep}")).body;
    for what in [
        "Dakkapel",
        "Bel D. terug",
        "Merged D. Vries into this contact",
        "#1 Eerste vraag",
        "Wrote to Support: Eerste vraag",
    ] {
        assert!(kept.contains(what), "{what} on the kept contact: {kept}");
    }
    assert_eq!(
        contact_of("Eerste vraag"),
        Some(keep),
        "the conversation followed"
    );
    let deals = api
        .get(&format!("/t/acme/api/v1/deals?contact_id={keep}"))
        .json();
    assert_eq!(deals["data"].as_array().map(Vec::len), Some(1), "{deals}");
    let trash = owner.get("/t/acme/trash").body;
    assert!(
        trash.contains("D. Vries"),
        "the merged one is in the trash: {trash}"
    );

    // Mail from its address lands on the kept contact now.
    d.deliver(&from_work("w2@work.test", "Tweede vraag"));
    app.app().fetch_inbox(&t, inbox).expect("fetched");
    assert_eq!(contact_of("Tweede vraag"), Some(keep));
}
