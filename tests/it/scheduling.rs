//! Scheduling's rules through the real app on a real file: services, working hours, free
//! slots, and bookings that can never double-book, not even twenty at once.

use crate::support::TestApp;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use onebox::app::scheduling::Booking;
use onebox::domain::capability::Profile;
use onebox::domain::ids::{ContactId, ServiceId};
use onebox::domain::scheduling::availability::{Span, WeeklyHours};
use onebox::domain::scheduling::{FeedScope, NewService};
use onebox::error::Error;
use serde_json::json;
use std::sync::{Arc, Barrier};

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a time")
}

/// A salon in Amsterdam: its owner works Monday to Friday 09:00–17:00 with lunch 12:00–13:00;
/// a cut of 45 minutes with 15 minutes to tidy up after. The owner, the cut and the next
/// Tuesday at least a week away.
fn salon(app: &TestApp) -> (onebox::domain::user::User, ServiceId, NaiveDate) {
    app.tenant_with_owner("salon", Profile::Healthcare, "lotte@salon.test");
    let tenant = app
        .app()
        .tenant(&onebox::domain::slug::Slug::parse("salon").expect("slug"))
        .expect("tenant");
    let owner = app
        .app()
        .user_by_email(&tenant.db, "lotte@salon.test")
        .expect("owner");
    let cut = app
        .app()
        .add_service(
            &tenant,
            &owner,
            NewService {
                name: "Cut".into(),
                minutes: 45,
                buffer_before: 0,
                buffer_after: 15,
                price: 4500,
                vat_rate: 2100,
                online: true,
                ..NewService::default()
            },
        )
        .expect("a service");
    let mut hours = WeeklyHours::default();
    for d in 0..5 {
        hours.days[d] = vec![
            Span {
                start: t(9, 0),
                end: t(12, 0),
            },
            Span {
                start: t(13, 0),
                end: t(17, 0),
            },
        ];
    }
    app.app()
        .set_working_hours(&tenant, &owner, owner.id, &hours)
        .expect("hours");
    let mut day = app.app().now().date_naive() + Duration::days(7);
    while day.weekday() != Weekday::Tue {
        day += Duration::days(1);
    }
    (owner, cut, day)
}

fn booking_of<'a>(
    contact: ContactId,
    staff: onebox::domain::ids::UserId,
    services: &'a [ServiceId],
    starts_at: &'a str,
) -> Booking<'a> {
    Booking {
        contact_id: contact,
        staff_id: staff,
        services,
        starts_at,
        notes: "",
        overbook: false,
        notify: false,
        deal_id: None,
    }
}

fn set_zone(app: &TestApp) {
    let tenant = app
        .app()
        .tenant(&onebox::domain::slug::Slug::parse("salon").expect("slug"))
        .expect("tenant");
    let owner = app
        .app()
        .user_by_email(&tenant.db, "lotte@salon.test")
        .expect("owner");
    app.app()
        .update_account(
            &tenant,
            &owner,
            "Salon",
            Profile::Healthcare,
            "Europe/Amsterdam",
            &[],
        )
        .expect("zone");
}

#[test]
fn free_slots_follow_the_hours_and_a_booking_takes_its_time_and_buffer() {
    let app = TestApp::start();
    let (owner, cut, day) = salon(&app);
    set_zone(&app);
    let tenant = app
        .app()
        .tenant(&onebox::domain::slug::Slug::parse("salon").expect("slug"))
        .expect("tenant");
    let contact = app.api("salon", "lotte@salon.test").json(
        "POST",
        "/t/salon/api/v1/contacts",
        &json!({"first_name": "Sanne", "email": "sanne@example.nl"}),
    );
    let contact = ContactId(contact.json()["id"].as_i64().expect("a contact"));
    let slots = app
        .app()
        .free_slots(&tenant, Some(owner.id), &[cut], (day, day))
        .expect("slots")
        .iter()
        .map(|s| s.start)
        .collect::<Vec<_>>();
    let local = |s: &chrono::DateTime<chrono::Utc>| {
        s.with_timezone(&chrono_tz::Europe::Amsterdam)
            .format("%H:%M")
            .to_string()
    };
    let shown: Vec<String> = slots.iter().map(local).collect();
    assert_eq!(shown.first().map(String::as_str), Some("09:00"));
    assert!(
        shown.contains(&"11:00".to_string()) && !shown.contains(&"11:30".to_string()),
        "{shown:?}"
    );
    assert_eq!(shown.last().map(String::as_str), Some("16:00"), "{shown:?}");

    let ten = slots
        .iter()
        .find(|s| local(s) == "10:00")
        .expect("10:00")
        .to_owned();
    let cuts = [cut];
    let booking = |at| booking_of(contact, owner.id, &cuts, at);
    let stamp = onebox::clock::stamp(ten);
    app.app()
        .book(&tenant, &owner, &booking(&stamp))
        .expect("booked");
    // 10:00–10:45 and its tidying until 11:00: 09:30 (till 10:15) and 10:30 are gone, 11:00 is free.
    let after: Vec<String> = app
        .app()
        .free_slots(&tenant, Some(owner.id), &[cut], (day, day))
        .expect("slots")
        .iter()
        .map(|s| s.start)
        .collect::<Vec<_>>()
        .iter()
        .map(local)
        .collect();
    assert!(
        !after.contains(&"09:30".to_string())
            && !after.contains(&"10:00".to_string())
            && !after.contains(&"10:30".to_string()),
        "{after:?}"
    );
    assert!(
        after.contains(&"09:00".to_string()) && after.contains(&"11:00".to_string()),
        "{after:?}"
    );

    // The same slot again: refused as taken; lunch and a day off: refused as outside hours.
    let again = app.app().book(&tenant, &owner, &booking(&stamp));
    assert!(matches!(again, Err(Error::Conflict(_))), "{again:?}");
    let lunch = onebox::clock::stamp(ten + Duration::hours(2) + Duration::minutes(15));
    let refused = app
        .app()
        .book(&tenant, &owner, &booking(&lunch))
        .expect_err("lunch");
    assert_eq!(refused.field_errors()[0].field, "starts_at", "{refused:?}");
    let saturday = onebox::clock::stamp(ten + Duration::days(4));
    assert!(
        app.app()
            .book(&tenant, &owner, &booking(&saturday))
            .is_err()
    );
    let nobody = Booking {
        contact_id: ContactId(9_999),
        ..booking(&stamp)
    };
    assert_eq!(
        app.app()
            .book(&tenant, &owner, &nobody)
            .expect_err("no contact")
            .field_errors()[0]
            .field,
        "contact_id"
    );
}

#[test]
fn twenty_bookings_of_one_slot_at_once_make_exactly_one_appointment() {
    let app = TestApp::start();
    let (owner, cut, day) = salon(&app);
    let tenant = app
        .app()
        .tenant(&onebox::domain::slug::Slug::parse("salon").expect("slug"))
        .expect("tenant");
    let mut api = app.api("salon", "lotte@salon.test");
    let contacts: Vec<ContactId> = (0..20)
        .map(|i| {
            let made = api.json(
                "POST",
                "/t/salon/api/v1/contacts",
                &json!({"first_name": format!("Klant {i}")}),
            );
            ContactId(made.json()["id"].as_i64().expect("a contact"))
        })
        .collect();
    let slot = app
        .app()
        .free_slots(&tenant, Some(owner.id), &[cut], (day, day))
        .expect("slots")
        .iter()
        .map(|s| s.start)
        .collect::<Vec<_>>()[2];
    let at = onebox::clock::stamp(slot);
    let start = Arc::new(Barrier::new(contacts.len()));
    let outcomes: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = contacts
            .iter()
            .map(|contact| {
                let (start, tenant, owner, at) =
                    (start.clone(), tenant.clone(), owner.clone(), at.clone());
                let app = app.app();
                s.spawn(move || {
                    start.wait();
                    let b = Booking {
                        contact_id: *contact,
                        staff_id: owner.id,
                        services: &[cut],
                        starts_at: &at,
                        notes: "",
                        overbook: false,
                        notify: false,
                        deal_id: None,
                    };
                    match app.book(&tenant, &owner, &b) {
                        Ok(_) => true,
                        Err(Error::Conflict(_)) => false,
                        Err(e) => panic!("refused otherwise: {e:?}"),
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a thread"))
            .collect()
    });
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{outcomes:?}");
    let db = tenant.db.conn().expect("conn");
    assert_eq!(
        onebox::store::appointments::count_busy(&db, owner.id).expect("count"),
        1
    );
}

#[test]
fn twenty_bookings_of_one_slot_over_http_give_one_201_and_nineteen_409s() {
    let app = TestApp::start();
    let (owner, cut, day) = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let contacts: Vec<i64> = (0..20)
        .map(|i| {
            let made = api.json(
                "POST",
                "/t/salon/api/v1/contacts",
                &json!({"first_name": format!("Klant {i}")}),
            );
            made.json()["id"].as_i64().expect("a contact")
        })
        .collect();
    let free = api
        .get(&format!(
            "/t/salon/api/v1/availability?service_id={cut}&staff_id={}&from={day}&to={day}",
            owner.id
        ))
        .json();
    let slot = free["data"][3]["starts_at"].clone();
    assert!(slot.is_string(), "{free}");
    let start = Barrier::new(contacts.len());
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = contacts
            .iter()
            .map(|contact| {
                let (start, slot) = (&start, slot.clone());
                let mut client = app.api("salon", "lotte@salon.test");
                s.spawn(move || {
                    start.wait();
                    let body = json!({"contact_id": contact, "staff_id": owner.id.0, "service_ids": [cut.0], "starts_at": slot});
                    client.json("POST", "/t/salon/api/v1/appointments", &body).status
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a thread"))
            .collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        19,
        "{statuses:?}"
    );
    let after = api
        .get(&format!(
            "/t/salon/api/v1/availability?service_id={cut}&staff_id={}&from={day}&to={day}",
            owner.id
        ))
        .json();
    assert!(
        !after["data"]
            .as_array()
            .expect("slots")
            .iter()
            .any(|s| s["starts_at"] == slot),
        "the slot is gone"
    );
    // Bad input is refused by its field, and the API says which.
    let bad = api.json(
        "POST",
        "/t/salon/api/v1/appointments",
        &json!({"contact_id": contacts[0], "staff_id": owner.id.0, "service_ids": [], "starts_at": slot}),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("service_ids"), "{}", bad.body);
    let later = api.get(&format!(
        "/t/salon/api/v1/availability?service_id={cut}&staff_id={}&from={day}&to=soon",
        owner.id
    ));
    assert_eq!(later.status, 422);
}

#[test]
fn a_private_feed_lists_someones_appointments_until_it_is_revoked() {
    let app = TestApp::start();
    let (owner, cut, day) = salon(&app);
    set_zone(&app);
    let tenant = app
        .app()
        .tenant(&onebox::domain::slug::Slug::parse("salon").expect("slug"))
        .expect("tenant");
    let mut api = app.api("salon", "lotte@salon.test");
    let contact = api.json(
        "POST",
        "/t/salon/api/v1/contacts",
        &json!({"first_name": "Sanne", "last_name": "de Vries"}),
    );
    let contact = ContactId(contact.json()["id"].as_i64().expect("a contact"));
    let slot = app
        .app()
        .free_slots(&tenant, Some(owner.id), &[cut], (day, day))
        .expect("slots")
        .iter()
        .map(|s| s.start)
        .collect::<Vec<_>>()[0];
    let at = onebox::clock::stamp(slot);
    let id = app
        .app()
        .book(&tenant, &owner, &booking_of(contact, owner.id, &[cut], &at))
        .expect("booked");

    let token = app
        .app()
        .create_calendar_feed(&tenant, &owner, FeedScope::Own)
        .expect("a feed");
    // The token itself is nowhere on disk, only its hash.
    let db = std::fs::read(app.tenant_file("salon")).expect("the file");
    assert!(
        !db.windows(token.len()).any(|w| w == token.as_bytes()),
        "the raw token is not stored"
    );
    let mut visitor = app.client();
    let feed = visitor.get(&format!("/t/salon/calendar/{token}.ics"));
    assert_eq!(feed.status, 200, "{}", feed.body);
    assert!(
        feed.header("Content-Type")
            .is_some_and(|t| t.starts_with("text/calendar"))
    );
    let cal = ical::IcalParser::new(std::io::BufReader::new(feed.body.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("it parses");
    assert_eq!(cal.events.len(), 1);
    let props = &cal.events[0].properties;
    let value = |name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("UID"), format!("appointment-{id}@salon.onebox"));
    assert_eq!(value("SUMMARY"), "Cut · Sanne de Vries");
    let local = slot
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%Y%m%dT%H%M%S")
        .to_string();
    assert_eq!(value("DTSTART"), local, "in the workspace's zone");
    assert_eq!(
        cal.timezones[0]
            .properties
            .iter()
            .find(|p| p.name == "TZID")
            .and_then(|p| p.value.clone())
            .as_deref(),
        Some("Europe/Amsterdam")
    );

    // A wrong token and a revoked one open nothing.
    assert_eq!(
        visitor
            .get(&format!("/t/salon/calendar/{}.ics", "0".repeat(64)))
            .status,
        404
    );
    assert_eq!(visitor.get("/t/salon/calendar/not-a-token.ics").status, 404);
    app.app()
        .revoke_calendar_feeds(&tenant, &owner, FeedScope::Own)
        .expect("revoked");
    assert_eq!(
        visitor
            .get(&format!("/t/salon/calendar/{token}.ics"))
            .status,
        404
    );
}

#[test]
fn an_appointment_moves_through_its_life_and_a_cancelled_one_frees_its_time() {
    let app = TestApp::start();
    let (owner, cut, day) = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let contact = api.json(
        "POST",
        "/t/salon/api/v1/contacts",
        &json!({"first_name": "Daan"}),
    );
    let contact = contact.json()["id"].as_i64().expect("a contact");
    let free = |api: &mut crate::support::http::Client| -> Vec<String> {
        api.get(&format!(
            "/t/salon/api/v1/availability?service_id={cut}&staff_id={}&from={day}&to={day}",
            owner.id
        ))
        .json()["data"]
            .as_array()
            .expect("slots")
            .iter()
            .map(|s| s["starts_at"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let slot = free(&mut api)[0].clone();
    let booked = api.json(
        "POST",
        "/t/salon/api/v1/appointments",
        &json!({"contact_id": contact, "staff_id": owner.id.0, "service_ids": [cut.0], "starts_at": slot}),
    );
    assert_eq!(booked.status, 201, "{}", booked.body);
    let id = booked.json()["id"].as_i64().expect("an id");
    let status = |api: &mut crate::support::http::Client, to: &str, reason: &str| {
        api.json(
            "POST",
            &format!("/t/salon/api/v1/appointments/{id}/status"),
            &json!({"status": to, "reason": reason}),
        )
    };
    // Completed before arriving: refused, nothing changes.
    let before = app.disk_state("salon");
    let early = status(&mut api, "completed", "");
    assert_eq!(early.status, 422, "{}", early.body);
    assert!(
        early.body.contains("cannot go from confirmed to completed"),
        "{}",
        early.body
    );
    assert_eq!(app.disk_state("salon"), before);
    assert!(!free(&mut api).contains(&slot));
    // Cancelled with its reason: the time is free again and the list says why.
    let cancelled = status(&mut api, "cancelled", "Ziek");
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    assert_eq!(cancelled.json()["cancel_reason"], "Ziek");
    assert!(free(&mut api).contains(&slot), "the time is free again");
    let listed = api
        .get(&format!(
            "/t/salon/api/v1/appointments?from={day}T00:00:00Z&to={}T00:00:00Z&status=cancelled",
            day + Duration::days(1)
        ))
        .json();
    assert_eq!(listed["data"][0]["id"], id, "{listed}");
    assert_eq!(
        status(&mut api, "confirmed", "").status,
        422,
        "a cancellation is final"
    );
    let wide = api.get(&format!(
        "/t/salon/api/v1/appointments?from={day}T00:00:00Z&to={}T00:00:00Z",
        day + Duration::days(200)
    ));
    assert_eq!(wide.status, 422, "{}", wide.body);
}

#[test]
fn hours_and_days_off_are_set_through_the_api_and_bad_ones_are_refused_by_field() {
    let app = TestApp::start();
    let (owner, cut, day) = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let path = format!("/t/salon/api/v1/schedules/{}", owner.id);
    let shown = api.get(&path).json();
    assert_eq!(
        shown["hours"]["tuesday"][1],
        json!({"starts": "13:00", "ends": "17:00"}),
        "{shown}"
    );
    assert_eq!(shown["hours"]["sunday"], json!([]));
    let before = app.disk_state("salon");
    for (body, field) in [
        (
            json!({"hours": {"tuesday": [{"starts": "17:00", "ends": "09:00"}]}}),
            "hours.tuesday",
        ),
        (json!({"hours": {"funday": []}}), "hours.funday"),
        (json!({"hours": {"monday": "all day"}}), "hours.monday"),
    ] {
        let refused = api.json("PUT", &path, &body);
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains(field), "{field}: {}", refused.body);
    }
    assert_eq!(app.disk_state("salon"), before, "refusals write nothing");
    // Tuesdays only in the afternoon now, and the day asked about is a day off.
    let afternoon = api.json(
        "PUT",
        &path,
        &json!({"hours": {"tuesday": [{"starts": "13:00", "ends": "17:00"}]}}),
    );
    assert_eq!(afternoon.status, 200, "{}", afternoon.body);
    assert_eq!(afternoon.json()["hours"]["monday"], json!([]));
    let slots = |api: &mut crate::support::http::Client| {
        api.get(&format!(
            "/t/salon/api/v1/availability?service_id={cut}&staff_id={}&from={day}&to={day}",
            owner.id
        ))
        .json()["data"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(slots(&mut api), 7, "13:00 to 16:00 by half hours");
    let off = api.json(
        "POST",
        &format!("{path}/exceptions"),
        &json!({"day": day.to_string(), "spans": []}),
    );
    assert_eq!(off.status, 200, "{}", off.body);
    assert_eq!(slots(&mut api), 0, "a day off");
}

/// The last Sunday of `month` in the first year where it is still ahead of `now`.
fn next_last_sunday(now: NaiveDate, month: u32) -> NaiveDate {
    (now.year()..)
        .map(|year| {
            let mut d = NaiveDate::from_ymd_opt(year, month + 1, 1)
                .unwrap_or_else(|| NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("a day"))
                - Duration::days(1);
            while d.weekday() != Weekday::Sun {
                d -= Duration::days(1);
            }
            d
        })
        .find(|d| *d > now)
        .expect("a Sunday ahead")
}

#[test]
fn on_the_sundays_the_clocks_change_a_slot_keeps_its_local_time() {
    let app = TestApp::start();
    let (owner, cut, _) = salon(&app);
    set_zone(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let hours = json!({"hours": {"sunday": [{"starts": "09:00", "ends": "11:00"}]}});
    assert_eq!(
        api.json(
            "PUT",
            &format!("/t/salon/api/v1/schedules/{}", owner.id),
            &hours
        )
        .status,
        200
    );
    let today = app.app().now().date_naive();
    let mut changes: Vec<(NaiveDate, u32)> = [(3, 2), (10, 1)]
        .into_iter()
        .map(|(month, offset)| (next_last_sunday(today, month), offset))
        .collect();
    changes.sort();
    for (sunday, offset) in changes {
        // A month before it, well within how far ahead one may book.
        let month_before = sunday.and_time(NaiveTime::MIN).and_utc() - Duration::days(30);
        if month_before > app.app().now() {
            app.clock.advance(month_before - app.app().now());
        }
        let slots = api
            .get(&format!(
                "/t/salon/api/v1/availability?service_id={cut}&staff_id={}&from={sunday}&to={sunday}",
                owner.id
            ))
            .json();
        let first = format!("{sunday}T{:02}:00:00Z", 9 - offset);
        assert_eq!(
            slots["data"][0]["starts_at"],
            first.as_str(),
            "09:00 in Amsterdam on {sunday}: {slots}"
        );
        assert_eq!(
            slots["data"].as_array().map(Vec::len),
            Some(3),
            "09:00, 09:30 and 10:00: {slots}"
        );
    }
}

#[test]
fn a_contacts_360_view_shows_its_appointments_and_its_no_shows() {
    let app = TestApp::start();
    let (owner, cut, day) = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let contact = api.json(
        "POST",
        "/t/salon/api/v1/contacts",
        &json!({"first_name": "Eva", "last_name": "Jansen"}),
    );
    let contact = contact.json()["id"].as_i64().expect("a contact");
    let slots = api
        .get(&format!(
            "/t/salon/api/v1/availability?service_id={cut}&staff_id={}&from={day}&to={day}",
            owner.id
        ))
        .json();
    let book = |api: &mut crate::support::http::Client, at: &serde_json::Value| {
        let made = api.json(
            "POST",
            "/t/salon/api/v1/appointments",
            &json!({"contact_id": contact, "staff_id": owner.id.0, "service_ids": [cut.0], "starts_at": at}),
        );
        made.json()["id"].as_i64().expect("an appointment")
    };
    let first = book(&mut api, &slots["data"][0]["starts_at"]);
    book(&mut api, &slots["data"][4]["starts_at"]);
    let (mut page, _) = app.login("salon", "lotte@salon.test", crate::support::PASSWORD);
    let shown = page.get(&format!("/t/salon/contacts/{contact}")).body;
    assert!(shown.contains("id=\"appointments-h\""), "{shown}");
    assert!(shown.contains("Coming") && shown.contains("Cut"), "{shown}");
    assert!(!shown.contains("No-shows"), "none yet");
    // A week after the day, the first marked as not come.
    app.clock
        .advance(day.and_time(NaiveTime::MIN).and_utc() + Duration::days(7) - app.app().now());
    let marked = api.json(
        "POST",
        &format!("/t/salon/api/v1/appointments/{first}/status"),
        &json!({"status": "no_show"}),
    );
    assert_eq!(marked.status, 200, "{}", marked.body);
    let (mut page, _) = app.login("salon", "lotte@salon.test", crate::support::PASSWORD);
    let shown = page.get(&format!("/t/salon/contacts/{contact}")).body;
    let when = day.format("%-d %b %Y").to_string();
    assert!(
        shown.contains(&format!("No-shows: 1, the last on {when}")),
        "{shown}"
    );
    assert!(
        shown.contains("Before") && shown.contains("not come"),
        "{shown}"
    );
    // A workspace that does not schedule shows no such panel.
    let other = app.tenant_with_owner("shop", Profile::Generic, "owner@shop.test");
    drop(other);
    let (mut shop, _) = app.login("shop", "owner@shop.test", crate::support::PASSWORD);
    let made = app.api("shop", "owner@shop.test").json(
        "POST",
        "/t/shop/api/v1/contacts",
        &json!({"first_name": "Piet"}),
    );
    let piet = made.json()["id"].as_i64().expect("a contact");
    assert!(
        !shop
            .get(&format!("/t/shop/contacts/{piet}"))
            .body
            .contains("appointments-h")
    );
}

#[test]
fn the_appointment_list_pages_by_its_cursor_in_start_order() {
    let app = TestApp::start();
    let (owner, cut, day) = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let contact = api
        .json(
            "POST",
            "/t/salon/api/v1/contacts",
            &json!({"first_name": "Daan"}),
        )
        .json()["id"]
        .as_i64()
        .expect("a contact");
    let mut booked = Vec::new();
    for _ in 0..5 {
        let slots = api
            .get(&format!(
                "/t/salon/api/v1/availability?service_id={cut}&staff_id={}&from={day}&to={day}",
                owner.id
            ))
            .json();
        let slot = slots["data"][0]["starts_at"].clone();
        let made = api.json(
            "POST",
            "/t/salon/api/v1/appointments",
            &json!({"contact_id": contact, "staff_id": owner.id.0, "service_ids": [cut.0], "starts_at": slot}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
        booked.push(made.json()["id"].clone());
    }
    let base = format!(
        "/t/salon/api/v1/appointments?from={day}T00:00:00Z&to={}T00:00:00Z&limit=2",
        day + Duration::days(1)
    );
    let (mut seen, mut next, mut pages) = (Vec::new(), None::<String>, 0);
    loop {
        let path = match &next {
            None => base.clone(),
            Some(c) => format!("{base}&cursor={}", crate::support::http::encode(c)),
        };
        let page = api.get(&path);
        assert_eq!(page.status, 200, "{}", page.body);
        let page = page.json();
        assert_eq!(page["total"], 5, "{page}");
        pages += 1;
        seen.extend(
            page["data"]
                .as_array()
                .expect("a list")
                .iter()
                .map(|a| a["id"].clone()),
        );
        match page["next"].as_str() {
            Some(c) => next = Some(c.to_string()),
            None => break,
        }
        assert!(pages < 5, "the cursor goes forward");
    }
    assert_eq!(seen, booked, "each once, in start order");
    for (bad, field) in [
        (format!("{base}&cursor=yesterday"), "cursor"),
        (base.replace("limit=2", "limit=0"), "limit"),
    ] {
        let refused = api.get(&bad);
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains(field), "{}", refused.body);
    }
}

#[test]
fn an_appointment_about_a_deal_links_to_it_where_deals_are_on() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("bouw", Profile::Construction, "kees@bouw.test");
    let tenant = app
        .app()
        .tenant(&onebox::domain::slug::Slug::parse("bouw").expect("slug"))
        .expect("tenant");
    let kees = app
        .app()
        .user_by_email(&tenant.db, "kees@bouw.test")
        .expect("owner");
    let mut api = app.api("bouw", "kees@bouw.test");
    let v1 = "/t/bouw/api/v1";
    let day_hours = json!([{"starts": "08:00", "ends": "17:00"}]);
    let hours = api.json(
        "PUT",
        &format!("{v1}/schedules/{}", kees.id),
        &json!({"hours": {"monday": day_hours, "tuesday": day_hours, "wednesday": day_hours, "thursday": day_hours, "friday": day_hours}}),
    );
    assert_eq!(hours.status, 200, "{}", hours.body);
    let visit = api.json(
        "POST",
        &format!("{v1}/services"),
        &json!({"name": "Site visit", "minutes": 60}),
    );
    let visit = visit.json()["id"].clone();
    let contact = api
        .json(
            "POST",
            &format!("{v1}/contacts"),
            &json!({"first_name": "Joke"}),
        )
        .json()["id"]
        .clone();
    let deal = api.json(
        "POST",
        &format!("{v1}/deals"),
        &json!({"title": "New roof", "contact_id": contact}),
    );
    assert_eq!(deal.status, 201, "{}", deal.body);
    let deal = deal.json()["id"].clone();
    let mut day = app.app().now().date_naive() + Duration::days(7);
    while day.weekday() != Weekday::Tue {
        day += Duration::days(1);
    }
    let at = format!("{day}T09:00:00Z");
    // The booking form offers the client's deals.
    let form = page.get(&format!("/t/bouw/appointments/new?contact_id={contact}"));
    assert!(
        form.body.contains("name=\"deal_id\"") && form.body.contains(">New roof</option>"),
        "{}",
        form.body
    );
    let before = app.disk_state("bouw");
    let unknown = api.json(
        "POST",
        &format!("{v1}/appointments"),
        &json!({"contact_id": contact, "staff_id": kees.id.0, "service_ids": [visit], "starts_at": at, "deal_id": 999}),
    );
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert!(unknown.body.contains("deal_id"));
    assert_eq!(app.disk_state("bouw"), before, "nothing booked");
    let made = api.json(
        "POST",
        &format!("{v1}/appointments"),
        &json!({"contact_id": contact, "staff_id": kees.id.0, "service_ids": [visit], "starts_at": at, "deal_id": deal}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.json()["id"].clone();
    let shown = api.get(&format!("{v1}/appointments/{id}")).json();
    assert_eq!(shown["deal_id"], deal);
    let appointment = page.get(&format!("/t/bouw/appointments/{id}")).body;
    assert!(
        appointment.contains(&format!("href=\"/t/bouw/deals/{deal}\">New roof</a>")),
        "{appointment}"
    );

    // Where deals are off, an appointment cannot name one.
    let (_, cut, salon_day) = salon(&app);
    let mut salon_api = app.api("salon", "lotte@salon.test");
    let eva = salon_api
        .json(
            "POST",
            "/t/salon/api/v1/contacts",
            &json!({"first_name": "Eva"}),
        )
        .json()["id"]
        .clone();
    let owner = app
        .app()
        .user_by_email(
            &app.app()
                .tenant(&onebox::domain::slug::Slug::parse("salon").expect("slug"))
                .expect("salon")
                .db,
            "lotte@salon.test",
        )
        .expect("lotte");
    let off = salon_api.json(
        "POST",
        "/t/salon/api/v1/appointments",
        &json!({"contact_id": eva, "staff_id": owner.id.0, "service_ids": [cut.0],
                "starts_at": format!("{salon_day}T09:00:00Z"), "deal_id": 1}),
    );
    assert_eq!(off.status, 422, "{}", off.body);
    assert!(off.body.contains("deals are off"), "{}", off.body);
}

#[test]
fn a_contact_purged_from_the_trash_takes_its_appointments_with_it() {
    let app = TestApp::start();
    let (owner, cut, day) = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    let contact = api
        .json(
            "POST",
            "/t/salon/api/v1/contacts",
            &json!({"first_name": "Gone"}),
        )
        .json()["id"]
        .clone();
    let made = api.json(
        "POST",
        "/t/salon/api/v1/appointments",
        &json!({"contact_id": contact, "staff_id": owner.id.0, "service_ids": [cut.0],
                "starts_at": format!("{day}T09:00:00Z")}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.json()["id"].clone();
    let trashed = api.request(
        "DELETE",
        &format!("/t/salon/api/v1/contacts/{contact}"),
        &[],
        b"",
    );
    assert!(trashed.status < 300, "{}", trashed.body);
    app.clock.advance(Duration::days(31));
    onebox::jobs::tick(app.app()).expect("the daily upkeep runs");
    let conn = rusqlite::Connection::open(app.tenant_file("salon")).expect("open");
    let left: (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM contacts WHERE id = ?1), (SELECT count(*) FROM appointments WHERE id = ?2)",
            rusqlite::params![contact.as_i64(), id.as_i64()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("counts");
    assert_eq!(left, (0, 0), "the contact and its appointment are purged");
}
