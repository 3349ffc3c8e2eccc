//! The server as a whole: first start of the real binary, clean shutdown, the start page,
//! health and metrics, assets, security headers, body limits, capabilities.

use crate::support::http::Client;
use crate::support::{PASSWORD, TestApp, path_of};
use onebox::domain::capability::Profile;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn first_start_creates_the_default_tenant_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_onebox"))
        .env_clear()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut setup = None;
    let addr = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .expect("line");
        if line.trim().starts_with("http") && line.contains("/setup/") {
            setup = Some(line.trim().to_string());
        }
        if let Some(at) = line.find("listening on http://") {
            break line[at + 20..]
                .trim()
                .parse::<std::net::SocketAddr>()
                .expect("address");
        }
    };
    let ready = started.elapsed();
    assert!(ready < Duration::from_secs(5), "cold start took {ready:?}");
    let setup = setup.expect("a setup link is printed on first start");
    assert!(setup.contains("/t/default/setup/"), "{setup}");

    let mut client = Client::new(addr);
    let root = client.get("/");
    assert_eq!((root.status, root.location()), (303, "/t/default/"));
    assert_eq!(client.get("/healthz").json()["status"], "ok");
    let link = path_of(&setup);
    let done = client.submit(
        &link,
        &link,
        &[
            ("email", "me@example.test"),
            ("name", "Me"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(client.get("/t/default/").status, 200);

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit status {status:?}");
    let wal = data.join("tenants/default.sqlite-wal");
    assert!(
        std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0,
        "the WAL was checkpointed into the file"
    );
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "the port is closed"
    );

    // A second start finds the tenant and prints no setup link.
    let out = Command::new(env!("CARGO_BIN_EXE_onebox"))
        .env_clear()
        .args(["tenant", "list", "--data"])
        .arg(&data)
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("default"));
}

#[test]
fn the_start_page_leads_to_the_only_tenant_or_lists_them_when_configured() {
    let app = TestApp::start_with(|c| c.list_workspaces = Some(true));
    app.app()
        .create_tenant("acme", "Acme Bakery", Profile::Generic, None)
        .expect("create");
    let mut c = app.client();
    assert_eq!(c.get("/").location(), "/t/acme/");
    assert_eq!(
        c.get("/t/acme/").location(),
        "/t/acme/login?next=%2Ft%2Facme%2F"
    );
    app.app()
        .create_tenant("bolt", "Bolt <Builders>", Profile::Construction, None)
        .expect("create");
    let picker = c.get("/");
    assert_eq!(picker.status, 200);
    assert!(picker.body.contains("Acme Bakery") && picker.body.contains("/t/bolt/login"));
    assert!(
        picker.body.contains("Bolt &lt;Builders&gt;"),
        "names are escaped"
    );
}

#[test]
fn every_response_carries_the_security_headers() {
    let app = TestApp::start();
    app.app()
        .create_tenant("acme", "Acme", Profile::Generic, None)
        .expect("create");
    for path in ["/t/acme/login", "/healthz", "/nowhere", "/t/acme/api/v1/me"] {
        let r = app.client().get(path);
        let csp = r
            .header("Content-Security-Policy")
            .unwrap_or_else(|| panic!("no CSP on {path}"));
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(r.header("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(r.header("X-Frame-Options"), Some("DENY"));
        assert_eq!(r.header("Referrer-Policy"), Some("no-referrer"));
        assert_eq!(r.header("X-Request-Id").map(str::len), Some(12));
        assert_eq!(r.header("Cache-Control"), Some("no-store"));
    }
}

#[test]
fn assets_are_served_under_their_hash_with_a_long_cache() {
    let app = TestApp::start();
    app.app()
        .create_tenant("acme", "Acme", Profile::Generic, None)
        .expect("create");
    let mut c = app.client();
    let page = c.get("/t/acme/login");
    let at = page.body.find("/assets/").expect("stylesheet link");
    let href = &page.body[at..at + page.body[at..].find('"').expect("end")];
    assert!(href.ends_with("/app.css"), "{href}");
    let css = c.get(href);
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        css.header("Cache-Control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(css.body.contains("--accent"));
    assert_eq!(c.get("/assets/000000000000/app.css").status, 404);
    assert_eq!(c.get(&href.replace("app.css", "nope.css")).status, 404);
}

#[test]
fn unknown_or_disabled_tenants_and_bad_slugs_are_404_pages_with_a_request_id() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    for path in [
        "/t/nope/login",
        "/t/NOPE/",
        "/t/../etc/passwd",
        "/t/a/",
        "/t/acme/no-such-page",
    ] {
        let r = app.client().get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(
            r.body.contains("Page not found") && r.body.contains("Request id"),
            "{path}: {}",
            r.body
        );
    }
    assert!(!app.data_dir().join("tenants/nope.sqlite").exists());
    app.app().set_tenant_active("acme", false).expect("disable");
    assert_eq!(app.client().get("/t/acme/login").status, 404);
    let post = app.client().post_form(
        "/t/acme/login",
        &[("email", "owner@acme.test"), ("password", PASSWORD)],
    );
    assert_eq!(post.status, 404);
    app.app().set_tenant_active("acme", true).expect("enable");
    assert_eq!(app.client().get("/t/acme/login").status, 200);
}

#[test]
fn an_oversized_body_is_refused_with_413_and_changes_nothing() {
    let app = TestApp::start_with(|c| c.max_body_bytes = Some(64 * 1024));
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let csrf = owner.get("/t/acme/settings/account").csrf();
    let before = app.disk_state("acme");
    let big = format!(
        "csrf={csrf}&profile=generic&name={}",
        "x".repeat(100 * 1024)
    );
    let r = owner.request(
        "POST",
        "/t/acme/settings/account",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        big.as_bytes(),
    );
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.body.contains("larger than 65536 bytes"));
    let api = owner.request(
        "POST",
        "/t/acme/api/v1/me",
        &[("Content-Type", "application/json")],
        big.as_bytes(),
    );
    assert_eq!(api.status, 413);
    assert_eq!(api.json()["error"]["code"], "too_large");
    assert_eq!(app.disk_state("acme"), before);
}

#[test]
fn metrics_count_requests_by_group_and_status_and_show_the_gauges() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let mut c = app.client();
    c.get("/t/acme/login");
    c.get("/t/acme/api/v1/me");
    let text = c.get("/metrics").body;
    assert!(
        text.contains("onebox_http_requests_total{group=\"auth\",status=\"200\"}"),
        "{text}"
    );
    assert!(
        text.contains("onebox_http_requests_total{group=\"api\",status=\"401\"} 1"),
        "{text}"
    );
    assert!(text.contains("onebox_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
    assert!(text.contains("onebox_open_tenant_pools 1"));
    assert!(text.contains("onebox_tenants 1"));
    assert!(text.contains("onebox_outbox_backlog 0"));
}

#[test]
fn an_owner_switches_capabilities_and_the_api_and_navigation_follow() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("clinic", Profile::Healthcare, "doc@clinic.test");
    let account = owner.get("/t/clinic/api/v1/account").json();
    assert_eq!(account["profile"], "healthcare");
    assert_eq!(account["capabilities"]["scheduling"], true);
    assert_eq!(account["capabilities"]["deals"], false);

    let saved = owner.submit(
        "/t/clinic/settings/account",
        "/t/clinic/settings/account",
        &[
            ("name", "Clinic Vitalis"),
            ("profile", "healthcare"),
            ("capability", "deals"),
            ("capability", "tasks"),
            ("capability", "scheduling"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let account = owner.get("/t/clinic/api/v1/account").json();
    assert_eq!(account["name"], "Clinic Vitalis");
    let caps = &account["capabilities"];
    // Automations, the kassa and the inbox were left unticked, so they are off.
    assert_eq!(
        (
            caps["deals"].as_bool(),
            caps["automations"].as_bool(),
            caps["kassa"].as_bool(),
            caps["inbox"].as_bool(),
        ),
        (Some(true), Some(false), Some(false), Some(false))
    );
    let page = owner.get("/t/clinic/settings/account");
    assert!(page.body.contains("changed from profile default"));
    // Every feature has its switch.
    assert!(page.body.contains("value=\"deals\""));
    assert!(page.body.contains("value=\"scheduling\""));
    assert!(owner.get("/t/clinic/calendar").status == 200);
    assert!(
        page.body.contains("value=\"kassa\""),
        "the kassa has its switch"
    );
    assert!(
        page.body.contains("value=\"inbox\""),
        "the inbox has its switch"
    );
    assert_eq!(owner.get("/t/clinic/inbox").status, 404, "switched off");
    assert_eq!(owner.get("/t/clinic/kassa").status, 404, "switched off");
    assert!(
        page.body.contains("account.updated"),
        "the change is in the audit log"
    );

    // The resolver is what handlers ask: a switched-off capability is a 404.
    let tenant = app
        .app()
        .tenant(&onebox::domain::slug::Slug::parse("clinic").expect("slug"))
        .expect("tenant");
    assert!(matches!(
        tenant.require(onebox::domain::capability::Capability::Automations),
        Err(onebox::error::Error::NotFound)
    ));
    assert!(
        tenant
            .require(onebox::domain::capability::Capability::Deals)
            .is_ok()
    );

    let bad = owner.submit(
        "/t/clinic/settings/account",
        "/t/clinic/settings/account",
        &[("name", ""), ("profile", "healthcare")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is required"));
    let bad_profile = owner.submit(
        "/t/clinic/settings/account",
        "/t/clinic/settings/account",
        &[("name", "X"), ("profile", "dental")],
    );
    assert_eq!(bad_profile.status, 422);

    // Scheduling switched off: no calendar in the navigation, and its pages are gone.
    let off = owner.submit(
        "/t/clinic/settings/account",
        "/t/clinic/settings/account",
        &[
            ("name", "Clinic Vitalis"),
            ("profile", "healthcare"),
            ("capability", "tasks"),
        ],
    );
    assert_eq!(off.status, 303, "{}", off.body);
    let home = owner.get("/t/clinic/");
    assert!(
        !home.body.contains("/t/clinic/calendar\""),
        "no calendar in the navigation"
    );
    assert_eq!(owner.get("/t/clinic/calendar").status, 404);
    assert_eq!(owner.get("/t/clinic/book").status, 404);
}

#[test]
fn without_list_workspaces_the_start_page_asks_for_the_address_and_names_nobody() {
    let app = TestApp::start();
    for (slug, name) in [("acme", "Acme Bakery"), ("bolt", "Bolt Builders")] {
        app.app()
            .create_tenant(slug, name, Profile::Generic, None)
            .expect("create");
    }
    let mut c = app.client();
    let page = c.get("/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"workspace\""), "{}", page.body);
    for secret in ["Acme", "acme", "Bolt", "bolt"] {
        assert!(
            !page.body.contains(secret),
            "{secret} is named on the start page"
        );
    }
    assert_eq!(c.get("/?workspace=+Bolt+").location(), "/t/bolt/");
    let bad = c.get("/?workspace=..%2Fetc");
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Workspace must have 2 to 40 letters"),
        "{}",
        bad.body
    );
}
