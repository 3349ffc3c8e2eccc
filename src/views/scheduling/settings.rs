//! Settings → Scheduling: the services people book, the resources they need, how the
//! booking page takes bookings, someone's working hours, and one's private calendar feed.

use crate::domain::ids::UserId;
use crate::domain::money::amount_input;
use crate::domain::scheduling::availability::{Exception, WeeklyHours};
use crate::domain::scheduling::policy::BookingPolicy;
use crate::domain::scheduling::{COLOURS, FeedScope, Resource, Service, spans_text};
use crate::domain::words::Words;
use crate::views::components::{csrf, form_error};
use crate::views::layout::Chrome;
use crate::views::scheduling::colour_word;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

pub struct SchedulingSettings<'a> {
    pub services: &'a [Service],
    pub resources: &'a [Resource],
    pub policy: &'a BookingPolicy,
    /// Whose hours the form shows, and who may be chosen (admins: everyone).
    pub person: (UserId, &'a str),
    pub people: &'a [(UserId, String)],
    pub hours: &'a WeeklyHours,
    /// Their changes to come (days off, other hours).
    pub exceptions: &'a [Exception],
    pub currency: &'a str,
    pub is_admin: bool,
    /// A feed address just made (shown once), and what it lists.
    pub new_feed: Option<(FeedScope, &'a str)>,
    pub error: Option<&'a str>,
}

fn number(label: &str, name: &str, value: i64, (min, max): (i64, i64)) -> Markup {
    let id = format!("f-{name}");
    html! { div.field { label for=(id) { (label) } input id=(id) type="number" name=(name) value=(value) min=(min) max=(max) required; } }
}

/// Who performs a service, by name (none listed: everyone).
fn performers(w: &Words, s: &Service, people: &[(UserId, String)]) -> String {
    if s.staff.is_empty() {
        return w.set_everyone.to_string();
    }
    let names: Vec<&str> = people
        .iter()
        .filter(|(id, _)| s.staff.contains(id))
        .map(|(_, name)| name.as_str())
        .collect();
    names.join(", ")
}

fn service_rows(chrome: &Chrome, m: &SchedulingSettings) -> Markup {
    let w = chrome.w();
    html! {
        table.list { thead { tr {
                th { (w.set_name) } th { (w.set_category) } th { (w.set_minutes) } th { (w.set_buffers) }
                th { (w.set_price) } th { (w.set_performed_by) } th { (w.set_online) }
            } }
            tbody { @for s in m.services { tr {
                td { span class={ "swatch svc-" (s.colour) } aria-hidden="true" {} " "
                    @if m.is_admin { a href=(chrome.href(&format!("settings/scheduling/services/{}", s.id))) { (s.name) } } @else { (s.name) } }
                td { (s.category) }
                td { (s.minutes) @if s.processing > 0 { span.muted { " (" (s.processing) " ⧗)" } } }
                td { (s.buffer_before) " / " (s.buffer_after) }
                td { (chrome.money(s.price, m.currency)) }
                td { (performers(w, s, m.people)) }
                td { @if s.online { "✓" } }
            } } }
        }
    }
}

/// What a service's form offers: the resources it may need and who may perform it.
pub struct ServiceChoices<'a> {
    pub resources: &'a [Resource],
    pub people: &'a [(UserId, String)],
    /// The categories in use, for the category field's suggestions.
    pub categories: Vec<&'a str>,
    pub currency: &'a str,
}

/// The form to add a service, or to change `current`.
fn service_form(chrome: &Chrome, c: &ServiceChoices, current: Option<&Service>) -> Markup {
    let w = chrome.w();
    let action = match current {
        Some(s) => chrome.href(&format!("settings/scheduling/services/{}", s.id)),
        None => chrome.href("settings/scheduling/services"),
    };
    let text = |f: fn(&Service) -> &str| current.map_or("", f).to_string();
    let value = |f: fn(&Service) -> i64, default: i64| current.map_or(default, f);
    let price = current.map_or(String::new(), |s| {
        amount_input(chrome.lang, s.price, c.currency)
    });
    let vat = value(|s| s.vat_rate, 2100);
    let colour = current.map_or(COLOURS[0], |s| s.colour.as_str());
    let needs = current.and_then(|s| s.resources.first().copied());
    let button = if current.is_some() {
        w.save
    } else {
        w.set_add_service
    };
    html! {
        form method="post" action=(action) {
            (csrf(chrome.csrf))
            div.row3 {
                div.field { label for="f-name" { (w.set_name) } input #f-name type="text" name="name" required maxlength="120" value=(text(|s| &s.name)); }
                div.field { label for="f-category" { (w.set_category) } input #f-category type="text" name="category" maxlength="60" list="categories" value=(text(|s| &s.category)); }
                div.field { label for="f-colour" { (w.set_colour) } select #f-colour name="colour" { @for k in COLOURS { option value=(k) selected[k == colour] { (colour_word(w, k)) } } } }
                (number(w.set_minutes, "minutes", value(|s| s.minutes, 30), (5, 720)))
                (number(w.set_processing, "processing", value(|s| s.processing, 0), (0, 715)))
                div.field { label for="f-price" { (w.set_price) } input #f-price type="text" name="price" inputmode="decimal" placeholder="45,00" value=(price); }
                (number(w.set_buffer_before, "buffer_before", value(|s| s.buffer_before, 0), (0, 240)))
                (number(w.set_buffer_after, "buffer_after", value(|s| s.buffer_after, 0), (0, 240)))
                div.field { label for="f-vat" { (w.set_vat) } select #f-vat name="vat_rate" { @for (bp, label) in [(2100, "21%"), (900, "9%"), (0, "0%")] { option value=(bp) selected[bp == vat] { (label) } } } }
                div.field { label for="f-resource" { (w.set_needs) } select #f-resource name="resource_id" { option value="" { "—" } @for r in c.resources { option value=(r.id) selected[needs == Some(r.id)] { (r.name) } } } }
            }
            datalist #categories { @for k in &c.categories { option value=(k) {} } }
            fieldset.field {
                legend { (w.set_performed_by) }
                p.hint { (w.set_performed_by_hint) }
                @for (id, name) in c.people {
                    label.check { input type="checkbox" name="staff_id" value=(id) checked[current.is_some_and(|s| s.staff.contains(id))]; " " (name) }
                }
            }
            div.field.check { label { input type="checkbox" name="online" value="1" checked[current.is_none_or(|s| s.online)]; " " (w.set_online_hint) } }
            @if current.is_some() { p.hint { (w.set_service_keeps) } }
            button.primary type="submit" { (button) }
        }
    }
}

/// The page to change one service.
pub fn service_page(chrome: &Chrome, service: &Service, c: &ServiceChoices) -> Markup {
    let w = chrome.w();
    settings_page(
        chrome,
        Tab::Scheduling,
        &service.name,
        html! {
            section.panel aria-labelledby="service-h" {
                h2 #service-h { span class={ "swatch svc-" (service.colour) } aria-hidden="true" {} " " (service.name) }
                (service_form(chrome, c, Some(service)))
            }
            p { a href=(chrome.href("settings/scheduling")) { "‹ " (w.set_services) } }
        },
    )
}

/// The categories `services` use, each once, in their order.
pub fn categories(services: &[Service]) -> Vec<&str> {
    let mut out: Vec<&str> = services
        .iter()
        .map(|s| s.category.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    out.dedup();
    out
}

fn services(chrome: &Chrome, m: &SchedulingSettings) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="services-h" {
            h2 #services-h { (w.set_services) }
            @if m.services.is_empty() { p.muted { (w.nothing_here) } } @else { (service_rows(chrome, m)) }
            @if m.is_admin {
                h3 { (w.set_add_service) }
                (service_form(chrome, &ServiceChoices { resources: m.resources, people: m.people, categories: categories(m.services), currency: m.currency }, None))
            }
        }
    }
}

fn resources(chrome: &Chrome, m: &SchedulingSettings) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="resources-h" {
            h2 #resources-h { (w.set_resources) }
            @if m.resources.is_empty() { p.muted { (w.set_resources_none) } }
            ul.plain { @for r in m.resources { li { (r.name) " " span.muted { "× " (r.capacity) } } } }
            @if m.is_admin {
                form method="post" action=(chrome.href("settings/scheduling/resources")) {
                    (csrf(chrome.csrf))
                    div.row3 {
                        div.field { label for="f-rname" { (w.set_name) } input #f-rname type="text" name="name" required maxlength="80"; }
                        (number(w.set_capacity, "capacity", 1, (1, 100)))
                    }
                    button type="submit" { (w.set_add_resource) }
                }
            }
        }
    }
}

fn policy(chrome: &Chrome, m: &SchedulingSettings) -> Markup {
    let w = chrome.w();
    let p = m.policy;
    html! {
        section.panel aria-labelledby="policy-h" {
            h2 #policy-h { (w.set_policy) }
            p { (w.set_booking_page) " " a href=(chrome.href("book")) { (chrome.href("book")) } }
            form method="post" action=(chrome.href("settings/scheduling/policy")) {
                (csrf(chrome.csrf))
                div.row3 {
                    (number(w.set_step, "step_minutes", p.step_minutes, (5, 240)))
                    (number(w.set_lead, "lead_minutes", p.lead_minutes, (0, 43_200)))
                    (number(w.set_horizon, "horizon_days", p.horizon_days, (1, 730)))
                    (number(w.set_cancel, "cancel_hours", p.cancel_hours, (0, 720)))
                    (number(w.set_reminder, "reminder_hours", p.reminder_hours, (0, 720)))
                }
                div.field.check { label { input type="checkbox" name="online" value="1" checked[p.online]; " " (w.set_page_open) } }
                div.field.check { label { input type="checkbox" name="approval" value="1" checked[p.approval]; " " (w.set_approval) } }
                @if m.is_admin { button.primary type="submit" { (w.save) } }
            }
        }
    }
}

fn hours(chrome: &Chrome, m: &SchedulingSettings) -> Markup {
    let w = chrome.w();
    let names: Vec<&str> = w.weekdays.split(' ').collect();
    html! {
        section.panel aria-labelledby="hours-h" {
            h2 #hours-h { (crate::domain::words::fill(w.set_hours_of, &[("name", m.person.1)])) }
            @if m.is_admin && m.people.len() > 1 {
                form.toolbar method="get" action=(chrome.href("settings/scheduling")) {
                    label for="f-person" { (w.cal_person) }
                    select #f-person name="staff_id" { @for (id, name) in m.people { option value=(id) selected[*id == m.person.0] { (name) } } }
                    button type="submit" { (w.cal_show) }
                }
            }
            form method="post" action=(chrome.href(&format!("settings/scheduling/hours/{}", m.person.0))) {
                (csrf(chrome.csrf))
                p.hint { (w.set_hours_hint) }
                div.grid2 {
                    @for (i, spans) in m.hours.days.iter().enumerate() {
                        @let id = format!("f-day{i}");
                        div.field { label for=(id) { (names.get(i).copied().unwrap_or("")) } input id=(id) type="text" name={"day" (i)} value=(spans_text(spans)); }
                    }
                }
                button.primary type="submit" { (w.save) }
            }
        }
    }
}

fn exceptions(chrome: &Chrome, m: &SchedulingSettings) -> Markup {
    let w = chrome.w();
    let today = crate::domain::local_time::today(chrome.now, chrome.zone);
    html! {
        section.panel aria-labelledby="exceptions-h" {
            h2 #exceptions-h { (w.set_exception) }
            @if !m.exceptions.is_empty() {
                h3 { (w.set_exceptions_coming) }
                ul.plain { @for e in m.exceptions { li {
                    (crate::domain::format::weekday_date(chrome.lang, e.day)) ": "
                    @if e.spans.is_empty() { span.muted { (w.set_day_off) } } @else { (spans_text(&e.spans)) }
                } } }
            }
            form method="post" action=(chrome.href(&format!("settings/scheduling/exceptions/{}", m.person.0))) {
                (csrf(chrome.csrf))
                p.hint { (w.set_exception_hint) }
                div.row3 {
                    div.field { label for="f-exday" { (w.set_exception_day) } input #f-exday type="date" name="day" required min=(today.to_string()); }
                    div.field { label for="f-extimes" { (w.set_exception_times) } input #f-extimes type="text" name="times" placeholder="10:00–14:00"; }
                }
                button type="submit" { (w.save) }
            }
        }
    }
}

/// A private feed's panel: its own, or (for owners and admins) the whole workspace's.
fn feed(chrome: &Chrome, m: &SchedulingSettings, scope: FeedScope) -> Markup {
    let w = chrome.w();
    let (id, title, hint) = match scope {
        FeedScope::Own => ("feed", w.set_feed, w.set_feed_hint),
        FeedScope::Workspace => ("team-feed", w.set_team_feed, w.set_team_feed_hint),
    };
    let made = m.new_feed.filter(|(s, _)| *s == scope).map(|(_, url)| url);
    html! {
        section.panel aria-labelledby={ (id) "-h" } {
            h2 id={ (id) "-h" } { (title) }
            p.muted { (hint) }
            @if let Some(url) = made { div.field { label for={ "f-" (id) } { (w.set_feed_address) } input id={ "f-" (id) } type="text" readonly value=(url); } }
            div.actions {
                form.inline method="post" action=(chrome.href("settings/scheduling/feed")) {
                    (csrf(chrome.csrf)) input type="hidden" name="scope" value=(scope.as_str());
                    button type="submit" { (w.set_feed_new) }
                }
                form.inline method="post" action=(chrome.href("settings/scheduling/feed/revoke")) {
                    (csrf(chrome.csrf)) input type="hidden" name="scope" value=(scope.as_str());
                    button.danger type="submit" { (w.set_feed_revoke) }
                }
            }
        }
    }
}

pub fn scheduling_settings(chrome: &Chrome, m: &SchedulingSettings) -> Markup {
    let w = chrome.w();
    settings_page(
        chrome,
        Tab::Scheduling,
        w.set_scheduling,
        html! {
            (form_error(m.error))
            (hours(chrome, m))
            (exceptions(chrome, m))
            (services(chrome, m))
            (resources(chrome, m))
            (policy(chrome, m))
            (feed(chrome, m, FeedScope::Own))
            @if m.is_admin { (feed(chrome, m, FeedScope::Workspace)) }
        },
    )
}
