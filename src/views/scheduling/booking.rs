//! The public booking page, for visitors without an account: choose services and a person
//! (or anyone), then a free time (held for some minutes), then their details; and the page
//! of their private link, to see, move or cancel what they booked. Plain forms: no
//! JavaScript is needed.

use crate::assets::Assets;
use crate::domain::format::weekday_date;
use crate::domain::ids::{ServiceId, UserId};
use crate::domain::local_time::show;
use crate::domain::scheduling::{Appointment, Service};
use crate::domain::words::{Lang, fill};
use crate::error::FieldError;
use crate::views::components::{Field, csrf, form_error};
use crate::views::layout::{Flash, bare};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use maud::{Markup, html};

/// What every booking page knows: whose, in which language and zone, its form token.
pub struct Public<'a> {
    pub assets: &'a Assets,
    pub lang: Lang,
    pub zone: Tz,
    pub account: &'a str,
    pub base: &'a str,
    pub csrf: &'a str,
    pub flash: Option<&'a Flash>,
}

pub struct Choose<'a> {
    pub services: &'a [Service],
    pub staff: &'a [(UserId, String)],
    pub chosen: &'a [ServiceId],
    pub person: Option<UserId>,
    pub week: NaiveDate,
    /// The free times of the week shown, once services are chosen.
    pub slots: Option<&'a [DateTime<Utc>]>,
    pub currency: &'a str,
    /// For moving a booking: its link's token (the times then move it).
    pub moving: Option<&'a str>,
}

/// A booking page: the business's name over `content`, with the page's message.
fn page(p: &Public, content: Markup) -> Markup {
    bare(p.assets, p.lang, p.account, p.flash, content)
}

fn price(lang: Lang, minor: i64, currency: &str) -> String {
    crate::domain::format::money(lang, minor, currency)
}

/// The free times of a week, a list per day, each a button that holds (or moves to) it.
fn times(p: &Public, m: &Choose, slots: &[DateTime<Utc>]) -> Markup {
    let w = p.lang.words();
    let days: Vec<NaiveDate> = (0..7).map(|i| m.week + chrono::Duration::days(i)).collect();
    let query = |week: NaiveDate| {
        let mut q: Vec<String> = m.chosen.iter().map(|s| format!("service_id={s}")).collect();
        if let Some(s) = m.person {
            q.push(format!("staff_id={s}"));
        }
        q.push(format!("week={week}"));
        format!("?{}", q.join("&"))
    };
    let (action, back) = match m.moving {
        Some(token) => (
            format!("{}/book/manage/{token}/move", p.base),
            format!("{}/book/manage/{token}", p.base),
        ),
        None => (format!("{}/book/hold", p.base), format!("{}/book", p.base)),
    };
    html! {
        nav.pager aria-label=(w.book_weeks) {
            a.button href={(back) (query(m.week - chrono::Duration::days(7)))} { "‹ " (w.cal_previous) }
            a.button href={(back) (query(m.week + chrono::Duration::days(7)))} { (w.cal_next) " ›" }
        }
        @if slots.is_empty() { p.muted { (w.book_none_free) } }
        @for day in days {
            @let today: Vec<&DateTime<Utc>> = slots.iter().filter(|s| s.with_timezone(&p.zone).date_naive() == day).collect();
            @if !today.is_empty() {
                h3 { (weekday_date(p.lang, day)) }
                ul.slots {
                    @for at in today {
                        li { form method="post" action=(action) {
                            (csrf(p.csrf))
                            @for s in m.chosen { input type="hidden" name="service_id" value=(s); }
                            @if let Some(s) = m.person { input type="hidden" name="staff_id" value=(s); }
                            input type="hidden" name="starts_at" value=(crate::clock::stamp(*at));
                            button type="submit" data-at=(crate::clock::stamp(*at)) { (at.with_timezone(&p.zone).format("%H:%M")) }
                        } }
                    }
                }
            }
        }
    }
}

/// A business that takes no bookings online, said so.
pub fn closed(p: &Public) -> Markup {
    page(p, html! { p { (p.lang.words().book_closed) } })
}

/// Step one and two: what, with whom, and when.
pub fn choose(p: &Public, m: &Choose) -> Markup {
    let w = p.lang.words();
    page(
        p,
        html! {
            @if m.moving.is_none() {
                form method="get" action={(p.base) "/book"} {
                    fieldset.field {
                        legend { (w.book_what) }
                        @for (i, s) in m.services.iter().enumerate() {
                            @if !s.category.is_empty() && (i == 0 || m.services[i - 1].category != s.category) {
                                p.group-label { (s.category) }
                            }
                            label.check { input type="checkbox" name="service_id" value=(s.id) checked[m.chosen.contains(&s.id)]; " " (s.name) " " span.muted { (s.minutes) " min · " (price(p.lang, s.price, m.currency)) } }
                        }
                    }
                    div.field {
                        label for="f-staff" { (w.book_with) }
                        select #f-staff name="staff_id" {
                            option value="" { (w.book_anyone) }
                            @for (id, name) in m.staff { option value=(id) selected[m.person == Some(*id)] { (name) } }
                        }
                    }
                    input type="hidden" name="week" value=(m.week.to_string());
                    button.primary type="submit" { (w.book_show_times) }
                }
            }
            @if let Some(slots) = m.slots {
                h2 { (w.book_choose_time) }
                // The script adds the visitor's own time where their zone is another.
                p.muted.small data-booking-zone=(p.zone.name()) data-also-yours=(w.book_also_yours) { (fill(w.times_are_in, &[("zone", p.zone.name())])) }
                (times(p, m, slots))
                @if m.moving.is_none() { (waitlist(p, m)) }
            }
        },
    )
}

/// The form to wait for a time on one of the week's days (for the first service chosen).
fn waitlist(p: &Public, m: &Choose) -> Markup {
    let w = p.lang.words();
    let Some(service) = m.chosen.first() else {
        return html! {};
    };
    html! {
        details.panel.waitlist {
            summary { (w.book_waitlist) }
            p.muted { (w.book_waitlist_hint) }
            form method="post" action={(p.base) "/book/waitlist"} {
                (csrf(p.csrf))
                input type="hidden" name="service_id" value=(service);
                div.field {
                    label for="w-day" { (w.book_waitlist_day) }
                    select #w-day name="day" {
                        @for i in 0..7 {
                            @let day = m.week + chrono::Duration::days(i);
                            option value=(day.to_string()) { (crate::domain::format::weekday_date(p.lang, day)) }
                        }
                    }
                }
                div.field { label for="w-name" { (w.book_name) } input #w-name type="text" name="name" required maxlength="120" autocomplete="name"; }
                div.field { label for="w-email" { (w.book_email) } input #w-email type="email" name="email" required autocomplete="email"; }
                div.field.check { label { input type="checkbox" name="consent" value="1" required; " " (w.book_waitlist_consent) } }
                button type="submit" { (w.book_waitlist_join) }
            }
        }
    }
}

/// Step three: who books, while the time is held.
pub struct Details<'a> {
    pub token: &'a str,
    pub services: &'a [Service],
    pub staff: &'a str,
    pub starts_at: &'a str,
    pub expires_at: &'a str,
    pub values: [&'a str; 4],
    pub errors: &'a [FieldError],
    pub error: Option<&'a str>,
}

pub fn details(p: &Public, m: &Details) -> Markup {
    let w = p.lang.words();
    let names: Vec<&str> = m.services.iter().map(|s| s.name.as_str()).collect();
    let until = crate::clock::parse_stamp(m.expires_at)
        .map(|t| t.with_timezone(&p.zone).format("%H:%M").to_string())
        .unwrap_or_default();
    let [name, email, phone, notes] = m.values;
    page(
        p,
        html! {
            p { strong { (names.join(", ")) } " · " (show(m.starts_at, p.zone, p.lang)) @if !m.staff.is_empty() { " · " (fill(w.with_person, &[("name", m.staff)])) } }
            p.muted { (fill(w.book_held_until, &[("time", &until)])) }
            (form_error(m.error))
            form method="post" action={(p.base) "/book/details/" (m.token)} {
                (csrf(p.csrf))
                (Field::new(w.book_name, "name").value(name).required().autocomplete("name").render(p.lang, m.errors))
                (Field::new(w.book_email, "email").kind("email").value(email).required().autocomplete("email").render(p.lang, m.errors))
                (Field::new(w.book_phone, "phone").kind("tel").value(phone).autocomplete("tel").render(p.lang, m.errors))
                div.field { label for="f-notes" { (w.appt_notes) } textarea #f-notes name="notes" rows="2" maxlength="1000" { (notes) } }
                div.field.check.invalid[m.errors.iter().any(|e| e.field == "consent")] {
                    label { input type="checkbox" name="consent" value="1" required; " " (fill(w.book_consent, &[("account", p.account)])) }
                }
                button.primary type="submit" { (w.book_confirm) }
            }
        },
    )
}

/// A client's link: what they booked, and moving or cancelling it while the policy allows.
pub struct Manage<'a> {
    pub token: &'a str,
    pub appointment: &'a Appointment,
    pub services: &'a [Service],
    pub staff: &'a str,
    pub may_change: bool,
    pub cancel_hours: i64,
}

pub fn manage(p: &Public, m: &Manage) -> Markup {
    let w = p.lang.words();
    let a = m.appointment;
    let names: Vec<&str> = m.services.iter().map(|s| s.name.as_str()).collect();
    page(
        p,
        html! {
            p { strong { (names.join(", ")) } }
            dl.details {
                dt { (w.appt_starts) } dd { (show(&a.starts_at, p.zone, p.lang)) }
                @if !m.staff.is_empty() { dt { (w.book_with) } dd { (m.staff) } }
                dt { (w.cal_status) } dd { (w.choice("appointment", a.status.as_str())) }
            }
            @if m.may_change {
                div.actions {
                    a.button href={(p.base) "/book/manage/" (m.token) "?move=1"} { (w.book_other_time) }
                    form.inline method="post" action={(p.base) "/book/manage/" (m.token) "/cancel"} {
                        (csrf(p.csrf))
                        button.danger type="submit" { (w.appt_cancel) }
                    }
                }
            } @else if matches!(a.status, crate::domain::scheduling::Status::Requested | crate::domain::scheduling::Status::Confirmed) {
                p.muted { (fill(w.book_call_us, &[("n", &m.cancel_hours.to_string())])) }
            }
            p { a href={(p.base) "/book"} { (w.mail_appt_book_again) } }
        },
    )
}
