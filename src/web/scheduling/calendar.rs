//! `calendar?view=day|week|month&date=…&staff_id=…&status=…&service_id=…&columns=rooms`: the
//! calendar.

use super::{service_param, status_param, user_param};
use crate::app::read::scheduling as read;
use crate::domain::local_time::today;
use crate::domain::scheduling::Filter;
use crate::error::{Error, Result};
use crate::views::layout::Section;
use crate::views::scheduling::calendar::{CalendarPage, calendar};
use crate::views::scheduling::month::{MonthPage, month};
use crate::views::scheduling::{CalQuery, View};
use crate::web::context::Ctx;
use crate::web::respond;
use chrono::NaiveDate;
use rouille::Response;

/// The calendar's address read: a day view of today for everyone unless it says otherwise.
fn query(ctx: &Ctx) -> Result<CalQuery> {
    let get = |key: &str| ctx.req.get_param(key).unwrap_or_default();
    let view = match get("view").as_str() {
        "" => View::Day,
        v => View::parse(v).ok_or_else(|| Error::field("view", "must be day, week or month"))?,
    };
    let date = match get("date").trim() {
        "" => today(ctx.app.now(), ctx.tenant.zone_of(None)),
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| Error::field("date", "is not a date (YYYY-MM-DD)"))?,
    };
    Ok(CalQuery {
        view,
        date,
        which: Filter {
            staff: user_param(&get("staff_id"), "staff_id")?,
            status: status_param(&get("status"))?,
            service: service_param(&get("service_id"))?,
        },
        rooms: match get("columns").trim() {
            "" | "people" => false,
            "rooms" => true,
            _ => return Err(Error::field("columns", "must be people or rooms")),
        },
    })
}

pub fn show(ctx: &mut Ctx) -> Result<Response> {
    ctx.user()?;
    let q = query(ctx)?;
    let days = q.days();
    let span = (days[0], days[days.len() - 1]);
    let chrome = ctx.chrome(Section::Calendar);
    if q.view == View::Month {
        let data = read::month(&ctx.tenant, span, q.which)?;
        let page = MonthPage {
            query: q,
            days,
            counts: &data.counts,
            staff: &data.staff,
            services: &data.services,
        };
        return Ok(respond::html(month(&chrome, &page)));
    }
    let data = read::calendar(&ctx.tenant, span, q.which)?;
    let page = CalendarPage {
        query: q,
        days,
        staff: &data.staff,
        appointments: &data.appointments,
        capped: data.capped.then_some(read::LIST_MAX),
        hours: &data.hours,
        services: &data.services,
        resources: &data.resources,
        zone: data.zone,
    };
    Ok(respond::html(calendar(&chrome, &page)))
}
