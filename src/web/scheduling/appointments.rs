//! Booking from the calendar, an appointment's page, and its next steps: status, moving.

use super::user_param;
use crate::app::read::records::search;
use crate::app::read::scheduling as read;
use crate::app::scheduling::{Booking, Move, SeriesReport};
use crate::clock::parse_stamp;
use crate::domain::crm::Entity;
use crate::domain::ids::{AppointmentId, ContactId, DealId, ServiceId, UserId};
use crate::domain::local_time::{from_input, input_value, show as show_time};
use crate::domain::scheduling::Status;
use crate::domain::scheduling::series::{Frequency, Repeat};
use crate::domain::words::fill;
use crate::error::{Error, Result};
use crate::views::layout::{Flash, Section};
use crate::views::scheduling::appointment::{
    AppointmentView, NewAppointment, appointment_page, new_appointment,
};
use crate::web::context::Ctx;
use crate::web::crm::return_to;
use crate::web::respond;
use rouille::Response;

/// What the new-appointment form was given: from the calendar's slot, or typed.
struct Asked {
    contact: Option<ContactId>,
    staff: Option<UserId>,
    starts_at: String,
    services: Vec<ServiceId>,
    notes: String,
    deal: Option<DealId>,
}

/// A start as the form shows it: a UTC stamp (from a calendar slot) in the viewer's zone,
/// typed text as it was typed.
fn local_start(ctx: &Ctx, raw: &str) -> String {
    match parse_stamp(raw) {
        Some(_) => input_value(raw, ctx.zone()),
        None => raw.chars().take(19).collect(),
    }
}

fn render_new(ctx: &Ctx, asked: &Asked, q: &str, error: Option<&str>) -> Result<Response> {
    let data = read::new_appointment(&ctx.tenant, asked.contact)?;
    let hits = match (&data.contact, q.trim()) {
        (None, q) if !q.is_empty() => search(&ctx.tenant, q, Some(Entity::Contact), 10)?,
        _ => Vec::new(),
    };
    let contact = data
        .contact
        .as_ref()
        .map(|(id, n, s)| (*id, n.as_str(), *s));
    let page = NewAppointment {
        contact,
        q,
        hits: &hits,
        services: &data.services,
        staff: &data.staff,
        staff_id: asked.staff,
        starts_at: &asked.starts_at,
        chosen: &asked.services,
        notes: &asked.notes,
        deals: &data.deals,
        deal: asked.deal,
        error,
    };
    let markup = new_appointment(&ctx.chrome(Section::Calendar), &page);
    Ok(match error {
        Some(_) => respond::html_status(markup, 422),
        None => respond::html(markup),
    })
}

/// `appointments/new?contact_id=&staff_id=&starts_at=&q=`: find the client, then book.
pub fn new(ctx: &mut Ctx) -> Result<Response> {
    ctx.user()?;
    let get = |key: &str| ctx.req.get_param(key).unwrap_or_default();
    let contact = match get("contact_id").trim() {
        "" => None,
        v => Some(ContactId(v.parse().map_err(|_| Error::NotFound)?)),
    };
    let asked = Asked {
        contact,
        staff: user_param(&get("staff_id"), "staff_id")?,
        starts_at: local_start(ctx, &get("starts_at")),
        services: Vec::new(),
        notes: String::new(),
        deal: get("deal_id").trim().parse().ok().map(DealId),
    };
    render_new(ctx, &asked, &get("q"), None)
}

/// The repeat the form asks for, if any.
fn repeat_of(ctx: &Ctx) -> Result<Option<Repeat>> {
    let form = &ctx.form;
    if form.get("repeat").is_empty() {
        return Ok(None);
    }
    let frequency = Frequency::parse(form.get("repeat"))
        .ok_or_else(|| Error::field("repeat", "is not a way to repeat"))?;
    let number = |key: &str| -> Result<u32> {
        form.get(key)
            .trim()
            .parse()
            .map_err(|_| Error::field(key, "must be a whole number"))
    };
    Ok(Some(Repeat {
        frequency,
        interval: number("interval")?,
        count: number("count")?,
    }))
}

/// What a series booked, in words: how many, and which times were taken.
fn series_flash(ctx: &Ctx, report: &SeriesReport) -> Flash {
    let w = ctx.w();
    let mut text = fill(
        w.appt_series_booked,
        &[("n", &report.booked.len().to_string())],
    );
    if report.conflicts.is_empty() {
        return Flash::success(text);
    }
    let times: Vec<String> = report
        .conflicts
        .iter()
        .map(|(at, _)| show_time(at, ctx.zone(), ctx.lang()))
        .collect();
    text.push(' ');
    text.push_str(&fill(
        w.appt_series_conflicts,
        &[("times", &times.join(", "))],
    ));
    Flash::info(text)
}

/// `POST appointments`: books from the form; a refusal shows the form again, as filled in.
pub fn create(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let form = &ctx.form;
    let services: Vec<ServiceId> = form
        .all("service_ids")
        .iter()
        .filter_map(|s| s.parse().ok())
        .map(ServiceId)
        .collect();
    let contact = form.get("contact_id").parse().ok().map(ContactId);
    let asked = Asked {
        contact,
        staff: form.get("staff_id").parse().ok().map(UserId),
        starts_at: form.get("starts_at").to_string(),
        services,
        notes: form.get("notes").to_string(),
        deal: form.get("deal_id").parse().ok().map(DealId),
    };
    let outcome = (|| {
        let contact = asked
            .contact
            .ok_or_else(|| Error::field("contact_id", "is required"))?;
        let staff_id = asked
            .staff
            .ok_or_else(|| Error::field("staff_id", "is required"))?;
        let starts_at = from_input(&asked.starts_at, ctx.zone());
        let booking = Booking {
            contact_id: contact,
            staff_id,
            services: &asked.services,
            starts_at: &starts_at,
            notes: &asked.notes,
            overbook: ctx.form.has("overbook"),
            notify: ctx.form.has("notify"),
            deal_id: asked.deal,
        };
        match repeat_of(ctx)? {
            Some(repeat) => {
                let report = ctx.app.book_series(&ctx.tenant, &user, &booking, repeat)?;
                Ok((None, series_flash(ctx, &report), starts_at))
            }
            None => {
                let id = ctx.app.book(&ctx.tenant, &user, &booking)?;
                let when = show_time(&starts_at, ctx.zone(), ctx.lang());
                let flash = Flash::success(fill(ctx.w().appt_booked, &[("when", &when)]));
                Ok((Some(id), flash, starts_at))
            }
        }
    })();
    match outcome {
        Ok((Some(id), flash, _)) => Ok(ctx.redirect(&format!("appointments/{id}"), Some(flash))),
        Ok((None, flash, starts_at)) => {
            let day = input_value(&starts_at, ctx.tenant.zone_of(None));
            let to = format!("calendar?view=week&date={}", day.get(..10).unwrap_or(""));
            Ok(ctx.redirect(&to, Some(flash)))
        }
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let message = ctx.w().error(&e, None);
            render_new(ctx, &asked, "", Some(&message))
        }
        Err(e) => Err(e),
    }
}

pub fn show(ctx: &mut Ctx, id: i64) -> Result<Response> {
    ctx.user()?;
    let data = read::appointment_page(&ctx.tenant, AppointmentId(id))?;
    let page = AppointmentView {
        appointment: &data.appointment,
        services: &data.services,
        staff: &data.staff,
        no_shows: data.no_shows,
        deal: data.deal.as_ref(),
        history: &data.history,
        error: None,
    };
    Ok(respond::html(appointment_page(
        &ctx.chrome(Section::Calendar),
        &page,
    )))
}

/// A refusal of a step or a move, told on the page it came from.
fn refused(ctx: &mut Ctx, back: &str, e: Error) -> Result<Response> {
    match e {
        Error::Invalid { .. } | Error::Conflict(_) => {
            let message = ctx.w().error(&e, None);
            Ok(ctx.redirect(back, Some(Flash::error(message))))
        }
        other => Err(other),
    }
}

/// `POST appointments/{id}/status`: confirmed, arrived, completed, no-show or cancelled.
pub fn set_status(ctx: &mut Ctx, id: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let back = return_to(ctx, &format!("appointments/{id}"));
    let Some(status) = Status::parse(ctx.form.get("status")) else {
        return refused(ctx, &back, Error::field("status", "is not a status"));
    };
    let reason = ctx.form.get("reason").to_string();
    match ctx
        .app
        .set_appointment_status(&ctx.tenant, &user, AppointmentId(id), status, &reason)
    {
        Ok(()) => {
            let w = ctx.w();
            let now = fill(
                w.appt_now,
                &[("status", w.choice("appointment", status.as_str()))],
            );
            Ok(ctx.redirect(&back, Some(Flash::success(now))))
        }
        Err(e) => refused(ctx, &back, e),
    }
}

/// `POST appointments/{id}/move`: another time (typed in the viewer's zone, or a stamp from
/// the calendar's drag), end (resizing it; empty: as long as it is) and person; answered on
/// the page it came from.
pub fn move_to(ctx: &mut Ctx, id: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let back = return_to(ctx, &format!("appointments/{id}"));
    let starts_at = from_input(ctx.form.get("starts_at"), ctx.zone());
    let ends_at = from_input(ctx.form.get("ends_at"), ctx.zone());
    let staff_id = match user_param(ctx.form.get("staff_id"), "staff_id") {
        Ok(s) => s,
        Err(e) => return refused(ctx, &back, e),
    };
    let m = Move {
        staff_id,
        starts_at: &starts_at,
        ends_at: Some(ends_at.as_str()),
        overbook: ctx.form.has("overbook"),
    };
    match ctx
        .app
        .move_appointment(&ctx.tenant, &user, AppointmentId(id), &m)
    {
        Ok(moved) => {
            let when = show_time(&moved.starts_at, ctx.zone(), ctx.lang());
            let flash = Flash::success(fill(ctx.w().appt_moved, &[("when", &when)]));
            Ok(ctx.redirect(&back, Some(flash)))
        }
        Err(e) => refused(ctx, &back, e),
    }
}
