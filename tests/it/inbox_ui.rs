//! The inbox in the browser without JavaScript, against a real Dovecot and SMTP receiver: an
//! inbox set up from its settings page; mail fetched into the queue; the conversation's page
//! with quoted history folded and hostile HTML inert; assigning (the assignee notified in the
//! bell and by mail), a note whose @mention notifies, a canned reply written out for the
//! contact, the send guard holding a reply back when a newer mail came in, resolve, snooze
//! (refused in the past, woken when its time comes), priority and labels narrowing the
//! queue, and a merge after which mail answering either conversation lands in one.

use crate::support::dovecot::{Dovecot, PASSWORD as IMAP_PASSWORD, USER};
use crate::support::http::Client;
use crate::support::{PASSWORD, TestApp};
use onebox::domain::capability::Profile;
use onebox::domain::slug::Slug;
use onebox::domain::user::Role;

fn mail(id: &str, subject: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Daan de Vries <daan@example.test>\r\nTo: support@acme.test\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0100\r\n{extra}\r\n{body}\r\n"
    )
    .into_bytes()
}

/// The newest message a conversation page showed, as its reply form says.
fn last_seen(page: &str) -> String {
    let at = page.find("name=\"last_seen\" value=\"").expect("last_seen") + 24;
    page[at..at + page[at..].find('"').expect("quote")].to_string()
}

/// Fetches the workspace's inbox now (as its thread would once it is due).
fn fetch(app: &TestApp) {
    let t = app
        .app()
        .tenant(&Slug::parse("acme").expect("slug"))
        .expect("tenant");
    let inbox = app.app().inboxes(&t).expect("inboxes")[0].id;
    let n = app.app().fetch_inbox(&t, inbox).expect("fetched");
    assert!(n > 0, "mail was taken");
}

/// Sets up the inbox through its settings page; answers the path of conversation 1's page
/// once Daan's first mail has been fetched.
fn set_up(app: &TestApp, owner: &mut Client, d: &Dovecot) -> String {
    let settings = "/t/acme/inbox/settings";
    let refused = owner.submit(
        settings,
        "/t/acme/inbox/settings/inboxes",
        &[
            ("name", "Support"),
            ("address", "not an address"),
            ("imap_host", "localhost"),
            ("imap_port", "993"),
        ],
    );
    assert_eq!(refused.status, 303);
    let page = owner.get(settings).body;
    assert!(page.contains("must be an email address"), "{page}");
    assert!(page.contains("No inbox yet"), "nothing was made: {page}");
    let port = d.port.to_string();
    let made = owner.submit(
        settings,
        "/t/acme/inbox/settings/inboxes",
        &[
            ("name", "Support"),
            ("address", "support@acme.test"),
            ("imap_host", "localhost"),
            ("imap_port", &port),
            ("imap_user", USER),
            ("imap_password", IMAP_PASSWORD),
            ("imap_mailbox", "INBOX"),
            ("imap_ca", &d.ca_pem()),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    d.deliver(&mail(
        "q1@example.test",
        "Offerte dakkapel",
        "Content-Type: text/plain; charset=utf-8\r\n",
        "Wat kost een dakkapel?\r\n\r\nOn Monday you wrote:\r\n> Our prices are on the site.\r\n> Kind regards",
    ));
    fetch(app);
    let page = owner.get(settings).body;
    assert!(
        page.contains("Last fetched"),
        "the inbox's health shows: {page}"
    );
    assert!(!page.contains(IMAP_PASSWORD), "no secret on the page");
    let list = owner.get("/t/acme/inbox?queue=unassigned").body;
    assert!(list.contains("Offerte dakkapel"), "{list}");
    assert!(
        list.contains("Daan de Vries"),
        "the sender's contact: {list}"
    );
    let at = list
        .find("/t/acme/conversations/")
        .expect("a conversation link");
    let end = at + list[at..].find('"').expect("quote");
    list[at..end].to_string()
}

#[test]
fn a_conversation_is_worked_from_its_page_without_javascript() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", Role::Member);
    let (mut mia, _) = app.login("acme", "mia@acme.test", PASSWORD);
    let d = Dovecot::start();
    let here = set_up(&app, &mut owner, &d);

    let page = owner.get(&here).body;
    assert!(page.contains("Wat kost een dakkapel?"), "{page}");
    assert!(
        page.contains("<details class=\"quoted\">"),
        "quoted history folded: {page}"
    );

    // Given to Mia: her bell shows it, and she gets a mail.
    let mia_id = {
        let at = page
            .find(">mia@acme.test</option>")
            .expect("Mia is offered");
        let start = page[..at].rfind("value=\"").expect("her value") + 7;
        page[start..start + page[start..].find('"').expect("quote")].to_string()
    };
    let assigned = owner.submit(&here, &format!("{here}/assign"), &[("assignee", &mia_id)]);
    assert_eq!(assigned.status, 303, "{}", assigned.body);
    let mails = app.smtp.wait_for(1);
    assert!(
        mails[0].to.contains(&"mia@acme.test".to_string()),
        "{mails:?}"
    );
    assert!(mails[0].subject().contains("#1"), "{}", mails[0].subject());
    let bell = mia.get("/t/acme/inbox?queue=mine").body;
    assert!(bell.contains("1 unread"), "{bell}");
    assert!(bell.contains("Offerte dakkapel"), "in her queue: {bell}");
    let shown = owner.get(&here).body;
    assert!(
        shown.contains("assigned it to"),
        "the activity line: {shown}"
    );
    // Her queue as anyone sees it, from the queues by person.
    let hers = owner
        .get(&format!("/t/acme/inbox?queue=user-{mia_id}"))
        .body;
    assert!(hers.contains("Offerte dakkapel"), "{hers}");
    let mine = owner.get("/t/acme/inbox?queue=mine").body;
    assert!(!mine.contains("Offerte dakkapel"), "not the owner's");

    // A note mentioning Mia notifies her; reading the conversation reads her notifications.
    let noted = owner.submit(
        &here,
        &format!("{here}/note"),
        &[("text", "@mia can you quote this?")],
    );
    assert_eq!(noted.status, 303);
    let list = mia.get("/t/acme/notifications").body;
    assert!(list.contains("mentioned you in #1"), "{list}");
    let told = app.smtp.wait_for(2);
    assert!(
        told[1].to.contains(&"mia@acme.test".to_string())
            && told[1].subject().contains("mentioned you"),
        "{told:?}"
    );
    mia.get(&here);
    assert!(
        !mia.get("/t/acme/inbox").body.contains("unread"),
        "read now"
    );
    let empty = owner.submit(&here, &format!("{here}/note"), &[("text", "  ")]);
    assert_eq!(empty.status, 303);
    assert!(
        owner
            .get(&here)
            .body
            .contains("must be 1 to 20000 characters")
    );

    // A canned reply, written out for Daan.
    let settings = "/t/acme/inbox/settings";
    let canned = owner.submit(
        settings,
        "/t/acme/inbox/settings/canned",
        &[
            ("shortcut", "/prijs"),
            (
                "body",
                "Beste {{contact.first_name}}, dank voor #{{conversation.number}}.",
            ),
        ],
    );
    assert_eq!(canned.status, 303);
    let taken = owner.submit(
        settings,
        "/t/acme/inbox/settings/canned",
        &[("shortcut", "prijs"), ("body", "x")],
    );
    assert_eq!(taken.status, 303);
    assert!(owner.get(settings).body.contains("/prijs is taken already"));
    let inserted = owner.submit(
        &here,
        &format!("{here}/reply"),
        &[("text", ""), ("canned", "prijs"), ("insert", "1")],
    );
    assert_eq!(inserted.status, 200);
    assert!(
        inserted.body.contains("Beste Daan, dank voor #1."),
        "{}",
        inserted.body
    );

    // The send guard: a mail that came in after the page was made holds the reply back.
    let stale = owner.get(&here);
    d.deliver(&mail(
        "q2@example.test",
        "Re: Offerte dakkapel",
        "In-Reply-To: <q1@example.test>\r\nReferences: <q1@example.test>\r\n",
        "En met isolatie?",
    ));
    fetch(&app);
    let before = app.smtp.mails().len();
    let seen = last_seen(&stale.body);
    let csrf = stale.csrf();
    let held = owner.post_form(
        &format!("{here}/reply"),
        &[
            ("csrf", &csrf),
            ("text", "Rond de 4000 euro."),
            ("last_seen", &seen),
        ],
    );
    assert_eq!(held.status, 200, "{}", held.body);
    assert!(held.body.contains("A new message came in"), "{}", held.body);
    assert!(
        held.body.contains("Rond de 4000 euro."),
        "the reply is kept: {}",
        held.body
    );
    assert!(held.body.contains("En met isolatie?"), "the new mail shows");
    let fresh = last_seen(&owner.get(&here).body);
    let sent = owner.submit(
        &here,
        &format!("{here}/reply"),
        &[("text", "Rond de 4000 euro."), ("last_seen", &fresh)],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    app.deliver_mail();
    let mails = app.smtp.wait_for(before + 1);
    let reply = mails.last().expect("the reply");
    assert!(
        reply.to.contains(&"daan@example.test".to_string()),
        "{reply:?}"
    );
    assert!(
        reply.data.contains("In-Reply-To: <q2@example.test>"),
        "{}",
        reply.data
    );
    assert!(
        owner
            .get(&here)
            .body
            .contains("<span class=\"badge ok\">sent</span>"),
        "delivered"
    );
    // A reply the server refuses for good shows as not delivered, with why.
    app.smtp.refuse_with(550);
    let fresh = last_seen(&owner.get(&here).body);
    let refused = owner.submit(
        &here,
        &format!("{here}/reply"),
        &[("text", "Nog een vraag?"), ("last_seen", &fresh)],
    );
    assert_eq!(refused.status, 303);
    app.deliver_mail();
    let page = owner.get(&here).body;
    assert!(
        page.contains("<span class=\"badge danger\">not delivered</span>"),
        "{page}"
    );
    app.smtp.refuse_with(0);

    // Resolve: out of the open queue, in the resolved one.
    let resolved = owner.submit(&here, &format!("{here}/status"), &[("status", "resolved")]);
    assert_eq!(resolved.status, 303);
    assert!(!owner.get("/t/acme/inbox").body.contains("Offerte dakkapel"));
    assert!(
        owner
            .get("/t/acme/inbox?status=resolved")
            .body
            .contains("Offerte dakkapel")
    );

    // Snooze: not into the past; woken when its time comes.
    let past = owner.submit(
        &here,
        &format!("{here}/status"),
        &[("status", "snoozed"), ("until", "2020-01-01T09:00")],
    );
    assert_eq!(past.status, 303);
    assert!(owner.get(&here).body.contains("must be a time to come"));
    let later = (app.app().now() + chrono::Duration::hours(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let snoozed = owner.submit(
        &here,
        &format!("{here}/status"),
        &[("status", "snoozed"), ("until", &later)],
    );
    assert_eq!(snoozed.status, 303);
    assert!(
        owner
            .get("/t/acme/inbox?status=snoozed")
            .body
            .contains("Offerte dakkapel")
    );
    let snoozed_page = owner.get(&here).body;
    assert!(
        snoozed_page.contains("<dt>Snoozed until</dt>")
            && snoozed_page.contains("<dt>First reply</dt>"),
        "{snoozed_page}"
    );
    app.clock.advance(chrono::Duration::hours(3));
    let t = app
        .app()
        .tenant(&Slug::parse("acme").expect("slug"))
        .expect("tenant");
    assert_eq!(app.app().wake_snoozed(&t).expect("woken"), 1);
    assert!(
        owner
            .get("/t/acme/inbox?status=open")
            .body
            .contains("Offerte dakkapel")
    );

    // Bad input is refused in words and changes nothing.
    let state = app.disk_state("acme");
    for (form, fields) in [
        ("priority", vec![("priority", "nope")]),
        ("status", vec![("status", "closed")]),
        ("assign", vec![("assignee", "9999")]),
        ("labels", vec![("label", "9999"), ("on", "1")]),
        ("merge", vec![("into", "#1")]),
    ] {
        let r = owner.submit(&here, &format!("{here}/{form}"), &fields);
        assert_eq!(r.status, 303, "{form}: {}", r.body);
        let shown = owner.get(&here).body;
        assert!(shown.contains("class=\"flash error\""), "{form}: {shown}");
    }
    assert_eq!(app.disk_state("acme"), state, "refusals changed nothing");
    assert_eq!(owner.get("/t/acme/inbox?status=closed").status, 422);
}

#[test]
fn priority_and_labels_narrow_the_queue_and_a_merge_makes_one_thread() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let d = Dovecot::start();
    let first = set_up(&app, &mut owner, &d);
    d.deliver(&mail("k1@example.test", "Kozijnen", "", "Ook kozijnen?"));
    fetch(&app);
    let list = owner.get("/t/acme/inbox").body;
    let at = list.find("Kozijnen").expect("the second conversation");
    let start = list[..at]
        .rfind("/t/acme/conversations/")
        .expect("its link");
    let second = list[start..start + list[start..].find('"').expect("quote")].to_string();
    assert_ne!(first, second);

    // Hostile HTML is inert on the page; remote images wait until asked for.
    d.deliver(&mail(
        "h1@example.test",
        "Nieuwsbrief",
        "Content-Type: text/html; charset=utf-8\r\n",
        "<p>Hallo</p><script>alert(1)</script><img src=\"https://tracker.example/p.gif\" onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">klik</a>",
    ));
    fetch(&app);
    let list = owner.get("/t/acme/inbox").body;
    let at = list.find("Nieuwsbrief").expect("the html conversation");
    let start = list[..at]
        .rfind("/t/acme/conversations/")
        .expect("its link");
    let html = list[start..start + list[start..].find('"').expect("quote")].to_string();
    let page = owner.get(&html);
    assert!(page.body.contains("<p>Hallo</p>"), "{}", page.body);
    for bad in ["<script>alert", "onerror", "javascript:", "tracker.example"] {
        assert!(!page.body.contains(bad), "{bad} got through: {}", page.body);
    }
    assert!(page.body.contains("Remote images are not loaded."));
    let asked = owner.get(&format!("{html}?images=1"));
    let loose = asked.header("Content-Security-Policy").unwrap_or_default();
    assert!(
        loose.contains("img-src 'self' data: https:") && loose.contains("script-src 'self'"),
        "{loose}"
    );
    let shown = asked.body;
    assert!(
        shown.contains("tracker.example/p.gif") && !shown.contains("onerror"),
        "{shown}"
    );
    let csp = page.header("Content-Security-Policy").unwrap_or_default();
    assert!(
        csp.contains("script-src") && !csp.contains("unsafe-inline"),
        "{csp}"
    );

    // An attachment is listed and downloads as the bytes sent, as a file, never shown inline.
    d.deliver(&mail(
        "a1@example.test",
        "Tekening",
        "Cc: Piet <piet@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n",
        "--b\r\nContent-Type: text/plain\r\n\r\nZie bijlage.\r\n--b\r\nContent-Type: text/html; name=\"plan.html\"\r\n\
         Content-Disposition: attachment; filename=\"plan.html\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
         PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\r\n--b--",
    ));
    fetch(&app);
    let list = owner.get("/t/acme/inbox").body;
    let at = list
        .find("Tekening")
        .expect("the attachment's conversation");
    let start = list[..at]
        .rfind("/t/acme/conversations/")
        .expect("its link");
    let with = list[start..start + list[start..].find('"').expect("quote")].to_string();
    let page = owner.get(&with).body;
    assert!(page.contains(">plan.html</a>"), "{page}");
    assert!(
        page.contains("<li>piet@example.test</li>"),
        "a participant: {page}"
    );
    let at = page.find("/attachments/0").expect("its link");
    let start = page[..at].rfind("href=\"").expect("href") + 6;
    let file = owner.get(&page[start..at + 14]);
    assert_eq!(file.status, 200);
    assert_eq!(file.body, "<script>alert(1)</script>");
    assert_eq!(
        file.header("Content-Type"),
        Some("application/octet-stream")
    );
    assert!(
        file.header("Content-Disposition")
            .unwrap_or_default()
            .starts_with("attachment")
    );
    assert_eq!(
        owner
            .get(&format!("{}/attachments/9", &page[start..at]))
            .status,
        404
    );

    let urgent = owner.submit(
        &second,
        &format!("{second}/priority"),
        &[("priority", "urgent")],
    );
    assert_eq!(urgent.status, 303);
    let only = owner.get("/t/acme/inbox?priority=urgent").body;
    assert!(
        only.contains("Kozijnen") && !only.contains("Offerte dakkapel"),
        "{only}"
    );
    let mine = owner
        .get("/t/acme/inbox?queue=unassigned&priority=urgent")
        .body;
    assert!(
        mine.contains("Kozijnen") && !mine.contains("Offerte dakkapel"),
        "{mine}"
    );

    let mut api = app.api("acme", "owner@acme.test");
    let label = api
        .json(
            "POST",
            "/t/acme/api/v1/labels",
            &serde_json::json!({"name": "Dak", "color": "#1d4ed8"}),
        )
        .json();
    let label = label["id"].to_string();
    let on = owner.submit(
        &first,
        &format!("{first}/labels"),
        &[("label", &label), ("on", "1")],
    );
    assert_eq!(on.status, 303);
    let labelled = owner.get(&format!("/t/acme/inbox?label={label}")).body;
    assert!(
        labelled.contains("Offerte dakkapel") && !labelled.contains("Kozijnen"),
        "{labelled}"
    );

    // Merged: one thread with all three mails, the label kept; the merged one is gone, and a
    // mail answering it lands in the thread.
    let merged = owner.submit(&second, &format!("{second}/merge"), &[("into", "#1")]);
    assert_eq!(merged.status, 303, "{}", merged.body);
    assert_eq!(crate::support::path_of(merged.location()), first);
    assert_eq!(owner.get(&second).status, 404);
    let thread = owner.get(&first).body;
    assert!(
        thread.contains("Ook kozijnen?") && thread.contains("Wat kost een dakkapel?"),
        "{thread}"
    );
    assert!(
        thread.contains("merged #2 Kozijnen into this conversation"),
        "{thread}"
    );
    d.deliver(&mail(
        "k2@example.test",
        "Re: Kozijnen",
        "In-Reply-To: <k1@example.test>\r\n",
        "Graag in het wit.",
    ));
    fetch(&app);
    assert!(owner.get(&first).body.contains("Graag in het wit."));
    let open = owner.get("/t/acme/inbox").body;
    assert_eq!(
        open.matches("/t/acme/conversations/").count(),
        3,
        "one thread, the newsletter and the drawing: {open}"
    );
}

#[test]
fn without_the_inbox_capability_its_pages_are_not_there() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Construction, "owner@acme.test");
    for path in [
        "/t/acme/inbox",
        "/t/acme/inbox/settings",
        "/t/acme/notifications",
        "/t/acme/conversations/1",
    ] {
        assert_eq!(owner.get(path).status, 404, "{path}");
    }
    assert!(
        !owner.get("/t/acme").body.contains("/t/acme/inbox\""),
        "not in the navigation"
    );
}

#[test]
fn a_team_has_its_queue_and_an_inbox_puts_its_new_conversations_in_it() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", Role::Member);
    let d = Dovecot::start();
    let first = set_up(&app, &mut owner, &d);
    let settings = "/t/acme/inbox/settings";
    let empty = owner.submit(settings, "/t/acme/inbox/settings/teams", &[("name", " ")]);
    assert_eq!(empty.status, 303);
    assert!(
        owner
            .get(settings)
            .body
            .contains("must be 1 to 60 characters")
    );
    let made = owner.submit(
        settings,
        "/t/acme/inbox/settings/teams",
        &[("name", "Dakwerk")],
    );
    assert_eq!(made.status, 303);
    let page = owner.get(settings).body;
    let at = page
        .find("/t/acme/inbox/settings/teams/")
        .expect("the team's form")
        + 29;
    let team: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let t = app
        .app()
        .tenant(&Slug::parse("acme").expect("slug"))
        .expect("tenant");
    let inbox = app.app().inboxes(&t).expect("inboxes")[0].id;
    let saved = owner.submit(
        settings,
        &format!("/t/acme/inbox/settings/inboxes/{inbox}/work"),
        &[("team", &team)],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = owner.get(settings).body;
    assert!(after.contains("class=\"flash success\""), "saved: {after}");

    // The conversation from before has no team; a new one gets the inbox's.
    let queue = format!("/t/acme/inbox?queue=team-{team}");
    assert!(!owner.get(&queue).body.contains("Offerte dakkapel"));
    d.deliver(&mail("n1@example.test", "Lekkage", "", "Het lekt."));
    fetch(&app);
    let list = owner.get(&queue).body;
    assert!(
        list.contains("Lekkage") && list.contains("Dakwerk"),
        "{list}",
    );
    // Moved into the team from its page: in the queue, and the thread says so.
    let moved = owner.submit(&first, &format!("{first}/team"), &[("team", &team)]);
    assert_eq!(moved.status, 303);
    assert!(owner.get(&queue).body.contains("Offerte dakkapel"));
    assert!(
        owner
            .get(&first)
            .body
            .contains("put it in the team Dakwerk")
    );
    let mut api = app.api("acme", "owner@acme.test");
    let id = first.rsplit('/').next().expect("id");
    let out = api.json(
        "PATCH",
        &format!("/t/acme/api/v1/conversations/{id}"),
        &serde_json::json!({"team_id": null}),
    );
    assert_eq!(out.status, 200, "{}", out.body);
    assert!(out.json()["team_id"].is_null());
    let bad = api.json(
        "PATCH",
        &format!("/t/acme/api/v1/conversations/{id}"),
        &serde_json::json!({"team_id": 999}),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
}

#[test]
fn a_conversation_in_the_trash_is_listed_there_and_restored_as_it_was() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let d = Dovecot::start();
    let here = set_up(&app, &mut owner, &d);
    let trashed = owner.submit(&here, &format!("{here}/delete"), &[]);
    assert_eq!(trashed.status, 303);
    assert_eq!(owner.get(&here).status, 404);
    assert!(!owner.get("/t/acme/inbox").body.contains("Offerte dakkapel"));
    let trash = owner.get("/t/acme/trash").body;
    assert!(trash.contains("#1 Offerte dakkapel"), "{trash}");
    let restored = owner.submit("/t/acme/trash", &format!("{here}/restore"), &[]);
    assert_eq!(restored.status, 303, "{}", restored.body);
    let back = owner.get(&here);
    assert_eq!(back.status, 200);
    assert!(back.body.contains("Wat kost een dakkapel?"));
    assert!(owner.get("/t/acme/inbox").body.contains("Offerte dakkapel"));
    assert!(
        !owner
            .get("/t/acme/trash")
            .body
            .contains("#1 Offerte dakkapel")
    );
    assert_eq!(
        owner
            .submit("/t/acme/trash", &format!("{here}/restore"), &[])
            .status,
        404
    );
}
