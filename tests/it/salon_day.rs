//! A salon's day end to end, over HTTP: two people and a colour room; a colour only Mia does,
//! whose processing time leaves her free for a fringe in between while the room stays taken;
//! a visitor booking "anyone" online and getting Mia; the reminder with a parseable
//! invitation; arrival and completion; a client who does not come, shown on their contact.

use crate::booking::{invitation, offered, salon, stamp};
use crate::support::http::Client;
use crate::support::{TestApp, path_of};
use onebox::domain::slug::Slug;
use onebox::domain::user::Role;
use serde_json::{Value, json};

fn created(api: &mut Client, path: &str, body: Value) -> i64 {
    let made = api.json("POST", path, &body);
    assert_eq!(made.status, 201, "{path} {body}: {}", made.body);
    made.json()["id"].as_i64().expect("an id")
}

fn contact(api: &mut Client, first: &str) -> i64 {
    created(
        api,
        "/t/salon/api/v1/contacts",
        json!({ "first_name": first }),
    )
}

#[test]
fn a_salon_day_with_two_people_a_room_online_booking_reminder_visit_and_no_show() {
    let app = TestApp::start();
    let mut s = salon(&app);
    app.add_user("salon", "mia@salon.test", Role::Member);
    let tenant = app
        .app()
        .tenant(&Slug::parse("salon").expect("slug"))
        .expect("tenant");
    let mia = app
        .app()
        .user_by_email(&tenant.db, "mia@salon.test")
        .expect("mia")
        .id
        .0;
    let mut api = app.api("salon", "lotte@salon.test");
    let weekday = json!([{ "starts": "09:00", "ends": "17:00" }]);
    let hours = api.json(
        "PUT",
        &format!("/t/salon/api/v1/schedules/{mia}"),
        &json!({ "hours": { "monday": weekday, "tuesday": weekday, "wednesday": weekday,
                            "thursday": weekday, "friday": weekday } }),
    );
    assert_eq!(hours.status, 200, "{}", hours.body);
    let room = created(
        &mut api,
        "/t/salon/api/v1/resources",
        json!({ "name": "Colour room", "capacity": 1 }),
    );

    // Bad services are refused by their field, and nothing is written.
    let before = app.disk_state("salon");
    for (body, field) in [
        (
            json!({ "name": "X", "minutes": 60, "processing": 60 }),
            "processing",
        ),
        (
            json!({ "name": "X", "minutes": 60, "colour": "pink" }),
            "colour",
        ),
        (
            json!({ "name": "X", "minutes": 60, "staff_ids": [9999] }),
            "staff_ids",
        ),
    ] {
        let refused = api.json("POST", "/t/salon/api/v1/services", &body);
        assert_eq!(refused.status, 422, "{body}: {}", refused.body);
        assert!(refused.body.contains(field), "{field}: {}", refused.body);
    }
    assert_eq!(app.disk_state("salon"), before, "refusals write nothing");

    let colour = created(
        &mut api,
        "/t/salon/api/v1/services",
        json!({ "name": "Colour", "minutes": 60, "processing": 30, "buffer_after": 10,
                "price": 8500, "category": "Colour", "colour": "violet",
                "staff_ids": [mia], "resource_ids": [room] }),
    );
    let fringe = created(
        &mut api,
        "/t/salon/api/v1/services",
        json!({ "name": "Fringe", "minutes": 30, "category": "Cuts", "colour": "teal" }),
    );
    let listed = api.get("/t/salon/api/v1/services").json();
    let shown = listed["data"]
        .as_array()
        .expect("services")
        .iter()
        .find(|v| v["id"] == colour)
        .cloned()
        .expect("the colour listed");
    assert_eq!(shown["processing"], 30);
    assert_eq!(shown["staff"], json!([mia]));
    assert_eq!(shown["category"], "Colour");

    // The booking page groups the services; "anyone" for a colour can only be Mia.
    let mut visitor = app.client();
    let page = visitor.get("/t/salon/book");
    assert!(
        page.body.contains("class=\"group-label\">Colour<")
            && page.body.contains("class=\"group-label\">Cuts<"),
        "{}",
        page.body
    );
    let week = visitor.get(&format!("/t/salon/book?service_id={colour}&week={}", s.day));
    let nine = stamp(s.day, 9, 0);
    assert!(offered(&week).contains(&nine), "{}", week.body);
    let held = visitor.submit(
        &format!("/t/salon/book?service_id={colour}&week={}", s.day),
        "/t/salon/book/hold",
        &[("service_id", &colour.to_string()), ("starts_at", &nine)],
    );
    assert_eq!(held.status, 303, "{}", held.body);
    let details = path_of(held.location());
    let done = visitor.submit(
        &details,
        &details,
        &[
            ("name", "Sanne de Vries"),
            ("email", "sanne@example.test"),
            ("phone", ""),
            ("consent", "1"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let day_list = |api: &mut Client| {
        api.get(&format!(
            "/t/salon/api/v1/appointments?from={}&to={}",
            stamp(s.day, 0, 0),
            stamp(s.day + chrono::Duration::days(1), 0, 0)
        ))
        .json()
    };
    let online = day_list(&mut api)["data"][0].clone();
    assert_eq!(online["staff_id"], mia, "{online}");
    assert_eq!(online["starts_at"], nine.as_str());
    let online_id = online["id"].as_i64().expect("an id");

    // Staff book the rest of the morning.
    let daan = contact(&mut api, "Daan");
    let eva = contact(&mut api, "Eva");
    let book = |api: &mut Client, who: i64, staff: i64, service: i64, at: String| {
        api.json(
            "POST",
            "/t/salon/api/v1/appointments",
            &json!({ "contact_id": who, "staff_id": staff, "service_ids": [service], "starts_at": at }),
        )
    };
    let before = app.disk_state("salon");
    let not_hers = book(&mut api, daan, s.owner_id, colour, stamp(s.day, 9, 0));
    assert_eq!(not_hers.status, 422, "{}", not_hers.body);
    assert!(
        not_hers.body.contains("staff_id") && not_hers.body.contains("does not perform Colour"),
        "{}",
        not_hers.body
    );
    let in_her_work = book(&mut api, eva, mia, fringe, stamp(s.day, 9, 15));
    assert_eq!(in_her_work.status, 409, "{}", in_her_work.body);
    let room_taken = book(&mut api, eva, mia, colour, stamp(s.day, 10, 0));
    assert_eq!(room_taken.status, 409, "{}", room_taken.body);
    assert!(room_taken.body.contains("room"), "{}", room_taken.body);
    assert_eq!(app.disk_state("salon"), before, "refusals write nothing");
    let cut = book(&mut api, daan, s.owner_id, s.cut, stamp(s.day, 9, 0));
    assert_eq!(cut.status, 201, "{}", cut.body);
    let cut = cut.json()["id"].as_i64().expect("an id");
    // While Sanne's colour sets, Mia does Eva's fringe; the room is free again at 10:10.
    let in_gap = book(&mut api, eva, mia, fringe, stamp(s.day, 9, 30));
    assert_eq!(in_gap.status, 201, "{}", in_gap.body);
    let later = book(&mut api, eva, mia, colour, stamp(s.day, 10, 10));
    assert_eq!(later.status, 201, "{}", later.body);
    assert_eq!(day_list(&mut api)["total"], 4);

    // The calendar shows both people, each service in its colour.
    let calendar = s
        .owner
        .get(&format!("/t/salon/calendar?view=day&date={}", s.day))
        .body;
    assert!(calendar.contains("svc-violet") && calendar.contains("svc-teal"));
    assert!(calendar.contains("mia@salon.test") || calendar.contains("Mia"));
    // By room: one column, the colour room, with the two colours in it and nothing else.
    let rooms = s
        .owner
        .get(&format!(
            "/t/salon/calendar?view=day&date={}&columns=rooms",
            s.day
        ))
        .body;
    assert!(rooms.contains(">Colour room</th>"), "{rooms}");
    assert_eq!(rooms.matches("class=\"appt ").count(), 2, "{rooms}");
    assert!(!rooms.contains(">Daan</strong>"));
    let bad = s.owner.get(&format!(
        "/t/salon/calendar?view=day&date={}&columns=x",
        s.day
    ));
    assert_eq!(bad.status, 422, "{}", bad.body);

    everyones_feed_lists_the_day_and_only_owners_make_one(&app, &mut s.owner);

    // The day before, Sanne's reminder goes out once, with an invitation for 09:00 there.
    app.deliver_mail();
    app.smtp.wait_for(1);
    let start = onebox::clock::parse_stamp(&nine).expect("a stamp");
    app.clock
        .advance(start - app.app().now() - chrono::Duration::hours(23));
    onebox::jobs::tick(app.app()).expect("a tick");
    onebox::jobs::tick(app.app()).expect("a tick");
    app.deliver_mail();
    let mails = app.smtp.wait_for(2);
    let reminder = mails
        .iter()
        .find(|m| m.subject().starts_with("Reminder:"))
        .expect("a reminder");
    assert_eq!(reminder.to, ["sanne@example.test"]);
    let (method, _, _, dtstart) = invitation(reminder);
    assert_eq!(method, "REQUEST");
    assert!(
        dtstart.ends_with("T090000"),
        "09:00 on the salon's wall: {dtstart}"
    );
    assert_eq!(
        app.smtp.wait_for(2).len(),
        2,
        "nobody else has an address to remind"
    );

    // On the day: Sanne arrives and is done; Daan does not come.
    app.clock
        .advance(start - app.app().now() + chrono::Duration::minutes(20));
    let mut api = app.api("salon", "lotte@salon.test");
    for status in ["arrived", "completed"] {
        let moved = api.json(
            "POST",
            &format!("/t/salon/api/v1/appointments/{online_id}/status"),
            &json!({ "status": status }),
        );
        assert_eq!(moved.status, 200, "{status}: {}", moved.body);
    }
    let gone = api.json(
        "POST",
        &format!("/t/salon/api/v1/appointments/{cut}/status"),
        &json!({ "status": "no_show" }),
    );
    assert_eq!(gone.status, 200, "{}", gone.body);
    let (mut page, _) = app.login("salon", "lotte@salon.test", crate::support::PASSWORD);
    let shown = page.get(&format!("/t/salon/contacts/{daan}")).body;
    let when = s.day.format("%-d %b %Y").to_string();
    assert!(
        shown.contains(&format!("No-shows: 1, the last on {when}")),
        "{shown}"
    );
    let sanne = api
        .get(&format!("/t/salon/api/v1/appointments/{online_id}"))
        .json();
    assert_eq!(sanne["status"], "completed");
    // Her appointment's page tells its history, oldest first, and by whom.
    let shown = page.get(&format!("/t/salon/appointments/{online_id}")).body;
    let history = &shown[shown.find("id=\"history-h\"").expect("a history")..];
    let order = [
        "Booked online for",
        "the client",
        "Reminder due",
        "Now arrived",
        "Now completed",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|t| history.find(t).unwrap_or_else(|| panic!("{t}: {history}")))
        .collect();
    assert!(at.windows(2).all(|p| p[0] < p[1]), "in order: {history}");
}

/// The owner makes a feed of everyone's appointments on the settings page; it parses, lists
/// the four of the day with whom each is; Mia, a member, may not make one.
fn everyones_feed_lists_the_day_and_only_owners_make_one(app: &TestApp, owner: &mut Client) {
    let page = "/t/salon/settings/scheduling";
    let made = owner.submit(
        page,
        "/t/salon/settings/scheduling/feed",
        &[("scope", "workspace")],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let start = made
        .body
        .find("/t/salon/calendar/")
        .expect("the address shown");
    let rest = &made.body[start..];
    let path = &rest[..rest.find(".ics").expect("an .ics address") + 4];
    let feed = app.client().get(path);
    assert_eq!(feed.status, 200, "{}", feed.body);
    let calendar = ical::IcalParser::new(std::io::BufReader::new(feed.body.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("it parses");
    let summaries: Vec<String> = calendar
        .events
        .iter()
        .filter_map(|e| e.properties.iter().find(|p| p.name == "SUMMARY"))
        .filter_map(|p| p.value.clone())
        .collect();
    assert_eq!(summaries.len(), 4, "{summaries:?}");
    assert!(
        summaries.contains(&"Colour · Sanne de Vries (mia@salon.test)".to_string()),
        "{summaries:?}"
    );
    assert!(
        summaries.iter().any(|s| s.starts_with("Cut · Daan (")),
        "{summaries:?}"
    );

    let (mut mia, _) = app.login("salon", "mia@salon.test", crate::support::PASSWORD);
    let csrf = mia.get(page).csrf();
    // The mail queued so far is delivered first: the mailer thread marking it sent must not
    // land between the two looks at the file.
    app.deliver_mail();
    let before = app.disk_state("salon");
    let refused = mia.post_form(
        "/t/salon/settings/scheduling/feed",
        &[("csrf", &csrf), ("scope", "workspace")],
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(app.disk_state("salon"), before, "nothing made");
    assert!(!mia.get(page).body.contains("id=\"team-feed-h\""));
}

#[test]
fn a_service_is_changed_on_its_page_and_through_the_api_and_bad_changes_write_nothing() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let page = format!("/t/salon/settings/scheduling/services/{}", s.cut);
    let form = s.owner.get(&page);
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains("value=\"Cut\"") && form.body.contains("value=\"45.00\""),
        "{}",
        form.body
    );
    let saved = s.owner.submit(
        &page,
        &page,
        &[
            ("name", "Cut and style"),
            ("category", "Cuts"),
            ("colour", "rose"),
            ("minutes", "60"),
            ("processing", "0"),
            ("price", "55,00"),
            ("buffer_before", "0"),
            ("buffer_after", "10"),
            ("vat_rate", "2100"),
            ("resource_id", ""),
            ("online", "1"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let listed = s.owner.get("/t/salon/settings/scheduling").body;
    assert!(listed.contains("Service Cut and style saved."), "{listed}");
    let mut api = app.api("salon", "lotte@salon.test");
    let path = format!("/t/salon/api/v1/services/{}", s.cut);
    let now = api.get(&path).json();
    assert_eq!(
        (now["minutes"].clone(), now["price"].clone()),
        (json!(60), json!(5500))
    );
    assert_eq!(now["colour"], "rose");

    let before = app.disk_state("salon");
    let bad = api.json("PUT", &path, &json!({"name": "Cut", "minutes": 2}));
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("minutes"));
    let unknown = api.json(
        "PUT",
        "/t/salon/api/v1/services/999",
        &json!({"name": "X", "minutes": 30}),
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    assert_eq!(app.disk_state("salon"), before, "refusals write nothing");
    let put = api.json(
        "PUT",
        &path,
        &json!({"name": "Cut", "minutes": 30, "price": 3000, "online": false}),
    );
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.json()["online"], false);
    // Not online now: the booking page no longer offers it.
    let offer = app.client().get("/t/salon/book").body;
    assert!(
        !offer.contains(">Cut<") && !offer.contains(" Cut "),
        "{offer}"
    );
}

#[test]
fn a_members_feed_stops_once_they_are_deactivated() {
    let app = TestApp::start();
    salon(&app);
    app.add_user("salon", "mia@salon.test", Role::Member);
    let tenant = app
        .app()
        .tenant(&Slug::parse("salon").expect("slug"))
        .expect("tenant");
    let mia = app
        .app()
        .user_by_email(&tenant.db, "mia@salon.test")
        .expect("mia");
    let token = app
        .app()
        .create_calendar_feed(&tenant, &mia, onebox::domain::scheduling::FeedScope::Own)
        .expect("a feed");
    let path = format!("/t/salon/calendar/{token}.ics");
    assert_eq!(app.client().get(&path).status, 200);
    app.app()
        .set_user_active(&tenant.db, None, mia.id, false)
        .expect("deactivated");
    assert_eq!(app.client().get(&path).status, 404, "a leaver's feed stops");
}
