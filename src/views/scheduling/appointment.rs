//! An appointment's page (its details, the next steps of its life, moving it) and the form
//! to book one: first the client (found by name), then person, services, time and repeats.

use super::services_of;
use crate::domain::ids::{ContactId, DealId, ServiceId, UserId};
use crate::domain::scheduling::history::HistoryLine;
use crate::domain::scheduling::series::Frequency;
use crate::domain::scheduling::{Appointment, Origin, Service, Status};
use crate::domain::search::Hit;
use crate::domain::words::fill;
use crate::views::components::{csrf, form_error};
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

pub struct AppointmentView<'a> {
    pub appointment: &'a Appointment,
    pub services: &'a [Service],
    pub staff: &'a [(UserId, String)],
    pub no_shows: i64,
    pub deal: Option<&'a (i64, String)>,
    pub history: &'a [HistoryLine],
    pub error: Option<&'a str>,
}

fn staff_select(
    w: &crate::domain::words::Words,
    staff: &[(UserId, String)],
    chosen: Option<UserId>,
) -> Markup {
    html! {
        div.field {
            label for="f-staff_id" { (w.cal_person) }
            select #f-staff_id name="staff_id" {
                @for (id, name) in staff { option value=(id) selected[chosen == Some(*id)] { (name) } }
            }
        }
    }
}

/// The buttons of the steps an appointment may take next.
fn next_steps(chrome: &Chrome, a: &Appointment) -> Markup {
    let w = chrome.w();
    let action = chrome.href(&format!("appointments/{}/status", a.id));
    let now = crate::clock::stamp(chrome.now);
    let steps = [
        (Status::Confirmed, w.appt_confirm),
        (Status::Arrived, w.appt_arrived),
        (Status::Completed, w.appt_complete),
        (Status::NoShow, w.appt_no_show),
    ];
    html! {
        div.actions {
            @for (status, label) in steps {
                @if a.refusal(status, &now).is_none() {
                    form.inline method="post" action=(action) {
                        (csrf(chrome.csrf))
                        input type="hidden" name="status" value=(status.as_str());
                        button type="submit" class=[(status == Status::Confirmed || status == Status::Completed).then_some("primary")] { (label) }
                    }
                }
            }
        }
        @if a.status.can_become(Status::Cancelled) {
            details.menu {
                summary.button { (w.appt_cancel) }
                form.menu-panel method="post" action=(action) {
                    (csrf(chrome.csrf))
                    input type="hidden" name="status" value="cancelled";
                    div.field { label for="f-reason" { (w.appt_reason) } input #f-reason type="text" name="reason" maxlength="200"; }
                    button.danger type="submit" { (w.appt_cancel) }
                }
            }
        }
    }
}

pub fn appointment_page(chrome: &Chrome, m: &AppointmentView) -> Markup {
    let w = chrome.w();
    let a = m.appointment;
    let person = m
        .staff
        .iter()
        .find(|(id, _)| *id == a.staff_id)
        .map_or("", |(_, n)| n.as_str());
    let title = format!("{} · {}", a.contact_name, chrome.time(&a.starts_at));
    let zone_value = crate::domain::local_time::input_value(&a.starts_at, chrome.zone);
    page(
        chrome,
        &title,
        html! {
            div.page-head {
                h1 { (w.appointment) ": " (a.contact_name) }
                div.actions { a.button href=(chrome.href(&format!("calendar?view=day&date={}", zone_value.get(..10).unwrap_or("")))) { (w.nav_calendar) } }
            }
            (form_error(m.error))
            @if m.no_shows > 0 { p.flash.error role="note" { (fill(w.appt_no_show_warning, &[("n", &chrome.count(m.no_shows))])) } }
            div.split {
                section.panel aria-labelledby="appt-h" {
                    h2 #appt-h { (chrome.time(&a.starts_at)) " " span.badge.neutral { (w.choice("appointment", a.status.as_str())) } }
                    dl.details {
                        dt { (w.appt_client) } dd { a href=(chrome.href(&format!("contacts/{}", a.contact_id))) { (a.contact_name) } }
                        dt { (w.cal_person) } dd { (person) }
                        dt { (w.appt_services) } dd { (services_of(a, m.services)) }
                        @if let Some((id, title)) = m.deal { dt { (w.appt_deal) } dd { a href=(chrome.href(&format!("deals/{id}"))) { (title) } } }
                        dt { (w.appt_ends) } dd { (chrome.time(&a.ends_at)) }
                        @if a.origin == Origin::Online { dt { (w.appt_origin) } dd { (w.appt_online) } }
                        @if a.overbooked { dt { (w.appt_overbooked) } dd { "✓" } }
                        @if !a.notes.is_empty() { dt { (w.appt_notes) } dd { (a.notes) } }
                        @if let Some(reason) = &a.cancel_reason { @if !reason.is_empty() { dt { (w.appt_reason) } dd { (reason) } } }
                    }
                    (next_steps(chrome, a))
                    @if chrome.caps.allows(crate::domain::capability::Capability::Kassa) && matches!(a.status, Status::Confirmed | Status::Arrived | Status::Completed) {
                        form method="post" action=(chrome.href("kassa/checkout")) {
                            (csrf(chrome.csrf))
                            input type="hidden" name="appointment_id" value=(a.id);
                            button.primary type="submit" { (w.kassa_checkout) }
                        }
                    }
                }
                @if matches!(a.status, Status::Requested | Status::Confirmed) {
                    section.panel aria-labelledby="move-h" {
                        h2 #move-h { (w.appt_move) }
                        form method="post" action=(chrome.href(&format!("appointments/{}/move", a.id))) {
                            (csrf(chrome.csrf))
                            div.field { label for="f-starts_at" { (w.appt_starts) } input #f-starts_at type="datetime-local" name="starts_at" value=(zone_value) required; }
                            div.field { label for="f-ends_at" { (w.appt_new_end) } input #f-ends_at type="datetime-local" name="ends_at"; }
                            (staff_select(w, m.staff, Some(a.staff_id)))
                            div.field.check { label { input type="checkbox" name="overbook" value="1"; " " (w.appt_overbook) } }
                            button.primary type="submit" { (w.appt_move) }
                        }
                    }
                }
            }
            @if !m.history.is_empty() { (super::history::history(chrome, m.history)) }
        },
    )
}

/// The form to book: who (chosen first, by name), then what and when.
pub struct NewAppointment<'a> {
    pub contact: Option<(ContactId, &'a str, i64)>,
    pub q: &'a str,
    pub hits: &'a [Hit],
    pub services: &'a [Service],
    pub staff: &'a [(UserId, String)],
    pub staff_id: Option<UserId>,
    /// As typed in the form (local), or from the calendar's slot.
    pub starts_at: &'a str,
    pub chosen: &'a [ServiceId],
    pub notes: &'a str,
    /// The client's deals (id, title), one of which it may be about.
    pub deals: &'a [(i64, String)],
    pub deal: Option<DealId>,
    pub error: Option<&'a str>,
}

fn client_step(chrome: &Chrome, m: &NewAppointment) -> Markup {
    let w = chrome.w();
    let keep = |contact: i64| {
        let mut q = format!("appointments/new?contact_id={contact}");
        if let Some(s) = m.staff_id {
            q.push_str(&format!("&staff_id={s}"));
        }
        if !m.starts_at.is_empty() {
            q.push_str(&format!(
                "&starts_at={}",
                crate::domain::url::encode(m.starts_at)
            ));
        }
        chrome.href(&q)
    };
    html! {
        form method="get" action=(chrome.href("appointments/new")) role="search" {
            @if let Some(s) = m.staff_id { input type="hidden" name="staff_id" value=(s); }
            @if !m.starts_at.is_empty() { input type="hidden" name="starts_at" value=(m.starts_at); }
            div.field {
                label for="f-q" { (w.appt_find_client) }
                input #f-q type="search" name="q" value=(m.q) required autocomplete="off";
            }
            button.primary type="submit" { (w.search) }
        }
        @if !m.q.is_empty() {
            @if m.hits.is_empty() { p.muted { (w.nothing_here) " " a href=(chrome.href("contacts/new")) { (w.new_record(crate::domain::crm::Entity::Contact)) } } }
            ul.plain { @for h in m.hits { li { a href=(keep(h.id)) { strong { (h.title) } } @if !h.detail.is_empty() { " " span.muted { (h.detail) } } } } }
        }
    }
}

pub fn new_appointment(chrome: &Chrome, m: &NewAppointment) -> Markup {
    let w = chrome.w();
    page(
        chrome,
        w.new_appointment,
        html! {
            div.page-head { h1 { (w.new_appointment) } }
            (form_error(m.error))
            @match m.contact {
                None => { (client_step(chrome, m)) }
                Some((id, name, no_shows)) => {
                    @if no_shows > 0 { p.flash.error role="note" { (fill(w.appt_no_show_warning, &[("n", &chrome.count(no_shows))])) } }
                    form.panel method="post" action=(chrome.href("appointments")) {
                        (csrf(chrome.csrf))
                        input type="hidden" name="contact_id" value=(id);
                        p { (w.appt_client) ": " a href=(chrome.href(&format!("contacts/{id}"))) { strong { (name) } } " " a href=(chrome.href("appointments/new")) { (w.change) } }
                        (staff_select(w, m.staff, m.staff_id))
                        fieldset.field {
                            legend { (w.appt_services) }
                            @for s in m.services {
                                label.check { input type="checkbox" name="service_ids" value=(s.id) checked[m.chosen.contains(&s.id)]; " " (s.name) " " span.muted { "(" (s.minutes) " min)" } }
                            }
                        }
                        div.field { label for="f-starts_at" { (w.appt_starts) } input #f-starts_at type="datetime-local" name="starts_at" value=(m.starts_at) required; }
                        div.row3 {
                            div.field {
                                label for="f-repeat" { (w.appt_repeat) }
                                select #f-repeat name="repeat" {
                                    option value="" { (w.appt_repeat_none) }
                                    @for f in Frequency::ALL { option value=(f.as_str()) { (w.choice("repeat", f.as_str())) } }
                                }
                            }
                            div.field { label for="f-interval" { (w.appt_every) } input #f-interval type="number" name="interval" min="1" max="52" value="1"; }
                            div.field { label for="f-count" { (w.appt_times) } input #f-count type="number" name="count" min="2" max="104" value="6"; }
                        }
                        div.field { label for="f-notes" { (w.appt_notes) } textarea #f-notes name="notes" rows="2" maxlength="2000" { (m.notes) } }
                        @if !m.deals.is_empty() {
                            div.field {
                                label for="f-deal" { (w.appt_deal) }
                                select #f-deal name="deal_id" {
                                    option value="" { "—" }
                                    @for (id, title) in m.deals { option value=(id) selected[m.deal.is_some_and(|d| d.0 == *id)] { (title) } }
                                }
                            }
                        }
                        div.field.check { label { input type="checkbox" name="notify" value="1" checked; " " (w.appt_notify) } }
                        div.field.check { label { input type="checkbox" name="overbook" value="1"; " " (w.appt_overbook) } }
                        button.primary type="submit" { (w.appt_book) }
                    }
                }
            }
        },
    )
}
