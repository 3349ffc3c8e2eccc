//! The email channel against a real Dovecot on loopback: mail delivered to the mailbox becomes
//! a conversation with the sender's contact; our reply reaches the SMTP receiver from the inbox
//! with In-Reply-To, References and a Reply-To whose token brings the answer back; a reply with
//! References threads in, a new subject starts another; an out-of-office reply is kept and
//! marked automatic; restarts of onebox and of Dovecot lose and repeat nothing; a conversation
//! in the trash never comes back, even when the mailbox is fetched again from the start; a wrong
//! password shows as the inbox's health (no secret in it) and is tried again later; HTML with a
//! script and handlers comes out of the API inert; broken MIME and mail over the size cap are
//! kept or noted, never a crash.

use crate::support::TestApp;
use crate::support::dovecot::{Dovecot, PASSWORD, USER};
use onebox::app::Tenant;
use onebox::app::inbox::InboxInput;
use onebox::domain::capability::Profile;
use onebox::domain::ids::InboxId;
use onebox::domain::slug::Slug;
use onebox::domain::user::Role;
use onebox::error::Error;

fn tenant(app: &TestApp) -> Tenant {
    app.app()
        .tenant(&Slug::parse("acme").expect("slug"))
        .expect("tenant")
}

fn owner(app: &TestApp, email: &str) -> onebox::store::users::User {
    app.app()
        .user_by_email(&tenant(app).db, email)
        .expect("a user")
}

fn input(d: &Dovecot, password: &str) -> InboxInput {
    InboxInput {
        name: "Support".into(),
        address: "support@acme.test".into(),
        imap_host: "localhost".into(),
        imap_port: d.port,
        imap_user: USER.into(),
        imap_password: password.into(),
        imap_mailbox: "INBOX".into(),
        imap_ca: Some(d.ca_pem()),
    }
}

fn mail(id: &str, subject: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Daan de Vries <daan@example.test>\r\nTo: support@acme.test\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0100\r\n{extra}\r\n{body}\r\n"
    )
    .into_bytes()
}

/// (conversations, messages in each), newest conversation last.
fn state(app: &TestApp) -> Vec<(String, usize)> {
    let t = tenant(app);
    let mut all: Vec<(String, usize)> = app
        .app()
        .conversations(&t, 100)
        .expect("conversations")
        .into_iter()
        .map(|c| {
            let (_, messages) = app.app().conversation(&t, c.id).expect("conversation");
            (c.subject, messages.len())
        })
        .collect();
    all.sort();
    all
}

/// The workspace, its owner, and an inbox on `d` made by them.
fn with_inbox(app: &TestApp, d: &Dovecot) -> (Tenant, onebox::store::users::User, InboxId) {
    let t = tenant(app);
    let boss = owner(app, "owner@acme.test");
    let inbox = app
        .app()
        .create_inbox(&t, &boss, &input(d, PASSWORD))
        .expect("an inbox");
    (t, boss, inbox)
}

fn fetch(app: &TestApp, inbox: InboxId) {
    app.app().fetch_inbox(&tenant(app), inbox).expect("fetched");
}

#[test]
fn mail_becomes_conversations_that_thread_survive_restarts_and_stay_deleted() {
    let mut app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", Role::Member);
    let mut d = Dovecot::start();
    let t = tenant(&app);
    let boss = owner(&app, "owner@acme.test");

    // Refused, in words per field: a member, and bad settings.
    let member = app
        .app()
        .create_inbox(&t, &owner(&app, "mia@acme.test"), &input(&d, PASSWORD));
    assert!(matches!(member, Err(Error::Forbidden(_))), "{member:?}");
    let mut bad = input(&d, "");
    bad.imap_host = "mail host; rm".into();
    bad.imap_ca = Some("not a certificate".into());
    let Err(Error::Invalid { fields, .. }) = app.app().create_inbox(&t, &boss, &bad) else {
        panic!("bad settings are refused");
    };
    let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(named, vec!["imap_host", "imap_password", "imap_ca"]);
    assert!(app.app().inboxes(&t).expect("inboxes").is_empty());

    let inbox = app
        .app()
        .create_inbox(&t, &boss, &input(&d, PASSWORD))
        .expect("an inbox");
    d.deliver(&mail(
        "q1@example.test",
        "Offerte dakkapel",
        "",
        "Wat kost een dakkapel?",
    ));
    fetch(&app, inbox);
    assert_eq!(state(&app), vec![("Offerte dakkapel".to_string(), 1)]);
    let c = &app.app().conversations(&t, 10).expect("list")[0];
    let contact = c.contact_id.expect("the sender's contact");
    let mut api = app.api("acme", "owner@acme.test");
    let made = api
        .get(&format!("/t/acme/api/v1/contacts/{contact}"))
        .json();
    assert_eq!(
        made["email"], "daan@example.test",
        "a contact was made for the sender: {made}"
    );
    assert_eq!(made["first_name"], "Daan", "{made}");
    assert_eq!(c.number, 1);
    assert!(c.waiting_since.is_some(), "it waits for an answer");

    // Our reply: from the inbox, answering Daan's mail, coming back by its token.
    let replied = api.json(
        "POST",
        &format!("/t/acme/api/v1/conversations/{}/messages", c.id),
        &serde_json::json!({"text": "Rond de 4000 euro."}),
    );
    assert_eq!(replied.status, 201, "{}", replied.body);
    let our_id = replied.json()["message_id"]
        .as_str()
        .expect("our Message-ID")
        .to_string();
    app.deliver_mail();
    let sent = app.smtp.wait_for(1).remove(0);
    assert_eq!(sent.to, vec!["daan@example.test".to_string()]);
    let head = sent
        .data
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(head.contains("In-Reply-To: <q1@example.test>"), "{head}");
    assert!(head.contains("References: <q1@example.test>"), "{head}");
    assert!(head.contains(&format!("Message-ID: <{our_id}>")), "{head}");
    assert!(head.contains("From: Support <support@acme.test>"), "{head}");
    assert!(
        head.contains("Subject: Re: Offerte dakkapel [#1]"),
        "{head}"
    );
    let token_address = head
        .lines()
        .find_map(|l| l.strip_prefix("Reply-To: "))
        .expect("a Reply-To")
        .trim()
        .to_string();
    assert!(token_address.starts_with("support+c"), "{token_address}");
    let waiting = app.app().conversations(&t, 10).expect("list")[0]
        .waiting_since
        .clone();
    assert_eq!(waiting, None, "answered: nothing waits");

    // A reply with References threads in; a new subject starts another; an auto-reply is kept
    // in its thread and marked.
    d.deliver(&mail(
        "q2@example.test",
        "Re: Offerte dakkapel",
        "References: <q1@example.test>\r\n",
        "En met isolatie?",
    ));
    d.deliver(&mail("q3@example.test", "Schuur", "", "Ook een schuur?"));
    // Sent to the conversation's address, with no ids and a new subject: still that thread.
    d.deliver(&format!("From: daan@example.test\r\nTo: {token_address}\r\nSubject: Nog iets\r\nMessage-ID: <t1@example.test>\r\n\r\nEn de kozijnen?\r\n").into_bytes());
    d.deliver(&mail(
        "ooo@example.test",
        "Automatisch antwoord: Offerte dakkapel",
        "In-Reply-To: <q1@example.test>\r\nAuto-Submitted: auto-replied\r\n",
        "Ik ben afwezig tot maandag.",
    ));
    fetch(&app, inbox);
    assert_eq!(
        state(&app),
        vec![
            ("Offerte dakkapel".to_string(), 5),
            ("Schuur".to_string(), 1)
        ]
    );
    let (_, messages) = app.app().conversation(&t, c.id).expect("thread");
    let kinds: Vec<(&str, Option<&str>)> = messages
        .iter()
        .map(|m| (m.direction.as_str(), m.automatic.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("in", None),
            ("out", None),
            ("in", None),
            ("in", None),
            ("in", Some("auto_submitted"))
        ]
    );
    assert_eq!(messages[0].body_text.trim(), "Wat kost een dakkapel?");

    // Restarts of both sides: nothing lost, nothing twice; new mail once.
    app.restart();
    d.restart();
    d.deliver(&mail(
        "q4@example.test",
        "Re: Schuur",
        "In-Reply-To: <q3@example.test>\r\n",
        "Graag.",
    ));
    fetch(&app, inbox);
    fetch(&app, inbox);
    let before = vec![
        ("Offerte dakkapel".to_string(), 5),
        ("Schuur".to_string(), 2),
    ];
    assert_eq!(state(&app), before);

    // "Schuur" into the trash, then the whole mailbox fetched again from its start.
    let t = tenant(&app);
    let schuur = app
        .app()
        .conversations(&t, 10)
        .expect("list")
        .into_iter()
        .find(|c| c.subject == "Schuur")
        .expect("Schuur");
    app.app()
        .trash_conversation(&t, &owner(&app, "owner@acme.test"), schuur.id)
        .expect("trashed");
    app.app()
        .fetch_again(&t, &owner(&app, "owner@acme.test"), inbox, None)
        .expect("again");
    fetch(&app, inbox);
    assert_eq!(
        state(&app),
        vec![("Offerte dakkapel".to_string(), 5)],
        "the trashed one stays away"
    );
    let health = app.app().inbox_health(&t, inbox).expect("health");
    assert!(
        health.last_success_at.is_some() && health.last_error.is_none(),
        "{health:?}"
    );
    assert_eq!(health.last_uid, 6, "{health:?}");
}

#[test]
fn a_failing_server_shows_in_the_health_and_broken_or_huge_mail_never_crashes() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let d = Dovecot::start();
    let t = tenant(&app);
    let boss = owner(&app, "owner@acme.test");
    let wrong = app
        .app()
        .create_inbox(&t, &boss, &input(&d, "not the password"))
        .expect("an inbox");
    let failed = app.app().fetch_inbox(&t, wrong);
    assert!(matches!(failed, Err(Error::Unavailable(_))), "{failed:?}");
    let health = app.app().inbox_health(&t, wrong).expect("health");
    let error = health.last_error.clone().expect("an error");
    assert!(error.contains("refused"), "{error}");
    assert!(
        !error.contains("not the password"),
        "no secret in the health: {error}"
    );
    assert_eq!(health.failures, 1);
    assert!(
        health.next_at > app.app().stamp(),
        "tried again later: {health:?}"
    );
    assert!(
        app.app().inboxes(&t).expect("inboxes")[0].active,
        "never switched off"
    );

    let mut right = input(&d, PASSWORD);
    right.name = "Sales".into();
    let inbox = app.app().create_inbox(&t, &boss, &right).expect("an inbox");
    d.deliver(b"Subject: =?utf-8?b?broken\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nStill here\r\n");
    d.deliver(b"no header at all, just bytes \xff\xfe");
    let mut big = mail("big@example.test", "Scan", "", "").to_vec();
    while big.len() < 20 * 1024 * 1024 {
        big.extend_from_slice(&[b'A'; 76]);
        big.extend_from_slice(b"\r\n");
    }
    d.deliver(&big);
    let mut huge = mail("huge@example.test", "Video", "", "").to_vec();
    while huge.len() < 26 * 1024 * 1024 {
        huge.extend_from_slice(&[b'B'; 76]);
        huge.extend_from_slice(b"\r\n");
    }
    d.deliver(&huge);
    d.deliver(b"From: x@example.test\r\nSubject: Html\r\nMessage-ID: <html@example.test>\r\nContent-Type: text/html\r\n\r\n<p onmouseover=\"steal()\">Hoi</p><script>alert(1)</script><img src=x onerror=alert(2)>\r\n");
    fetch(&app, inbox);
    let all = app.app().conversations(&t, 10).expect("list");
    assert_eq!(all.len(), 5, "each kept: {all:?}");
    let html = all
        .iter()
        .find(|c| c.subject == "Html")
        .expect("the HTML mail");
    let mut api = app.api("acme", "owner@acme.test");
    let shown = api
        .get(&format!("/t/acme/api/v1/conversations/{}", html.id))
        .json();
    let body = shown["messages"][0]["body_html"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(body.contains("Hoi"), "{shown}");
    for gone in ["script", "onmouseover", "onerror", "alert("] {
        assert!(!body.contains(gone), "{gone} in {body}");
    }
    let messages: Vec<_> = all
        .iter()
        .flat_map(|c| app.app().conversation(&t, c.id).expect("one").1)
        .collect();
    assert!(messages.iter().any(|m| m.body_text.contains("Still here")));
    let scan = messages
        .iter()
        .find(|m| m.subject == "Scan")
        .expect("the 20 MB mail");
    assert_eq!(
        (scan.size as usize, scan.refused.as_deref()),
        (big.len(), None)
    );
    let video = messages
        .iter()
        .find(|m| m.subject == "Video")
        .expect("the 26 MB mail, noted");
    assert!(
        video
            .refused
            .as_deref()
            .is_some_and(|r| r.contains("not taken")),
        "{video:?}"
    );
    assert_eq!(video.size as usize, huge.len());
}

#[test]
fn the_api_refuses_bad_inbox_settings_by_field_and_never_answers_the_password() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let url = "/t/acme/api/v1/inboxes";
    api.get(url);
    let before = app.disk_state("acme");
    for (body, field) in [
        (
            serde_json::json!({"name": "S", "imap_port": 70000}),
            "imap_port",
        ),
        (serde_json::json!({"name": "S", "colour": "red"}), "colour"),
        (
            serde_json::json!({"name": "S", "address": "nope", "imap_host": "h", "imap_user": "u", "imap_password": "p"}),
            "address",
        ),
        (
            serde_json::json!({"name": "S", "address": "s@acme.test", "imap_host": "h", "imap_user": "u", "imap_password": "p", "imap_ca": "-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n"}),
            "imap_ca",
        ),
    ] {
        let r = api.json("POST", url, &body);
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(app.disk_state("acme"), before, "refusals write nothing");
    let made = api.json(
        "POST",
        url,
        &serde_json::json!({"name": "Support", "address": "s@acme.test", "imap_host": "127.0.0.1",
                            "imap_port": 9, "imap_user": "u", "imap_password": "sesame-secret"}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let listed = api.get(url);
    assert!(
        !listed.body.contains("sesame-secret") && !made.body.contains("sesame-secret"),
        "{}",
        listed.body
    );
    assert_eq!(api.get("/t/acme/api/v1/conversations/999").status, 404);
}

#[test]
fn a_number_in_the_subject_threads_only_for_someone_in_it_and_a_bounce_marks_the_address() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let d = Dovecot::start();
    let t = tenant(&app);
    let inbox = app
        .app()
        .create_inbox(&t, &owner(&app, "owner@acme.test"), &input(&d, PASSWORD))
        .expect("an inbox");
    d.deliver(&mail("n1@example.test", "Dakgoot", "", "Lekt."));
    d.deliver(&mail(
        "n2@example.test",
        "Nog een vraag [#1]",
        "",
        "En de regenpijp?",
    ));
    d.deliver(
        b"From: Eve <eve@elsewhere.test>\r\nSubject: Hijack [#1]\r\nMessage-ID: <e1@elsewhere.test>\r\n\r\nLet me in\r\n",
    );
    d.deliver(
        b"From: MAILER-DAEMON@mx.example.test\r\nReturn-Path: <>\r\nSubject: Undelivered\r\n\
          Message-ID: <b1@mx.example.test>\r\n\
          Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n--r\r\n\
          Content-Type: text/plain\r\n\r\nNo such user\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\n\
          Final-Recipient: rfc822; daan@example.test\r\nAction: failed\r\n--r--\r\n",
    );
    fetch(&app, inbox);
    assert_eq!(
        state(&app),
        vec![
            ("Dakgoot".to_string(), 2),
            ("Hijack [#1]".to_string(), 1),
            ("Undelivered".to_string(), 1),
        ],
        "Daan's [#1] threads in; a stranger's starts its own"
    );
    let bounce = app
        .app()
        .conversations(&t, 10)
        .expect("list")
        .into_iter()
        .find(|c| c.subject == "Undelivered")
        .expect("the bounce");
    assert_eq!(bounce.contact_id, None, "no contact for the mail system");
    let conn = rusqlite::Connection::open(app.tenant_file("acme")).expect("open");
    let bouncing: bool = conn
        .query_row(
            "SELECT bouncing FROM contact_identities WHERE address = 'daan@example.test'",
            [],
            |r| r.get(0),
        )
        .expect("Daan's address");
    assert!(bouncing, "the bounce marks Daan's address");
}

#[test]
fn the_api_pages_a_queue_by_cursor_and_changes_a_conversation_in_one_write() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", Role::Member);
    let t = tenant(&app);
    let made = app
        .app()
        .seed(&t, onebox::app::seed::SeedCounts::for_contacts(60))
        .expect("seeded");
    assert_eq!(made.conversations, 60);
    let mut api = app.api("acme", "owner@acme.test");
    // Every open conversation once, in queue order, across pages.
    let mut seen = Vec::new();
    let mut keys = Vec::new();
    let mut path = "/t/acme/api/v1/conversations?limit=7".to_string();
    loop {
        let page = api.get(&path).json();
        for c in page["data"].as_array().expect("data") {
            assert_eq!(c["status"], "open", "{c}");
            seen.push(c["id"].as_i64().expect("id"));
            keys.push((
                c["waiting_since"].is_null(),
                c["waiting_since"].as_str().unwrap_or("").to_string(),
            ));
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/t/acme/api/v1/conversations?limit=7&cursor={next}"),
            None => break,
        }
    }
    let total = api.get("/t/acme/api/v1/conversations?limit=1").json()["total"].clone();
    assert_eq!(
        seen.len() as i64,
        total.as_i64().expect("total"),
        "every open one"
    );
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "none twice");
    let waiting: Vec<&(bool, String)> = keys.iter().filter(|(none, _)| !none).collect();
    assert!(
        waiting.windows(2).all(|w| w[0].1 <= w[1].1),
        "the longest waiting first"
    );
    assert!(
        keys.iter()
            .skip_while(|(none, _)| !none)
            .all(|(none, _)| *none),
        "waiting ones first"
    );
    for bad in [
        "cursor=nope",
        "queue=everyone",
        "status=closed",
        "priority=big",
        "limit=0",
        "label=x",
    ] {
        let r = api.get(&format!("/t/acme/api/v1/conversations?{bad}"));
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
    }

    // One write: a bad assignee refuses the status change with it.
    let id = seen[0];
    let before = app.disk_state("acme");
    let r = api.json(
        "PATCH",
        &format!("/t/acme/api/v1/conversations/{id}"),
        &serde_json::json!({"status": "resolved", "assignee_id": 999999}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("assignee"), "{}", r.body);
    assert_eq!(app.disk_state("acme"), before, "nothing was written");
    let mia = owner(&app, "mia@acme.test").id;
    let r = api.json(
        "PATCH",
        &format!("/t/acme/api/v1/conversations/{id}"),
        &serde_json::json!({"status": "resolved", "assignee_id": mia.0, "priority": "urgent"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let c = r.json();
    assert_eq!(
        (
            c["status"].as_str(),
            c["priority"].as_str(),
            c["assignee_id"].as_i64()
        ),
        (Some("resolved"), Some("urgent"), Some(mia.0))
    );
    let mut mia_api = app.api("acme", "mia@acme.test");
    let told = mia_api.get("/t/acme/api/v1/notifications").json();
    assert_eq!(told["data"][0]["kind"], "assigned", "{told}");
}

#[test]
fn fetching_again_from_a_day_recovers_mail_a_lost_fetch_state_skipped_and_repeats_nothing() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let d = Dovecot::start();
    let (t, boss, inbox) = with_inbox(&app, &d);
    d.deliver(&mail("d1@example.test", "Eerste", "", "Een"));
    fetch(&app, inbox);
    // The fetch state goes wrong (as if restored from an old copy of another mailbox): it
    // believes it has seen far more than the mailbox holds, so new mail is passed over.
    let file = rusqlite::Connection::open(app.tenant_file("acme")).expect("open");
    file.busy_timeout(std::time::Duration::from_secs(5))
        .expect("timeout");
    file.execute("UPDATE inbox_fetch SET last_uid = 50", [])
        .expect("state changed");
    drop(file);
    d.deliver(&mail("d2@example.test", "Tweede", "", "Twee"));
    fetch(&app, inbox);
    assert_eq!(state(&app).len(), 1, "passed over");

    let today = chrono::Utc::now().date_naive();
    app.app()
        .fetch_again(&t, &boss, inbox, Some(today + chrono::Duration::days(2)))
        .expect("again from a day to come");
    fetch(&app, inbox);
    assert_eq!(state(&app).len(), 1, "nothing since then");
    let mut api = app.api("acme", "owner@acme.test");
    let bad = api.json(
        "POST",
        &format!("/t/acme/api/v1/inboxes/{inbox}/fetch_again"),
        &serde_json::json!({"since": "yesterday"}),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    let again = api.json(
        "POST",
        &format!("/t/acme/api/v1/inboxes/{inbox}/fetch_again"),
        &serde_json::json!({"since": (today - chrono::Duration::days(1)).to_string()}),
    );
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(again.json()["refetch_since"].is_string(), "{}", again.body);
    fetch(&app, inbox);
    assert_eq!(
        state(&app),
        vec![("Eerste".to_string(), 1), ("Tweede".to_string(), 1)],
        "the one passed over is taken, the other not twice"
    );
    let health = app.app().inbox_health(&t, inbox).expect("health");
    assert_eq!(health.refetch_since, None, "done");
}

#[test]
fn past_the_workspaces_mail_storage_a_mail_is_noted_not_taken_and_nothing_is_lost() {
    let app = TestApp::start_with(|c| c.inbox_storage_mb = Some(1));
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let d = Dovecot::start();
    let (t, _, inbox) = with_inbox(&app, &d);
    // 700 KB each: the first fits in 1 MB, the second does not.
    let body = "x".repeat(76).repeat(9_000);
    d.deliver(&mail("s1@example.test", "Eerste scan", "", &body));
    d.deliver(&mail("s2@example.test", "Tweede scan", "", &body));
    fetch(&app, inbox);
    let all = app.app().conversations(&t, 10).expect("list");
    assert_eq!(all.len(), 2, "both noted: {all:?}");
    let second = all
        .iter()
        .find(|c| c.subject == "Tweede scan")
        .expect("the second");
    let (_, messages) = app.app().conversation(&t, second.id).expect("thread");
    let refused = messages[0].refused.clone().unwrap_or_default();
    assert!(refused.contains("mail storage"), "{refused}");
    assert!(messages[0].size > 600_000, "its size is kept");
    let first = all
        .iter()
        .find(|c| c.subject == "Eerste scan")
        .expect("the first");
    let (_, messages) = app.app().conversation(&t, first.id).expect("thread");
    assert_eq!(messages[0].refused, None, "the first was taken whole");
    assert!(messages[0].body_text.len() > 600_000);
}

#[test]
fn with_idle_new_mail_is_fetched_as_it_arrives_not_at_the_next_poll() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let d = Dovecot::start();
    let (_, _, inbox) = with_inbox(&app, &d);
    fetch(&app, inbox);
    // The fetch thread (every 10 s) starts a watcher for an inbox that fetched well.
    let slug = Slug::parse("acme").expect("slug");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !app.app().idle.idling(&slug, inbox) {
        assert!(
            std::time::Instant::now() < deadline,
            "no watcher waits in IDLE"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // The test clock stands still, so the next poll never comes: only IDLE fetches this.
    d.deliver(&mail("i1@example.test", "Via IDLE", "", "Meteen"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while state(&app).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "not fetched on arrival"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(state(&app), vec![("Via IDLE".to_string(), 1)]);
}
