//! Global search: the results page and the API route.

use crate::app::read::records as read;
use crate::error::Result;
use crate::views::layout::Section;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

pub fn page(ctx: &mut Ctx) -> Result<Response> {
    ctx.user()?;
    let q = ctx.req.get_param("q").unwrap_or_default();
    let hits = read::search(&ctx.tenant, &q, None, 50)?;
    let totals = read::search_totals(&ctx.tenant, &q, &hits)?;
    Ok(respond::html(crate::views::crm::search::results(
        &ctx.chrome(Section::Search),
        &q,
        &hits,
        &totals,
    )))
}
