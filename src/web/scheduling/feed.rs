//! `/t/<slug>/calendar/<token>.ics`: someone's private feed of appointments, for a calendar
//! app to subscribe to. The token is the key; there is no session.

use crate::error::{Error, Result};
use crate::web::context::Ctx;
use rouille::Response;

pub fn feed(ctx: &mut Ctx, file: &str) -> Result<Response> {
    let token = super::token_of(file.strip_suffix(".ics").ok_or(Error::NotFound)?)?;
    let text = ctx.app.calendar_feed(&ctx.tenant, token)?;
    Ok(Response::from_data("text/calendar; charset=utf-8", text)
        .with_additional_header("Cache-Control", "private, max-age=300"))
}
