//! API tokens, and the wall between tenants: a session or token of one tenant never reaches
//! another's data.

use crate::support::TestApp;
use crate::support::http::Client;
use onebox::domain::capability::Profile;

fn token_from_page(body: &str) -> String {
    let at = body.find("value=\"obx_").expect("the new token is shown");
    body[at + 7..at + 7 + 68].to_string()
}

#[test]
fn a_token_created_in_settings_is_shown_once_works_and_can_be_revoked() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let created = owner.submit(
        "/t/acme/settings/tokens",
        "/t/acme/settings/tokens",
        &[("label", "Website form")],
    );
    assert_eq!(created.status, 200, "{}", created.body);
    let token = token_from_page(&created.body);
    assert!(token.starts_with("obx_") && token.len() == 68);

    let list = owner.get("/t/acme/settings/tokens");
    assert!(list.body.contains("Website form") && list.body.contains(&token[..12]));
    assert!(
        !list.body.contains(&token),
        "the full token is never shown again"
    );
    let conn = rusqlite::Connection::open(app.tenant_file("acme")).expect("open");
    let stored: String = conn
        .query_row("SELECT token_hash FROM api_tokens", [], |r| r.get(0))
        .expect("row");
    assert_ne!(stored, token, "only a hash is stored");
    assert_eq!(stored, onebox::domain::secret::hash_token(&token));

    let mut api = Client::bearer(app.addr(), &token);
    let me = api.get("/t/acme/api/v1/me");
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["email"], "owner@acme.test");
    let account = api.get("/t/acme/api/v1/account").json();
    assert_eq!(account["name"], "acme Ltd");

    let id: i64 = conn
        .query_row("SELECT id FROM api_tokens", [], |r| r.get(0))
        .expect("id");
    let revoked = owner.submit(
        "/t/acme/settings/tokens",
        &format!("/t/acme/settings/tokens/{id}/revoke"),
        &[],
    );
    assert_eq!(revoked.status, 303);
    let refused = api.get("/t/acme/api/v1/me");
    assert_eq!(refused.status, 401);
    assert_eq!(refused.json()["error"]["code"], "unauthorized");
    assert_eq!(refused.header("WWW-Authenticate"), Some("Bearer"));
}

#[test]
fn bad_tokens_get_401_with_a_json_error() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    for header in [
        "Bearer obx_nope",
        "Bearer ",
        "Basic b3duZXI6cGFzcw==",
        "Bearer not-even-ours",
    ] {
        let mut c = app.client();
        c.headers.push(("Authorization".into(), header.into()));
        let r = c.get("/t/acme/api/v1/account");
        assert_eq!(r.status, 401, "{header}");
        assert_eq!(r.json()["error"]["code"], "unauthorized");
    }
    assert_eq!(app.client().get("/t/acme/api/v1/account").status, 401);
}

#[test]
fn a_session_or_token_of_one_tenant_gets_nothing_from_another() {
    let app = TestApp::start();
    let acme = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    drop(app.tenant_with_owner("bolt", Profile::Healthcare, "owner@bolt.test"));
    let acme_token = app.cli_token("acme", "owner@acme.test");

    // acme's token on bolt.
    let mut api = Client::bearer(app.addr(), &acme_token);
    assert_eq!(api.get("/t/acme/api/v1/me").status, 200);
    for path in ["/t/bolt/api/v1/me", "/t/bolt/api/v1/account"] {
        let r = api.get(path);
        assert_eq!(r.status, 401, "{path}");
        assert!(
            !r.body.contains("bolt Ltd") && !r.body.contains("owner@"),
            "{}",
            r.body
        );
    }
    // acme's session cookie replayed on bolt.
    let session = acme.cookie("onebox_session").expect("cookie");
    let mut replay = app.client();
    replay.set_cookie("onebox_session", &session, "/t/bolt/");
    let page = replay.get("/t/bolt/settings/users");
    assert_eq!(page.status, 303);
    assert!(page.location().starts_with("/t/bolt/login"));
    assert_eq!(replay.get("/t/bolt/api/v1/me").status, 401);
    // A browser would not even send it: the cookie is scoped to /t/acme/.
    let mut browser = acme.clone();
    assert_eq!(browser.get("/t/bolt/").status, 303);
    // And an unknown tenant is simply not there.
    assert_eq!(api.get("/t/nope/api/v1/me").status, 404);
    assert_eq!(
        api.get("/t/nope/api/v1/me").json()["error"]["code"],
        "not_found"
    );
}

#[test]
fn the_api_accepts_a_browser_session_but_unsafe_methods_need_the_csrf_header() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    assert_eq!(owner.get("/t/acme/api/v1/me").status, 200);
    let post = owner.request(
        "POST",
        "/t/acme/api/v1/me",
        &[("Content-Type", "application/json")],
        b"{}",
    );
    assert_eq!(post.status, 403, "{}", post.body);
}
