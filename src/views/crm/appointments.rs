//! A contact's appointments on its 360 view: the coming ones, the last ones, and a warning
//! when they have not come before.

use crate::domain::scheduling::{Appointment, Service, Visits};
use crate::domain::words::fill;
use crate::views::layout::Chrome;
use maud::{Markup, html};
use std::collections::HashMap;

/// The services and the people an appointment names, by id.
pub struct Names<'a> {
    pub services: &'a [Service],
    pub users: &'a HashMap<i64, String>,
}

fn row(chrome: &Chrome, a: &Appointment, names: &Names) -> Markup {
    let w = chrome.w();
    let services: Vec<&str> = a
        .services
        .iter()
        .filter_map(|id| names.services.iter().find(|s| s.id == *id))
        .map(|s| s.name.as_str())
        .collect();
    let person = names
        .users
        .get(&a.staff_id.0)
        .map(String::as_str)
        .unwrap_or("");
    html! {
        li {
            a href=(chrome.href(&format!("appointments/{}", a.id))) { time datetime=(a.starts_at) { (chrome.time(&a.starts_at)) } }
            " · " (services.join(", "))
            @if !person.is_empty() { span.muted { " " (fill(w.with_person, &[("name", person)])) } }
            " " span.badge.neutral { (w.choice("appointment", a.status.as_str())) }
        }
    }
}

/// The panel of contact `contact`'s appointments, with a link to book one.
pub fn panel(chrome: &Chrome, contact: i64, visits: &Visits, names: &Names) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="appointments-h" {
            div.panel-head {
                h2 #appointments-h { (w.appointments) }
                a.button href=(chrome.href(&format!("appointments/new?contact_id={contact}"))) { (w.new_appointment) }
            }
            @if visits.no_shows > 0 {
                @let when = visits.last_no_show.as_deref().map(|t| chrome.day(t)).unwrap_or_default();
                p.flash.error role="note" { (fill(w.no_shows, &[("n", &chrome.count(visits.no_shows)), ("when", &when)])) }
            }
            @if visits.upcoming.is_empty() && visits.past.is_empty() { p.muted { (w.no_appointments) } }
            @if !visits.upcoming.is_empty() {
                h3 { (w.upcoming_appointments) }
                ul.plain { @for a in &visits.upcoming { (row(chrome, a, names)) } }
            }
            @if !visits.past.is_empty() {
                h3 { (w.past_appointments) }
                ul.plain { @for a in &visits.past { (row(chrome, a, names)) } }
            }
        }
    }
}
