//! Scheduling's pages: the calendar (`calendar`, its grid in `grid`, the month in `month`),
//! an appointment and the form to book one (`appointment`), the settings (`settings`) and
//! the public booking page (`booking`).

pub mod appointment;
pub mod booking;
pub mod calendar;
pub mod grid;
mod history;
pub mod month;
pub mod settings;

use crate::domain::format::{date, weekday_date};
use crate::domain::ids::UserId;
use crate::domain::scheduling::{Appointment, Filter, Service, Status};
use crate::domain::words::Words;
use crate::views::layout::Chrome;
use chrono::{Datelike, Duration, NaiveDate};
use maud::{Markup, html};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Day,
    Week,
    Month,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Day => "day",
            View::Week => "week",
            View::Month => "month",
        }
    }

    pub fn parse(text: &str) -> Option<View> {
        [View::Day, View::Week, View::Month]
            .into_iter()
            .find(|v| v.as_str() == text)
    }
}

/// What a calendar address asks for: `calendar?view=week&date=2026-12-07&staff_id=2&status=…`
/// (and, for a day, `columns=rooms` for a column per room or resource instead of per person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalQuery {
    pub view: View,
    pub date: NaiveDate,
    pub which: Filter,
    pub rooms: bool,
}

impl CalQuery {
    /// The address of this calendar with another view or date.
    pub fn href(&self, chrome: &Chrome, view: View, day: NaiveDate) -> String {
        let mut q = format!("calendar?view={}&date={day}", view.as_str());
        if let Some(s) = self.which.staff {
            q.push_str(&format!("&staff_id={s}"));
        }
        if let Some(s) = self.which.status {
            q.push_str(&format!("&status={}", s.as_str()));
        }
        if let Some(s) = self.which.service {
            q.push_str(&format!("&service_id={s}"));
        }
        if self.rooms {
            q.push_str("&columns=rooms");
        }
        chrome.href(&q)
    }

    /// The days the view shows: the day, its week (Monday first), or its month's weeks.
    pub fn days(&self) -> Vec<NaiveDate> {
        let monday = |d: NaiveDate| d - Duration::days(d.weekday().num_days_from_monday().into());
        match self.view {
            View::Day => vec![self.date],
            View::Week => (0..7)
                .map(|i| monday(self.date) + Duration::days(i))
                .collect(),
            View::Month => {
                let first = self.date.with_day(1).unwrap_or(self.date);
                let start = monday(first);
                let next = first + chrono::Months::new(1);
                let weeks = ((next - start).num_days() + 6) / 7;
                (0..weeks * 7).map(|i| start + Duration::days(i)).collect()
            }
        }
    }

    /// The same view one step earlier or later.
    fn step(&self, forward: bool) -> NaiveDate {
        let sign = if forward { 1 } else { -1 };
        match self.view {
            View::Day => self.date + Duration::days(sign),
            View::Week => self.date + Duration::days(7 * sign),
            View::Month if forward => self.date + chrono::Months::new(1),
            View::Month => self.date - chrono::Months::new(1),
        }
    }
}

/// The names of an appointment's services, in order.
pub fn services_of(a: &Appointment, services: &[Service]) -> String {
    a.services
        .iter()
        .filter_map(|id| services.iter().find(|s| s.id == *id))
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A dot in the colour of an appointment's first service (none if it is gone).
pub fn swatch(a: &Appointment, services: &[Service]) -> Markup {
    let first = a
        .services
        .first()
        .and_then(|id| services.iter().find(|s| s.id == *id));
    html! { @if let Some(s) = first { span class={ "swatch svc-" (s.colour) } aria-hidden="true" {} " " } }
}

/// The calendar's head: what it shows, back and forth, the view, and the filters (a form
/// that works without JavaScript).
fn head(
    chrome: &Chrome,
    q: &CalQuery,
    (staff, services, rooms): (&[(UserId, String)], &[Service], bool),
    days: &[NaiveDate],
) -> Markup {
    let w = chrome.w();
    let today = crate::domain::local_time::today(chrome.now, chrome.zone);
    let title = match q.view {
        View::Day => weekday_date(chrome.lang, q.date),
        View::Week => format!(
            "{} – {}",
            date(chrome.lang, days[0]),
            date(chrome.lang, days[days.len() - 1])
        ),
        View::Month => {
            crate::domain::format::month(chrome.lang, &q.date.format("%Y-%m").to_string())
        }
    };
    html! {
        div.page-head {
            h1 { (w.nav_calendar) ": " (title) }
            div.actions {
                a.button href=(q.href(chrome, q.view, q.step(false))) rel="prev" { "‹ " (w.cal_previous) }
                a.button href=(q.href(chrome, q.view, today)) { (w.cal_today) }
                a.button href=(q.href(chrome, q.view, q.step(true))) rel="next" { (w.cal_next) " ›" }
                a.button.primary href=(chrome.href("appointments/new")) { (w.new_appointment) }
            }
        }
        nav.tabs aria-label=(w.cal_views) {
            @for (view, label) in [(View::Day, w.cal_day), (View::Week, w.cal_week), (View::Month, w.cal_month)] {
                a href=(q.href(chrome, view, q.date)) aria-current=[(view == q.view).then_some("page")] { (label) }
            }
        }
        form.toolbar method="get" action=(chrome.href("calendar")) {
            input type="hidden" name="view" value=(q.view.as_str());
            input type="hidden" name="date" value=(q.date.to_string());
            label for="cal-staff" { (w.cal_person) }
            select #cal-staff name="staff_id" {
                option value="" { (w.cal_everyone) }
                @for (id, name) in staff { option value=(id) selected[q.which.staff == Some(*id)] { (name) } }
            }
            label for="cal-service" { (w.cal_service) }
            select #cal-service name="service_id" {
                option value="" { (w.cal_any_service) }
                @for s in services { option value=(s.id) selected[q.which.service == Some(s.id)] { (s.name) } }
            }
            label for="cal-status" { (w.cal_status) }
            select #cal-status name="status" {
                option value="" { (w.cal_any_status) }
                @for s in Status::ALL { option value=(s.as_str()) selected[q.which.status == Some(s)] { (w.choice("appointment", s.as_str())) } }
            }
            @if rooms && q.view == View::Day {
                label for="cal-columns" { (w.cal_columns) }
                select #cal-columns name="columns" {
                    option value="" { (w.cal_by_person) }
                    option value="rooms" selected[q.rooms] { (w.cal_by_room) }
                }
            }
            button type="submit" { (w.cal_show) }
        }
    }
}

/// A service colour's name in the reader's language.
pub fn colour_word(w: &Words, colour: &str) -> &'static str {
    match colour {
        "green" => w.colour_green,
        "amber" => w.colour_amber,
        "rose" => w.colour_rose,
        "violet" => w.colour_violet,
        "teal" => w.colour_teal,
        "grey" => w.colour_grey,
        _ => w.colour_blue,
    }
}
