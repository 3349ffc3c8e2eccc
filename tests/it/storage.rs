//! Tenant files: upgrades from an older schema, online backup and restore, the trash.

use crate::support::{PASSWORD, TestApp, onebox, stderr, stdout};
use onebox::App;
use onebox::clock::SystemClock;
use onebox::domain::capability::Profile;
use onebox::domain::slug::Slug;
use onebox::store::{Store, migrate, registry};
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

fn open_app(data: &Path) -> App {
    let raw = onebox::config::RawConfig {
        data: Some(data.to_path_buf()),
        ..Default::default()
    };
    App::open(
        onebox::config::load(raw, None, &HashMap::new()).expect("config"),
        Arc::new(SystemClock),
    )
    .expect("open")
}

/// Writes a tenant file as onebox schema v1 made it, with an owner and a session, and
/// registers it.
fn write_v1_tenant(data: &Path, slug: &str) {
    let store = Store::open(data, 8).expect("store");
    let conn = Connection::open(data.join(format!("tenants/{slug}.sqlite"))).expect("create");
    conn.execute_batch(include_str!("../fixtures/tenant-v1.sql"))
        .expect("v1 schema");
    conn.execute_batch(&format!(
        "PRAGMA user_version = 1;
         INSERT INTO account (id, name, profile, created_at, updated_at) VALUES (1, 'Old Timer', 'construction', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
         INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
           VALUES ('old@example.test', 'Ola', 'owner', '{}', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
         INSERT INTO capability_overrides VALUES ('kassa', 1, '2025-01-01T00:00:00Z');",
        onebox::domain::secret::hash_password(PASSWORD).expect("hash")
    ))
    .expect("v1 data");
    store
        .write_registry(|w| {
            registry::insert(
                w,
                &Slug::parse(slug).expect("slug"),
                "Old Timer",
                "2025-01-01T00:00:00Z",
            )
        })
        .expect("register");
}

#[test]
fn an_old_file_is_upgraded_with_its_data_intact_to_exactly_the_fresh_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    write_v1_tenant(&data, "old");
    let app = open_app(&data);
    let tenant = app
        .tenant(&Slug::parse("old").expect("slug"))
        .expect("opens and upgrades");
    assert_eq!(tenant.account.name, "Old Timer");
    assert!(
        tenant
            .caps
            .allows(onebox::domain::capability::Capability::Kassa),
        "overrides survive"
    );
    let conn = tenant.db.conn().expect("conn");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, migrate::TENANT.version());
    let email: String = conn
        .query_row("SELECT email FROM users", [], |r| r.get(0))
        .expect("user");
    assert_eq!(email, "old@example.test");
    conn.execute("INSERT INTO outbox (to_address, subject, body_text, body_html, next_attempt_at, created_at) VALUES ('a@b.c', 's', 't', 'h', 'x', 'x')", [])
        .expect("the new tables work");

    app.create_tenant("fresh", "Fresh", Profile::Generic, None)
        .expect("fresh tenant");
    let fresh = app
        .store
        .tenant(&Slug::parse("fresh").expect("slug"))
        .expect("fresh");
    assert_eq!(
        migrate::fingerprint(&conn).expect("old"),
        migrate::fingerprint(&fresh.conn().expect("conn")).expect("fresh")
    );

    // The file as it was before the upgrade is kept beside it.
    let copy = data.join("tenants/old.sqlite.pre-v2");
    let old = Connection::open(&copy).expect("copy");
    let old_version: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(old_version, 1);
    let users: i64 = old
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .expect("users");
    assert_eq!(users, 1);

    // The upgraded owner signs in through the web.
    drop((conn, fresh, tenant, app));
    let test = TestApp::start_with(|c| c.data = Some(data.clone()));
    let (_, login) = test.login("old", "old@example.test", PASSWORD);
    assert_eq!(login.status, 303, "{}", login.body);
}

#[test]
fn a_file_from_a_newer_onebox_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    write_v1_tenant(&data, "future");
    let path = data.join("tenants/future.sqlite");
    Connection::open(&path)
        .expect("open")
        .execute_batch("PRAGMA user_version = 99")
        .expect("bump");
    let before = std::fs::read(&path).expect("read");
    let app = open_app(&data);
    let err = app
        .tenant(&Slug::parse("future").expect("slug"))
        .err()
        .expect("refused");
    assert!(
        err.to_string().contains("newer than this onebox knows"),
        "{err}"
    );
    assert!(
        std::fs::read(&path).expect("read") == before,
        "the refused file was changed"
    );
}

#[test]
fn backup_while_serving_then_restore_as_a_new_tenant_and_over_an_existing_one() {
    let app = TestApp::start();
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    owner.submit(
        "/t/acme/settings/tokens",
        "/t/acme/settings/tokens",
        &[("label", "before backup")],
    );
    let out_dir = app.dir.path().join("backups");
    let backup = onebox(
        &app.data_dir(),
        &[
            "backup",
            "--out",
            out_dir.to_str().expect("utf8"),
            "--tenant",
            "acme",
        ],
        &[],
        None,
    );
    assert!(backup.status.success(), "{}", stderr(&backup));
    let file = stdout(&backup).trim().to_string();
    assert!(
        file.contains("acme-") && file.ends_with(".sqlite"),
        "{file}"
    );

    // Changes after the backup...
    owner.submit(
        "/t/acme/settings/tokens",
        "/t/acme/settings/tokens",
        &[("label", "after backup")],
    );

    // ...are not in a restored copy, which the running server serves at once.
    let restored = onebox(
        &app.data_dir(),
        &["restore", &file, "--tenant", "acme-copy"],
        &[],
        None,
    );
    assert!(restored.status.success(), "{}", stderr(&restored));
    let (mut copy, login) = app.login("acme-copy", "owner@acme.test", PASSWORD);
    assert_eq!(login.status, 303);
    let tokens = copy.get("/t/acme-copy/settings/tokens").body;
    assert!(tokens.contains("before backup") && !tokens.contains("after backup"));

    // Over an existing tenant only with --force, keeping what was there.
    let refused = onebox(
        &app.data_dir(),
        &["restore", &file, "--tenant", "acme"],
        &[],
        None,
    );
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert!(
        owner
            .get("/t/acme/settings/tokens")
            .body
            .contains("after backup"),
        "nothing changed"
    );
    let forced = onebox(
        &app.data_dir(),
        &["restore", &file, "--tenant", "acme", "--force"],
        &[],
        None,
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(stdout(&forced).contains("previous data kept in"));
    let tokens = owner.get("/t/acme/settings/tokens").body;
    assert!(
        tokens.contains("before backup") && !tokens.contains("after backup"),
        "the running server sees the restored data"
    );
    let kept = std::fs::read_dir(app.data_dir().join("tenants"))
        .expect("dir")
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("acme.sqlite.pre-restore-")
        });
    assert!(kept);
}

#[test]
fn restore_refuses_files_that_are_not_sound_tenant_files() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let junk = app.dir.path().join("junk.sqlite");
    std::fs::write(
        &junk,
        b"this is not a database at all, just text padding it out ........",
    )
    .expect("write");
    let empty = app.dir.path().join("empty.sqlite");
    Connection::open(&empty)
        .expect("create")
        .execute_batch("CREATE TABLE t (x)")
        .expect("table");
    for (file, why) in [
        (&junk, "not a onebox tenant file"),
        (&empty, "no onebox schema"),
        (&app.dir.path().join("missing.sqlite"), "no such file"),
    ] {
        let out = onebox(
            &app.data_dir(),
            &[
                "restore",
                file.to_str().expect("utf8"),
                "--tenant",
                "newone",
            ],
            &[],
            None,
        );
        assert!(!out.status.success());
        assert!(stderr(&out).contains(why), "{}", stderr(&out));
    }
    assert!(!app.data_dir().join("tenants/newone.sqlite").exists());
    assert!(app.client().get("/t/newone/login").status == 404);
}

#[test]
fn a_deleted_tenant_goes_to_the_trash_and_can_be_restored_from_it() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let deleted = onebox(&app.data_dir(), &["tenant", "delete", "acme"], &[], None);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert_eq!(app.client().get("/t/acme/login").status, 404);
    assert!(!app.tenant_file("acme").exists());
    // The file moves with its WAL and index while the server still holds it open.
    let trash: Vec<_> = std::fs::read_dir(app.data_dir().join("trash"))
        .expect("trash")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .collect();
    assert_eq!(trash.len(), 1, "{trash:?}");
    let back = onebox(
        &app.data_dir(),
        &[
            "restore",
            trash[0].to_str().expect("utf8"),
            "--tenant",
            "acme",
        ],
        &[],
        None,
    );
    assert!(back.status.success(), "{}", stderr(&back));
    assert_eq!(app.login("acme", "owner@acme.test", PASSWORD).1.status, 303);
}
