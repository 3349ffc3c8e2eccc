//! Saving and removing list views.

use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::views::layout::Flash;
use crate::web::context::Ctx;
use crate::web::settings::parse_id;
use rouille::Response;

pub fn save(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let entity = Entity::from_singular(ctx.form.get("entity"))
        .ok_or_else(|| Error::field("entity", "is not a list"))?;
    let query = ctx.form.get("query").to_string();
    // A view must be a list this page can show: the same check as opening it.
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    ctx.list_query(entity, &pairs)?;
    let back = format!("{}?{query}", entity.table());
    match ctx.app.save_view(
        &ctx.tenant,
        &user,
        entity,
        ctx.form.get("name"),
        &query,
        ctx.form.has("shared"),
    ) {
        Ok(_) => Ok(ctx.redirect(&back, Some(Flash::success(ctx.w().view_saved)))),
        Err(e @ Error::Invalid { .. }) => {
            Ok(ctx.redirect(&back, Some(Flash::error(ctx.w().error(&e, None)))))
        }
        Err(e) => Err(e),
    }
}

pub fn delete(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let user = ctx.user()?.clone();
    ctx.app.delete_view(&ctx.tenant, &user, parse_id(id)?)?;
    let back = crate::web::crm::return_to(ctx, "");
    Ok(ctx.redirect(&back, Some(Flash::success(ctx.w().view_removed))))
}
