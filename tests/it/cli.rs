//! Every CLI command through the real binary, with its failure cases: a clear message on
//! standard error, a non-zero exit, and nothing changed on disk.

use crate::support::http::Client;
use crate::support::{PASSWORD, TestApp, onebox, path_of, stderr, stdout};
use onebox::domain::capability::Profile;

fn fails_with(out: &std::process::Output, needle: &str) {
    assert!(!out.status.success(), "should fail: {}", stdout(out));
    assert!(
        stderr(out).contains(needle),
        "stderr should mention {needle:?}: {}",
        stderr(out)
    );
}

#[test]
fn tenant_commands_create_list_disable_enable_and_refuse_bad_input() {
    let app = TestApp::start();
    let data = app.data_dir();
    let created = onebox(
        &data,
        &[
            "tenant",
            "create",
            "acme",
            "--name",
            "Acme Bakery",
            "--profile",
            "healthcare",
            "--owner-email",
            "boss@acme.test",
        ],
        &[],
        None,
    );
    assert!(created.status.success(), "{}", stderr(&created));
    let link = stdout(&created)
        .lines()
        .find(|l| l.contains("/setup/"))
        .expect("setup link")
        .trim()
        .to_string();
    let mut boss = app.client();
    let path = path_of(&link);
    assert_eq!(
        boss.submit(
            &path,
            &path,
            &[
                ("name", "Boss"),
                ("password", PASSWORD),
                ("confirm", PASSWORD)
            ]
        )
        .status,
        303
    );
    assert_eq!(
        boss.get("/t/acme/api/v1/account").json()["profile"],
        "healthcare"
    );

    let list = onebox(&data, &["tenant", "list"], &[], None);
    assert!(
        stdout(&list).contains("acme")
            && stdout(&list).contains("Acme Bakery")
            && stdout(&list).contains("active")
    );

    fails_with(
        &onebox(
            &data,
            &["tenant", "create", "acme", "--name", "Again"],
            &[],
            None,
        ),
        "already exists",
    );
    fails_with(
        &onebox(
            &data,
            &["tenant", "create", "x", "--name", "Short"],
            &[],
            None,
        ),
        "not a valid tenant slug",
    );
    fails_with(
        &onebox(
            &data,
            &["tenant", "create", "../../etc", "--name", "Escape"],
            &[],
            None,
        ),
        "not a valid tenant slug",
    );
    fails_with(
        &onebox(
            &data,
            &["tenant", "create", "okay", "--name", "   "],
            &[],
            None,
        ),
        "name: is required",
    );
    let bad_profile = onebox(
        &data,
        &[
            "tenant",
            "create",
            "okay",
            "--name",
            "Okay",
            "--profile",
            "dental",
        ],
        &[],
        None,
    );
    assert_eq!(
        bad_profile.status.code(),
        Some(2),
        "clap refuses unknown values"
    );
    assert!(!data.join("tenants/okay.sqlite").exists() && !data.join("tenants/x.sqlite").exists());
    fails_with(
        &onebox(&data, &["tenant", "disable", "nope"], &[], None),
        "there is no tenant nope",
    );

    assert!(
        onebox(&data, &["tenant", "disable", "acme"], &[], None)
            .status
            .success()
    );
    assert_eq!(boss.get("/t/acme/").status, 404);
    assert!(stdout(&onebox(&data, &["tenant", "list"], &[], None)).contains("disabled"));
    assert!(
        onebox(&data, &["tenant", "enable", "acme"], &[], None)
            .status
            .success()
    );
    assert_eq!(boss.get("/t/acme/").status, 200);
    fails_with(
        &onebox(&data, &["tenant", "delete", "nope"], &[], None),
        "there is no tenant nope",
    );
}

#[test]
fn a_bad_slug_never_touches_the_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("never");
    fails_with(
        &onebox(
            &data,
            &["tenant", "create", "Bad_Slug", "--name", "Bad"],
            &[],
            None,
        ),
        "not a valid tenant slug",
    );
    fails_with(
        &onebox(&data, &["user", "list", "--tenant", "a/b"], &[], None),
        "not a valid tenant slug",
    );
    assert!(!data.exists(), "not even the data directory is created");
}

#[test]
fn user_commands_add_list_reset_and_disable() {
    let app = TestApp::start();
    let data = app.data_dir();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let add = |email: &str, password: &str, role: &str| {
        onebox(
            &data,
            &[
                "user",
                "add",
                "--tenant",
                "acme",
                "--email",
                email,
                "--name",
                "Sam Staff",
                "--role",
                role,
                "--password-stdin",
            ],
            &[],
            Some(&format!("{password}\n")),
        )
    };
    let added = add("Sam@Acme.test", PASSWORD, "admin");
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("Added sam@acme.test as admin"));
    let (mut sam, login) = app.login("acme", "sam@acme.test", PASSWORD);
    assert_eq!(login.status, 303);

    let before = app.disk_state("acme");
    fails_with(&add("sam@acme.test", PASSWORD, "member"), "already exists");
    fails_with(
        &add("other@acme.test", "short", "member"),
        "at least 10 characters",
    );
    fails_with(
        &add("not-an-email", PASSWORD, "member"),
        "not a valid email address",
    );
    let no_stdin_flag = onebox(
        &data,
        &["user", "add", "--tenant", "acme", "--email", "x@acme.test"],
        &[],
        None,
    );
    assert_eq!(no_stdin_flag.status.code(), Some(2));
    fails_with(
        &onebox(&data, &["user", "list", "--tenant", "nope"], &[], None),
        "there is no tenant nope",
    );
    assert_eq!(
        app.disk_state("acme"),
        before,
        "refused commands write nothing"
    );

    let list = stdout(&onebox(
        &data,
        &["user", "list", "--tenant", "acme"],
        &[],
        None,
    ));
    assert!(
        list.contains("owner@acme.test")
            && list.contains("sam@acme.test")
            && list.contains("admin"),
        "{list}"
    );

    let reset = onebox(
        &data,
        &[
            "user",
            "reset-password",
            "--tenant",
            "acme",
            "--email",
            "sam@acme.test",
        ],
        &[],
        None,
    );
    assert!(reset.status.success(), "{}", stderr(&reset));
    let link = path_of(
        stdout(&reset)
            .lines()
            .find(|l| l.contains("/reset/"))
            .expect("link")
            .trim(),
    );
    let mut visitor = app.client();
    assert_eq!(
        visitor
            .submit(
                &link,
                &link,
                &[
                    ("password", "sam's new password"),
                    ("confirm", "sam's new password")
                ]
            )
            .status,
        303
    );
    fails_with(
        &onebox(
            &data,
            &[
                "user",
                "reset-password",
                "--tenant",
                "acme",
                "--email",
                "ghost@acme.test",
            ],
            &[],
            None,
        ),
        "there is no user ghost@acme.test",
    );

    let disabled = onebox(
        &data,
        &[
            "user",
            "disable",
            "--tenant",
            "acme",
            "--email",
            "sam@acme.test",
        ],
        &[],
        None,
    );
    assert!(disabled.status.success(), "{}", stderr(&disabled));
    assert_eq!(sam.get("/t/acme/").status, 303, "sessions end");
    assert_eq!(
        app.login("acme", "sam@acme.test", "sam's new password")
            .1
            .status,
        422
    );
    fails_with(
        &onebox(
            &data,
            &[
                "user",
                "disable",
                "--tenant",
                "acme",
                "--email",
                "owner@acme.test",
            ],
            &[],
            None,
        ),
        "last active owner",
    );
}

#[test]
fn token_create_prints_only_a_working_token() {
    let app = TestApp::start();
    let data = app.data_dir();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let out = onebox(
        &data,
        &[
            "token",
            "create",
            "--tenant",
            "acme",
            "--email",
            "owner@acme.test",
            "--label",
            "zapier",
        ],
        &[],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert_eq!(printed.lines().count(), 1, "only the token: {printed}");
    let token = printed.trim();
    assert_eq!(
        Client::bearer(app.addr(), token)
            .get("/t/acme/api/v1/me")
            .json()["email"],
        "owner@acme.test"
    );
    fails_with(
        &onebox(
            &data,
            &[
                "token",
                "create",
                "--tenant",
                "acme",
                "--email",
                "ghost@acme.test",
            ],
            &[],
            None,
        ),
        "there is no user",
    );
    fails_with(
        &onebox(
            &data,
            &[
                "token",
                "create",
                "--tenant",
                "nope",
                "--email",
                "owner@acme.test",
            ],
            &[],
            None,
        ),
        "there is no tenant nope",
    );
}

#[test]
fn backup_of_everything_and_check_finds_a_damaged_file() {
    let app = TestApp::start();
    let data = app.data_dir();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    drop(app.tenant_with_owner("bolt", Profile::Construction, "owner@bolt.test"));
    let out_dir = app.dir.path().join("all");
    let backup = onebox(
        &data,
        &["backup", "--out", out_dir.to_str().expect("utf8")],
        &[],
        None,
    );
    assert!(backup.status.success(), "{}", stderr(&backup));
    let files = stdout(&backup);
    assert_eq!(files.lines().count(), 3, "{files}");
    assert!(files.contains("/acme-") && files.contains("/bolt-") && files.contains("/system-"));
    fails_with(
        &onebox(
            &data,
            &[
                "backup",
                "--out",
                out_dir.to_str().expect("utf8"),
                "--tenant",
                "nope",
            ],
            &[],
            None,
        ),
        "there is no tenant nope",
    );

    let check = onebox(&data, &["check"], &[], None);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).contains("ok    acme") && stdout(&check).contains("ok    system"));

    // Damage bolt's file in the middle of its pages.
    let mut app = app;
    app.stop();
    let path = data.join("tenants/bolt.sqlite");
    let mut bytes = std::fs::read(&path).expect("read");
    let page = 4096;
    for b in &mut bytes[page + 100..2 * page] {
        *b = 0x5a;
    }
    std::fs::write(&path, bytes).expect("write");
    let check = onebox(&data, &["check"], &[], None);
    fails_with(&check, "1 of 3 files failed the check");
    assert!(
        stdout(&check).contains("FAIL  bolt") && stdout(&check).contains("ok    acme"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn mail_test_reports_the_smtp_answer_or_a_clear_failure() {
    let app = TestApp::start();
    let data = app.data_dir();
    let port = app.smtp.addr.port().to_string();
    let env = [
        ("ONEBOX_SMTP_HOST", "127.0.0.1"),
        ("ONEBOX_SMTP_PORT", port.as_str()),
        ("ONEBOX_SMTP_SECURITY", "none"),
        ("ONEBOX_SMTP_FROM", "Ops <ops@test.example>"),
    ];
    let sent = onebox(
        &data,
        &["mail", "test", "--to", "admin@test.example"],
        &env,
        None,
    );
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert!(stdout(&sent).contains("answered: 250"), "{}", stdout(&sent));
    let mails = app.smtp.wait_for(1);
    assert_eq!(mails[0].to, vec!["admin@test.example"]);
    assert!(
        mails[0].data.contains("From: Ops <ops@test.example>"),
        "{}",
        mails[0].data
    );

    fails_with(
        &onebox(
            &data,
            &["mail", "test", "--to", "admin@test.example"],
            &[],
            None,
        ),
        "no SMTP server is configured",
    );
    fails_with(
        &onebox(&data, &["mail", "test", "--to", "nobody"], &env, None),
        "--to is not a valid email address",
    );
    app.smtp.refuse_with(550);
    fails_with(
        &onebox(
            &data,
            &["mail", "test", "--to", "admin@test.example"],
            &env,
            None,
        ),
        "did not take the message",
    );
    let closed = [
        ("ONEBOX_SMTP_HOST", "127.0.0.1"),
        ("ONEBOX_SMTP_PORT", "1"),
        ("ONEBOX_SMTP_SECURITY", "none"),
    ];
    fails_with(
        &onebox(
            &data,
            &["mail", "test", "--to", "admin@test.example"],
            &closed,
            None,
        ),
        "did not take the message",
    );
}

#[test]
fn configuration_errors_are_named_and_the_environment_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("onebox.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:9\"\nsmtp_host = \"typo\"\n").expect("write");
    let data = dir.path().join("data");
    fails_with(
        &onebox(
            &data,
            &["--config", file.to_str().expect("utf8"), "tenant", "list"],
            &[],
            None,
        ),
        "smtp_host",
    );
    fails_with(
        &onebox(
            &data,
            &["tenant", "list"],
            &[("ONEBOX_SMTP_SECURITY", "ssl")],
            None,
        ),
        "smtp.security",
    );
    fails_with(
        &onebox(
            &data,
            &["tenant", "list"],
            &[("ONEBOX_CONFIG", "/no/such/file.toml")],
            None,
        ),
        "cannot read config file",
    );

    // ONEBOX_DATA chooses the directory when --data is not given.
    let env_data = dir.path().join("from-env");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onebox"))
        .env_clear()
        .env("ONEBOX_DATA", &env_data)
        .args(["tenant", "create", "envy", "--name", "Envy"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env_data.join("tenants/envy.sqlite").exists());
}

#[test]
fn commands_on_a_missing_data_directory_fail_and_create_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nonexistent");
    for args in [
        &["check"][..],
        &["tenant", "list"],
        &["user", "list", "--tenant", "acme"],
    ] {
        let out = crate::support::onebox(&missing, args, &[], None);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(
            crate::support::stderr(&out).contains("there is no data directory at"),
            "{args:?}: {}",
            crate::support::stderr(&out)
        );
        assert!(!missing.exists(), "{args:?} created the directory");
    }
}
