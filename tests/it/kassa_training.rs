//! The register's finer points: training mode (practice receipts that take no number and
//! move no totals, stock or journal figures, yet are journaled), each person's login at the
//! register journaled once per session, a sale's VAT rates as they are on the day it is
//! finalized, and the QR code on a printed receipt that finds it.

use crate::booking::salon;
use crate::support::http::Client;
use crate::support::{TestApp, onebox, stdout};
use chrono::Duration;
use onebox::domain::user::Role;
use serde_json::{Value, json};

const API: &str = "/t/salon/api/v1";

fn post(api: &mut Client, path: &str, body: Value) -> Value {
    let r = api.json("POST", &format!("{API}{path}"), &body);
    assert!(r.status < 300, "{path} {body}: {} {}", r.status, r.body);
    r.json()
}

/// The kinds of a register's journal rows, in order, and their events.
fn journal(app: &TestApp, register: i64) -> Vec<(String, Value)> {
    let conn = rusqlite::Connection::open(app.tenant_file("salon")).expect("open");
    let mut stmt = conn
        .prepare("SELECT kind, event FROM journal WHERE register_id = ?1 ORDER BY seq")
        .expect("prepare");
    stmt.query_map([register], |r| {
        let event: String = r.get(1)?;
        Ok((
            r.get(0)?,
            serde_json::from_str(&event).unwrap_or(Value::Null),
        ))
    })
    .expect("rows")
    .collect::<rusqlite::Result<_>>()
    .expect("journal")
}

/// A register "Front desk" with a session opened with 100.00, and a shampoo (10 in stock).
fn front_desk(api: &mut Client) -> (i64, i64, i64) {
    let shampoo = post(
        api,
        "/products",
        json!({"name": "Shampoo", "sku": "SH-1", "price": 1295, "stock": 10}),
    );
    let register = post(api, "/registers", json!({"name": "Front desk"}))["id"]
        .as_i64()
        .expect("a register");
    let session = post(
        api,
        &format!("/registers/{register}/sessions"),
        json!({"float": 10000}),
    )["id"]
        .as_i64()
        .expect("a session");
    (
        register,
        session,
        shampoo["id"].as_i64().expect("a product"),
    )
}

fn sell(api: &mut Client, session: i64, shampoo: i64) -> Value {
    let draft = post(
        api,
        "/receipts",
        json!({"session_id": session, "lines": [{"kind": "product", "product_id": shampoo}]}),
    );
    post(
        api,
        &format!("/receipts/{}/finalize", draft["id"]),
        json!({"payments": [{"method": "cash", "amount": 2000}]}),
    )
}

#[test]
fn training_receipts_take_no_number_and_move_no_totals_but_are_journaled() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let (register, session, shampoo) = front_desk(&mut api);
    app.add_user("salon", "mia@salon.test", Role::Member);
    let mut mia = app.api("salon", "mia@salon.test");
    let training = format!("{API}/registers/{register}/training");

    // Refused, and nothing written: a member, a missing or wrong `on`. (A token's first use
    // is noted, so each is used once before.)
    mia.get(&format!("{API}/registers"));
    let before = app.disk_state("salon");
    let r = mia.json("POST", &training, &json!({"on": true}));
    assert_eq!(r.status, 403, "{}", r.body);
    for body in [
        json!({}),
        json!({"on": "yes"}),
        json!({"on": true, "at": 1}),
    ] {
        let r = api.json("POST", &training, &body);
        assert_eq!(r.status, 422, "{body}: {}", r.body);
    }
    assert_eq!(app.disk_state("salon"), before, "refusals write nothing");

    let on = post(
        &mut api,
        &format!("/registers/{register}/training"),
        json!({"on": true}),
    );
    assert_eq!(on["training"], true, "{on}");
    let practice = sell(&mut mia, session, shampoo);
    assert_eq!(practice["training"], true, "{practice}");
    assert_eq!(
        practice["number"],
        Value::Null,
        "a training receipt takes no number"
    );
    assert_eq!(practice["status"], "void");
    assert_eq!(
        (practice["total"].clone(), practice["change"].clone()),
        (json!(1295), json!(705))
    );
    let page = s
        .owner
        .get(&format!("/t/salon/kassa/receipts/{}", practice["id"]));
    assert!(
        page.body.contains("not a receipt, no number"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("class=\"qr\""),
        "no code finds a practice receipt"
    );
    let reg = api.get(&format!("{API}/registers/{register}")).json();
    assert_eq!(reg["next_number"], 1, "{reg}");
    assert_eq!(reg["grand_totals"]["sales"], 0, "{reg}");
    let shelf = api.get(&format!("{API}/products")).json();
    assert_eq!(
        shelf["data"][0]["stock"], 10,
        "stock is not touched: {shelf}"
    );
    let x = api
        .get(&format!("{API}/sessions/{session}/x_report"))
        .json();
    assert_eq!(
        (
            x["receipts"].clone(),
            x["voided_drafts"].clone(),
            x["sales"].clone()
        ),
        (json!(0), json!(0), json!(0)),
        "{x}"
    );
    // A finalized practice receipt never changes either.
    let again = api.json(
        "POST",
        &format!("{API}/receipts/{}/finalize", practice["id"]),
        &json!({"payments": [{"method": "cash", "amount": 2000}]}),
    );
    assert_eq!(again.status, 409, "{}", again.body);

    // Off again from the kassa's page, with its form.
    let home = s.owner.get("/t/salon/kassa");
    assert!(home.body.contains("Stop training mode"), "{}", home.body);
    let off = s.owner.submit(
        "/t/salon/kassa",
        &format!("/t/salon/kassa/registers/{register}/training"),
        &[("on", "0")],
    );
    assert_eq!(off.status, 303, "{}", off.body);
    let home = s.owner.get("/t/salon/kassa");
    assert!(home.body.contains("checkouts count again"), "{}", home.body);
    assert!(home.body.contains("Start training mode"), "{}", home.body);
    let real = sell(&mut mia, session, shampoo);
    assert_eq!(
        (real["number"].clone(), real["training"].clone()),
        (json!(1), json!(false))
    );
    let x = api
        .get(&format!("{API}/sessions/{session}/x_report"))
        .json();
    assert_eq!(
        (x["receipts"].clone(), x["sales"].clone()),
        (json!(1), json!(1295)),
        "{x}"
    );

    let kinds: Vec<String> = journal(&app, register)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let at = |k: &str| kinds.iter().position(|x| x == k).unwrap_or(usize::MAX);
    assert!(
        at("training.on") < at("training.receipt")
            && at("training.receipt") < at("training.off")
            && at("training.off") < at("receipt.finalized"),
        "{kinds:?}"
    );
    let check = onebox(&app.data_dir(), &["check"], &[], None);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn each_person_signs_in_at_the_register_once_a_session_before_their_first_act() {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let (register, session, shampoo) = front_desk(&mut api);
    app.add_user("salon", "mia@salon.test", Role::Member);
    let mut mia = app.api("salon", "mia@salon.test");
    sell(&mut mia, session, shampoo);
    sell(&mut mia, session, shampoo);
    post(&mut api, &format!("/sessions/{session}/drawer"), json!({}));
    let rows = journal(&app, register);
    let logins: Vec<&Value> = rows
        .iter()
        .filter(|(k, _)| k == "operator.login")
        .map(|(_, e)| e)
        .collect();
    assert_eq!(logins.len(), 2, "the opener and Mia, once each: {rows:?}");
    let mia_id = logins[1]["user_id"].clone();
    assert_ne!(logins[0]["user_id"], mia_id);
    assert_eq!(logins[1]["session_id"], session);
    let kinds: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
    let first_sale = kinds
        .iter()
        .position(|k| *k == "receipt.finalized")
        .expect("a sale");
    let mia_login = rows
        .iter()
        .position(|(k, e)| k == "operator.login" && e["user_id"] == mia_id)
        .expect("Mia's login");
    assert!(mia_login < first_sale, "{kinds:?}");
    assert_eq!(rows[first_sale].1["by"], mia_id);

    // A new session: everyone signs in again.
    let z = api.json(
        "POST",
        &format!("{API}/sessions/{session}/close"),
        &json!({"count": {"5000": 2}}),
    );
    assert!(z.status < 300, "{}", z.body);
    let next = post(
        &mut api,
        &format!("/registers/{register}/sessions"),
        json!({"float": 0}),
    );
    sell(&mut mia, next["id"].as_i64().expect("a session"), shampoo);
    let logins = journal(&app, register)
        .into_iter()
        .filter(|(k, e)| k == "operator.login" && e["user_id"] == mia_id)
        .count();
    assert_eq!(logins, 2);
}

#[test]
fn a_sale_is_finalized_at_the_vat_rate_of_its_day_and_its_receipt_has_a_code_to_scan() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let (_, session, _) = front_desk(&mut api);
    let book = post(
        &mut api,
        "/products",
        json!({"name": "Hair book", "price": 1999, "vat_code": "low"}),
    );
    let draft = post(
        &mut api,
        "/receipts",
        json!({"session_id": session, "lines": [{"kind": "product", "product_id": book["id"]}]}),
    );
    assert_eq!(draft["lines"][0]["vat_rate"], 900);
    let tomorrow = (app.app().now() + Duration::days(1)).date_naive();
    post(
        &mut api,
        "/vat_rates",
        json!({"code": "low", "basis_points": 1100, "valid_from": tomorrow.to_string()}),
    );
    app.clock.advance(Duration::days(2));
    let done = post(
        &mut api,
        &format!("/receipts/{}/finalize", draft["id"]),
        json!({"payments": [{"method": "card", "amount": 1999}]}),
    );
    assert_eq!(done["lines"][0]["vat_rate"], 1100, "{done}");
    // 19.99 at 11 %: 1999 × 11 / 111 = 198.1, so 1.98.
    assert_eq!(done["lines"][0]["vat"], 198, "{done}");
    let check = onebox(&app.data_dir(), &["check"], &[], None);
    assert!(check.status.success(), "{}", stdout(&check));

    let page = s
        .owner
        .get(&format!("/t/salon/kassa/receipts/{}", done["id"]));
    let code = format!("{}-{}", done["register_id"], done["number"]);
    assert!(page.body.contains("class=\"qr\""), "{}", page.body);
    assert!(
        page.body.contains(&format!("aria-label=\"Code {code}\"")),
        "{}",
        page.body
    );
    let found = s.owner.get(&format!("/t/salon/kassa/find?code={code}"));
    assert_eq!(found.status, 303, "the code finds it: {}", found.body);
    assert!(
        found
            .location()
            .ends_with(&format!("/kassa/receipts/{}", done["id"])),
        "{}",
        found.location()
    );
}
