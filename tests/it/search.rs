//! Global search, demo data and the live counts behind list totals.

use crate::support::acme::create;
use crate::support::{TestApp, onebox, stderr, stdout};
use onebox::domain::capability::Profile;
use serde_json::json;

const API: &str = "/t/acme/api/v1";

pub(crate) fn found(api: &mut crate::support::http::Client, q: &str) -> Vec<(String, String)> {
    let r = api.get(&format!(
        "{API}/search?q={}",
        crate::support::http::encode(q)
    ));
    assert_eq!(r.status, 200, "{q}: {}", r.body);
    r.json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|h| {
            (
                h["type"].as_str().unwrap_or("").into(),
                h["title"].as_str().unwrap_or("").into(),
            )
        })
        .collect()
}

#[test]
fn search_folds_case_and_diacritics_matches_fragments_and_ranks_names_first() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let jm = create(
        &mut api,
        "/contacts",
        json!({"first_name": "Jürgen", "last_name": "Müller", "email": "jm@acme.example", "phone": "+49 30 1234-56"}),
    );
    create(
        &mut api,
        "/contacts",
        json!({"first_name": "Ann", "last_name": "Other", "email": "ann@else.example"}),
    );
    create(
        &mut api,
        "/companies",
        json!({"name": "Bäckerei Müller", "domain": "baeckerei.example"}),
    );
    create(&mut api, "/deals", json!({"title": "Müller renovation"}));
    create(
        &mut api,
        "/tasks",
        json!({"title": "Call back", "notes": "ask Mueller or Müller about the date"}),
    );
    create(
        &mut api,
        "/notes",
        json!({"body": "Met Müller at the fair", "contact_id": jm}),
    );

    let hits = found(&mut api, "muller");
    let kinds: Vec<&str> = hits.iter().map(|(k, _)| k.as_str()).collect();
    for kind in ["contact", "company", "deal", "task", "note"] {
        assert!(kinds.contains(&kind), "{kind} missing from {hits:?}");
    }
    let rank = |k: &str| kinds.iter().position(|x| *x == k).expect("present");
    assert!(
        rank("contact") < rank("task") && rank("deal") < rank("task"),
        "names rank above mentions: {hits:?}"
    );
    assert_eq!(
        found(&mut api, "MÜLL jür"),
        vec![("contact".to_string(), "Jürgen Müller".to_string())]
    );
    assert_eq!(found(&mut api, "jm@acme").len(), 1, "email fragments");
    assert_eq!(
        found(&mut api, "4930").len(),
        1,
        "phone digits run together"
    );
    assert_eq!(found(&mut api, "1234").len(), 1, "phone fragments");
    assert!(found(&mut api, "zzz").is_empty());
    // A hit says what tells it apart, and shows the number as it was written, marked, where
    // the index found its digits.
    let by_digits = api.get(&format!("{API}/search?q=49301234")).json();
    let hit = &by_digits["data"][0];
    assert_eq!(hit["detail"], "jm@acme.example", "{by_digits}");
    assert_eq!(
        hit["snippet"]
            .as_str()
            .expect("snippet")
            .replace(['\u{2}', '\u{3}'], "|"),
        "jm@acme.example |+49 30 1234-56|",
        "{by_digits}"
    );

    // The page groups by type and marks the match.
    let html = page.get("/t/acme/search?q=muller").body;
    assert!(html.contains("<mark>Müller</mark>"), "{html}");
    let (contacts, companies) = (
        html.find("id=\"found-contacts\"").expect("contacts"),
        html.find("id=\"found-companies\"").expect("companies"),
    );
    assert!(contacts < companies);
    // The trash is not searched; a restored record is found again.
    assert_eq!(
        api.request("DELETE", &format!("{API}/contacts/{jm}"), &[], b"")
            .status,
        204
    );
    assert!(
        !found(&mut api, "jurgen")
            .iter()
            .any(|(k, _)| k == "contact")
    );
    api.request("POST", &format!("{API}/contacts/{jm}/restore"), &[], b"");
    assert!(
        found(&mut api, "jurgen")
            .iter()
            .any(|(k, _)| k == "contact")
    );
    // Renaming updates the index.
    api.json(
        "PATCH",
        &format!("{API}/contacts/{jm}"),
        &json!({"last_name": "Schäfer"}),
    );
    assert!(
        found(&mut api, "schafer")
            .iter()
            .any(|(_, t)| t == "Jürgen Schäfer")
    );

    assert_eq!(
        api.get(&format!("{API}/search")).status,
        422,
        "q is required"
    );
    assert_eq!(
        api.get(&format!("{API}/search?q={}", "x".repeat(201)))
            .status,
        422
    );
}

#[test]
fn search_leaves_out_what_a_capability_switches_off() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Healthcare, "owner@acme.test"));
    let db = app
        .app()
        .store
        .tenant(&onebox::domain::slug::Slug::parse("acme").expect("slug"))
        .expect("db");
    // Deals made while the capability was on stay in the file; search must not show them.
    db.write(|tx| {
        tx.execute("INSERT INTO deals (title, pipeline_id, stage_id, currency, created_at, updated_at) VALUES ('Hidden hip deal', 1, 1, 'EUR', 'x', 'x')", [])?;
        Ok(())
    })
    .expect("insert");
    let mut api = app.api("acme", "owner@acme.test");
    assert!(found(&mut api, "hidden").is_empty());
}

#[test]
fn seed_makes_proportionate_demo_data_and_counts_stay_true() {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let out = onebox(
        &app.data_dir(),
        &["seed", "--tenant", "acme", "--contacts", "300"],
        &[],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("30 companies, 300 contacts, 60 deals, 150 tasks, 75 notes, 1500 activities, 75 appointments"),
        "{}",
        stdout(&out)
    );
    let bad = onebox(
        &app.data_dir(),
        &["seed", "--tenant", "acme", "--contacts", "0"],
        &[],
        None,
    );
    assert!(!bad.status.success() && stderr(&bad).contains("contacts"));

    let mut api = app.api("acme", "owner@acme.test");
    assert_eq!(api.get(&format!("{API}/contacts")).json()["total"], 300);
    let won = api.get(&format!("{API}/deals?status=won")).json();
    assert!(
        won["data"]
            .as_array()
            .expect("data")
            .iter()
            .all(|d| d["closed_at"].is_string()),
        "won deals are closed"
    );
    let lost = api.get(&format!("{API}/deals?status=lost")).json();
    assert!(
        lost["data"]
            .as_array()
            .expect("data")
            .iter()
            .all(|d| d["lost_reason"].is_string())
    );
    assert!(
        !found(&mut api, "muller").is_empty() || !found(&mut api, "jurgen").is_empty(),
        "seeded names are searchable"
    );
    // The appointments keep to the hours and never overlap for one person (buffers counted).
    let file = rusqlite::Connection::open(app.tenant_file("acme")).expect("the file");
    let count = |sql: &str| -> i64 { file.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(count("SELECT count(*) FROM appointments"), 75);
    assert_eq!(count("SELECT count(*) FROM appointment_services"), 75);
    assert_eq!(
        count(
            "SELECT count(*) FROM appointments a JOIN appointments b
               ON a.staff_id = b.staff_id AND a.id < b.id
              AND a.busy_from < b.busy_until AND b.busy_from < a.busy_until
             WHERE a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show')"
        ),
        0,
        "no person is booked twice at once"
    );
    assert!(count("SELECT count(*) FROM appointments WHERE status = 'completed'") > 0);
    assert!(
        count("SELECT count(*) FROM appointments WHERE status IN ('confirmed', 'requested')") > 0
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM appointments WHERE substr(starts_at, 12, 5) < '09:00' OR substr(ends_at, 12, 5) > '17:00'"
        ),
        0,
        "within 09:00–17:00 (the workspace is on UTC)"
    );

    // Trash and restore some, then compare the kept counts with real ones.
    for id in 1..=5 {
        api.request("DELETE", &format!("{API}/contacts/{id}"), &[], b"");
    }
    api.request("POST", &format!("{API}/contacts/3/restore"), &[], b"");
    assert_eq!(api.get(&format!("{API}/contacts")).json()["total"], 296);
    assert_eq!(
        api.get(&format!("{API}/contacts?trash=true")).json()["total"],
        4
    );
    let conn = rusqlite::Connection::open(app.tenant_file("acme")).expect("open");
    for table in ["contacts", "companies", "deals", "tasks", "notes"] {
        let (kept_live, kept_trashed): (i64, i64) = conn
            .query_row(
                "SELECT live, trashed FROM record_counts WHERE entity = ?1",
                [table],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("counts");
        let live: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE deleted_at IS NULL"),
                [],
                |r| r.get(0),
            )
            .expect("count");
        let trashed: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE deleted_at IS NOT NULL"),
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!((kept_live, kept_trashed), (live, trashed), "{table}");
    }
}

#[test]
fn search_pages_past_fifty_and_knows_german_spellings() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    for i in 0..60 {
        let made = api.json(
            "POST",
            &format!("{API}/contacts"),
            &json!({"first_name": format!("Hanna{i:02}"), "last_name": "Müller"}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
    }
    for (first, last) in [("Jan", "Mueller"), ("Greta", "Straße"), ("Piet", "Strasse")] {
        let made = api.json(
            "POST",
            &format!("{API}/contacts"),
            &json!({"first_name": first, "last_name": last}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
    }
    // Both ways: mueller finds Müller, müller finds Mueller; ss and ß alike.
    let by_ue = found(&mut api, "mueller");
    assert!(
        by_ue.iter().any(|(_, t)| t == "Hanna07 Müller")
            && by_ue.iter().any(|(_, t)| t == "Jan Mueller")
    );
    assert!(
        found(&mut api, "müller")
            .iter()
            .any(|(_, t)| t == "Jan Mueller")
    );
    let street = found(&mut api, "strasse");
    assert!(
        street.iter().any(|(_, t)| t == "Greta Straße")
            && street.iter().any(|(_, t)| t == "Piet Strasse")
    );

    // The page counts them all and leads to every one of them, paged.
    let page = c.get("/t/acme/search?q=mueller").body;
    assert!(
        page.contains("Contacts <span class=\"count\">61</span>"),
        "{page}"
    );
    assert!(page.contains("href=\"/t/acme/contacts?q=mueller\">See all 61 contacts"));
    let list = c.get("/t/acme/contacts?q=mueller").body;
    assert!(list.contains("of 61"), "the list searches the same way");
    let deeper = api
        .get(&format!("{API}/contacts?q=mueller&limit=25&cursor=50"))
        .json();
    assert_eq!(deeper["total"], 61);
    assert_eq!(deeper["data"].as_array().map(Vec::len), Some(11));
}
