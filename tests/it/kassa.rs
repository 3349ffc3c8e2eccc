//! The kassa over HTTP: a salon's day at the register whose Z report matches figures worked out
//! by hand to the cent; gapless numbers under 20 checkouts at once; a finalized receipt that
//! no route changes; bad input refused with nothing written; and `onebox check` naming the
//! receipt or journal row someone changed with an SQLite tool.

use crate::booking::{salon, stamp};
use crate::support::http::Client;
use crate::support::{TestApp, onebox, stdout};
use serde_json::{Value, json};

const API: &str = "/t/salon/api/v1";

fn post(api: &mut Client, path: &str, body: Value) -> Value {
    let r = api.json("POST", &format!("{API}{path}"), &body);
    assert!(r.status < 300, "{path} {body}: {} {}", r.status, r.body);
    r.json()
}

/// A register with an open session (a float of 100.00) and two products.
struct Till {
    register: i64,
    session: i64,
    shampoo: i64,
    book: i64,
}

fn till(api: &mut Client) -> Till {
    let shampoo = post(
        api,
        "/products",
        json!({"name": "Shampoo", "sku": "SH-1", "price": 1295, "vat_code": "high", "stock": 10}),
    );
    let book = post(
        api,
        "/products",
        json!({"name": "Hair book", "price": 1999, "vat_code": "low"}),
    );
    let register = post(api, "/registers", json!({"name": "Front desk"}));
    let register = register["id"].as_i64().expect("a register");
    let session = post(
        api,
        &format!("/registers/{register}/sessions"),
        json!({"float": 10000}),
    );
    Till {
        register,
        session: session["id"].as_i64().expect("a session"),
        shampoo: shampoo["id"].as_i64().expect("a product"),
        book: book["id"].as_i64().expect("a product"),
    }
}

#[test]
fn a_day_at_the_register_ends_in_a_z_report_that_matches_the_hand_calculation() {
    let app = TestApp::start();
    let s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let t = till(&mut api);
    let daan = post(&mut api, "/contacts", json!({"first_name": "Daan"}));
    let visit = post(
        &mut api,
        "/appointments",
        json!({"contact_id": daan["id"], "staff_id": s.owner_id, "service_ids": [s.cut], "starts_at": stamp(s.day, 9, 0)}),
    );
    // Checkout of Daan's cut: the cut (45.00, its price and VAT from the service), two
    // shampoos less 10 % and a tip of 5.00; card 50.00 and 30.00 in cash.
    let first = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "contact_id": daan["id"], "appointment_id": visit["id"], "lines": [
            {"kind": "service", "service_id": s.cut},
            {"kind": "product", "product_id": t.shampoo, "quantity": 2, "discount": {"percent": 1000}},
            {"kind": "tip", "unit_price": 500}
        ]}),
    );
    assert_eq!(first["status"], "draft");
    let first = post(
        &mut api,
        &format!("/receipts/{}/finalize", first["id"]),
        json!({"payments": [{"method": "card", "amount": 5000}, {"method": "cash", "amount": 3000}]}),
    );
    assert_eq!(
        (first["number"].clone(), first["total"].clone()),
        (json!(1), json!(7331))
    );
    assert_eq!(
        (first["rounding"].clone(), first["change"].clone()),
        (json!(-1), json!(670))
    );
    // A walk-in: a colour typed in (80.00) and a book (9 %), 10.00 off the whole, 90.00 cash.
    let second = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "discount": {"amount": 1000}, "lines": [
            {"kind": "free", "description": "Colour", "unit_price": 8000, "vat_code": "high"},
            {"kind": "product", "product_id": t.book}
        ]}),
    );
    let second = post(
        &mut api,
        &format!("/receipts/{}/finalize", second["id"]),
        json!({"payments": [{"method": "cash", "amount": 9000}]}),
    );
    assert_eq!(
        (
            second["number"].clone(),
            second["total"].clone(),
            second["rounding"].clone()
        ),
        (json!(2), json!(8999), json!(1))
    );
    post(
        &mut api,
        &format!("/sessions/{}/cash", t.session),
        json!({"amount": 2000, "reason": "Change from the bank"}),
    );
    post(
        &mut api,
        &format!("/sessions/{}/cash", t.session),
        json!({"amount": -5000, "reason": "To the safe"}),
    );
    post(
        &mut api,
        &format!("/sessions/{}/drawer", t.session),
        json!({}),
    );
    let given_up = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "lines": [{"kind": "free", "description": "Oops", "unit_price": 100, "vat_code": "high"}]}),
    );
    post(
        &mut api,
        &format!("/receipts/{}/void", given_up["id"]),
        json!({}),
    );
    // One shampoo comes back: a credit receipt of the first, paid back in cash.
    let back = post(
        &mut api,
        &format!("/receipts/{}/credit", first["id"]),
        json!({"session_id": t.session, "lines": [{"position": 1, "quantity": 1}]}),
    );
    let back = post(
        &mut api,
        &format!("/receipts/{}/finalize", back["id"]),
        json!({"payments": [{"method": "cash", "amount": 1165}]}),
    );
    assert_eq!(
        (
            back["number"].clone(),
            back["total"].clone(),
            back["credit_of"].clone()
        ),
        (json!(3), json!(-1165), first["id"].clone())
    );
    let x = api
        .get(&format!("{API}/sessions/{}/x_report", t.session))
        .json();
    assert_eq!(x["expected_cash"], 17165, "{x}");
    // Closed with a blind count of 171.60: the Z report, figures worked out by hand.
    let z = post(
        &mut api,
        &format!("/sessions/{}/close", t.session),
        json!({"count": {"10000": 1, "5000": 1, "2000": 1, "100": 1, "50": 1, "10": 1}}),
    );
    let expect = |key: &str, v: Value| assert_eq!(z[key], v, "{key}: {z}");
    expect("receipts", json!(2));
    expect("credit_receipts", json!(1));
    expect("first_number", json!(1));
    expect("last_number", json!(3));
    expect("sales", json!(16330));
    expect("returns", json!(-1165));
    expect("discounts", json!(1129));
    expect("tips", json!(500));
    expect("rounding", json!(0));
    expect("no_sales", json!(1));
    expect("voided_drafts", json!(1));
    expect("cash_in", json!(2000));
    expect("cash_out", json!(5000));
    expect("per_method", json!([["cash", 10165], ["card", 5000]]));
    // 21 %: 68.31 + 72.00 − 11.65 = 128.66 gross, 11.86 + 12.50 − 2.02 = 22.34 VAT, 106.32 net;
    // 9 %: 17.99, 1.49, 16.50; outside VAT: the tip, 5.00.
    expect(
        "per_rate",
        json!([
            {"code": "high", "basis_points": 2100, "net": 10632, "vat": 2234, "gross": 12866},
            {"code": "low", "basis_points": 900, "net": 1650, "vat": 149, "gross": 1799},
            {"code": "exempt", "basis_points": 0, "net": 500, "vat": 0, "gross": 500}
        ]),
    );
    // 100.00 + 23.30 + 90.00 − 11.65 + 20.00 − 50.00 = 171.65 expected; 171.60 counted.
    expect("expected_cash", json!(17165));
    expect("counted_cash", json!(17160));
    expect("variance", json!(-5));
    assert_eq!(z["grand_totals"]["sales"], 16330);
    assert_eq!(
        api.get(&format!("{API}/sessions/{}/z_report", t.session))
            .json(),
        z
    );
    let shampoo: Vec<Value> = api.get(&format!("{API}/products")).json()["data"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let left = shampoo
        .iter()
        .find(|p| p["id"] == t.shampoo)
        .expect("the shampoo");
    assert_eq!(left["stock"], 9, "two sold, one back");
    let register = api.get(&format!("{API}/registers/{}", t.register)).json();
    assert_eq!(
        (
            register["next_number"].clone(),
            register["open_session"].clone()
        ),
        (json!(4), Value::Null)
    );
    let checked = onebox(&app.data_dir(), &["check"], &[], None);
    assert!(checked.status.success(), "{}", stdout(&checked));
    // The accountant's export of the day: each line with its VAT, and the Z report.
    let (mut owner, _) = app.login("salon", "lotte@salon.test", crate::support::PASSWORD);
    let today = crate::booking::amsterdam_today(&app);
    let lines = owner.get(&format!(
        "/t/salon/kassa/export?from={today}&to={today}&what=lines"
    ));
    assert_eq!(lines.status, 200, "{}", lines.body);
    let rows: Vec<&str> = lines.body.lines().collect();
    assert!(
        rows[0].starts_with("register,receipt,finalized_at,type"),
        "{}",
        rows[0]
    );
    assert_eq!(
        rows.len(),
        1 + 3 + 2 + 1,
        "a header and six lines: {}",
        lines.body
    );
    assert!(
        rows.iter().any(|r| r.contains(
            ",credit,1,Daan,product,Shampoo,1,12.95,-1.30,-11.65,high,21.00,-2.02,-9.63"
        )),
        "{}",
        lines.body
    );
    let z = owner.get(&format!(
        "/t/salon/kassa/export?from={today}&to={today}&what=z"
    ));
    assert_eq!(z.status, 200, "{}", z.body);
    assert!(z.body.contains(",1,3,2,1,163.30,-11.65,11.29,5.00,0.00,101.65,50.00,0.00,106.32/22.34/128.66,16.50/1.49/17.99,5.00,171.65,171.60,-0.05,163.30"), "{}", z.body);
    let bad = owner.get(&format!(
        "/t/salon/kassa/export?from={today}&to=2020-01-01&what=lines"
    ));
    assert_eq!(bad.status, 422, "{}", bad.body);
    // The day's revenue: 163.30 − 11.65 = 151.65 over three receipts, the cut as a service.
    let revenue = owner
        .get(&format!("/t/salon/kassa/reports?from={today}&to={today}"))
        .body;
    assert!(
        revenue.contains("€151.65") && revenue.contains(">Cut<"),
        "{revenue}"
    );
}

#[test]
fn a_finalized_receipt_never_changes_and_bad_input_writes_nothing() {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let t = till(&mut api);
    let line = json!({"kind": "product", "product_id": t.shampoo});
    let draft = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "lines": [line]}),
    );
    let done = post(
        &mut api,
        &format!("/receipts/{}/finalize", draft["id"]),
        json!({"payments": [{"method": "card", "amount": 1295}]}),
    );
    let path = format!("{API}/receipts/{}", done["id"]);
    let before = app.disk_state("salon");
    for method in ["PUT", "PATCH", "DELETE"] {
        let r = api.json(method, &path, &json!({"total": 1}));
        assert_eq!(r.status, 405, "{method}: {}", r.body);
    }
    let again = api.json(
        "POST",
        &format!("{path}/finalize"),
        &json!({"payments": [{"method": "card", "amount": 1295}]}),
    );
    assert_eq!(again.status, 409, "{}", again.body);
    let voided = api.json("POST", &format!("{path}/void"), &json!({}));
    assert_eq!(voided.status, 409, "{}", voided.body);
    for (body, field) in [
        (
            json!({"session_id": t.session, "lines": [{"kind": "product", "product_id": t.shampoo, "quantity": -1}]}),
            "lines[0].quantity",
        ),
        (
            json!({"session_id": t.session, "lines": [{"kind": "free", "description": "X", "unit_price": 100, "vat_code": "super"}]}),
            "lines[0].vat_code",
        ),
        (json!({"session_id": t.session, "lines": []}), "lines"),
        (
            json!({"session_id": t.session, "lines": [{"kind": "product", "product_id": 999}]}),
            "lines[0].product_id",
        ),
    ] {
        let r = api.json("POST", &format!("{API}/receipts"), &body);
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(app.disk_state("salon"), before, "refusals write nothing");
    let short = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "lines": [line]}),
    );
    let before = app.disk_state("salon");
    let unpaid = api.json(
        "POST",
        &format!("{API}/receipts/{}/finalize", short["id"]),
        &json!({"payments": [{"method": "card", "amount": 1000}]}),
    );
    assert_eq!(unpaid.status, 422, "{}", unpaid.body);
    assert!(
        unpaid.body.contains("do not cover the total"),
        "{}",
        unpaid.body
    );
    assert_eq!(
        app.disk_state("salon"),
        before,
        "an unpaid receipt stays a draft"
    );
    post(
        &mut api,
        &format!("/sessions/{}/close", t.session),
        json!({"count": {"100": 0}}),
    );
    let closed = api.json(
        "POST",
        &format!("{API}/receipts"),
        &json!({"session_id": t.session, "lines": [line]}),
    );
    assert_eq!(closed.status, 409, "a closed session: {}", closed.body);
}

#[test]
fn twenty_checkouts_at_once_number_their_receipts_without_gaps() {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let t = till(&mut api);
    let drafts: Vec<i64> = (0..20)
        .map(|_| {
            post(&mut api, "/receipts", json!({"session_id": t.session, "lines": [{"kind": "product", "product_id": t.book}]}))["id"]
                .as_i64()
                .expect("a draft")
        })
        .collect();
    let numbers: Vec<i64> = std::thread::scope(|scope| {
        let handles: Vec<_> = drafts
            .iter()
            .map(|id| {
                let mut c = app.api("salon", "lotte@salon.test");
                scope.spawn(move || {
                    let r = c.json(
                        "POST",
                        &format!("{API}/receipts/{id}/finalize"),
                        &json!({"payments": [{"method": "card", "amount": 1999}]}),
                    );
                    assert_eq!(r.status, 200, "{}", r.body);
                    r.json()["number"].as_i64().expect("a number")
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a checkout"))
            .collect()
    });
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        (1..=20).collect::<Vec<_>>(),
        "each number once, none skipped"
    );
}

#[test]
fn onebox_check_names_the_receipt_or_journal_row_changed_with_an_sqlite_tool() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let t = till(&mut api);
    for _ in 0..2 {
        let d = post(
            &mut api,
            "/receipts",
            json!({"session_id": t.session, "lines": [{"kind": "product", "product_id": t.book}]}),
        );
        post(
            &mut api,
            &format!("/receipts/{}/finalize", d["id"]),
            json!({"payments": [{"method": "cash", "amount": 2000}]}),
        );
    }
    let ok = onebox(&app.data_dir(), &["check"], &[], None);
    assert!(ok.status.success(), "{}", stdout(&ok));
    let checked = s
        .owner
        .submit("/t/salon/kassa", "/t/salon/kassa/check", &[]);
    assert_eq!(checked.status, 303, "{}", checked.body);
    let page = s.owner.get("/t/salon/kassa").body;
    assert!(page.contains("rows, intact."), "{page}");
    let file = app.tenant_file("salon");
    let sql = |statements: &str| {
        let conn = rusqlite::Connection::open(&file).expect("open");
        conn.execute_batch(statements).expect("the edit");
    };
    // The triggers refuse an edit of a finalized receipt, even from another tool…
    let conn = rusqlite::Connection::open(&file).expect("open");
    assert!(
        conn.execute("UPDATE receipts SET total = 1 WHERE number = 2", [])
            .is_err()
    );
    drop(conn);
    // …so someone drops them first: the check names the receipt.
    sql(
        "DROP TRIGGER receipts_final_update; UPDATE receipts SET total = total - 100 WHERE number = 2;",
    );
    let changed = onebox(&app.data_dir(), &["check"], &[], None);
    assert!(!changed.status.success());
    let said = stdout(&changed);
    assert!(
        said.contains("receipt 2") && said.contains("was changed"),
        "{said}"
    );
    sql("UPDATE receipts SET total = total + 100 WHERE number = 2;");
    // A journal row rewritten: the check names the row.
    sql(
        "DROP TRIGGER journal_append_only_update; UPDATE journal SET event = replace(event, '\"float\":10000', '\"float\":1000') WHERE seq = 2;",
    );
    let rewritten = onebox(&app.data_dir(), &["check"], &[], None);
    assert!(!rewritten.status.success());
    let said = stdout(&rewritten);
    assert!(said.contains("journal row 2"), "{said}");
    // The kassa page says so too, once checked (the daily upkeep, or an admin now).
    s.owner
        .submit("/t/salon/kassa", "/t/salon/kassa/check", &[]);
    let page = s.owner.get("/t/salon/kassa").body;
    assert!(
        page.contains("something was changed") && page.contains("journal row 2"),
        "{page}"
    );
}

#[test]
fn a_workspace_with_kassa_records_is_deleted_only_when_told_of_the_seven_years() {
    let mut app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    till(&mut api);
    drop(api);
    app.stop();
    let data = app.data_dir();
    let refused = onebox(&data, &["tenant", "delete", "salon"], &[], None);
    assert!(!refused.status.success());
    let said = crate::support::stderr(&refused);
    assert!(
        said.contains("7 years") && said.contains("--force-retention"),
        "{said}"
    );
    assert!(app.tenant_file("salon").is_file(), "the file stays");
    let forced = onebox(
        &data,
        &["tenant", "delete", "salon", "--force-retention"],
        &[],
        None,
    );
    assert!(
        forced.status.success(),
        "{}",
        crate::support::stderr(&forced)
    );
    assert!(crate::support::stderr(&forced).contains("7 years"));
    assert!(!app.tenant_file("salon").is_file(), "moved to the trash");
}

#[test]
fn a_trashed_contact_with_receipts_is_kept_past_the_trash_days() {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let t = till(&mut api);
    let who = post(&mut api, "/contacts", json!({"first_name": "Kept"}));
    let d = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "contact_id": who["id"], "lines": [{"kind": "product", "product_id": t.book}]}),
    );
    post(
        &mut api,
        &format!("/receipts/{}/finalize", d["id"]),
        json!({"payments": [{"method": "card", "amount": 1999}]}),
    );
    let gone = post(&mut api, "/contacts", json!({"first_name": "Gone"}));
    for c in [&who, &gone] {
        let trashed = api.request("DELETE", &format!("{API}/contacts/{}", c["id"]), &[], b"");
        assert!(trashed.status < 300, "{}", trashed.body);
    }
    app.clock.advance(chrono::Duration::days(31));
    onebox::jobs::tick(app.app()).expect("the daily upkeep");
    let conn = rusqlite::Connection::open(app.tenant_file("salon")).expect("open");
    let count = |id: &Value| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM contacts WHERE id = ?1",
            [id.as_i64()],
            |r| r.get(0),
        )
        .expect("count")
    };
    assert_eq!(count(&who["id"]), 1, "the receipt's contact is kept");
    assert_eq!(count(&gone["id"]), 0, "the purge went on with the rest");
    let checked = onebox(&app.data_dir(), &["check"], &[], None);
    assert!(checked.status.success(), "{}", stdout(&checked));
}

#[test]
fn rules_hear_of_finalized_receipts_and_closed_sessions() {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let t = till(&mut api);
    post(
        &mut api,
        "/automations",
        json!({"name": "Thank them", "trigger": {"event": "receipt.finalized"},
               "actions": [{"type": "send_email", "to": "contact",
                   "subject": "Thank you, {{contact.first_name}}",
                   "body": "Receipt {{receipt.number}} at {{receipt.register}}: {{receipt.total}} cents."}]}),
    );
    post(
        &mut api,
        "/automations",
        json!({"name": "Count", "trigger": {"event": "session.closed"},
               "actions": [{"type": "send_email", "to": "lotte@salon.test",
                   "subject": "Closed {{session.register}}",
                   "body": "Variance {{session.variance}} over {{session.receipts}} receipts."}]}),
    );
    let bad = api.json(
        "POST",
        &format!("{API}/automations"),
        &json!({"name": "Bad", "trigger": {"event": "receipt.finalized"},
                "actions": [{"type": "send_email", "to": "contact", "subject": "{{appointment.time}}", "body": "x"}]}),
    );
    assert_eq!(
        bad.status, 422,
        "a receipt's rule has no appointment: {}",
        bad.body
    );
    let eva = post(
        &mut api,
        "/contacts",
        json!({"first_name": "Eva", "email": "eva@example.test"}),
    );
    let d = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "contact_id": eva["id"], "lines": [{"kind": "product", "product_id": t.book}]}),
    );
    post(
        &mut api,
        &format!("/receipts/{}/finalize", d["id"]),
        json!({"payments": [{"method": "card", "amount": 1999}]}),
    );
    post(
        &mut api,
        &format!("/sessions/{}/close", t.session),
        json!({"count": {"10000": 1}}),
    );
    onebox::jobs::tick(app.app()).expect("tick");
    app.deliver_mail();
    let mails = app.smtp.wait_for(2);
    let thanks = mails
        .iter()
        .find(|m| m.to == ["eva@example.test"])
        .expect("the thanks");
    assert_eq!(thanks.subject(), "Thank you, Eva");
    assert!(
        thanks
            .text()
            .contains("Receipt 1 at Front desk: 1999 cents."),
        "{}",
        thanks.text()
    );
    let closed = mails
        .iter()
        .find(|m| m.to == ["lotte@salon.test"])
        .expect("the count");
    assert!(
        closed.text().contains("Variance 0 over 1 receipts."),
        "{}",
        closed.text()
    );
}

#[test]
fn a_gift_card_is_sold_outside_vat_then_spent_down_to_its_balance() {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let t = till(&mut api);
    let card = post(
        &mut api,
        "/products",
        json!({"name": "Gift card 25", "kind": "gift_card", "price": 2500, "vat_code": "high"}),
    );
    assert_eq!(card["vat_code"], "exempt", "a voucher is taxed when spent");
    let eva = post(&mut api, "/contacts", json!({"first_name": "Eva"}));
    let sale = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "contact_id": eva["id"], "lines": [{"kind": "product", "product_id": card["id"]}]}),
    );
    let sale = post(
        &mut api,
        &format!("/receipts/{}/finalize", sale["id"]),
        json!({"payments": [{"method": "card", "amount": 2500}]}),
    );
    assert_eq!(sale["per_rate"][0]["code"], "exempt");
    let code = sale["gift_cards"][0].as_str().expect("a code").to_string();
    assert!(code.starts_with("GC-") && code.len() == 17, "{code}");
    let shown = api.get(&format!("{API}/gift_cards/{code}")).json();
    assert_eq!(
        (
            shown["value"].clone(),
            shown["balance"].clone(),
            shown["contact_id"].clone()
        ),
        (json!(2500), json!(2500), eva["id"].clone())
    );
    // Spent on a book of 19.99 (typed in lower case): 5.01 left.
    let buy = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "lines": [{"kind": "product", "product_id": t.book}]}),
    );
    let paid = post(
        &mut api,
        &format!("/receipts/{}/finalize", buy["id"]),
        json!({"payments": [{"method": "gift_card", "amount": 1999, "reference": code.to_lowercase()}]}),
    );
    assert_eq!(paid["payments"][0]["reference"], code.as_str());
    assert_eq!(
        api.get(&format!("{API}/gift_cards/{code}")).json()["balance"],
        501
    );
    let more = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "lines": [{"kind": "product", "product_id": t.book}]}),
    );
    let before = app.disk_state("salon");
    for (reference, amount, said) in [
        (code.as_str(), 1000, "501 cents left"),
        ("GC-0000-0000-0000", 500, "not a gift card"),
    ] {
        let r = api.json(
            "POST",
            &format!("{API}/receipts/{}/finalize", more["id"]),
            &json!({"payments": [{"method": "gift_card", "amount": amount, "reference": reference}, {"method": "card", "amount": 1999 - amount}]}),
        );
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains(said), "{said}: {}", r.body);
    }
    assert_eq!(app.disk_state("salon"), before, "refusals write nothing");
    let back = api.json(
        "POST",
        &format!("{API}/receipts/{}/credit", sale["id"]),
        &json!({"session_id": t.session, "lines": [{"position": 0, "quantity": 1}]}),
    );
    assert_eq!(
        back.status, 422,
        "a sold gift card is spent, not taken back: {}",
        back.body
    );
    let x = api
        .get(&format!("{API}/sessions/{}/x_report", t.session))
        .json();
    assert_eq!(
        x["per_method"],
        json!([["card", 2500], ["gift_card", 1999]]),
        "{x}"
    );
    // Eva's 360 view: her receipt and what is left on her card.
    let (mut page, _) = app.login("salon", "lotte@salon.test", crate::support::PASSWORD);
    let shown = page.get(&format!("/t/salon/contacts/{}", eva["id"])).body;
    assert!(
        shown.contains("id=\"purchases-h\"") && shown.contains("Code 1-1"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("Gift card {code}: €5.01 left")),
        "{shown}"
    );
    let ok = onebox(&app.data_dir(), &["check"], &[], None);
    assert!(ok.status.success(), "{}", stdout(&ok));
}

#[test]
fn a_credit_receipt_pays_back_what_was_paid_with_the_receipts_discount() {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let t = till(&mut api);
    // Colour 80.00 and the book 19.99 with 10.00 off the whole: the book came to 17.99.
    let sale = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "discount": {"amount": 1000}, "lines": [
            {"kind": "free", "description": "Colour", "unit_price": 8000, "vat_code": "high"},
            {"kind": "product", "product_id": t.book}
        ]}),
    );
    let sale = post(
        &mut api,
        &format!("/receipts/{}/finalize", sale["id"]),
        json!({"payments": [{"method": "card", "amount": 8999}]}),
    );
    assert_eq!(sale["lines"][1]["gross"], 1799);
    let back = post(
        &mut api,
        &format!("/receipts/{}/credit", sale["id"]),
        json!({"session_id": t.session, "lines": [{"position": 1, "quantity": 1}]}),
    );
    let back = post(
        &mut api,
        &format!("/receipts/{}/finalize", back["id"]),
        json!({"payments": [{"method": "card", "amount": 1799}]}),
    );
    assert_eq!(back["total"], -1799, "{back}");
    // The same line again: nothing left to give back.
    let again = api.json(
        "POST",
        &format!("{API}/receipts/{}/credit", sale["id"]),
        &json!({"session_id": t.session, "lines": [{"position": 1, "quantity": 1}]}),
    );
    assert_eq!(again.status, 422, "{}", again.body);
}

#[test]
fn a_new_vat_rate_holds_from_its_day_and_the_journals_say_so() {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let t = till(&mut api);
    let today = crate::booking::amsterdam_today(&app);
    let before = app.disk_state("salon");
    for (body, field) in [
        (
            json!({"code": "low", "basis_points": 1100, "valid_from": "2020-01-01"}),
            "valid_from",
        ),
        (
            json!({"code": "exempt", "basis_points": 500, "valid_from": today.to_string()}),
            "code",
        ),
        (
            json!({"code": "low", "basis_points": 20000, "valid_from": today.to_string()}),
            "basis_points",
        ),
    ] {
        let r = api.json("POST", &format!("{API}/vat_rates"), &body);
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(app.disk_state("salon"), before, "refusals write nothing");
    post(
        &mut api,
        "/vat_rates",
        json!({"code": "low", "basis_points": 1100, "valid_from": today.to_string()}),
    );
    let rates = api.get(&format!("{API}/vat_rates")).json();
    let low: Vec<&Value> = rates["data"]
        .as_array()
        .expect("rates")
        .iter()
        .filter(|r| r["code"] == "low")
        .collect();
    assert_eq!(low.len(), 2, "{rates}");
    assert_eq!(
        low[0]["valid_until"],
        today.to_string(),
        "the old rate ends as the new one starts"
    );
    let d = post(
        &mut api,
        "/receipts",
        json!({"session_id": t.session, "lines": [{"kind": "product", "product_id": t.book}]}),
    );
    assert_eq!(d["lines"][0]["vat_rate"], 1100);
    let ok = onebox(&app.data_dir(), &["check"], &[], None);
    assert!(ok.status.success(), "{}", stdout(&ok));
    let conn = rusqlite::Connection::open(app.tenant_file("salon")).expect("open");
    let noted: i64 = conn
        .query_row(
            "SELECT count(*) FROM journal WHERE kind = 'vat.changed'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(noted, 1, "the register's journal has the change");
}
