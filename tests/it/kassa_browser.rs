//! The kassa in a real browser on a tablet-sized screen: a walk-in checked out by typing a
//! product's SKU and paying card and cash (the change shown big, the Print button there),
//! and every kassa page free of serious accessibility problems on a tablet and a phone.

use crate::booking::salon;
use crate::support::TestApp;
use crate::support::browser::{Browser, key};
use serde_json::json;

#[test]
fn a_walk_in_is_checked_out_on_a_tablet_and_the_kassa_pages_pass_axe() {
    let app = TestApp::start();
    salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let product = api.json(
        "POST",
        "/t/salon/api/v1/products",
        &json!({"name": "Shampoo", "sku": "SH-1", "price": 1295}),
    );
    assert_eq!(product.status, 201, "{}", product.body);
    let register = api
        .json(
            "POST",
            "/t/salon/api/v1/registers",
            &json!({"name": "Front desk"}),
        )
        .json()["id"]
        .clone();
    let session = api
        .json(
            "POST",
            &format!("/t/salon/api/v1/registers/{register}/sessions"),
            &json!({"float": 5000}),
        )
        .json()["id"]
        .clone();
    let base = format!("http://{}/t/salon", app.addr());
    let mut browser = Browser::start(820, 1180);
    browser.sign_in(&base, "lotte@salon.test", crate::support::PASSWORD);
    browser.goto(&format!("{base}/kassa/sessions/{session}"));
    let new = browser.wait_for("form[action$='/checkout'] button");
    browser.click(&new);
    let product = browser.wait_for("#f-product");
    browser.type_into(&product, "SH-1");
    browser.press(&[key::ENTER]);
    browser.wait_until(
        "the shampoo on the receipt",
        "return document.querySelector('[data-total]')?.dataset.total === '1295';",
    );
    let card = browser.wait_for("#f-card");
    browser.type_into(&card, "5,00");
    let cash = browser.wait_for("#f-cash");
    browser.type_into(&cash, "10,00");
    browser.press(&[key::ENTER]);
    browser.wait_for(".printed-receipt");
    // 7.95 due in cash (already a multiple of 5 cents), 2.05 back.
    let change = browser.eval(
        "return document.querySelector('.printed-receipt tr.change td').textContent;",
        json!([]),
    );
    assert_eq!(change, json!("€2.05"));
    let print = browser.eval(
        "const b = document.querySelector('[data-print]'); return b && b.offsetParent !== null;",
        json!([]),
    );
    assert_eq!(print, json!(true), "the Print button shows");
    let receipt = browser.url();
    let axe = crate::support::axe::source();
    let pages = [
        format!("{base}/kassa"),
        format!("{base}/kassa/sessions/{session}"),
        format!("{base}/kassa/sessions/{session}/x"),
        format!("{base}/kassa/reports"),
        receipt,
    ];
    crate::support::axe::pages_pass(&mut browser, &pages, &[(820, 1180), (390, 844)]);
    // A draft's checkout page too.
    browser.goto(&format!("{base}/kassa/sessions/{session}"));
    let new = browser.wait_for("form[action$='/checkout'] button");
    browser.click(&new);
    browser.wait_for("#f-product");
    let found = crate::support::axe::serious_problems(&mut browser, &axe);
    assert_eq!(found, json!([]), "the checkout at 390 px");
}
