//! Settings → Scheduling: working hours and days off, services, resources, the booking
//! policy, and one's private calendar feed.

use super::user_param;
use crate::app::read::scheduling as read;
use crate::domain::ids::{ResourceId, ServiceId, UserId};
use crate::domain::local_time::today;
use crate::domain::money::parse_amount;
use crate::domain::scheduling::availability::WeeklyHours;
use crate::domain::scheduling::policy::BookingPolicy;
use crate::domain::scheduling::{FeedScope, NewService, parse_spans};
use crate::domain::user::Role;
use crate::domain::words::fill;
use crate::error::{Error, Result};
use crate::views::layout::{Flash, Section};
use crate::views::scheduling::settings::{
    SchedulingSettings, ServiceChoices, categories, scheduling_settings, service_page,
};
use crate::web::context::Ctx;
use crate::web::respond;
use chrono::NaiveDate;
use rouille::Response;

/// The page for `person` (the viewer, or whom an admin chose), with a feed address just made.
fn render(ctx: &Ctx, person: UserId, new_feed: Option<(FeedScope, &str)>) -> Result<Response> {
    let user = ctx.user()?;
    let is_admin = user.role >= Role::Admin;
    let data = read::settings(&ctx.tenant, person, today(ctx.app.now(), ctx.zone()))?;
    let name = data
        .people
        .iter()
        .find(|(id, _)| *id == person)
        .map(|(_, n)| n.clone())
        .ok_or(Error::NotFound)?;
    let page = SchedulingSettings {
        services: &data.services,
        resources: &data.resources,
        policy: &data.policy,
        person: (person, &name),
        people: &data.people,
        hours: &data.hours,
        exceptions: &data.exceptions,
        currency: &ctx.tenant.account.currency,
        is_admin,
        new_feed,
        error: None,
    };
    Ok(respond::html(scheduling_settings(
        &ctx.chrome(Section::Settings),
        &page,
    )))
}

/// `settings/scheduling?staff_id=`: whose hours an admin looks at (others see their own).
pub fn show(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?;
    let asked = user_param(
        &ctx.req.get_param("staff_id").unwrap_or_default(),
        "staff_id",
    )?;
    let person = match asked {
        Some(p) if user.role >= Role::Admin => p,
        _ => user.id,
    };
    render(ctx, person, None)
}

/// Back to the page of `person`, with how it went.
fn back(ctx: &mut Ctx, person: Option<UserId>, outcome: Result<String>) -> Result<Response> {
    let to = match person {
        Some(p) => format!("settings/scheduling?staff_id={p}"),
        None => "settings/scheduling".to_string(),
    };
    ctx.back(&to, outcome)
}

/// The spans typed for a day, refused in words naming the day.
fn spans_of(
    day_name: &str,
    text: &str,
) -> Result<Vec<crate::domain::scheduling::availability::Span>> {
    // Named by the day as the viewer reads it: the form's own label.
    parse_spans(text).ok_or_else(|| Error::field(day_name, "is not like 09:00–12:00, 13:00–17:00"))
}

pub fn save_hours(ctx: &mut Ctx, person: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let person = UserId(person);
    let outcome = (|| {
        let names: Vec<&str> = ctx.w().weekdays.split(' ').collect();
        let mut hours = WeeklyHours::default();
        for (i, day) in hours.days.iter_mut().enumerate() {
            let text = ctx.form.get(&format!("day{i}"));
            *day = spans_of(names.get(i).copied().unwrap_or(""), text)?;
        }
        ctx.app
            .set_working_hours(&ctx.tenant, &user, person, &hours)?;
        Ok(ctx.w().set_saved.to_string())
    })();
    back(ctx, Some(person), outcome)
}

pub fn save_exception(ctx: &mut Ctx, person: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let person = UserId(person);
    let outcome = (|| {
        let day = NaiveDate::parse_from_str(ctx.form.get("day").trim(), "%Y-%m-%d")
            .map_err(|_| Error::field("day", "is not a date (YYYY-MM-DD)"))?;
        let spans = spans_of(ctx.w().set_exception_times, ctx.form.get("times"))?;
        ctx.app
            .set_working_exception(&ctx.tenant, &user, person, day, &spans)?;
        Ok(ctx.w().set_saved.to_string())
    })();
    back(ctx, Some(person), outcome)
}

/// A whole number typed in field `key`.
fn number(ctx: &Ctx, key: &str) -> Result<i64> {
    ctx.form
        .get(key)
        .trim()
        .parse()
        .map_err(|_| Error::field(key, "must be a whole number"))
}

/// The service a form describes.
fn service_of(ctx: &Ctx) -> Result<NewService> {
    let currency = &ctx.tenant.account.currency;
    let price = match ctx.form.get("price").trim() {
        "" => 0,
        text => {
            parse_amount(text, currency).ok_or_else(|| Error::field("price", "is not an amount"))?
        }
    };
    let resources = match ctx.form.get("resource_id").trim() {
        "" => Vec::new(),
        id => vec![ResourceId(id.parse().map_err(|_| {
            Error::field("resource_ids", "is not a resource here")
        })?)],
    };
    Ok(NewService {
        name: ctx.form.get("name").to_string(),
        minutes: number(ctx, "minutes")?,
        buffer_before: number(ctx, "buffer_before")?,
        buffer_after: number(ctx, "buffer_after")?,
        price,
        vat_rate: number(ctx, "vat_rate")?,
        online: ctx.form.has("online"),
        resources,
        category: ctx.form.get("category").to_string(),
        colour: ctx.form.get("colour").to_string(),
        processing: match ctx.form.get("processing").trim() {
            "" => 0,
            _ => number(ctx, "processing")?,
        },
        staff: ctx
            .form
            .all("staff_id")
            .into_iter()
            .map(|id| id.trim().parse().map(UserId))
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| Error::field("staff_ids", "is not a user here"))?,
    })
}

pub fn add_service(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let outcome = (|| {
        let service = service_of(ctx)?;
        let name = service.name.trim().to_string();
        ctx.app.add_service(&ctx.tenant, &user, service)?;
        Ok(fill(ctx.w().set_service_added, &[("name", &name)]))
    })();
    back(ctx, None, outcome)
}

/// `settings/scheduling/services/{id}`: the form to change a service.
pub fn edit_service(ctx: &mut Ctx, id: i64) -> Result<Response> {
    let user = ctx.user()?;
    if user.role < Role::Admin {
        return Err(Error::Forbidden(
            "Only owners and admins change services.".into(),
        ));
    }
    let service = read::service(&ctx.tenant, ServiceId(id))?.ok_or(Error::NotFound)?;
    let data = read::settings(&ctx.tenant, user.id, today(ctx.app.now(), ctx.zone()))?;
    let choices = ServiceChoices {
        resources: &data.resources,
        people: &data.people,
        categories: categories(&data.services),
        currency: &ctx.tenant.account.currency,
    };
    Ok(respond::html(service_page(
        &ctx.chrome(Section::Settings),
        &service,
        &choices,
    )))
}

pub fn save_service(ctx: &mut Ctx, id: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let outcome = (|| {
        let service = service_of(ctx)?;
        let name = service.name.trim().to_string();
        ctx.app
            .update_service(&ctx.tenant, &user, ServiceId(id), service)?;
        Ok(fill(ctx.w().set_service_saved, &[("name", &name)]))
    })();
    match outcome {
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let message = ctx.w().error(&e, None);
            let to = format!("settings/scheduling/services/{id}");
            Ok(ctx.redirect(&to, Some(Flash::error(message))))
        }
        other => back(ctx, None, other),
    }
}

pub fn add_resource(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let outcome = (|| {
        let name = ctx.form.get("name").trim().to_string();
        let capacity = number(ctx, "capacity")?;
        ctx.app.add_resource(&ctx.tenant, &user, &name, capacity)?;
        Ok(fill(ctx.w().set_resource_added, &[("name", &name)]))
    })();
    back(ctx, None, outcome)
}

pub fn save_policy(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let outcome = (|| {
        let policy = BookingPolicy {
            step_minutes: number(ctx, "step_minutes")?,
            lead_minutes: number(ctx, "lead_minutes")?,
            horizon_days: number(ctx, "horizon_days")?,
            cancel_hours: number(ctx, "cancel_hours")?,
            reminder_hours: number(ctx, "reminder_hours")?,
            online: ctx.form.has("online"),
            approval: ctx.form.has("approval"),
        };
        ctx.app.set_booking_policy(&ctx.tenant, &user, policy)?;
        Ok(ctx.w().set_saved.to_string())
    })();
    back(ctx, None, outcome)
}

/// The feed scope a form names (`own` unless it says `workspace`).
fn scope(ctx: &Ctx) -> Result<FeedScope> {
    match ctx.form.get("scope").trim() {
        "" => Ok(FeedScope::Own),
        s => FeedScope::parse(s).ok_or_else(|| Error::field("scope", "must be own or workspace")),
    }
}

/// A new feed address, shown once on the page this answers with.
pub fn new_feed(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let scope = scope(ctx)?;
    let token = ctx.app.create_calendar_feed(&ctx.tenant, &user, scope)?;
    let url = format!(
        "{}{}",
        ctx.app.config.base_url.trim_end_matches('/'),
        ctx.path(&format!("calendar/{token}.ics"))
    );
    render(ctx, user.id, Some((scope, &url)))
}

pub fn revoke_feed(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let scope = scope(ctx)?;
    ctx.app.revoke_calendar_feeds(&ctx.tenant, &user, scope)?;
    let message = ctx.w().set_feed_stopped.to_string();
    back(ctx, None, Ok(message))
}
