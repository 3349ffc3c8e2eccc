//! The kassa in the browser without JavaScript: a register opened with a float, an
//! appointment checked out from its page (its service on the receipt), a product added by its
//! SKU, a tip, a payment too small refused in words, then card and cash with the change shown;
//! the session's X report, and its close with a count into the Z report.

use crate::booking::{salon, stamp};
use crate::support::{TestApp, path_of};
use serde_json::json;

#[test]
fn an_appointment_is_checked_out_at_the_register_and_the_day_closed_with_a_z_report() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let made = api.json(
        "POST",
        "/t/salon/api/v1/products",
        &json!({"name": "Shampoo", "sku": "SH-1", "price": 1295}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let daan = api
        .json(
            "POST",
            "/t/salon/api/v1/contacts",
            &json!({"first_name": "Daan"}),
        )
        .json();
    let visit = api
        .json(
            "POST",
            "/t/salon/api/v1/appointments",
            &json!({"contact_id": daan["id"], "staff_id": s.owner_id, "service_ids": [s.cut], "starts_at": stamp(s.day, 9, 0)}),
        )
        .json();
    let c = &mut s.owner;
    let home = c.get("/t/salon/kassa");
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("No register yet"), "{}", home.body);
    let added = c.submit(
        "/t/salon/kassa",
        "/t/salon/kassa/registers",
        &[("name", "Front desk")],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let page = c.get("/t/salon/kassa").body;
    let open_at = page.find("/kassa/registers/").expect("an open form");
    let action = &page[open_at
        ..page[open_at..]
            .find('"')
            .map_or(page.len(), |e| open_at + e)];
    let opened = c.submit(
        "/t/salon/kassa",
        &format!("/t/salon{action}"),
        &[("float", "100,00")],
    );
    assert_eq!(opened.status, 303, "{}", opened.body);
    let session = path_of(opened.location());
    assert!(session.contains("/kassa/sessions/"), "{session}");

    // From the appointment's page: its checkout, the cut on it.
    let appointment = format!("/t/salon/appointments/{}", visit["id"]);
    assert!(
        c.get(&appointment)
            .body
            .contains("action=\"/t/salon/kassa/checkout\"")
    );
    let started = c.submit(
        &appointment,
        "/t/salon/kassa/checkout",
        &[("appointment_id", &visit["id"].to_string())],
    );
    assert_eq!(started.status, 303, "{}", started.body);
    let receipt = path_of(started.location());
    let draft = c.get(&receipt).body;
    assert!(
        draft.contains(">Cut<") && draft.contains("For Daan"),
        "{draft}"
    );
    let lines = format!("{receipt}/lines");
    for fields in [
        vec![
            ("kind", "product"),
            ("product", "SH-1"),
            ("quantity", "2"),
            ("discount_percent", "10"),
        ],
        vec![("kind", "tip"), ("unit_price", "5,00")],
    ] {
        let r = c.submit(&receipt, &lines, &fields);
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let unknown = c.submit(
        &receipt,
        &lines,
        &[("kind", "product"), ("product", "nope")],
    );
    assert_eq!(unknown.status, 303);
    assert!(
        c.get(&receipt)
            .body
            .contains("No product has that name or SKU")
    );
    let draft = c.get(&receipt).body;
    assert!(draft.contains("data-total=\"7331\""), "{draft}");
    let before = app.disk_state("salon");
    let short = c.submit(
        &receipt,
        &format!("{receipt}/pay"),
        &[("card", "50,00"), ("cash", "10,00")],
    );
    assert_eq!(short.status, 303);
    assert!(c.get(&receipt).body.contains("do not cover the total"));
    assert_eq!(
        app.disk_state("salon"),
        before,
        "still a draft, nothing written"
    );
    let paid = c.submit(
        &receipt,
        &format!("{receipt}/pay"),
        &[("card", "50,00"), ("cash", "30,00")],
    );
    assert_eq!(paid.status, 303, "{}", paid.body);
    let printed = c.get(&receipt).body;
    assert!(printed.contains("Receipt 1 is final."), "{printed}");
    assert!(
        printed.contains("class=\"printed-receipt\"") && printed.contains("€6.70"),
        "{printed}"
    );

    // The session: the X report so far, then closed with a count: the Z report.
    let x = c.get(&session).body;
    assert!(x.contains("X report") && x.contains("€73.31"), "{x}");
    assert!(
        !x.contains(">Expected cash<"),
        "the count beside it is blind"
    );
    let full = c.get(&format!("{session}/x")).body;
    assert!(
        full.contains(">Expected cash<") && full.contains("€123.30"),
        "{full}"
    );
    assert!(
        !full.contains("name=\"n10000\""),
        "no count beside the figures"
    );
    let closed = c.submit(
        &session,
        &format!("{session}/close"),
        &[
            ("n10000", "1"),
            ("n2000", "1"),
            ("n200", "1"),
            ("n100", "1"),
            ("n20", "1"),
            ("n10", "1"),
        ],
    );
    assert_eq!(closed.status, 303, "{}", closed.body);
    let z = c.get(&session).body;
    // 100.00 + 23.30 in cash = 123.30 expected; 123.30 counted.
    assert!(z.contains("Z report") && z.contains("€123.30"), "{z}");
    assert!(
        !z.contains("name=\"n10000\""),
        "a closed session has no count form"
    );

    // Products, kept on the kassa page by owners: one added, one's price changed (journaled).
    let added = c.submit(
        "/t/salon/kassa",
        "/t/salon/kassa/products",
        &[
            ("name", "Conditioner"),
            ("sku", "CO-1"),
            ("kind", "retail"),
            ("price", "9,95"),
            ("vat_code", "high"),
            ("stock", ""),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let shampoo = made.json()["id"].clone();
    let changed = c.submit(
        "/t/salon/kassa",
        &format!("/t/salon/kassa/products/{shampoo}"),
        &[("price", "13,50"), ("active", "1")],
    );
    assert_eq!(changed.status, 303, "{}", changed.body);
    let page = c.get("/t/salon/kassa").body;
    assert!(
        page.contains(">Conditioner<") && page.contains("value=\"13.50\""),
        "{page}"
    );
    let conn = rusqlite::Connection::open(app.tenant_file("salon")).expect("open");
    let noted: i64 = conn
        .query_row(
            "SELECT count(*) FROM journal WHERE kind = 'price.changed'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(noted, 1, "the price change is in the register's journal");
}
