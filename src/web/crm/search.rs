//! Global search: the results page and the API route.

use crate::app::Tenant;
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::store::crm::search::{self, Hit};
use crate::views::layout::Section;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

/// What a search may show: the entities the tenant has switched on.
pub fn find(tenant: &Tenant, q: &str, limit: i64) -> Result<Vec<Hit>> {
    if q.chars().count() > 200 {
        return Err(Error::field("q", "is longer than 200 characters"));
    }
    let kinds: Vec<Entity> = Entity::ALL
        .into_iter()
        .filter(|e| tenant.require_entity(*e).is_ok())
        .collect();
    search::search(&*tenant.db.conn()?, q, &kinds, limit)
}

pub fn page(ctx: &mut Ctx) -> Result<Response> {
    ctx.user()?;
    let q = ctx.req.get_param("q").unwrap_or_default();
    let hits = find(&ctx.tenant, &q, 50)?;
    Ok(respond::html(crate::views::crm::search::results(
        &ctx.chrome(Section::Search),
        &q,
        &hits,
    )))
}
