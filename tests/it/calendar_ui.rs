//! Staff booking from the calendar's pages without JavaScript: a free quarter opens the form,
//! the form books, refusals come back in words with nothing written, the appointment page
//! moves it and takes it through its day, a no-show warns the next booking, and a weekly
//! series keeps its wall time across the clocks' change.

use crate::booking::{Salon, salon};
use crate::support::TestApp;
use crate::support::http::Client;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde_json::json;

fn contact(api: &mut Client, name: &str, email: &str) -> i64 {
    let made = api.json(
        "POST",
        "/t/salon/api/v1/contacts",
        &json!({"first_name": name, "email": email}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    made.json()["id"].as_i64().expect("an id")
}

/// Books through the form as the owner: the answer (303 to the appointment, or the form
/// again with why not).
fn book(
    s: &mut Salon,
    contact: i64,
    at: &str,
    extra: &[(&str, &str)],
) -> crate::support::http::Response {
    let page = format!("/t/salon/appointments/new?contact_id={contact}");
    let (who, cut) = (s.owner_id.to_string(), s.cut.to_string());
    let mut fields = vec![
        ("contact_id", contact.to_string()),
        ("staff_id", who),
        ("service_ids", cut),
        ("starts_at", at.to_string()),
    ];
    fields.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.owner.submit(&page, "/t/salon/appointments", &fields)
}

#[test]
fn staff_book_from_the_calendar_and_take_an_appointment_through_its_day() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let daan = contact(&mut api, "Daan", "daan@example.test");
    let day = s.day;

    // The day view: a column for the owner, whose free 09:00 (08:00 UTC in winter) opens
    // the form with that time in the viewer's zone.
    let cal = s
        .owner
        .get(&format!("/t/salon/calendar?view=day&date={day}"));
    assert_eq!(cal.status, 200, "{}", cal.body);
    assert!(cal.body.contains("Olga Owner"));
    let slot = format!(
        "appointments/new?staff_id={}&amp;starts_at={day}T08%3A00%3A00Z",
        s.owner_id
    );
    assert!(cal.body.contains(&slot), "{}", cal.body);
    let form = s.owner.get(&format!(
        "/t/salon/appointments/new?contact_id={daan}&staff_id={}&starts_at={day}T08:00:00Z",
        s.owner_id
    ));
    assert!(
        form.body.contains(&format!("value=\"{day}T09:00\"")),
        "{}",
        form.body
    );

    let booked = book(&mut s, daan, &format!("{day}T10:00"), &[("notify", "1")]);
    assert_eq!(booked.status, 303, "{}", booked.body);
    let at = crate::support::path_of(booked.location());
    let page = s.owner.get(&at);
    assert!(page.body.contains("Booked:"), "{}", page.body);
    assert!(
        page.body.contains("10:00") && page.body.contains("Arrived"),
        "{}",
        page.body
    );
    let cal = s
        .owner
        .get(&format!("/t/salon/calendar?view=day&date={day}"));
    assert!(cal.body.contains("10:00–10:45"), "{}", cal.body);
    // The service filter keeps the appointments with that service among theirs.
    let mut with = |service: &str| {
        s.owner.get(&format!(
            "/t/salon/calendar?view=day&date={day}&service_id={service}"
        ))
    };
    let cut = with(&s.cut.to_string());
    assert!(cut.body.contains("10:00–10:45"), "{}", cut.body);
    assert!(cut.body.contains("name=\"service_id\""), "{}", cut.body);
    let other = with(&(s.cut + 1000).to_string());
    assert_eq!(other.status, 200);
    assert!(!other.body.contains("10:00–10:45"), "{}", other.body);
    assert_eq!(with("cuts").status, 422);

    // The confirmation was mailed; the mailer's pass has ended before the disk is compared.
    let mails = app.smtp.wait_for(1);
    assert!(mails[0].text().contains("10:00"), "{}", mails[0].text());
    app.deliver_mail();

    // Refusals: the form again with why, and nothing on disk changes.
    let eva = contact(&mut api, "Eva", "");
    let before = app.disk_state("salon");
    for (at, extra, words) in [
        (
            format!("{day}T10:30"),
            vec![],
            "That time is already booked.",
        ),
        (
            format!("{day}T20:00"),
            vec![],
            "is not within the working hours",
        ),
        (
            format!("{day}T10:00"),
            vec![("repeat", "hourly")],
            "is not a way to repeat",
        ),
        ("next tuesday".to_string(), vec![], "Start"),
    ] {
        let refused = book(&mut s, eva, &at, &extra);
        assert_eq!(refused.status, 422, "{at}: {}", refused.body);
        assert!(refused.body.contains(words), "{words}: {}", refused.body);
        assert!(
            refused.body.contains("name=\"contact_id\" value=\""),
            "the form stays filled"
        );
    }
    assert_eq!(app.disk_state("salon"), before);

    // Double-booked on purpose: allowed for staff, and shown as such.
    let over = book(&mut s, eva, &format!("{day}T10:15"), &[("overbook", "1")]);
    assert_eq!(over.status, 303, "{}", over.body);
    let over_page = crate::support::path_of(over.location());
    assert!(s.owner.get(&over_page).body.contains("Booked over another"));

    // Moved by its page's form; a move into the lunch break is refused in words.
    let id = at.rsplit('/').next().expect("id").to_string();
    let moved = s.owner.submit(
        &at,
        &format!("/t/salon/appointments/{id}/move"),
        &[
            ("starts_at", &format!("{day}T14:00")),
            ("staff_id", &s.owner_id.to_string()),
        ],
    );
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert!(s.owner.get(&at).body.contains("Moved to"));
    let lunch = s.owner.submit(
        &at,
        &format!("/t/salon/appointments/{id}/move"),
        &[("starts_at", &format!("{day}T12:15"))],
    );
    assert_eq!(lunch.status, 303);
    let told = s.owner.get(&at);
    assert!(
        told.body.contains("is not within the working hours"),
        "{}",
        told.body
    );
    assert!(told.body.contains("14:00"), "it stayed where it was");

    // Its day: arrived, completed; completed again is refused and told.
    for (status, words) in [
        ("arrived", "is now arrived"),
        ("completed", "is now completed"),
    ] {
        let r = s.owner.submit(
            &at,
            &format!("/t/salon/appointments/{id}/status"),
            &[("status", status)],
        );
        assert_eq!(r.status, 303);
        assert!(s.owner.get(&at).body.contains(words), "{words}");
    }
    let again = s.owner.submit(
        &at,
        &format!("/t/salon/appointments/{id}/status"),
        &[("status", "arrived")],
    );
    assert_eq!(again.status, 303);
    assert!(
        s.owner
            .get(&at)
            .body
            .contains("cannot go from completed to arrived")
    );

    // Eva did not come: not to be said before her time, then her 360 view and her next
    // booking say so.
    let other = over_page.rsplit('/').next().expect("id").to_string();
    let early = s.owner.submit(
        &over_page,
        &format!("/t/salon/appointments/{other}/status"),
        &[("status", "no_show")],
    );
    assert_eq!(early.status, 303);
    assert!(
        s.owner
            .get(&over_page)
            .body
            .contains("once the appointment")
    );
    let start = chrono::NaiveDateTime::parse_from_str(&format!("{day}T10:30"), "%Y-%m-%dT%H:%M")
        .expect("a time")
        .and_local_timezone(chrono_tz::Europe::Amsterdam)
        .single()
        .expect("one time")
        .with_timezone(&chrono::Utc);
    app.clock.advance(start - app.app().now());
    // A week on, the owner's session has ended: they sign in again.
    let (again, signed) = app.login("salon", "lotte@salon.test", crate::support::PASSWORD);
    assert_eq!(signed.status, 303, "{}", signed.body);
    s.owner = again;
    assert!(s.owner.get(&over_page).body.contains("Did not come"));
    let r = s.owner.submit(
        &over_page,
        &format!("/t/salon/appointments/{other}/status"),
        &[("status", "no_show")],
    );
    assert_eq!(r.status, 303);
    let eva_page = s.owner.get(&format!("/t/salon/contacts/{eva}"));
    assert!(eva_page.body.contains("No-shows: 1"), "{}", eva_page.body);
    assert!(
        eva_page
            .body
            .contains(&format!("appointments/new?contact_id={eva}"))
    );
    let next = s
        .owner
        .get(&format!("/t/salon/appointments/new?contact_id={eva}"));
    assert!(
        next.body.contains("No-shows of this client before: 1."),
        "{}",
        next.body
    );

    // The client was mailed when booked (notify), with an invitation.
    app.deliver_mail();
    let mails = app.smtp.wait_for(1);
    assert!(
        mails
            .iter()
            .any(|m| m.to == vec!["daan@example.test".to_string()])
    );
}

/// The last Sunday of `month` on or after `from`'s year (the EU's change of clocks).
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let mut d = NaiveDate::from_ymd_opt(year, month + 1, 1).expect("a date") - Duration::days(1);
    while d.weekday() != Weekday::Sun {
        d -= Duration::days(1);
    }
    d
}

#[test]
fn a_weekly_series_keeps_its_wall_time_across_the_clocks_change_and_reports_taken_times() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let today = app.app().now().date_naive();
    let change = [(today.year(), 3), (today.year(), 10), (today.year() + 1, 3)]
        .into_iter()
        .map(|(y, m)| last_sunday(y, m))
        .find(|d| *d > today + Duration::days(21))
        .expect("a change ahead");
    let first = change - Duration::days(12); // the Tuesday two weeks before
    assert_eq!(first.weekday(), Weekday::Tue);
    let ann = contact(&mut api, "Ann", "");
    let bob = contact(&mut api, "Bob", "");
    // Bob already has the third Tuesday at 10:00: the series reports it and books the rest.
    let third = first + Duration::days(14);
    let taken = book(&mut s, bob, &format!("{third}T10:00"), &[]);
    assert_eq!(taken.status, 303, "{}", taken.body);
    let series = book(
        &mut s,
        ann,
        &format!("{first}T10:00"),
        &[("repeat", "weekly"), ("interval", "1"), ("count", "4")],
    );
    assert_eq!(series.status, 303, "{}", series.body);
    let week = s.owner.get(&crate::support::path_of(series.location()));
    assert!(
        week.body.contains("Booked 3 appointments."),
        "{}",
        week.body
    );
    assert!(
        week.body.contains("Not booked, the time being taken:"),
        "{}",
        week.body
    );
    let listed = api
        .get(&format!(
            "/t/salon/api/v1/appointments?from={first}T00:00:00Z&to={}T00:00:00Z&staff_id={}",
            first + Duration::days(28),
            s.owner_id
        ))
        .json();
    let ann_times: Vec<String> = listed["data"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|a| a["contact_id"] == ann)
        .map(|a| {
            let at = chrono::DateTime::parse_from_rfc3339(a["starts_at"].as_str().expect("a time"))
                .expect("a stamp");
            at.with_timezone(&chrono_tz::Europe::Amsterdam)
                .format("%F %H:%M")
                .to_string()
        })
        .collect();
    assert_eq!(
        ann_times,
        [0, 7, 21].map(|d| format!("{} 10:00", first + Duration::days(d))),
        "every time at 10:00 on the wall, before and after the change"
    );
    assert!(listed["data"][0]["series_id"].is_i64(), "{listed}");
}

#[test]
fn a_day_off_set_in_the_settings_empties_that_day_and_the_month_counts_bookings() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let day = s.day;
    let ann = contact(&mut api, "Ann", "");
    let booked = book(&mut s, ann, &format!("{day}T09:00"), &[]);
    assert_eq!(booked.status, 303, "{}", booked.body);
    let month = s
        .owner
        .get(&format!("/t/salon/calendar?view=month&date={day}"));
    assert!(month.body.contains("1 appointment"), "{}", month.body);

    let free = |api: &mut Client, on: NaiveDate| {
        api.get(&format!(
            "/t/salon/api/v1/availability?service_id={}&staff_id={}&from={on}&to={on}",
            s.cut, s.owner_id
        ))
        .json()["data"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let next = day + Duration::days(1);
    assert!(free(&mut api, next) > 0);
    let off = s.owner.submit(
        "/t/salon/settings/scheduling",
        &format!("/t/salon/settings/scheduling/exceptions/{}", s.owner_id),
        &[("day", &next.to_string()), ("times", "")],
    );
    assert_eq!(off.status, 303, "{}", off.body);
    assert_eq!(free(&mut api, next), 0, "a day off has no free times");
    let shown = s.owner.get("/t/salon/settings/scheduling");
    assert!(shown.body.contains("day off"), "{}", shown.body);
    let bad = s.owner.submit(
        "/t/salon/settings/scheduling",
        &format!("/t/salon/settings/scheduling/exceptions/{}", s.owner_id),
        &[("day", &next.to_string()), ("times", "ten till two")],
    );
    assert_eq!(bad.status, 303);
    let told = s.owner.get("/t/salon/settings/scheduling");
    assert!(
        told.body.contains("is not like 09:00–12:00, 13:00–17:00"),
        "{}",
        told.body
    );
}

#[test]
fn an_appointment_is_made_longer_on_its_page_without_javascript_and_a_bad_end_is_refused() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let contact = api
        .json(
            "POST",
            "/t/salon/api/v1/contacts",
            &json!({"first_name": "Ann"}),
        )
        .json()["id"]
        .clone();
    let made = api.json(
        "POST",
        "/t/salon/api/v1/appointments",
        &json!({"contact_id": contact, "staff_id": s.owner_id, "service_ids": [s.cut],
                "starts_at": crate::booking::stamp(s.day, 9, 0)}),
    );
    let id = made.json()["id"].as_i64().expect("an id");
    let page = format!("/t/salon/appointments/{id}");
    let longer = s.owner.submit(
        &page,
        &format!("{page}/move"),
        &[
            ("starts_at", &format!("{}T09:00", s.day)),
            ("ends_at", &format!("{}T10:30", s.day)),
            ("staff_id", ""),
        ],
    );
    assert_eq!(longer.status, 303, "{}", longer.body);
    let now = api
        .get(&format!("/t/salon/api/v1/appointments/{id}"))
        .json();
    assert_eq!(now["ends_at"], crate::booking::stamp(s.day, 10, 30));
    // Moved later without a new end, it keeps its new length.
    let moved = api.json(
        "POST",
        &format!("/t/salon/api/v1/appointments/{id}/move"),
        &json!({"starts_at": crate::booking::stamp(s.day, 13, 0)}),
    );
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(
        moved.json()["ends_at"],
        crate::booking::stamp(s.day, 14, 30)
    );
    let before = app.disk_state("salon");
    for end in [
        crate::booking::stamp(s.day, 12, 55),
        crate::booking::stamp(s.day + Duration::days(1), 13, 0),
        "soon".to_string(),
    ] {
        let refused = api.json(
            "POST",
            &format!("/t/salon/api/v1/appointments/{id}/move"),
            &json!({"starts_at": crate::booking::stamp(s.day, 13, 0), "ends_at": end}),
        );
        assert_eq!(refused.status, 422, "{end}: {}", refused.body);
        assert!(refused.body.contains("ends_at"), "{}", refused.body);
    }
    assert_eq!(app.disk_state("salon"), before, "refusals write nothing");
}
