//! The store's own tests: the pool cache, savepoints, pragmas, tenant creation and the
//! health of bad files.

use super::*;
use crate::domain::capability::Profile;

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("valid slug")
}

/// A store in a temporary directory with workspace `acme`.
fn acme() -> (tempfile::TempDir, Store, TenantDb) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path(), 4).expect("open");
    let db = store
        .create_tenant(
            &slug("acme"),
            "Acme",
            Profile::Generic,
            "2026-11-21T00:00:00Z",
        )
        .expect("create");
    (dir, store, db)
}

#[test]
fn the_lru_keeps_at_most_capacity_pools_and_evicts_the_least_recently_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path(), 2).expect("open");
    for s in ["aa", "bb"] {
        store
            .create_tenant(&slug(s), s, Profile::Generic, "2026-11-21T00:00:00Z")
            .expect("create");
    }
    store.tenant(&slug("aa")).expect("aa"); // aa is now more recent than bb
    store
        .create_tenant(&slug("cc"), "cc", Profile::Generic, "2026-11-21T00:00:00Z")
        .expect("create");
    assert_eq!(store.open_tenant_count(), 2);
    let open = store.open.lock().expect("lock");
    assert!(open.contains(&slug("aa")) && open.contains(&slug("cc")));
}

#[test]
fn the_open_pools_hold_a_bounded_number_of_connections_whatever_the_capacity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path(), 1000).expect("open");
    let count = lru::MAX_CONNECTIONS as usize + 8;
    for i in 0..count {
        let s = slug(&format!("w{i:03}"));
        store
            .create_tenant(&s, "w", Profile::Generic, "2026-11-21T00:00:00Z")
            .expect("create");
        // A request's read: the pool hands out (or makes) a connection.
        let db = store.tenant(&s).expect("tenant");
        let _: i64 = db
            .conn()
            .expect("conn")
            .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
            .expect("read");
    }
    let open = store.open_tenant_count();
    assert!(
        open <= lru::MAX_CONNECTIONS as usize && open >= 8,
        "{open} pools open"
    );
    let held: u32 = store
        .open
        .lock()
        .expect("lock")
        .pools()
        .iter()
        .map(|p| p.state().connections)
        .sum();
    assert!(held <= lru::MAX_CONNECTIONS, "{held} connections held");
    // The newest stays open; the oldest was let go and opens again on its next visit.
    assert!(store.is_open(&slug(&format!("w{:03}", count - 1))));
    assert!(!store.is_open(&slug("w000")));
    store.tenant(&slug("w000")).expect("opens again");
    assert!(store.is_open(&slug("w000")));
}

#[test]
fn a_failed_savepoint_undoes_only_its_own_writes() {
    let mut conn = Connection::open_in_memory().expect("open");
    conn.execute_batch("CREATE TABLE t (v INTEGER)")
        .expect("table");
    write(&mut conn, |tx| {
        savepoint(tx, || Ok(tx.execute("INSERT INTO t VALUES (1)", [])?))?;
        let failed: Result<()> = savepoint(tx, || {
            tx.execute("INSERT INTO t VALUES (2)", [])?;
            Err(Error::field("v", "refused"))
        });
        assert!(failed.is_err());
        savepoint(tx, || Ok(tx.execute("INSERT INTO t VALUES (3)", [])?))
    })
    .expect("write");
    let values: Vec<i64> = conn
        .prepare("SELECT v FROM t ORDER BY v")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert_eq!(values, [1, 3]);
}

#[test]
fn every_connection_has_the_required_pragmas() {
    let (_dir, _store, db) = acme();
    let conn = db.conn().expect("conn");
    let text = |p: &str| {
        conn.query_row(&format!("PRAGMA {p}"), [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        })
        .expect(p)
    };
    use rusqlite::types::Value::{Integer, Text};
    assert_eq!(text("journal_mode"), Text("wal".into()));
    assert_eq!(text("synchronous"), Integer(2)); // FULL
    assert_eq!(text("foreign_keys"), Integer(1));
    assert_eq!(text("busy_timeout"), Integer(5000));
    assert_eq!(text("temp_store"), Integer(2)); // MEMORY
}

#[test]
fn the_quick_look_passes_a_file_with_bad_pages_that_the_deep_check_finds() {
    let (_dir, store, db) = acme();
    db.write(|tx| {
        tx.execute_batch(
            "CREATE TABLE filler (v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO filler SELECT printf('%0500d', i) FROM n;",
        )?;
        Ok(())
    })
    .expect("fill");
    store.close_tenant(&slug("acme")).expect("close");
    let path = store.tenant_path(&slug("acme"));
    let mut bytes = std::fs::read(&path).expect("read");
    let len = bytes.len();
    bytes[len - 64 * 1024..len - 4096].fill(0xa5);
    std::fs::write(&path, bytes).expect("write");
    let conn = rusqlite::Connection::open(&path).expect("opens");
    connection::check_file(&conn, &path).expect("the schema and account still read");
    drop(conn);
    let damage = connection::deep_check(&path).expect_err("the pages are bad");
    assert!(matches!(damage, Error::Unavailable(_)), "{damage:?}");
}

#[test]
fn a_marked_workspace_opens_again_once_its_file_is_sound_and_due() {
    let (_dir, store, _) = acme();
    let acme = slug("acme");
    store.close_tenant(&acme).expect("close");
    let path = store.tenant_path(&acme);
    let good = std::fs::read(&path).expect("read");
    std::fs::write(&path, vec![0x5a; good.len()]).expect("garbage");
    assert!(matches!(store.tenant(&acme), Err(Error::Unavailable(_))));
    std::fs::write(&path, &good).expect("restore");
    assert!(
        matches!(store.tenant(&acme), Err(Error::Unavailable(_))),
        "not before its retry is due"
    );
    store.health.due_now(&acme);
    store.tenant(&acme).expect("open again");
    assert!(store.health.degraded().is_empty());
}

#[test]
fn creating_an_existing_tenant_is_a_conflict_and_changes_nothing() {
    let (_dir, store, _) = acme();
    let again = store.create_tenant(
        &slug("acme"),
        "Other",
        Profile::Healthcare,
        "2026-11-21T00:00:00Z",
    );
    assert!(matches!(again, Err(Error::Conflict(_))));
    let name = account::get(
        &store
            .tenant(&slug("acme"))
            .expect("db")
            .conn()
            .expect("conn"),
    )
    .expect("account")
    .name;
    assert_eq!(name, "Acme");
}

/// A tenant's writes leave the checkpoints to the thread beside the requests (their
/// connections have no automatic checkpoint), which folds the WAL in once it passes the mark;
/// the registry keeps SQLite's own.
#[test]
fn tenant_checkpoints_happen_beside_the_writes() {
    let (_dir, store, db) = acme();
    let automatic = |conn: &Connection| -> i64 {
        conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
            .expect("pragma")
    };
    assert_eq!(automatic(&db.conn().expect("conn")), 0);
    assert_eq!(automatic(&store.registry().expect("registry")), 1000);

    let file = store.tenant_path(&slug("acme"));
    let size = || std::fs::metadata(&file).map(|m| m.len()).expect("file");
    let before = size();
    // Each write far under the mark (1,000 pages of 4 KiB); together past it.
    for batch in 0..30 {
        db.write(|tx| {
            for i in 0..100 {
                tx.execute(
                    "INSERT INTO contacts (first_name, custom, created_at, updated_at)
                     VALUES (?1, '{}', 't', 't')",
                    [format!("{batch} {i} {}", "x".repeat(1500))],
                )?;
            }
            Ok(())
        })
        .expect("write");
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while size() < before + 4_000_000 {
        assert!(
            std::time::Instant::now() < deadline,
            "no checkpoint: the file is still {} bytes",
            size()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
