//! Signing in and out, CSRF, throttling, session expiry, passwords and roles.

use crate::support::{PASSWORD, TestApp};
use chrono::Duration;
use onebox::domain::capability::Profile;

#[test]
fn login_with_csrf_sets_a_scoped_session_cookie_and_rotates_it() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let (mut client, response) = app.login("acme", "Owner@Acme.test", PASSWORD);
    assert_eq!(response.status, 303, "{}", response.body);
    assert_eq!(response.location(), "/t/acme/");
    let set = response
        .headers
        .iter()
        .find(|(k, v)| k == "Set-Cookie" && v.starts_with("onebox_session="))
        .expect("session cookie")
        .1
        .clone();
    assert!(
        set.contains("Path=/t/acme/") && set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(
        !set.contains("Secure"),
        "Secure only with secure_cookies = true"
    );
    let first = client.cookie("onebox_session").expect("cookie");
    assert_eq!(first.len(), 64);
    let home = client.get("/t/acme/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Welcome, Olga Owner"));

    // Signing in again while signed in (say, from a second tab) gives a new token and ends
    // the old session.
    let csrf = client.get("/t/acme/settings/account").csrf();
    let again = client.post_form(
        "/t/acme/login",
        &[
            ("csrf", &csrf),
            ("email", "owner@acme.test"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(again.status, 303);
    let second = client.cookie("onebox_session").expect("cookie");
    assert_ne!(first, second);
    let mut old = app.client();
    old.set_cookie("onebox_session", &first, "/t/acme/");
    assert_eq!(
        old.get("/t/acme/").status,
        303,
        "the old session no longer works"
    );
}

#[test]
fn secure_cookies_adds_the_secure_flag() {
    let app = TestApp::start_with(|c| c.secure_cookies = Some(true));
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let (_, response) = app.login("acme", "owner@acme.test", PASSWORD);
    let set = response
        .headers
        .iter()
        .find(|(k, v)| k == "Set-Cookie" && v.starts_with("onebox_session="))
        .expect("cookie");
    assert!(set.1.ends_with("; Secure"), "{}", set.1);
    assert!(response.header("Strict-Transport-Security").is_some());
}

#[test]
fn a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let before = app.disk_state("acme");
    for fields in [
        vec![("email", "new@acme.test"), ("role", "member")],
        vec![
            ("csrf", "0".repeat(64).leak() as &str),
            ("email", "new@acme.test"),
            ("role", "member"),
        ],
    ] {
        let response = owner.post_form("/t/acme/settings/users/invite", &fields);
        assert_eq!(response.status, 403, "{}", response.body);
        assert!(
            response.body.contains("Reload the page"),
            "{}",
            response.body
        );
    }
    let mut visitor = app.client();
    let login = visitor.post_form(
        "/t/acme/login",
        &[("email", "owner@acme.test"), ("password", PASSWORD)],
    );
    assert_eq!(login.status, 403);
    assert!(visitor.cookie("onebox_session").is_none());
    assert_eq!(app.disk_state("acme"), before);
    assert!(app.smtp.mails().is_empty());
}

#[test]
fn wrong_passwords_get_a_clear_message_write_nothing_and_are_throttled() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let before = app.disk_state("acme");
    for _ in 0..5 {
        let (client, response) = app.login("acme", "owner@acme.test", "wrong password!");
        assert_eq!(response.status, 422);
        assert!(
            response.body.contains("Email or password is wrong."),
            "{}",
            response.body
        );
        assert!(client.cookie("onebox_session").is_none());
    }
    assert_eq!(
        app.disk_state("acme"),
        before,
        "failed sign-ins write nothing"
    );

    // The sixth try is refused even with the right password...
    let (_, response) = app.login("acme", "owner@acme.test", PASSWORD);
    assert_eq!(response.status, 429, "{}", response.body);
    assert!(
        response.body.contains("Too many failed sign-ins"),
        "{}",
        response.body
    );
    // ...but only for that email.
    let (_, other) = app.login("acme", "someone@acme.test", "wrong password!");
    assert_eq!(other.status, 422);

    // After the window the door opens again.
    app.clock
        .advance(Duration::minutes(15) + Duration::seconds(1));
    let (_, response) = app.login("acme", "owner@acme.test", PASSWORD);
    assert_eq!(response.status, 303, "{}", response.body);
}

#[test]
fn sessions_slide_while_used_and_expire_after_seven_idle_days() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.clock.advance(Duration::days(6));
    let used = owner.get("/t/acme/");
    assert_eq!(used.status, 200, "still signed in after six days");
    assert!(
        used.headers.iter().any(|(k, v)| k == "Set-Cookie"
            && v.starts_with("onebox_session=")
            && v.contains("Max-Age=604800")),
        "the cookie is refreshed"
    );
    app.clock.advance(Duration::days(6));
    assert_eq!(
        owner.get("/t/acme/").status,
        200,
        "twelve days in, but used six days ago"
    );
    app.clock.advance(Duration::days(7) + Duration::minutes(1));
    let expired = owner.get("/t/acme/settings/users");
    assert_eq!(expired.status, 303);
    assert_eq!(
        expired.location(),
        "/t/acme/login?next=%2Ft%2Facme%2Fsettings%2Fusers"
    );
    assert!(
        owner.cookie("onebox_session").is_none(),
        "the dead cookie is cleared"
    );
    // The sign-in page says how to get a new setup link.
    let login = owner.get("/t/acme/login");
    assert!(
        login.body.contains("onebox user reset-password --tenant"),
        "{}",
        login.body
    );
    let api = owner.get("/t/acme/api/v1/me");
    assert_eq!(api.status, 401);
}

#[test]
fn signing_in_returns_to_the_page_asked_for_but_never_to_another_site() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    for (next, expected) in [
        ("/t/acme/settings/users", "/t/acme/settings/users"),
        ("https://evil.example/", "/t/acme/"),
        ("//evil.example/t/acme/", "/t/acme/"),
        ("/t/other/settings", "/t/acme/"),
    ] {
        let login = format!("/t/acme/login?next={}", crate::support::http::encode(next));
        let mut client = app.client();
        let response = client.submit(
            &login,
            "/t/acme/login",
            &[
                ("email", "owner@acme.test"),
                ("password", PASSWORD),
                ("next", next),
            ],
        );
        assert_eq!(response.location(), expected, "next={next}");
    }
}

#[test]
fn logout_ends_the_session() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let token = owner.cookie("onebox_session").expect("cookie");
    let out = owner.submit("/t/acme/", "/t/acme/logout", &[]);
    assert_eq!(out.location(), "/t/acme/login");
    let mut replay = app.client();
    replay.set_cookie("onebox_session", &token, "/t/acme/");
    assert_eq!(replay.get("/t/acme/").status, 303);
}

#[test]
fn changing_the_password_checks_the_current_one_and_ends_other_sessions() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let (mut other_device, _) = app.login("acme", "owner@acme.test", PASSWORD);

    let wrong = owner.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/password",
        &[
            ("current_password", "not it at all"),
            ("password", "a brand new secret"),
            ("confirm", "a brand new secret"),
        ],
    );
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("is not your current password"));
    let mismatch = owner.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/password",
        &[
            ("current_password", PASSWORD),
            ("password", "a brand new secret"),
            ("confirm", "another secret!!"),
        ],
    );
    assert!(
        mismatch.body.contains("does not match the password"),
        "{}",
        mismatch.body
    );
    let short = owner.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/password",
        &[
            ("current_password", PASSWORD),
            ("password", "short"),
            ("confirm", "short"),
        ],
    );
    assert!(
        short.body.contains("must be at least 10 characters"),
        "{}",
        short.body
    );

    let ok = owner.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/password",
        &[
            ("current_password", PASSWORD),
            ("password", "a brand new secret"),
            ("confirm", "a brand new secret"),
        ],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(owner.get("/t/acme/").status, 200, "this session stays");
    assert_eq!(
        other_device.get("/t/acme/").status,
        303,
        "the other session ended"
    );
    assert_eq!(app.login("acme", "owner@acme.test", PASSWORD).1.status, 422);
    assert_eq!(
        app.login("acme", "owner@acme.test", "a brand new secret")
            .1
            .status,
        303
    );
}

#[test]
fn members_cannot_open_admin_settings_or_change_the_account() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let db = app
        .app()
        .store
        .tenant(&onebox::domain::slug::Slug::parse("acme").expect("slug"))
        .expect("db");
    app.app()
        .add_user(
            &db,
            "member@acme.test",
            "Max",
            onebox::domain::user::Role::Member,
            PASSWORD,
        )
        .expect("add");
    let (mut member, _) = app.login("acme", "member@acme.test", PASSWORD);
    assert_eq!(member.get("/t/acme/settings/users").status, 403);
    assert_eq!(member.get("/t/acme/settings/mail").status, 403);
    let account = member.get("/t/acme/settings/account");
    assert_eq!(account.status, 200);
    assert!(account.body.contains("Only owners change these settings."));
    let before = app.disk_state("acme");
    let save = member.submit(
        "/t/acme/settings/account",
        "/t/acme/settings/account",
        &[("name", "Hijacked"), ("profile", "generic")],
    );
    assert_eq!(save.status, 403);
    assert_eq!(app.disk_state("acme"), before);
}
