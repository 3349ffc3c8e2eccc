//! Who gets new mail, against a real Dovecot and SMTP receiver: the inbox's members in turn,
//! passing over anyone at the cap of open conversations (until they resolve one); and the away
//! reply outside working hours, marked `Auto-Submitted: auto-replied` and answering the mail,
//! sent once a day per conversation and never to an out-of-office reply.

use crate::support::TestApp;
use crate::support::dovecot::Dovecot;
use onebox::app::Tenant;
use onebox::app::inbox::WorkInput;
use onebox::domain::capability::Profile;
use onebox::domain::ids::{InboxId, UserId};
use onebox::domain::inbox::Status;
use onebox::domain::slug::Slug;
use onebox::domain::user::Role;
use onebox::store::users::User;

fn tenant(app: &TestApp) -> Tenant {
    app.app()
        .tenant(&Slug::parse("acme").expect("slug"))
        .expect("tenant")
}

fn user(app: &TestApp, email: &str) -> User {
    app.app()
        .user_by_email(&tenant(app).db, email)
        .expect("a user")
}

fn inbox(app: &TestApp, d: &Dovecot) -> InboxId {
    let input = d.inbox_input();
    app.app()
        .create_inbox(&tenant(app), &user(app, "owner@acme.test"), &input)
        .expect("an inbox")
}

fn deliver(d: &Dovecot, n: usize, extra: &str) {
    d.deliver(
        format!(
            "From: Klant {n} <klant{n}@example.test>\r\nTo: support@acme.test\r\n\
             Subject: Vraag {n}\r\nMessage-ID: <v{n}@example.test>\r\n{extra}\r\nHoi\r\n"
        )
        .as_bytes(),
    );
}

/// Each conversation's subject and assignee, oldest first.
fn assigned(app: &TestApp) -> Vec<(String, Option<UserId>)> {
    let mut all = app.app().conversations(&tenant(app), 100).expect("list");
    all.reverse();
    all.into_iter()
        .map(|c| (c.subject, c.assignee_id))
        .collect()
}

#[test]
fn new_conversations_go_round_the_members_and_pass_over_anyone_at_the_cap() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", Role::Member);
    app.add_user("acme", "bram@acme.test", Role::Member);
    let d = Dovecot::start();
    let t = tenant(&app);
    let owner = user(&app, "owner@acme.test");
    let (mia, bram) = (
        user(&app, "mia@acme.test").id,
        user(&app, "bram@acme.test").id,
    );
    let id = inbox(&app, &d);
    let mut work = WorkInput {
        members: vec![mia, bram],
        auto_assign: true,
        assign_cap: Some(2),
        ..WorkInput::default()
    };
    let member = app
        .app()
        .save_inbox_work(&t, &user(&app, "mia@acme.test"), id, &work);
    assert!(member.is_err(), "members do not set up inboxes");
    work.assign_cap = Some(0);
    assert!(
        app.app().save_inbox_work(&t, &owner, id, &work).is_err(),
        "a cap of 0"
    );
    work.assign_cap = Some(2);
    app.app()
        .save_inbox_work(&t, &owner, id, &work)
        .expect("saved");

    for n in 1..=5 {
        deliver(&d, n, "");
    }
    app.app().fetch_inbox(&t, id).expect("fetched");
    let s = |n: usize| format!("Vraag {n}");
    assert_eq!(
        assigned(&app),
        vec![
            (s(1), Some(mia)),
            (s(2), Some(bram)),
            (s(3), Some(mia)),
            (s(4), Some(bram)),
            (s(5), None),
        ],
        "in turn, and no one past the cap of two"
    );
    // Mia resolves one: the next new conversation is hers again.
    let first = app
        .app()
        .conversations(&t, 100)
        .expect("list")
        .pop()
        .expect("the first");
    app.app()
        .set_conversation_status(
            &t,
            &user(&app, "mia@acme.test"),
            first.id,
            (Status::Resolved, None),
        )
        .expect("resolved");
    deliver(&d, 6, "");
    // A reply in an existing conversation is not a new one: no turn taken.
    d.deliver(b"From: klant2@example.test\r\nTo: support@acme.test\r\nSubject: Re: Vraag 2\r\nIn-Reply-To: <v2@example.test>\r\nMessage-ID: <r2@example.test>\r\n\r\nNog iets\r\n");
    app.app().fetch_inbox(&t, id).expect("fetched");
    let now = assigned(&app);
    assert_eq!(now.len(), 6, "{now:?}");
    assert_eq!(now[5], (s(6), Some(mia)), "{now:?}");
}

#[test]
fn mail_outside_the_hours_gets_the_away_reply_once_and_robots_never_do() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let d = Dovecot::start();
    let t = tenant(&app);
    let owner = user(&app, "owner@acme.test");
    let id = inbox(&app, &d);
    let work = WorkInput {
        // Closed every day: whenever the test runs, it is outside the hours.
        hours: Some(vec![String::new(); 7]),
        away_reply: "We zijn gesloten; morgen antwoorden we.".into(),
        ..WorkInput::default()
    };
    app.app()
        .save_inbox_work(&t, &owner, id, &work)
        .expect("saved");
    deliver(&d, 1, "");
    deliver(&d, 2, "Auto-Submitted: auto-replied\r\n");
    deliver(&d, 3, "List-Id: <news.example.test>\r\n");
    app.app().fetch_inbox(&t, id).expect("fetched");
    app.deliver_mail();
    app.smtp.wait_for(1);
    // Time for any other mail to arrive too: there must be none.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mails = app.smtp.mails();
    assert_eq!(mails.len(), 1, "only the person is answered: {mails:?}");
    let away = &mails[0];
    assert_eq!(away.to, vec!["klant1@example.test".to_string()]);
    let head = away.data.split("\r\n\r\n").next().unwrap_or_default();
    assert!(head.contains("Auto-Submitted: auto-replied"), "{head}");
    assert!(head.contains("In-Reply-To: <v1@example.test>"), "{head}");
    assert!(away.text().contains("We zijn gesloten"), "{}", away.text());
    let c = app.app().conversations(&t, 10).expect("list");
    let first = c.iter().find(|c| c.subject == "Vraag 1").expect("Vraag 1");
    assert!(first.waiting_since.is_some(), "still waiting for a person");

    // Klant 1 writes again the same day: no second away reply.
    d.deliver(b"From: Klant 1 <klant1@example.test>\r\nTo: support@acme.test\r\nSubject: Re: Vraag 1\r\nIn-Reply-To: <v1@example.test>\r\nMessage-ID: <v1b@example.test>\r\n\r\nNog iets\r\n");
    app.app().fetch_inbox(&t, id).expect("fetched");
    app.deliver_mail();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(app.smtp.mails().len(), 1, "once a day per conversation");
}
