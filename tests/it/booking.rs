//! Scheduling as its users meet it over HTTP: a salon set up through Settings → Scheduling,
//! a visitor booking on the public page (held time, details, confirmation mail with an
//! invitation), their private link, reminders, and staff booking from the calendar, with
//! every refusal told in words and nothing written.

use crate::support::http::{Client, Response};
use crate::support::{TestApp, path_of};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use onebox::domain::capability::Profile;
use onebox::domain::slug::Slug;
use serde_json::json;

pub struct Salon {
    pub owner: Client,
    pub owner_id: i64,
    pub cut: i64,
    /// A Tuesday at least a week ahead.
    pub day: NaiveDate,
}

/// A salon in Amsterdam set up through its settings pages: the owner works weekdays
/// 09:00–12:00 and 13:00–17:00; a cut of 45 minutes with 15 to tidy up after, bookable
/// online.
pub fn salon(app: &TestApp) -> Salon {
    let mut owner = app.tenant_with_owner("salon", Profile::Healthcare, "lotte@salon.test");
    let tenant = app
        .app()
        .tenant(&Slug::parse("salon").expect("slug"))
        .expect("tenant");
    let me = app
        .app()
        .user_by_email(&tenant.db, "lotte@salon.test")
        .expect("owner");
    app.app()
        .update_account(
            &tenant,
            &me,
            "Salon Lotte",
            Profile::Healthcare,
            "Europe/Amsterdam",
            &[],
        )
        .expect("zone");
    let page = "/t/salon/settings/scheduling";
    let hours = owner.submit(
        page,
        &format!("/t/salon/settings/scheduling/hours/{}", me.id),
        &[
            ("day0", "09:00–12:00, 13:00–17:00"),
            ("day1", "09:00-12:00,13:00-17:00"),
            ("day2", "09:00–12:00, 13:00–17:00"),
            ("day3", "09:00–12:00, 13:00–17:00"),
            ("day4", "09:00–12:00, 13:00–17:00"),
            ("day5", ""),
            ("day6", ""),
        ],
    );
    assert_eq!(hours.status, 303, "{}", hours.body);
    let added = owner.submit(
        page,
        "/t/salon/settings/scheduling/services",
        &[
            ("name", "Cut"),
            ("minutes", "45"),
            ("price", "45,00"),
            ("buffer_before", "0"),
            ("buffer_after", "15"),
            ("vat_rate", "2100"),
            ("resource_id", ""),
            ("online", "1"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let shown = owner.get(page);
    assert!(shown.body.contains("Service Cut added."), "{}", shown.body);
    assert!(
        shown.body.contains("value=\"09:00–12:00, 13:00–17:00\""),
        "hours kept"
    );
    let mut api = app.api("salon", "lotte@salon.test");
    let services = api.get("/t/salon/api/v1/services").json();
    let cut = services["data"][0]["id"].as_i64().expect("the cut");
    assert_eq!(services["data"][0]["price"], 4500);
    let mut day = app.app().now().date_naive() + Duration::days(7);
    while day.weekday() != Weekday::Tue {
        day += Duration::days(1);
    }
    Salon {
        owner,
        owner_id: me.id.0,
        cut,
        day,
    }
}

/// Today on Amsterdam's wall (a day ahead of UTC's in the last hour or two of it).
pub fn amsterdam_today(app: &TestApp) -> NaiveDate {
    onebox::domain::local_time::today(app.app().now(), chrono_tz::Europe::Amsterdam)
}

/// `day` at `hh:mm` on Amsterdam's wall, as a UTC stamp.
pub fn stamp(day: NaiveDate, hh: u32, mm: u32) -> String {
    let local = day.and_hms_opt(hh, mm, 0).expect("a time");
    let at = local
        .and_local_timezone(chrono_tz::Europe::Amsterdam)
        .single()
        .expect("one time")
        .with_timezone(&chrono::Utc);
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The start times the booking page offers (the values of its slot buttons).
pub fn offered(page: &Response) -> Vec<String> {
    page.body
        .split("name=\"starts_at\" value=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').expect("quote")].to_string())
        .collect()
}

/// Books `at` on the public page as a visitor; returns the private link's path.
fn book_online(visitor: &mut Client, s: &Salon, at: &str, email: &str) -> String {
    let choose = format!("/t/salon/book?service_id={}&week={}", s.cut, s.day);
    let cut = s.cut.to_string();
    let held = visitor.submit(
        &choose,
        "/t/salon/book/hold",
        &[("service_id", &cut), ("starts_at", at)],
    );
    assert_eq!(held.status, 303, "{}", held.body);
    let details = held.location().to_string();
    assert!(details.contains("/book/details/"), "{details}");
    let page = visitor.get(&path_of(&details));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("We keep this time for you until"),
        "{}",
        page.body
    );
    let done = visitor.submit(
        &path_of(&details),
        &path_of(&details),
        &[
            ("name", "Sanne de Vries"),
            ("email", email),
            ("phone", "+31 6 1234 5678"),
            ("consent", "1"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let link = path_of(done.location());
    assert!(link.contains("/book/manage/"), "{link}");
    link
}

/// The `.ics` of a mail, parsed: (METHOD, UID, SEQUENCE, DTSTART).
pub fn invitation(mail: &crate::support::smtp::Mail) -> (String, String, String, String) {
    let ics = mail.part("text/calendar").expect("an invitation attached");
    let calendar = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("valid iCalendar");
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name == "METHOD")
        .and_then(|p| p.value.clone())
        .unwrap_or_default();
    let event = calendar.events.first().expect("an event");
    let value = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    (method, value("UID"), value("SEQUENCE"), value("DTSTART"))
}

#[test]
fn a_visitor_books_online_is_mailed_an_invitation_and_cancels_through_their_link() {
    let app = TestApp::start();
    let s = salon(&app);
    let mut visitor = app.client();
    let first = visitor.get("/t/salon/book");
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(
        first.body.contains("Cut") && first.body.contains("€45.00"),
        "{}",
        first.body
    );
    let week = visitor.get(&format!(
        "/t/salon/book?service_id={}&week={}",
        s.cut, s.day
    ));
    let times = offered(&week);
    assert!(!times.is_empty(), "{}", week.body);
    // Shown in the salon's zone: its first free time on a working day is 09:00 there.
    assert!(week.body.contains(">09:00<"), "{}", week.body);
    let at = times[0].clone();

    let link = book_online(&mut visitor, &s, &at, "sanne@example.test");
    let managed = visitor.get(&link);
    assert!(
        managed.body.contains("Booked. We sent you a confirmation."),
        "{}",
        managed.body
    );
    assert!(managed.body.contains("Cancel the appointment"));

    // The staff see it: made online, for a contact made from the visitor's details.
    let mut api = app.api("salon", "lotte@salon.test");
    let listed = api
        .get(&format!(
            "/t/salon/api/v1/appointments?from={}T00:00:00Z&to={}T00:00:00Z",
            s.day,
            s.day + Duration::days(1)
        ))
        .json();
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(1), "{listed}");
    let booked = &listed["data"][0];
    assert_eq!(
        (booked["origin"].as_str(), booked["status"].as_str()),
        (Some("online"), Some("confirmed"))
    );
    let contact = api
        .get(&format!(
            "/t/salon/api/v1/contacts/{}",
            booked["contact_id"]
        ))
        .json();
    assert_eq!(contact["email"], "sanne@example.test", "{contact}");
    // The time is taken now: the page no longer offers it.
    let again = visitor.get(&format!(
        "/t/salon/book?service_id={}&week={}",
        s.cut, s.day
    ));
    assert!(!offered(&again).contains(&at));

    app.deliver_mail();
    let mails = app.smtp.wait_for(1);
    assert_eq!(mails[0].to, vec!["sanne@example.test".to_string()]);
    assert!(
        mails[0]
            .subject()
            .contains("Your appointment at Salon Lotte"),
        "{}",
        mails[0].subject()
    );
    let (method, uid, sequence, start) = invitation(&mails[0]);
    assert_eq!(method, "REQUEST");
    assert!(!uid.is_empty());
    assert_eq!(sequence, "0");
    // In the salon's wall time (the event names its zone).
    let local = chrono::DateTime::parse_from_rfc3339(&at)
        .expect("a stamp")
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%Y%m%dT%H%M%S");
    assert_eq!(start, local.to_string());
    let mailed_link = path_of(&mails[0].link("manage"));

    // Cancelled through the mailed link: the client hears it with METHOD:CANCEL on the same
    // UID, and the time is free again.
    let cancelled = visitor.submit(&mailed_link, &format!("{mailed_link}/cancel"), &[]);
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    let after = visitor.get(&mailed_link);
    assert!(
        after.body.contains("Your appointment is cancelled."),
        "{}",
        after.body
    );
    assert!(!after.body.contains("Choose another time"));
    app.deliver_mail();
    let mails = app.smtp.wait_for(2);
    let (method, cancel_uid, cancel_sequence, _) = invitation(&mails[1]);
    assert_eq!(
        (method.as_str(), cancel_uid.as_str()),
        ("CANCEL", uid.as_str())
    );
    assert!(cancel_sequence.parse::<i64>().expect("a number") > 0);
    let freed = visitor.get(&format!(
        "/t/salon/book?service_id={}&week={}",
        s.cut, s.day
    ));
    assert!(
        offered(&freed).contains(&at),
        "the cancelled time is offered again"
    );
}

#[test]
fn a_reminder_goes_out_the_day_before_and_then_the_link_no_longer_changes_it() {
    let app = TestApp::start();
    let s = salon(&app);
    let mut visitor = app.client();
    let week = visitor.get(&format!(
        "/t/salon/book?service_id={}&week={}",
        s.cut, s.day
    ));
    let at = offered(&week)[0].clone();
    let link = book_online(&mut visitor, &s, &at, "bram@example.test");
    app.deliver_mail();
    app.smtp.wait_for(1);
    let tenant = app
        .app()
        .tenant(&Slug::parse("salon").expect("slug"))
        .expect("tenant");
    let (sent, _) = app.app().send_due_reminders(&tenant).expect("reminders");
    assert_eq!(sent, 0, "not due a week ahead");

    // 23 hours before: inside the reminder's 24 hours and past the 24-hour change window.
    let start = chrono::DateTime::parse_from_rfc3339(&at)
        .expect("a stamp")
        .with_timezone(&chrono::Utc);
    let now = app.app().now();
    app.clock.advance(start - now - Duration::hours(23));
    let (sent, _) = app.app().send_due_reminders(&tenant).expect("reminders");
    assert_eq!(sent, 1);
    let (again, _) = app.app().send_due_reminders(&tenant).expect("reminders");
    assert_eq!(again, 0, "a reminder goes once");
    app.deliver_mail();
    let mails = app.smtp.wait_for(2);
    assert!(
        mails[1]
            .subject()
            .starts_with("Reminder: your appointment at Salon Lotte"),
        "{}",
        mails[1].subject()
    );
    assert_eq!(invitation(&mails[1]).0, "REQUEST");

    let page = visitor.get(&link);
    assert!(
        page.body.contains("until 24 hours before; please call us"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Cancel the appointment"));
    let before = app.disk_state("salon");
    // The page offers no form now; the visitor's form token is the booking page's.
    let csrf = visitor
        .get(&format!(
            "/t/salon/book?service_id={}&week={}",
            s.cut, s.day
        ))
        .csrf();
    let refused = visitor.post_form(&format!("{link}/cancel"), &[("csrf", &csrf)]);
    assert_eq!(refused.status, 303);
    assert_eq!(app.disk_state("salon"), before, "nothing changed");
    let told = visitor.get(&link);
    assert!(
        told.body
            .contains("can be changed online until 24 hours before"),
        "{}",
        told.body
    );
}

#[test]
fn the_booking_page_refuses_bad_choices_in_words_and_writes_nothing() {
    let app = TestApp::start();
    let s = salon(&app);
    let mut visitor = app.client();
    let choose = format!("/t/salon/book?service_id={}&week={}", s.cut, s.day);
    let cut = s.cut.to_string();
    let before = app.disk_state("salon");
    let past = "2020-01-07T09:00:00Z";
    let refused = visitor.submit(
        &choose,
        "/t/salon/book/hold",
        &[("service_id", &cut), ("starts_at", past)],
    );
    assert_eq!(refused.status, 303, "{}", refused.body);
    let told = visitor.get(&path_of(refused.location()));
    assert!(told.body.contains("is no longer bookable"), "{}", told.body);
    // A time outside the hours (the lunch break), an unknown service, not a time at all.
    let lunch = format!("{}T11:00:00Z", s.day);
    for (service, at, words) in [
        (cut.as_str(), lunch.as_str(), "working hours"),
        ("999", lunch.as_str(), "is not a service here"),
        (cut.as_str(), "tomorrow at ten", "is not a date and time"),
    ] {
        let r = visitor.submit(
            &choose,
            "/t/salon/book/hold",
            &[("service_id", service), ("starts_at", at)],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let page = visitor.get(&path_of(r.location()));
        assert!(page.body.contains(words), "{words}: {}", page.body);
    }
    assert_eq!(app.disk_state("salon"), before, "no hold was written");
    // Details without consent or with a bad address: the form again, nothing booked.
    let at = offered(&visitor.get(&choose))[0].clone();
    let held = visitor.submit(
        &choose,
        "/t/salon/book/hold",
        &[("service_id", &cut), ("starts_at", &at)],
    );
    let details = path_of(held.location());
    let bad = visitor.submit(
        &details,
        &details,
        &[("name", "Ann"), ("email", "not-an-address")],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("is needed to book"), "{}", bad.body);
    assert!(bad.body.contains("value=\"Ann\""), "what was typed stays");
    let mut api = app.api("salon", "lotte@salon.test");
    let listed = api.get(&format!(
        "/t/salon/api/v1/appointments?from={}T00:00:00Z&to={}T00:00:00Z",
        s.day,
        s.day + Duration::days(1)
    ));
    assert_eq!(listed.json()["data"], json!([]));
    // An unknown link, a made-up hold: not found, nothing to see.
    assert_eq!(
        visitor
            .get(&format!("/t/salon/book/manage/{}", "a".repeat(64)))
            .status,
        404
    );
    assert_eq!(visitor.get("/t/salon/book/manage/short").status, 404);
    let gone = visitor.get(&format!("/t/salon/book/details/{}", "b".repeat(64)));
    assert_eq!(gone.status, 303, "an expired hold starts again");
}

#[test]
fn a_closed_booking_page_says_so_and_takes_nothing() {
    let app = TestApp::start();
    let mut s = salon(&app);
    let policy = s.owner.submit(
        "/t/salon/settings/scheduling",
        "/t/salon/settings/scheduling/policy",
        &[
            ("step_minutes", "30"),
            ("lead_minutes", "120"),
            ("horizon_days", "90"),
            ("cancel_hours", "24"),
            ("reminder_hours", "24"),
        ],
    );
    assert_eq!(policy.status, 303, "{}", policy.body);
    let page = app.client().get("/t/salon/book");
    assert_eq!(page.status, 404);
    assert!(
        page.body.contains("Online booking is closed"),
        "{}",
        page.body
    );
    let bad = s.owner.submit(
        "/t/salon/settings/scheduling",
        "/t/salon/settings/scheduling/policy",
        &[("step_minutes", "soon")],
    );
    assert_eq!(bad.status, 303);
    let told = s.owner.get("/t/salon/settings/scheduling");
    assert!(
        told.body.contains("must be a whole number"),
        "{}",
        told.body
    );
}

#[test]
fn the_waitlist_mails_the_first_waiting_when_a_time_of_their_day_is_cancelled() {
    let app = TestApp::start();
    let s = salon(&app);
    let mut api = app.api("salon", "lotte@salon.test");
    // The day is full: seven cuts of an hour each (with tidying up) in Lotte's hours.
    let hours = [9, 10, 11, 13, 14, 15, 16];
    let mut ids = Vec::new();
    for (i, hour) in hours.iter().enumerate() {
        let who = api
            .json(
                "POST",
                "/t/salon/api/v1/contacts",
                &json!({"first_name": format!("C{i}")}),
            )
            .json()["id"]
            .clone();
        let made = api.json(
            "POST",
            "/t/salon/api/v1/appointments",
            &json!({"contact_id": who, "staff_id": s.owner_id, "service_ids": [s.cut], "starts_at": stamp(s.day, *hour, 0)}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
        ids.push(made.json()["id"].as_i64().expect("an id"));
    }
    let page = format!("/t/salon/book?service_id={}&week={}", s.cut, s.day);
    let mut visitor = app.client();
    let week = visitor.get(&page);
    assert!(
        week.body.contains("No time that suits you?"),
        "{}",
        week.body
    );
    let join = |visitor: &mut Client, name: &str, email: &str, consent: bool| {
        let mut fields = vec![
            ("service_id", s.cut.to_string()),
            ("day", s.day.to_string()),
            ("name", name.to_string()),
            ("email", email.to_string()),
        ];
        if consent {
            fields.push(("consent", "1".into()));
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let done = visitor.submit(&page, "/t/salon/book/waitlist", &fields);
        assert_eq!(done.status, 303, "{}", done.body);
        visitor.get(&path_of(done.location())).body
    };
    let before = app.disk_state("salon");
    let refused = join(&mut visitor, "Ann", "ann@example.test", false);
    assert!(refused.contains("consent"), "{refused}");
    assert_eq!(
        app.disk_state("salon"),
        before,
        "nothing kept without consent"
    );
    let joined = join(&mut visitor, "Ann", "ann@example.test", true);
    assert!(joined.contains("You are on the waitlist for"), "{joined}");
    let again = join(&mut visitor, "Ann", "ann@example.test", true);
    assert!(again.contains("already on the waitlist"), "{again}");
    join(&mut app.client(), "Bo", "bo@example.test", true);

    let cancel = |api: &mut Client, id: i64| {
        let done = api.json(
            "POST",
            &format!("/t/salon/api/v1/appointments/{id}/cancel"),
            &json!({"reason": "ill"}),
        );
        assert_eq!(done.status, 200, "{}", done.body);
        app.deliver_mail();
    };
    // The 10:00 is called off: Ann, first in line, hears of it; Bo does not yet.
    cancel(&mut api, ids[1]);
    let mails = app.smtp.wait_for(1);
    assert_eq!(mails[0].to, ["ann@example.test"]);
    assert!(
        mails[0]
            .subject()
            .contains("A time opened up at Salon Lotte"),
        "{}",
        mails[0].subject()
    );
    let link = mails[0].link("salon");
    assert!(
        link.contains(&format!("service_id={}", s.cut))
            && link.contains(&format!("week={}", s.day)),
        "{link}"
    );
    let times: Vec<String> = offered(&visitor.get(&path_of(&link)))
        .into_iter()
        .filter(|t| t.starts_with(&s.day.to_string()))
        .collect();
    assert_eq!(
        times,
        [stamp(s.day, 10, 0)],
        "the freed time is the day's one"
    );
    // The next one goes to Bo; a third finds nobody left waiting.
    cancel(&mut api, ids[4]);
    let mails = app.smtp.wait_for(2);
    assert_eq!(mails[1].to, ["bo@example.test"]);
    cancel(&mut api, ids[5]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(app.smtp.wait_for(2).len(), 2, "nobody is mailed twice");
}

#[test]
fn the_waitlist_forgets_who_waited_once_their_day_has_passed() {
    let app = TestApp::start();
    let s = salon(&app);
    let page = format!("/t/salon/book?service_id={}&week={}", s.cut, s.day);
    let mut visitor = app.client();
    let fields = [
        ("service_id", s.cut.to_string()),
        ("day", s.day.to_string()),
        ("name", "Ann".to_string()),
        ("email", "ann@example.test".to_string()),
        ("consent", "1".to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let joined = visitor.submit(&page, "/t/salon/book/waitlist", &fields);
    assert_eq!(joined.status, 303, "{}", joined.body);
    let waiting = || -> i64 {
        rusqlite::Connection::open(app.tenant_file("salon"))
            .expect("open")
            .query_row("SELECT count(*) FROM waitlist", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(waiting(), 1);
    // The daily upkeep the day after: her name and address are gone.
    app.clock.advance(
        s.day.and_hms_opt(12, 0, 0).expect("noon").and_utc() + Duration::days(1) - app.app().now(),
    );
    onebox::jobs::tick(app.app()).expect("the upkeep");
    assert_eq!(waiting(), 0, "forgotten once the day has passed");
}
