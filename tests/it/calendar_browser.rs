//! The calendar in a real browser: an appointment dragged to a free quarter moves there (the
//! server re-checks it), a drop onto a taken time is refused with the reason shown in place
//! and read out; the scheduling pages pass axe-core on a desktop and on a phone, where the
//! grid scrolls inside itself.

use crate::booking::{salon, stamp};
use crate::support::TestApp;
use crate::support::browser::Browser;
use serde_json::json;

const DRAG: &str = "const item = document.querySelector(`.appt[data-id=\"${arguments[0]}\"]`);
     const cell = document.querySelector(`td[data-at=\"${arguments[1]}\"]`);
     const data = new DataTransfer();
     item.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
     cell.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));
     cell.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
     window.stayed = true;";

/// Drags appointment `arguments[0]`'s bottom edge onto the quarter at `arguments[1]`, or, when
/// that is null, onto quarter `arguments[2]` of its own cell.
const RESIZE: &str = "const item = document.querySelector(`.appt[data-id=\"${arguments[0]}\"]`);
     const handle = item.querySelector('.resize');
     const cell = arguments[1] ? document.querySelector(`td.free[data-at=\"${arguments[1]}\"]`) : item.closest('td');
     const box = cell.getBoundingClientRect();
     const rows = Number(cell.dataset.rows || 1);
     const y = box.top + (arguments[1] ? 0.5 : arguments[2] + 0.5) * box.height / rows;
     const data = new DataTransfer();
     handle.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
     cell.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data, clientY: y}));
     cell.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data, clientY: y}));
     window.stayed = true;";

#[test]
fn an_appointment_dragged_to_a_free_time_moves_and_a_taken_one_is_refused_in_place() {
    let app = TestApp::start();
    let s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let mut ids = Vec::new();
    for (name, hour) in [("Ann", 9), ("Bob", 11)] {
        let contact = api
            .json(
                "POST",
                "/t/salon/api/v1/contacts",
                &json!({"first_name": name}),
            )
            .json()["id"]
            .clone();
        let made = api.json(
            "POST",
            "/t/salon/api/v1/appointments",
            &json!({"contact_id": contact, "staff_id": s.owner_id, "service_ids": [s.cut], "starts_at": stamp(s.day, hour, 0)}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
        ids.push(made.json()["id"].as_i64().expect("an id"));
    }
    let base = format!("http://{}/t/salon", app.addr());
    let mut browser = Browser::start(1280, 900);
    browser.sign_in(&base, "lotte@salon.test", crate::support::PASSWORD);
    browser.goto(&format!("{base}/calendar?view=day&date={}", s.day));
    browser.wait_for("table.calendar .appt[draggable]");

    // Ann to 14:00: moved, the grid redrawn in place, the message shown and read out.
    browser.eval(DRAG, json!([ids[0], stamp(s.day, 14, 0)]));
    browser.wait_until(
        "moved in place",
        "return window.stayed === true && document.querySelector('#main > .flash.success') !== null;",
    );
    let moved = api
        .get(&format!("/t/salon/api/v1/appointments/{}", ids[0]))
        .json();
    assert_eq!(moved["starts_at"], stamp(s.day, 14, 0), "{moved}");
    let status = browser.eval(
        "return document.getElementById('calendar-status').textContent;",
        json!([]),
    );
    assert!(
        status.as_str().unwrap_or("").contains("Moved to"),
        "{status}"
    );
    let shown = browser.eval(
        "return document.querySelector(`.appt[data-id=\"${arguments[0]}\"] .when`).textContent;",
        json!([ids[0]]),
    );
    assert_eq!(shown, json!("14:00–14:45"));

    // Ann onto 10:30, which runs into Bob's 11:00: refused, the reason in place, nothing moved.
    browser.eval(DRAG, json!([ids[0], stamp(s.day, 10, 30)]));
    browser.wait_until(
        "the refusal says why",
        "return window.stayed === true && (document.querySelector('#main > .flash.error') || {}).textContent?.includes('already booked');",
    );
    let kept = api
        .get(&format!("/t/salon/api/v1/appointments/{}", ids[0]))
        .json();
    assert_eq!(kept["starts_at"], stamp(s.day, 14, 0));

    // Ann's bottom edge dragged to the 15:15 quarter: she now ends at 15:30, still at 14:00.
    let ends = |api: &mut crate::support::http::Client| {
        api.get(&format!("/t/salon/api/v1/appointments/{}", ids[0]))
            .json()["ends_at"]
            .clone()
    };
    browser.eval("window.stayed = false; document.querySelectorAll('#main > .flash').forEach(f => f.remove());", json!([]));
    browser.eval(RESIZE, json!([ids[0], stamp(s.day, 15, 15), null]));
    browser.wait_until(
        "longer in place",
        "return window.stayed === true && document.querySelector('#main > .flash.success') !== null;",
    );
    assert_eq!(ends(&mut api), json!(stamp(s.day, 15, 30)));
    let shown = browser.eval(
        "return document.querySelector(`.appt[data-id=\"${arguments[0]}\"] .when`).textContent;",
        json!([ids[0]]),
    );
    assert_eq!(shown, json!("14:00–15:30"));
    // And onto its own second quarter: 14:00–14:30.
    browser.eval("window.stayed = false; document.querySelectorAll('#main > .flash').forEach(f => f.remove());", json!([]));
    browser.eval(RESIZE, json!([ids[0], null, 1]));
    browser.wait_until(
        "shorter in place",
        "return window.stayed === true && document.querySelector('#main > .flash.success') !== null;",
    );
    assert_eq!(ends(&mut api), json!(stamp(s.day, 14, 30)));
    let moved = api
        .get(&format!("/t/salon/api/v1/appointments/{}", ids[0]))
        .json();
    assert_eq!(moved["starts_at"], stamp(s.day, 14, 0), "the start stays");
}

#[test]
fn the_scheduling_pages_have_no_serious_accessibility_problems() {
    let app = TestApp::start();
    let s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let contact = api
        .json(
            "POST",
            "/t/salon/api/v1/contacts",
            &json!({"first_name": "Ann", "email": "ann@example.test"}),
        )
        .json()["id"]
        .clone();
    let made = api.json(
        "POST",
        "/t/salon/api/v1/appointments",
        &json!({"contact_id": contact, "staff_id": s.owner_id, "service_ids": [s.cut], "starts_at": stamp(s.day, 9, 0)}),
    );
    let id = made.json()["id"].clone();
    let base = format!("http://{}/t/salon", app.addr());
    let mut browser = Browser::start(1280, 900);
    browser.sign_in(&base, "lotte@salon.test", crate::support::PASSWORD);
    let axe = crate::support::axe::source();
    let day = s.day;
    let pages = [
        format!("/calendar?view=day&date={day}"),
        format!("/calendar?view=week&date={day}&staff_id={}", s.owner_id),
        format!("/calendar?view=month&date={day}"),
        format!("/appointments/{id}"),
        format!("/appointments/new?contact_id={contact}"),
        "/appointments/new?q=ann".to_string(),
        "/settings/scheduling".to_string(),
        format!("/book?service_id={}&week={day}", s.cut),
    ];
    for (width, height, dark) in [(1280, 900, false), (390, 844, true)] {
        browser.resize(width, height);
        browser.dark(dark);
        for page in &pages {
            browser.goto(&format!("{base}{page}"));
            browser.wait_for("#main");
            let found = crate::support::axe::serious_problems(&mut browser, &axe);
            assert_eq!(found, json!([]), "{page} at {width} px");
            // Nothing wider than the screen: a wide grid scrolls inside its own box.
            let wide = browser.eval(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1;",
                json!([]),
            );
            assert_eq!(
                wide,
                json!(true),
                "{page} at {width} px is wider than the screen"
            );
        }
    }
}

#[test]
fn a_visitor_in_another_zone_sees_each_free_time_in_theirs_too() {
    let app = TestApp::start();
    let s = salon(&app);
    let page = format!(
        "http://{}/t/salon/book?service_id={}&week={}",
        app.addr(),
        s.cut,
        s.day
    );
    let nine = stamp(s.day, 9, 0);
    let button = format!("button[data-at=\"{nine}\"]");
    let mut browser = Browser::start(1280, 900);
    browser.time_zone("America/New_York");
    browser.goto(&page);
    browser.wait_until(
        "the visitor's own time",
        "return !!document.querySelector('.local-time');",
    );
    let slot = browser.wait_for(&button);
    assert_eq!(
        browser.text(&slot),
        "09:00 (03:00)",
        "Amsterdam's 09:00 is 03:00 there"
    );
    let note = browser.wait_for("[data-booking-zone]");
    let note = browser.text(&note);
    assert!(
        note.contains("Europe/Amsterdam") && note.contains("Your own time (America/New_York)"),
        "{note}"
    );
    // In the business's own zone the times stand alone.
    browser.time_zone("Europe/Amsterdam");
    browser.goto(&page);
    let slot = browser.wait_for(&button);
    assert_eq!(browser.text(&slot), "09:00");
    assert_eq!(
        browser.eval(
            "return document.querySelectorAll('.local-time').length;",
            json!([])
        ),
        json!(0)
    );
}
