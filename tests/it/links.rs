//! Setup links, invitations and password resets, with their mails delivered over SMTP to a
//! real receiver; and the outbox's retries.

use crate::support::{PASSWORD, TestApp, path_of};
use chrono::Duration;
use onebox::domain::capability::Profile;
use serde_json::json;

#[test]
fn an_invitation_mail_arrives_and_its_link_creates_a_signed_in_user() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let sent = owner.submit(
        "/t/acme/settings/users",
        "/t/acme/settings/users/invite",
        &[("email", "New.Hire@Acme.test"), ("role", "admin")],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    let page = owner.get("/t/acme/settings/users");
    assert!(page.body.contains("Invitation sent to New.Hire@Acme.test."));
    assert!(
        page.body.contains("new.hire@acme.test as admin"),
        "pending invitation listed"
    );

    let mails = app.smtp.wait_for(1);
    assert_eq!(mails[0].to, vec!["new.hire@acme.test"]);
    assert!(
        mails[0]
            .text()
            .contains("Subject: Olga Owner invited you to acme Ltd on Onebox"),
        "{}",
        mails[0].data
    );
    assert!(
        mails[0].data.contains("Auto-Submitted: auto-generated\r\n"),
        "mail Onebox makes itself says so, so robots do not answer it: {}",
        mails[0].data
    );
    let link = path_of(&mails[0].link("invite"));

    let mut invitee = app.client();
    let form = invitee.get(&link);
    assert_eq!(form.status, 200);
    assert!(form.body.contains("new.hire@acme.test") && form.body.contains("as admin"));
    let short = invitee.submit(
        &link,
        &link,
        &[("name", "Nia"), ("password", "short"), ("confirm", "short")],
    );
    assert_eq!(short.status, 422);
    assert!(short.body.contains("must be at least 10 characters"));
    let joined = invitee.submit(
        &link,
        &link,
        &[
            ("name", "Nia Hire"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ],
    );
    assert_eq!(joined.status, 303, "{}", joined.body);
    let me = invitee.get("/t/acme/api/v1/me").json();
    assert_eq!(
        (
            me["email"].as_str(),
            me["role"].as_str(),
            me["name"].as_str()
        ),
        (Some("new.hire@acme.test"), Some("admin"), Some("Nia Hire"))
    );

    // The link works once.
    let again = app.client().get(&link);
    assert_eq!(again.status, 403);
    assert!(
        again
            .body
            .contains("invalid, was already used or has expired")
    );
}

#[test]
fn bad_invitations_are_refused_with_a_message_and_send_nothing() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let before = app.disk_state("acme");
    let bad = owner.submit(
        "/t/acme/settings/users",
        "/t/acme/settings/users/invite",
        &[("email", "not-an-address"), ("role", "member")],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("is not a valid email address"),
        "{}",
        bad.body
    );
    let taken = owner.submit(
        "/t/acme/settings/users",
        "/t/acme/settings/users/invite",
        &[("email", "owner@acme.test"), ("role", "member")],
    );
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("already has an account here"));
    let role = owner.submit(
        "/t/acme/settings/users",
        "/t/acme/settings/users/invite",
        &[("email", "x@acme.test"), ("role", "emperor")],
    );
    assert_eq!(role.status, 422);
    assert!(role.body.contains("is not a role"));
    assert_eq!(app.disk_state("acme"), before);
    app.deliver_mail();
    assert!(app.smtp.mails().is_empty());
}

#[test]
fn invitations_expire_after_seven_days() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    owner.submit(
        "/t/acme/settings/users",
        "/t/acme/settings/users/invite",
        &[("email", "late@acme.test"), ("role", "member")],
    );
    let link = path_of(&app.smtp.wait_for(1)[0].link("invite"));
    app.clock.advance(Duration::days(7) + Duration::minutes(1));
    assert_eq!(app.client().get(&link).status, 403);
}

#[test]
fn a_password_reset_mail_lets_the_user_choose_a_new_password() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut visitor = app.client();
    let asked = visitor.submit(
        "/t/acme/reset",
        "/t/acme/reset",
        &[("email", "owner@acme.test")],
    );
    assert_eq!(asked.status, 200);
    assert!(
        asked
            .body
            .contains("a mail with a reset link is on its way")
    );
    // Unknown addresses get the same answer and no mail.
    let unknown = app.client().submit(
        "/t/acme/reset",
        "/t/acme/reset",
        &[("email", "nobody@acme.test")],
    );
    assert_eq!(unknown.body, asked.body);

    let mails = app.smtp.wait_for(1);
    assert_eq!(mails.len(), 1, "no mail for the unknown address");
    assert_eq!(mails[0].to, vec!["owner@acme.test"]);
    let link = path_of(&mails[0].link("reset"));
    let done = visitor.submit(
        &link,
        &link,
        &[
            ("password", "my new password"),
            ("confirm", "my new password"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        owner.get("/t/acme/").status,
        303,
        "the reset ended the old sessions"
    );
    assert_eq!(app.login("acme", "owner@acme.test", PASSWORD).1.status, 422);
    assert_eq!(
        app.login("acme", "owner@acme.test", "my new password")
            .1
            .status,
        303
    );
    assert_eq!(app.client().get(&link).status, 403, "used once");
}

#[test]
fn the_setup_link_works_once_and_a_named_owner_is_waiting_for_it() {
    let app = TestApp::start();
    let url = app
        .app()
        .create_tenant(
            "acme",
            "Acme",
            Profile::Construction,
            Some("Boss@Acme.test"),
        )
        .expect("create");
    let link = path_of(&url);
    let mut client = app.client();
    let form = client.get(&link);
    assert!(
        form.body.contains("boss@acme.test"),
        "the address is fixed: {}",
        form.body
    );
    let done = client.submit(
        &link,
        &link,
        &[
            ("name", "Bo Boss"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ],
    );
    assert_eq!(done.status, 303);
    let me = client.get("/t/acme/api/v1/me").json();
    assert_eq!(me["role"], "owner");
    assert_eq!(app.client().get(&link).status, 403);
    assert_eq!(app.client().get("/t/acme/setup/not-a-token").status, 403);
}

#[test]
fn mail_that_fails_is_retried_with_backoff_then_given_up_and_survives_a_restart() {
    let mut app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.smtp.refuse_with(451);
    owner.submit(
        "/t/acme/settings/users",
        "/t/acme/settings/users/invite",
        &[("email", "a@acme.test"), ("role", "member")],
    );
    app.deliver_mail();
    let file = app.tenant_file("acme");
    let status = || {
        let conn = rusqlite::Connection::open(&file).expect("open");
        conn.query_row(
            "SELECT status, attempts, coalesce(last_error, '') FROM outbox",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .expect("row")
    };
    let (state, attempts, error) = status();
    assert_eq!((state.as_str(), attempts), ("queued", 1));
    assert!(error.contains("451"), "{error}");

    // Not due yet: nothing is tried.
    app.deliver_mail();
    assert_eq!(status().1, 1);

    // Queued mail survives a restart and goes out once the server accepts it.
    app.restart();
    app.smtp.refuse_with(0);
    app.clock.advance(Duration::minutes(2));
    app.deliver_mail();
    let mails = app.smtp.wait_for(1);
    assert_eq!(mails[0].to, vec!["a@acme.test"]);
    assert_eq!(status().0, "sent");
    let page = owner.get("/t/acme/settings/mail");
    assert!(page.body.contains("a@acme.test"));

    // A permanent refusal is not retried.
    app.smtp.refuse_with(550);
    owner.submit(
        "/t/acme/settings/mail",
        "/t/acme/settings/mail/test",
        &[("to", "b@acme.test")],
    );
    app.deliver_mail();
    let conn = rusqlite::Connection::open(app.tenant_file("acme")).expect("open");
    let (state, attempts): (String, i64) = conn
        .query_row(
            "SELECT status, attempts FROM outbox WHERE to_address = 'b@acme.test'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row");
    assert_eq!((state.as_str(), attempts), ("failed", 1));
}

#[test]
fn transient_failures_stop_after_the_last_attempt() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.smtp.refuse_with(421);
    owner.submit(
        "/t/acme/settings/mail",
        "/t/acme/settings/mail/test",
        &[("to", "c@acme.test")],
    );
    for _ in 0..onebox::mail::mailer::MAX_ATTEMPTS {
        app.deliver_mail();
        app.clock.advance(Duration::hours(3));
    }
    let conn = rusqlite::Connection::open(app.tenant_file("acme")).expect("open");
    let (state, attempts): (String, i64) = conn
        .query_row("SELECT status, attempts FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("row");
    assert_eq!(
        (state.as_str(), attempts),
        ("failed", onebox::mail::mailer::MAX_ATTEMPTS)
    );
    let page = owner.get("/t/acme/settings/mail");
    assert!(
        page.body.contains("failed") && page.body.contains("421"),
        "the outbox shows the failure"
    );
}

/// Without a mail server, an invitation does not claim to be sent: the page says no mail went
/// out and why, and gives the link to pass on, which works.
#[test]
fn without_a_mail_server_the_invitation_link_is_shown_to_pass_on() {
    let app = TestApp::start_with(|raw| raw.smtp.host = None);
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let made = owner.submit(
        "/t/acme/settings/users",
        "/t/acme/settings/users/invite",
        &[("email", "new@acme.test"), ("role", "member")],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(!made.body.contains("Invitation sent"), "{}", made.body);
    assert!(made.body.contains("no mail was sent"));
    assert!(made.body.contains("no mail server set up"));
    let start = made
        .body
        .find("id=\"invite-link\"")
        .expect("the link field");
    let value = &made.body[start..];
    let value = &value[value.find("value=\"").expect("its value") + 7..];
    let link = &value[..value.find('"').expect("value's end")];
    assert!(link.contains("/t/acme/invite/"), "{link}");

    let mut invitee = app.client();
    let joined = invitee.submit(
        &path_of(link),
        &path_of(link),
        &[
            ("name", "Nina New"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ],
    );
    assert_eq!(joined.status, 303, "{}", joined.body);
    assert!(
        owner
            .get("/t/acme/settings/users")
            .body
            .contains("Nina New"),
        "the invited user has joined"
    );
}

/// The owner's setup page asks the workspace's name, time zone and kind of business; a wrong
/// choice is refused before anything is written, a right one is the workspace's.
#[test]
fn the_setup_page_names_the_workspace_and_chooses_its_zone_and_profile() {
    let app = TestApp::start();
    let url = app
        .app()
        .create_tenant("bloem", "My business", Profile::Generic, None)
        .expect("create");
    let link = path_of(&url);
    let mut client = app.client();
    let form = client.get(&link).body;
    assert!(form.contains("Your workspace") && form.contains("value=\"My business\""));
    let fields = |zone: &'static str| {
        vec![
            ("email", "eva@bloem.test"),
            ("name", "Eva de Bloem"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
            ("workspace_name", "Salon Bloem"),
            ("time_zone", zone),
            ("profile", "healthcare"),
        ]
    };
    let refused = client.submit(&link, &link, &fields("Mars/Olympus"));
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("is not a time zone"));
    assert!(
        refused.body.contains("value=\"Salon Bloem\""),
        "kept as typed"
    );
    let done = client.submit(&link, &link, &fields("Europe/Amsterdam"));
    assert_eq!(done.status, 303, "{}", done.body);
    let account = client.get("/t/bloem/api/v1/account").json();
    assert_eq!(
        (&account["name"], &account["time_zone"], &account["profile"]),
        (
            &json!("Salon Bloem"),
            &json!("Europe/Amsterdam"),
            &json!("healthcare")
        )
    );
    assert_eq!(
        account["capabilities"]["deals"], false,
        "as the profile says"
    );
}

/// An owner resets a team member's password from Settings → Users: mailed when mail can go
/// out, and without a mail server the page shows the link, which works.
#[test]
fn an_owner_starts_a_password_reset_mailed_or_shown() {
    for mail in [true, false] {
        let app = TestApp::start_with(|raw| {
            if !mail {
                raw.smtp.host = None;
            }
        });
        let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
        app.add_user("acme", "sam@acme.test", onebox::domain::user::Role::Member);
        let page = owner.get("/t/acme/settings/users").body;
        let at = page.find("/reset\"").expect("a reset button");
        let action = &page[page[..at].rfind("action=\"").expect("its form") + 8..at + 6];
        let done = owner.submit("/t/acme/settings/users", action, &[]);
        let link = if mail {
            assert_eq!(done.status, 303, "{}", done.body);
            let page = owner.get(done.location()).body;
            assert!(page.contains("A password reset link was mailed to sam@acme.test."));
            path_of(&app.smtp.wait_for(1)[0].link("reset"))
        } else {
            assert_eq!(done.status, 200, "{}", done.body);
            assert!(
                done.body
                    .contains("Password reset for sam@acme.test: no mail was sent")
            );
            let start = done.body.find("id=\"invite-link\"").expect("the link");
            let value = &done.body[start..];
            let value = &value[value.find("value=\"").expect("its value") + 7..];
            path_of(&value[..value.find('"').expect("end")])
        };
        let chosen = app.client().submit(
            &link,
            &link,
            &[
                ("password", "sams new password"),
                ("confirm", "sams new password"),
            ],
        );
        assert_eq!(chosen.status, 303, "{}", chosen.body);
        assert_eq!(
            app.login("acme", "sam@acme.test", "sams new password")
                .1
                .status,
            303
        );
    }
}
