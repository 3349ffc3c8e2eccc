//! A bad day on the box: a workspace file that is corrupt, a disk that is full. One
//! workspace's trouble stays its own; reads keep working; writes fail cleanly and recover.

use crate::support::TestApp;
use crate::support::acme::API;
use onebox::domain::capability::Profile;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn a_corrupt_workspace_is_isolated_at_once_and_the_others_keep_answering() {
    let mut app = TestApp::start();
    let mut good = app.tenant_with_owner("good", Profile::Generic, "owner@good.test");
    for slug in ["bad", "worse", "deep"] {
        drop(app.tenant_with_owner(slug, Profile::Generic, &format!("owner@{slug}.test")));
    }
    let mut deep = app.api("deep", "owner@deep.test");
    for n in 0..200 {
        crate::support::acme::create_at(
            &mut deep,
            "/t/deep/api/v1/contacts",
            json!({"first_name": format!("Name {n}"), "email": format!("p{n}@deep.test")}),
        );
    }
    app.restart_with(|app| {
        // `bad` is garbage from the first byte; `worse` keeps its header but lost its pages.
        std::fs::write(app.tenant_file("bad"), vec![0x5a; 64 * 1024]).expect("garbage");
        let worse = app.tenant_file("worse");
        let mut bytes = std::fs::read(&worse).expect("read");
        for b in bytes.iter_mut().skip(4096) {
            *b = 0xa5;
        }
        std::fs::write(&worse, bytes).expect("corrupt pages");
        // `deep` opens and serves its first page; only the check of every page finds that
        // the pages of its contacts are gone.
        let deep = app.tenant_file("deep");
        let mut bytes = std::fs::read(&deep).expect("read");
        let len = bytes.len();
        for b in &mut bytes[len - 16 * 4096..len - 4096] {
            *b = 0xa5;
        }
        std::fs::write(&deep, bytes).expect("corrupt pages");
        for slug in ["bad", "worse", "deep"] {
            for suffix in ["-wal", "-shm"] {
                let _ =
                    std::fs::remove_file(format!("{}{suffix}", app.tenant_file(slug).display()));
            }
        }
    });

    for slug in ["bad", "worse"] {
        let started = Instant::now();
        let page = app.client().get(&format!("/t/{slug}/login"));
        assert_eq!(page.status, 503, "{slug}: {}", page.body);
        assert!(page.body.contains("unavailable"), "{}", page.body);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{slug} was isolated in {:?}",
            started.elapsed()
        );
        let api = app.client().get(&format!("/t/{slug}/api/v1/contacts"));
        assert_eq!(api.status, 503);
        assert_eq!(api.json()["error"]["code"], "unavailable");
    }
    // Marked: later requests are refused at once, and the good workspace is unaffected.
    let started = Instant::now();
    for _ in 0..20 {
        assert_eq!(app.client().get("/t/bad/").status, 503);
        assert_eq!(good.get("/t/good/").status, 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "20 rounds took {:?}",
        started.elapsed()
    );
    app.client().get("/t/deep/login");
    let deadline = Instant::now() + Duration::from_secs(10);
    let health = loop {
        let health = app.client().get("/healthz");
        assert_eq!(health.status, 200, "probes keep working");
        let health = health.json();
        let found = health["degraded"].as_array().map_or(0, Vec::len);
        if found == 3 || Instant::now() > deadline {
            break health;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(health["status"], "degraded");
    assert_eq!(health["degraded"], json!(["bad", "deep", "worse"]));
    assert_eq!(app.client().get("/t/deep/login").status, 503);
    let metrics = app.client().get("/metrics").body;
    assert!(
        metrics.contains("onebox_tenants_unavailable 3"),
        "{metrics}"
    );
    // The files were left as they were, for the administrator to restore.
    assert_eq!(
        std::fs::read(app.tenant_file("bad")).expect("read"),
        vec![0x5a; 64 * 1024]
    );
}

/// A small tmpfs mounted for one test, unmounted when dropped (after the server stops).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(at).expect("mount point");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "mounting a tmpfs needs root (CI runs as root): {status}"
        );
        Tmpfs(at.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Writes a file until the disk is full; returns its path.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).expect("filler");
    let block = vec![0u8; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    let mut byte = 0;
    while file.write_all(&[0]).is_ok() && byte < 1 << 20 {
        byte += 1;
    }
    let _ = file.sync_all();
    path
}

#[test]
fn on_a_full_disk_reads_keep_working_writes_answer_507_and_all_recovers() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let mount = Tmpfs::mount(&scratch.path().join("disk"), "6m");
    let data = mount.0.join("data");
    let mut app = TestApp::start_with(|c| c.data = Some(data.clone()));
    let mut owner = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let before =
        crate::support::acme::create(&mut api, "/contacts", json!({"first_name": "Before"}));
    // A fresh token and a session due to slide: both want a bookkeeping write on a read.
    let mut fresh = app.api("acme", "owner@acme.test");
    app.clock.advance(chrono::Duration::hours(1));
    app.app().store.checkpoint_all().expect("checkpoint");
    let filler = fill(&mount.0);

    let list = fresh.get(&format!("{API}/contacts"));
    assert_eq!(list.status, 200, "a read on a full disk: {}", list.body);
    assert_eq!(list.json()["total"], 1);
    assert_eq!(owner.get(&format!("/t/acme/contacts/{before}")).status, 200);
    let state = app.disk_state("acme");

    let refused = api.json(
        "POST",
        &format!("{API}/contacts"),
        &json!({"first_name": "Lost"}),
    );
    assert_eq!(refused.status, 507, "{}", refused.body);
    let error = &refused.json()["error"];
    assert_eq!(error["code"], "disk_full");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("disk is full; nothing was saved")),
        "{error}"
    );
    let page = owner.submit(
        "/t/acme/contacts/new",
        "/t/acme/contacts",
        &[("first_name", "Lost too")],
    );
    assert_eq!(page.status, 507, "{}", page.body);
    assert!(
        page.body.contains("disk is full; nothing was saved"),
        "{}",
        page.body
    );
    assert_eq!(app.disk_state("acme"), state, "nothing was written");
    let metrics = app.client().get("/metrics").body;
    assert!(metrics.contains("onebox_disk_full_total 2"), "{metrics}");

    std::fs::remove_file(filler).expect("free space");
    crate::support::acme::create(&mut api, "/contacts", json!({"first_name": "After"}));
    let names: Vec<String> = api.get(&format!("{API}/contacts?sort=first_name")).json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|c| c["first_name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["After", "Before"]);
    app.stop();
}
