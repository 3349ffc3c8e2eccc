//! The calendar: a day with a column per person (or per room), a week of one person (or everyone) with a
//! column per day, and a month of days with their counts. Worked hours are shaded; a free
//! quarter of someone's hours is a link to book it; an appointment links to its page and
//! can be dragged to another time or person (JavaScript; the server re-checks the move).

use super::grid::{Cell, Column, ROW, cells, hours_shown};
use super::{CalQuery, View, services_of, swatch};
use crate::domain::format::weekday_date;
use crate::domain::ids::UserId;
use crate::domain::local_time::to_utc;
use crate::domain::scheduling::availability::{Exception, Span, WeeklyHours};
use crate::domain::scheduling::{Appointment, Resource, Service, Status};
use crate::domain::words::fill;
use crate::views::components::empty_state;
use crate::views::layout::{Chrome, page};
use chrono::{Datelike, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use maud::{Markup, html};

/// A day or week of the calendar.
pub struct CalendarPage<'a> {
    pub query: CalQuery,
    pub days: Vec<NaiveDate>,
    pub staff: &'a [(UserId, String)],
    pub appointments: &'a [Appointment],
    /// The most shown, when there were more.
    pub capped: Option<i64>,
    pub hours: &'a [(UserId, WeeklyHours, Vec<Exception>)],
    pub services: &'a [Service],
    pub resources: &'a [Resource],
    pub zone: Tz,
}

/// The spans anyone works on `day`, joined: when the business is open (a room's hours).
fn open_on(hours: &[(UserId, WeeklyHours, Vec<Exception>)], day: NaiveDate) -> Vec<Span> {
    let mut spans: Vec<Span> = hours
        .iter()
        .flat_map(|(id, _, _)| worked(hours, *id, day).iter().copied())
        .collect();
    spans.sort_by_key(|s| s.start);
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The spans `person` works on `day`, from their hours and exceptions.
fn worked(
    hours: &[(UserId, WeeklyHours, Vec<Exception>)],
    person: UserId,
    day: NaiveDate,
) -> &[Span] {
    match hours.iter().find(|(id, _, _)| *id == person) {
        None => &[],
        Some((_, week, exceptions)) => match exceptions.iter().find(|e| e.day == day) {
            Some(e) => &e.spans,
            None => &week.days[day.weekday().num_days_from_monday() as usize],
        },
    }
}

fn name_of(staff: &[(UserId, String)], id: UserId) -> &str {
    staff
        .iter()
        .find(|(s, _)| *s == id)
        .map_or("", |(_, n)| n.as_str())
}

/// One appointment in its cell: its time, client and services, a link to its page.
fn item(chrome: &Chrome, a: &Appointment, services: &[Service], zone: Tz) -> Markup {
    let w = chrome.w();
    let local = |s: &str| crate::domain::local_time::input_value(s, zone);
    let (from, to) = (local(&a.starts_at), local(&a.ends_at));
    let movable = matches!(a.status, Status::Requested | Status::Confirmed);
    html! {
        div class={"appt status-" (a.status.as_str())} draggable=[movable.then_some("true")] data-id=(a.id) data-starts=(a.starts_at) data-staff=(a.staff_id) {
            a href=(chrome.href(&format!("appointments/{}", a.id))) {
                span.when { (from.get(11..16).unwrap_or("")) "–" (to.get(11..16).unwrap_or("")) }
                " " strong { (a.contact_name) }
                " " span.what { (swatch(a, services)) (services_of(a, services)) }
                @if a.status != Status::Confirmed { " " span.badge.neutral { (w.choice("appointment", a.status.as_str())) } }
            }
            // Dragged to another quarter, it moves the end (JavaScript; the form on the
            // appointment's page does the same without).
            @if movable { span.resize.js-only draggable="true" title=(w.cal_resize) aria-hidden="true" {} }
        }
    }
}

/// The grid of `columns` (each with its heading and whose it is).
fn grid(chrome: &Chrome, m: &CalendarPage, columns: &[(String, Option<UserId>, Column)]) -> Markup {
    let w = chrome.w();
    let plain: Vec<Column> = columns
        .iter()
        .map(|(_, _, c)| Column {
            day: c.day,
            worked: c.worked,
            items: c.items.clone(),
        })
        .collect();
    let range = hours_shown(&plain, m.zone);
    let all: Vec<Vec<Cell>> = plain.iter().map(|c| cells(c, range, m.zone)).collect();
    let rows = ((range.1 - range.0) / ROW) as usize;
    html! {
        div.calendar-wrap {
            table.calendar data-csrf=(chrome.csrf) data-base=(chrome.base) {
                caption.visually-hidden { (w.nav_calendar) }
                thead { tr {
                    th scope="col" { span.visually-hidden { (w.cal_time) } }
                    @for (heading, _, _) in columns { th scope="col" { (heading) } }
                } }
                tbody {
                    @for row in 0..rows {
                        @let minute = range.0 + row as u32 * ROW;
                        tr.hour[minute.is_multiple_of(60)] {
                            th scope="row" { @if minute.is_multiple_of(60) { (format!("{:02}:00", minute / 60)) } }
                            @for (i, (_, person, column)) in columns.iter().enumerate() {
                                @match &all[i][row] {
                                    Cell::Covered => {}
                                    Cell::Taken { rows, items } => {
                                        // Its first quarter and how many it spans: a drop onto it
                                        // finds its time by where it lands.
                                        td.taken rowspan=(rows) data-at=(stamp_at(column.day, minute, m.zone)) data-rows=(rows) data-staff=[person] {
                                            @for a in items { (item(chrome, a, m.services, m.zone)) }
                                        }
                                    }
                                    Cell::Free { minute, worked } => {
                                        (free_cell(chrome, m, (column.day, *minute, *worked), *person))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The UTC stamp of `minute` after midnight on `day`'s wall in `zone`.
fn stamp_at(day: NaiveDate, minute: u32, zone: Tz) -> String {
    let time = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or(NaiveTime::MIN);
    crate::clock::stamp(to_utc(day.and_time(time), zone))
}

/// A free quarter: in someone's hours, a link to book it (and a place to drop onto).
fn free_cell(
    chrome: &Chrome,
    m: &CalendarPage,
    (day, minute, worked): (NaiveDate, u32, bool),
    person: Option<UserId>,
) -> Markup {
    let w = chrome.w();
    let time = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or(NaiveTime::MIN);
    let at = stamp_at(day, minute, m.zone);
    match (worked, person) {
        (true, Some(person)) => {
            let label = fill(
                w.cal_book_at,
                &[
                    (
                        "time",
                        &format!(
                            "{} {}",
                            weekday_date(chrome.lang, day),
                            time.format("%H:%M")
                        ),
                    ),
                    ("name", name_of(m.staff, person)),
                ],
            );
            let href = chrome.href(&format!(
                "appointments/new?staff_id={person}&starts_at={}",
                crate::domain::url::encode(&at)
            ));
            html! { td.free.worked data-at=(at) data-staff=(person) { a.book href=(href) { span.visually-hidden { (label) } } } }
        }
        // A room's column: open, but booked through a person.
        (true, None) => html! { td.free.worked {} },
        _ => html! { td.free.off {} },
    }
}

pub fn calendar(chrome: &Chrome, m: &CalendarPage) -> Markup {
    let w = chrome.w();
    let on = |day: NaiveDate, person: Option<UserId>| -> Vec<&Appointment> {
        m.appointments
            .iter()
            .filter(|a| person.is_none_or(|p| a.staff_id == p))
            .filter(|a| super::grid::minutes_on(a, day, m.zone).is_some())
            .collect()
    };
    let open = open_on(m.hours, m.days[0]);
    let columns: Vec<(String, Option<UserId>, Column)> = match m.query.view {
        View::Day if m.query.rooms => m
            .resources
            .iter()
            .map(|r| {
                let column = Column {
                    day: m.days[0],
                    worked: &open,
                    items: on(m.days[0], None)
                        .into_iter()
                        .filter(|a| a.resources.contains(&r.id))
                        .collect(),
                };
                (r.name.clone(), None, column)
            })
            .collect(),
        View::Day => {
            let day = m.days[0];
            m.staff
                .iter()
                .filter(|(id, _)| m.query.which.staff.is_none_or(|s| s == *id))
                .map(|(id, name)| {
                    let column = Column {
                        day,
                        worked: worked(m.hours, *id, day),
                        items: on(day, Some(*id)),
                    };
                    (name.clone(), Some(*id), column)
                })
                .collect()
        }
        _ => m
            .days
            .iter()
            .map(|day| {
                let person = m.query.which.staff;
                let spans = person.map_or(&[][..], |p| worked(m.hours, p, *day));
                let column = Column {
                    day: *day,
                    worked: spans,
                    items: on(*day, person),
                };
                (weekday_date(chrome.lang, *day), person, column)
            })
            .collect(),
    };
    let title = w.nav_calendar;
    page(
        chrome,
        title,
        html! {
            (super::head(chrome, &m.query, (m.staff, m.services, !m.resources.is_empty()), &m.days))
            @if m.staff.is_empty() {
                (empty_state(w.no_appointments, w.cal_no_staff))
            } @else {
                @if let Some(n) = m.capped { p.flash.info role="note" { (fill(w.cal_capped, &[("n", &chrome.count(n))])) } }
                p.muted.small.js-only id="calendar-keys" { (w.cal_drag_hint) }
                p.visually-hidden id="calendar-status" role="status" aria-live="polite" {}
                (grid(chrome, m, &columns))
            }
        },
    )
}
