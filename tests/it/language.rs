//! The product in the reader's language: Dutch from the browser's Accept-Language or the
//! user's own choice, with Dutch numbers, money, dates and mails; English otherwise.

use crate::support::{PASSWORD, TestApp, path_of};
use onebox::domain::capability::Profile;
use onebox::domain::user::Role;
use serde_json::json;

const DUTCH: (&str, &str) = ("Accept-Language", "nl-NL,nl;q=0.9,en;q=0.5");

#[test]
fn a_dutch_owner_sets_up_and_reads_dutch_words_numbers_money_and_times() {
    let app = TestApp::start();
    let url = app
        .app()
        .create_tenant("salon", "My business", Profile::Generic, None)
        .expect("tenant");
    let mut c = app.client();
    c.headers.push((DUTCH.0.into(), DUTCH.1.into()));
    let setup = c.get(&path_of(&url));
    assert!(setup.body.contains("<html lang=\"nl\">"), "{}", setup.body);
    assert!(setup.body.contains("Richt je werkruimte in"));
    assert!(
        setup.body.contains("Valuta"),
        "the setup page asks the currency"
    );
    let path = path_of(&url);
    let bad = c.submit(
        &path,
        &path,
        &[
            ("name", "Lotte"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
            ("email", "lotte@salon.test"),
            ("workspace_name", "Salon Lotte"),
            ("time_zone", "Europe/Amsterdam"),
            ("currency", "euro"),
            ("profile", "generic"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body
            .contains("Valuta moet een code van drie letters zijn, zoals EUR<"),
        "{}",
        bad.body
    );
    let done = c.submit(
        &path,
        &path,
        &[
            ("name", "Lotte"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
            ("email", "lotte@salon.test"),
            ("workspace_name", "Salon Lotte"),
            ("time_zone", "Europe/Amsterdam"),
            ("currency", "eur"),
            ("profile", "generic"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let home = c.get("/t/salon/");
    assert!(
        home.body.contains("Welkom bij Salon Lotte."),
        "{}",
        home.body
    );
    assert!(home.body.contains("Welkom, Lotte"));
    assert!(home.body.contains("Tijden zijn in Europe/Amsterdam."));

    let mut api = app.api("salon", "lotte@salon.test");
    let me = api.get("/t/salon/api/v1/me").json();
    let account = api.get("/t/salon/api/v1/account").json();
    assert_eq!(account["currency"], "EUR", "{account}");
    assert_eq!(account["name"], "Salon Lotte");
    let deal = api.json(
        "POST",
        "/t/salon/api/v1/deals",
        &json!({"title": "Bruidskapsel", "amount": "1234.56"}),
    );
    assert_eq!(deal.status, 201, "{}", deal.body);
    let deal = deal.json()["id"].as_i64().expect("deal");
    api.json(
        "PATCH",
        &format!("/t/salon/api/v1/deals/{deal}"),
        &json!({"amount": "2000"}),
    );
    let page = c.get(&format!("/t/salon/deals/{deal}")).body;
    assert!(
        page.contains("Bedrag van Bruidskapsel: €\u{a0}1.234,56 → €\u{a0}2.000,00"),
        "the timeline reads in Dutch, with Dutch money: {page}"
    );
    assert!(page.contains(">Tijdlijn"));
    let list = c.get("/t/salon/deals").body;
    assert!(list.contains("€\u{a0}2.000,00"), "{list}");
    assert!(list.contains("Nieuwe deal"));
    // The API stays as it was: English summaries, numbers as numbers.
    let entries = api
        .get(&format!(
            "/t/salon/api/v1/activities?deal_id={deal}&kind=field_changed"
        ))
        .json();
    assert_eq!(
        entries["data"][0]["summary"], "Amount of Bruidskapsel: €1,234.56 → €2,000.00",
        "{entries}"
    );

    // Tomorrow as Amsterdam counts days (near midnight UTC it is already the next day there).
    let tomorrow = app
        .app()
        .now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
        + chrono::Duration::days(1);
    let task = api.json(
        "POST",
        "/t/salon/api/v1/tasks",
        &json!({"title": "Verf bestellen", "due_at": format!("{tomorrow}T12:00:00Z"), "assignee_id": me["id"]}),
    );
    assert_eq!(task.status, 201, "{}", task.body);
    let mine = c.get("/t/salon/tasks/mine").body;
    assert!(
        mine.contains(">morgen 13:00</time>") || mine.contains(">morgen 14:00</time>"),
        "{mine}"
    );
    assert!(mine.contains("Mijn taken"));
}

#[test]
fn a_user_chooses_a_language_over_the_browser_and_bad_choices_change_nothing() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    c.headers.push((DUTCH.0.into(), DUTCH.1.into()));
    let you = c.get("/t/acme/settings/password").body;
    assert!(
        you.contains("Zoals mijn browser vraagt (Nederlands)"),
        "{you}"
    );
    let before = app.disk_state("acme");
    let bad = c.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/language",
        &[("language", "fr")],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("Taal is geen taal die Onebox spreekt<"),
        "{}",
        bad.body
    );
    assert_eq!(
        app.disk_state("acme"),
        before,
        "a refused choice writes nothing"
    );
    let saved = c.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/language",
        &[("language", "en")],
    );
    assert_eq!(saved.status, 303);
    let page = c.get("/t/acme/contacts").body;
    assert!(
        page.contains("<html lang=\"en\">") && page.contains("New contact"),
        "{page}"
    );
    assert!(page.contains("Language saved."));
    // Back to the browser's: Dutch again.
    c.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/language",
        &[("language", "")],
    );
    let page = c.get("/t/acme/contacts").body;
    assert!(
        page.contains("<h1>Contacten</h1>") && page.contains("Nieuw contact"),
        "{page}"
    );
}

#[test]
fn mail_goes_out_in_the_language_its_reader_signed_in_with() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "anna@acme.test", Role::Member);
    let mut anna = app.client();
    anna.headers.push((DUTCH.0.into(), DUTCH.1.into()));
    let signed = anna.submit(
        "/t/acme/login",
        "/t/acme/login",
        &[("email", "anna@acme.test"), ("password", PASSWORD)],
    );
    assert_eq!(signed.status, 303, "{}", signed.body);
    let id = app
        .api("acme", "anna@acme.test")
        .get("/t/acme/api/v1/me")
        .json()["id"]
        .to_string();
    let reset = owner.submit(
        "/t/acme/settings/users",
        &format!("/t/acme/settings/users/{id}/reset"),
        &[],
    );
    assert_eq!(reset.status, 303, "{}", reset.body);
    app.deliver_mail();
    let mail = app.smtp.wait_for(1).pop().expect("a mail");
    let text = mail.text();
    assert!(
        text.contains("Stel je Onebox-wachtwoord voor acme Ltd opnieuw in"),
        "{text}"
    );
    assert!(text.contains("Kies een nieuw wachtwoord"), "{text}");
}
