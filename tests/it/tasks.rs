//! My tasks at any size: each part from its own query, counted, with a list of them all.

use crate::support::TestApp;
use chrono::{Duration, Timelike};
use onebox::domain::capability::Profile;
use serde_json::json;

#[test]
fn a_task_due_today_is_under_today_however_many_are_overdue() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    // Noon, so that "in an hour" is still today.
    let now = app.app().now();
    app.clock
        .advance(Duration::hours((36 - now.hour() as i64) % 24));
    let now = app.app().now();
    let stamp = |d: Duration| (now + d).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut api = app.api("acme", "owner@acme.test");
    let me = api.get("/t/acme/api/v1/me").json()["id"].clone();
    // More overdue tasks than the page ever loaded at once before.
    for i in 0..520 {
        let made = api.json(
            "POST",
            "/t/acme/api/v1/tasks",
            &json!({"title": format!("Old chore {i}"), "due_at": stamp(-Duration::days(3)), "assignee_id": me}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
    }
    for (title, due) in [
        ("Call back this afternoon", json!(stamp(Duration::hours(1)))),
        ("Visit next week", json!(stamp(Duration::days(7)))),
        ("Someday maybe", json!(null)),
    ] {
        let made = api.json(
            "POST",
            "/t/acme/api/v1/tasks",
            &json!({"title": title, "due_at": due, "assignee_id": me}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
    }

    let page = c.get("/t/acme/tasks/mine");
    assert_eq!(page.status, 200);
    let body = page.body;
    let at = |text: &str| body.find(text).unwrap_or_else(|| panic!("{text} missing"));
    let (overdue, today, later) = (
        at("id=\"overdue-h\""),
        at("id=\"today-h\""),
        at("id=\"upcoming-h\""),
    );
    assert!(
        overdue < today
            && today < at("Call back this afternoon")
            && at("Call back this afternoon") < later
    );
    assert!(later < at("Visit next week") && at("Visit next week") < at("Someday maybe"));
    // Counted in full, a bounded part shown, and the rest one click away.
    assert!(
        body.contains("Overdue <span class=\"count\">520</span>"),
        "{body}"
    );
    assert_eq!(
        body.matches("\">Old chore ").count(),
        20,
        "20 overdue tasks are shown"
    );
    let all =
        format!("/t/acme/tasks?assignee_id={me}&amp;status=open&amp;due=overdue&amp;sort=due_at");
    assert!(body.contains(&format!("href=\"{all}\"")) && body.contains("Show all 520"));
    let list = c.get(&all.replace("&amp;", "&"));
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("of 520"),
        "the list of all overdue tasks counts them"
    );

    // The API filters the same way.
    let due_today = api.get("/t/acme/api/v1/tasks?due=today").json();
    assert_eq!(due_today["total"], 1);
    assert_eq!(due_today["data"][0]["title"], "Call back this afternoon");
    assert_eq!(api.get("/t/acme/api/v1/tasks?due=later").json()["total"], 2);
    assert_eq!(api.get("/t/acme/api/v1/tasks?due=none").json()["total"], 1);
    let bad = api.get("/t/acme/api/v1/tasks?due=soon");
    assert_eq!(bad.status, 422);
    assert!(
        bad.json()["error"]["fields"]["due"].is_string(),
        "{}",
        bad.body
    );
}
