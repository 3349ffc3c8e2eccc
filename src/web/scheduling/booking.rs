//! `/t/<slug>/book`: the public booking page, for visitors without an account. Choose
//! services and a person (or anyone), then a free time (held while they fill in their
//! details), then who they are; their private link (`book/manage/<token>`) shows, moves or
//! cancels what they booked. Every write is counted against the visitor's address.

use super::{token_of, user_param};
use crate::app::scheduling::{HOLD_GONE, Visitor};
use crate::domain::ids::{ServiceId, UserId};
use crate::domain::local_time::today;
use crate::domain::scheduling::Status;
use crate::error::{Error, Result};
use crate::views::layout::Flash;
use crate::views::scheduling::booking::{self as view, Choose, Details, Manage, Public};
use crate::web::context::Ctx;
use crate::web::respond;
use chrono::{DateTime, NaiveDate, Utc};
use rouille::Response;

/// What every booking page shares, with `flash` shown over it (else the request's own).
fn public<'a>(ctx: &'a Ctx, base: &'a str, flash: Option<&'a Flash>) -> Public<'a> {
    Public {
        assets: &ctx.app.assets,
        lang: ctx.browser_lang(),
        zone: ctx.tenant.zone_of(None),
        account: &ctx.tenant.account.name,
        base,
        csrf: &ctx.csrf,
        flash: flash.or(ctx.flash.as_ref()),
    }
}

/// The words of a refusal, in the visitor's language.
fn in_words(ctx: &Ctx, e: &Error) -> String {
    ctx.browser_lang().words().error(e, None)
}

/// The choice read from the address or a form: `service_id` (repeated), `staff_id`, `week`.
struct Choice {
    services: Vec<ServiceId>,
    person: Option<UserId>,
    week: NaiveDate,
}

impl Choice {
    fn read<'p>(ctx: &Ctx, pairs: impl Iterator<Item = (&'p str, &'p str)>) -> Result<Choice> {
        let first = today(ctx.app.now(), ctx.tenant.zone_of(None));
        let mut choice = Choice {
            services: Vec::new(),
            person: None,
            week: first,
        };
        for (key, value) in pairs {
            match key {
                "service_id" => choice.services.push(ServiceId(
                    value
                        .parse()
                        .map_err(|_| Error::field("service_id", "is not a service here"))?,
                )),
                "staff_id" => choice.person = user_param(value, "staff_id")?,
                "week" if !value.is_empty() => {
                    choice.week = NaiveDate::parse_from_str(value, "%Y-%m-%d")
                        .map_err(|_| Error::field("week", "is not a date (YYYY-MM-DD)"))?
                        .max(first);
                }
                _ => {}
            }
        }
        Ok(choice)
    }

    /// The booking page showing this choice again.
    fn href(&self) -> String {
        let mut q: Vec<String> = self
            .services
            .iter()
            .map(|s| format!("service_id={s}"))
            .collect();
        if let Some(p) = self.person {
            q.push(format!("staff_id={p}"));
        }
        q.push(format!("week={}", self.week));
        format!("book?{}", q.join("&"))
    }
}

/// The free start times of `choice`'s week, once a service is chosen.
fn free_times(ctx: &Ctx, choice: &Choice) -> Result<Option<Vec<DateTime<Utc>>>> {
    if choice.services.is_empty() {
        return Ok(None);
    }
    let slots = ctx
        .app
        .online_slots(&ctx.tenant, &choice.services, choice.person, choice.week)?;
    let mut times: Vec<DateTime<Utc>> = slots.into_iter().map(|s| s.start).collect();
    times.sort();
    times.dedup();
    Ok(Some(times))
}

/// The page to choose what and when; `moving` is a client link's token when it moves one.
fn render_choose(ctx: &Ctx, choice: &Choice, moving: Option<&str>) -> Result<Response> {
    let base = ctx.path("");
    let base = base.trim_end_matches('/');
    let offer = match ctx.app.booking_offer(&ctx.tenant) {
        Ok(offer) => offer,
        Err(Error::NotFound | Error::Forbidden(_)) => return Ok(closed(ctx, base)),
        Err(e) => return Err(e),
    };
    let (times, flash) = match free_times(ctx, choice) {
        Ok(times) => (times, None),
        Err(e @ Error::Invalid { .. }) => (None, Some(Flash::error(in_words(ctx, &e)))),
        Err(e) => return Err(e),
    };
    let page = Choose {
        services: &offer.services,
        staff: &offer.staff,
        chosen: &choice.services,
        person: choice.person,
        week: choice.week,
        slots: times.as_deref(),
        currency: &ctx.tenant.account.currency,
        moving,
    };
    let p = public(ctx, base, flash.as_ref());
    Ok(respond::html(view::choose(&p, &page)))
}

/// A workspace that takes no bookings online: said so, in the visitor's words.
fn closed(ctx: &Ctx, base: &str) -> Response {
    respond::html_status(view::closed(&public(ctx, base, None)), 404)
}

pub fn choose(ctx: &mut Ctx) -> Result<Response> {
    let pairs = ctx.query_pairs();
    let choice = Choice::read(ctx, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match choice {
        Ok(choice) => render_choose(ctx, &choice, None),
        Err(e) => {
            let flash = Flash::error(in_words(ctx, &e));
            Ok(ctx.redirect("book", Some(flash)))
        }
    }
}

/// `POST book/hold`: keeps the chosen time for the visitor, then asks who they are.
pub fn hold(ctx: &mut Ctx) -> Result<Response> {
    let choice = match Choice::read(ctx, ctx.form.pairs()) {
        Ok(choice) => choice,
        Err(e) => {
            let flash = Flash::error(in_words(ctx, &e));
            return Ok(ctx.redirect("book", Some(flash)));
        }
    };
    let held = ctx.app.admit_visitor(ctx.client).and_then(|()| {
        ctx.app.hold_slot(
            &ctx.tenant,
            &choice.services,
            choice.person,
            ctx.form.get("starts_at"),
        )
    });
    match held {
        Ok(held) => Ok(ctx.redirect(&format!("book/details/{}", held.token), None)),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_) | Error::TooManyRequests(_))) => {
            let flash = Flash::error(in_words(ctx, &e));
            let back = choice.href();
            Ok(ctx.redirect(&back, Some(flash)))
        }
        Err(e) => Err(e),
    }
}

/// The form for the visitor's details while their time is held; back to choosing once the
/// hold ran out.
fn render_details(
    ctx: &Ctx,
    token: &str,
    values: [&str; 4],
    error: Option<&Error>,
) -> Result<Response> {
    let Some(held) = ctx.app.held_slot(&ctx.tenant, token)? else {
        return Err(Error::Conflict(HOLD_GONE.into()));
    };
    let base = ctx.path("");
    let message = error.map(|e| in_words(ctx, e));
    let fields = error.map(Error::field_errors).unwrap_or_default();
    let page = Details {
        token,
        services: &held.services,
        staff: &held.staff,
        starts_at: &held.starts_at,
        expires_at: &held.expires_at,
        values,
        errors: fields,
        error: message.as_deref(),
    };
    let markup = view::details(&public(ctx, base.trim_end_matches('/'), None), &page);
    Ok(match error {
        Some(e) => respond::html_status(markup, e.status()),
        None => respond::html(markup),
    })
}

/// A hold that ran out (or a slot taken meanwhile): back to choosing, told why.
fn start_again(ctx: &mut Ctx, e: Error) -> Result<Response> {
    match e {
        Error::Conflict(_) | Error::TooManyRequests(_) => {
            let flash = Flash::error(in_words(ctx, &e));
            Ok(ctx.redirect("book", Some(flash)))
        }
        other => Err(other),
    }
}

pub fn details(ctx: &mut Ctx, token: &str) -> Result<Response> {
    let token = token_of(token)?;
    match render_details(ctx, token, [""; 4], None) {
        Err(e) => start_again(ctx, e),
        ok => ok,
    }
}

/// `POST book/details/<token>`: books the held time for the visitor.
pub fn book(ctx: &mut Ctx, token: &str) -> Result<Response> {
    let token = token_of(token)?;
    let form = &ctx.form;
    let values = [
        form.get("name"),
        form.get("email"),
        form.get("phone"),
        form.get("notes"),
    ];
    let visitor = Visitor {
        name: values[0],
        email: values[1],
        phone: values[2],
        consent: form.has("consent"),
        notes: values[3],
        lang: ctx.browser_lang(),
    };
    let booked = ctx
        .app
        .admit_visitor(ctx.client)
        .and_then(|()| ctx.app.book_held(&ctx.tenant, token, &visitor));
    match booked {
        Ok((_, link)) => {
            let w = ctx.browser_lang().words();
            let managed = ctx.app.managed(&ctx.tenant, &link)?;
            let said = match managed.appointment.status {
                Status::Requested => w.book_requested,
                _ => w.book_done,
            };
            Ok(ctx.redirect(&format!("book/manage/{link}"), Some(Flash::success(said))))
        }
        Err(e @ Error::Invalid { .. }) => {
            let values = values.map(String::from);
            let values = [&*values[0], &*values[1], &*values[2], &*values[3]];
            match render_details(ctx, token, values, Some(&e)) {
                Err(e) => start_again(ctx, e),
                ok => ok,
            }
        }
        Err(e) => start_again(ctx, e),
    }
}

/// `book/manage/<token>`: what the client booked; `?move=1` offers other times.
pub fn manage(ctx: &mut Ctx, token: &str) -> Result<Response> {
    let token = token_of(token)?;
    let managed = ctx.app.managed(&ctx.tenant, token)?;
    if managed.may_change && ctx.req.get_param("move").is_some() {
        let pairs: Vec<(String, String)> = ctx
            .query_pairs()
            .into_iter()
            .filter(|(k, _)| k == "week")
            .collect();
        let mut choice = Choice::read(ctx, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        choice.services = managed.appointment.services.clone();
        choice.person = Some(managed.appointment.staff_id);
        return render_choose(ctx, &choice, Some(token));
    }
    let base = ctx.path("");
    let page = Manage {
        token,
        appointment: &managed.appointment,
        services: &managed.services,
        staff: &managed.staff,
        may_change: managed.may_change,
        cancel_hours: managed.policy.cancel_hours,
    };
    Ok(respond::html(view::manage(
        &public(ctx, base.trim_end_matches('/'), None),
        &page,
    )))
}

/// Back to the client's link, told how their change went.
fn after_change(ctx: &mut Ctx, token: &str, done: Result<()>, said: &str) -> Result<Response> {
    let to = format!("book/manage/{token}");
    match done {
        Ok(()) => Ok(ctx.redirect(&to, Some(Flash::success(said)))),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_) | Error::TooManyRequests(_))) => {
            let flash = Flash::error(in_words(ctx, &e));
            Ok(ctx.redirect(&to, Some(flash)))
        }
        Err(e) => Err(e),
    }
}

pub fn cancel(ctx: &mut Ctx, token: &str) -> Result<Response> {
    let token = token_of(token)?;
    let done = ctx
        .app
        .admit_visitor(ctx.client)
        .and_then(|()| ctx.app.cancel_by_client(&ctx.tenant, token));
    let said = ctx.browser_lang().words().book_cancelled;
    after_change(ctx, token, done, said)
}

pub fn move_to(ctx: &mut Ctx, token: &str) -> Result<Response> {
    let token = token_of(token)?;
    let starts_at = ctx.form.get("starts_at").to_string();
    let done = ctx
        .app
        .admit_visitor(ctx.client)
        .and_then(|()| ctx.app.move_by_client(&ctx.tenant, token, &starts_at));
    let said = ctx.browser_lang().words().book_moved;
    after_change(ctx, token, done, said)
}

/// `POST book/waitlist`: puts the visitor on the waitlist of a day; back to the week they saw.
pub fn join_waitlist(ctx: &mut Ctx) -> Result<Response> {
    let service = ctx.form.get("service_id").trim().parse().map(ServiceId);
    let day = NaiveDate::parse_from_str(ctx.form.get("day").trim(), "%Y-%m-%d");
    let back = match (&service, &day) {
        (Ok(s), Ok(d)) => format!("book?service_id={s}&week={d}"),
        _ => "book".to_string(),
    };
    let visitor = Visitor {
        name: ctx.form.get("name"),
        email: ctx.form.get("email"),
        phone: "",
        consent: ctx.form.has("consent"),
        notes: "",
        lang: ctx.browser_lang(),
    };
    let joined = ctx.app.admit_visitor(ctx.client).and_then(|()| {
        let service = service.map_err(|_| Error::field("service_id", "is not a service here"))?;
        let day = day.map_err(|_| Error::field("day", "is not a date (YYYY-MM-DD)"))?;
        let new = ctx.app.join_waitlist(&ctx.tenant, &visitor, service, day)?;
        Ok((new, day))
    });
    let w = ctx.browser_lang().words();
    match joined {
        Ok((new, day)) => {
            let said = if new {
                w.book_waitlist_joined
            } else {
                w.book_waitlist_already
            };
            let day = crate::domain::format::weekday_date(ctx.browser_lang(), day);
            let flash = Flash::success(crate::domain::words::fill(said, &[("day", &day)]));
            Ok(ctx.redirect(&back, Some(flash)))
        }
        Err(e @ (Error::Invalid { .. } | Error::TooManyRequests(_))) => {
            let flash = Flash::error(in_words(ctx, &e));
            Ok(ctx.redirect(&back, Some(flash)))
        }
        Err(e) => Err(e),
    }
}
