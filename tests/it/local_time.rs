//! Times in the viewer's time zone: shown, typed and "today" in it, while the store and the
//! API keep UTC.

use crate::support::TestApp;
use chrono::{Datelike, Duration, NaiveTime};
use onebox::domain::capability::Profile;
use serde_json::json;

#[test]
fn a_user_in_amsterdam_reads_and_types_local_times_and_has_a_local_today() {
    let app = TestApp::start();
    let mut c = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    // 23:30 UTC: already the next day in Amsterdam (UTC+1 in winter, +2 in summer).
    let now = app.app().now();
    let mut evening = now
        .date_naive()
        .and_time(NaiveTime::from_hms_opt(23, 30, 0).expect("a time"));
    if evening.and_utc() < now {
        evening += Duration::days(1);
    }
    app.clock.advance(evening.and_utc() - now);
    let mut api = app.api("acme", "owner@acme.test");
    let me = api.get("/t/acme/api/v1/me").json()["id"].clone();
    // Due at 10:30 UTC tomorrow: later today for Amsterdam, tomorrow for UTC.
    let due = (evening + Duration::hours(11)).and_utc();
    let due_text = due.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let task = api.json(
        "POST",
        "/t/acme/api/v1/tasks",
        &json!({"title": "Call the supplier", "due_at": due_text, "assignee_id": me}),
    );
    assert_eq!(task.status, 201, "{}", task.body);
    let task = task.json()["id"].as_i64().expect("task id");
    let part_of = |body: &str| {
        let (today, upcoming) = (body.find("id=\"today-h\""), body.find("id=\"upcoming-h\""));
        let at = body.find("Call the supplier").expect("the task is listed");
        match (today, upcoming) {
            (Some(t), Some(u)) if t < at && at < u => "today",
            (_, Some(u)) if u < at => "upcoming",
            _ => "elsewhere",
        }
    };
    let mine = c.get("/t/acme/tasks/mine").body;
    assert_eq!(
        part_of(&mine),
        "upcoming",
        "in UTC, the task is due tomorrow"
    );
    assert!(mine.contains("Times are in UTC"));

    // A zone that does not exist is refused in words, and nothing changes.
    let refused = c.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/time-zone",
        &[("time_zone", "Mars/Olympus")],
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("is not a time zone"),
        "{}",
        refused.body
    );
    assert!(c.get("/t/acme/contacts").body.contains("Times are in UTC"));
    let saved = c.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/time-zone",
        &[("time_zone", "Europe/Amsterdam")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);

    let mine = c.get("/t/acme/tasks/mine").body;
    assert_eq!(
        part_of(&mine),
        "today",
        "in Amsterdam, it is due later today"
    );
    assert!(mine.contains("Times are in Europe/Amsterdam"));
    let local = due.with_timezone(&chrono_tz::Europe::Amsterdam);
    assert!(
        mine.contains(&format!(
            "title=\"{}\">today {}</time>",
            local.format("%-d %b %Y, %H:%M"),
            local.format("%H:%M")
        )),
        "the due time reads in Amsterdam's time, beside today: {mine}"
    );
    let edit = c.get(&format!("/t/acme/tasks/{task}/edit")).body;
    assert!(
        edit.contains(&format!("value=\"{}\"", local.format("%Y-%m-%dT%H:%M"))),
        "the form shows the local time to change"
    );

    // A call logged at 19:50 on a winter evening in Amsterdam happened at 18:50 UTC, and
    // reads 19:50 on the page.
    let contact = api
        .json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": "Ann"}),
        )
        .json()["id"]
        .as_i64()
        .expect("contact id");
    let page = format!("/t/acme/contacts/{contact}");
    let logged = c.submit(
        &page,
        &format!("{page}/activities"),
        &[
            ("kind", "call"),
            ("occurred_at", "2026-01-15T19:50"),
            ("outcome", "Interested"),
            ("body", ""),
        ],
    );
    assert_eq!(logged.status, 303, "{}", logged.body);
    let entries = api
        .get(&format!(
            "/t/acme/api/v1/activities?contact_id={contact}&kind=call"
        ))
        .json();
    assert_eq!(entries["data"][0]["occurred_at"], "2026-01-15T18:50:00Z");
    assert!(c.get(&page).body.contains("15 Jan 2026, 19:50"));
    // In summer Amsterdam is two hours ahead: a task due 09:00 local is 07:00 UTC.
    let summer = c.submit(
        "/t/acme/tasks/new",
        "/t/acme/tasks",
        &[("title", "Summer visit"), ("due_at", "2026-07-01T09:00")],
    );
    assert_eq!(summer.status, 303, "{}", summer.body);
    let found = api.get("/t/acme/api/v1/tasks?q=summer").json();
    assert_eq!(
        found["data"][0]["due_at"], "2026-07-01T07:00:00Z",
        "{found}"
    );
}

/// "This month" on the dashboard is the viewer's month: a deal won at 23:30 on the month's
/// last evening in Amsterdam counts for that month; ten minutes past midnight there the new
/// month has none, while UTC's month (not over yet) still has it.
#[test]
fn the_dashboards_months_are_the_viewers_months() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    // The last day of this month in UTC, and when the next month starts in Amsterdam on it
    // (23:00 or 22:00 UTC).
    let now = app.app().now();
    let mut last = now.date_naive();
    let next_month = loop {
        while (last + Duration::days(1)).month() == last.month() {
            last += Duration::days(1);
        }
        let starts = chrono::TimeZone::from_local_datetime(
            &chrono_tz::Europe::Amsterdam,
            &(last + Duration::days(1)).and_time(NaiveTime::MIN),
        )
        .single()
        .expect("a local midnight")
        .with_timezone(&chrono::Utc);
        if starts - Duration::minutes(30) > now {
            break starts;
        }
        // Too late this month already (a run on its last evening): the next one.
        last += Duration::days(1);
    };
    app.clock.advance(next_month - Duration::minutes(30) - now);
    // Weeks later the session has ended: sign in again.
    let (mut c, _) = app.login("acme", "owner@acme.test", crate::support::PASSWORD);
    let mut api = app.api("acme", "owner@acme.test");
    let won = api.json(
        "POST",
        "/t/acme/api/v1/deals",
        &json!({"title": "Late win", "amount": 50000, "stage_id": 5}),
    );
    assert_eq!(won.status, 201, "{}", won.body);
    app.clock.advance(Duration::minutes(40));
    // Ten past midnight in Amsterdam, still the old month in UTC.
    let late = api.json(
        "POST",
        "/t/acme/api/v1/deals",
        &json!({"title": "Midnight win", "amount": 70000, "stage_id": 5}),
    );
    assert_eq!(late.status, 201, "{}", late.body);
    let won_this_month = |c: &mut crate::support::http::Client| {
        let page = c.get("/t/acme/?period=month");
        assert_eq!(page.status, 200, "{}", page.body);
        let html = page.body;
        let at = html
            .find("<p class=\"label\">Won</p>")
            .expect("the Won figure");
        let rest = &html[at..];
        let v = rest.find("<p class=\"value\"").expect("value");
        let v = v + rest[v..].find('>').expect("tag") + 1;
        rest[v..v + rest[v..].find('<').expect("end")].to_string()
    };
    // The monthly chart (its table for screen readers): a month and what was won in it.
    let chart_row = |month: chrono::NaiveDate, won: &str| {
        format!(
            "<th scope=\"row\">{}</th><td>{won}</td>",
            month.format("%b %Y")
        )
    };
    let (old, new) = (last, last + Duration::days(1));
    assert_eq!(
        won_this_month(&mut c),
        "€1,200",
        "both wins are in UTC's month"
    );
    let home = c.get("/t/acme/").body;
    assert!(
        home.contains(&chart_row(old, "1.2k")),
        "UTC's months in the chart: {home}"
    );
    assert!(!home.contains(&chart_row(new, "0")) && !home.contains(&chart_row(new, "700")));
    let saved = c.submit(
        "/t/acme/settings/password",
        "/t/acme/settings/time-zone",
        &[("time_zone", "Europe/Amsterdam")],
    );
    assert_eq!(saved.status, 303);
    assert_eq!(
        won_this_month(&mut c),
        "€700",
        "Amsterdam's new month has the late win only"
    );
    let home = c.get("/t/acme/").body;
    assert!(
        home.contains(&chart_row(old, "500")),
        "Amsterdam's months in the chart: {home}"
    );
    assert!(home.contains(&chart_row(new, "700")));
}
