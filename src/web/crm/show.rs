//! The 360 view of a contact, company or deal (a task or note opens its form).

use super::pages::edit;
use crate::app::read::records as read;
use crate::domain::crm::Entity;
use crate::error::Result;
use crate::views::crm::show::{Related, ShowPage, show as show_view};
use crate::views::layout::Section;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

pub fn show(ctx: &mut Ctx, entity: Entity, id: i64) -> Result<Response> {
    let me = ctx.user()?.clone();
    ctx.tenant.require_entity(entity)?;
    if matches!(entity, Entity::Task | Entity::Note) {
        return edit(ctx, entity, id);
    }
    let data = read::show(&ctx.tenant, entity, id)?;
    let base = ctx.path("");
    let mut related = Vec::new();
    if entity == Entity::Company {
        related.push(Related {
            title: "Contacts",
            entity: Entity::Contact,
            records: &data.contacts,
            add: Some(format!("{base}contacts/new?company_id={id}")),
        });
    }
    if matches!(entity, Entity::Company | Entity::Contact)
        && ctx.tenant.require_entity(Entity::Deal).is_ok()
    {
        let add = format!("{base}deals/new?{}={id}", entity.link_column());
        related.push(Related {
            title: "Deals",
            entity: Entity::Deal,
            records: &data.deals,
            add: Some(add),
        });
    }
    let page = ShowPage {
        record: &data.record,
        names: &data.names,
        label_colors: &data.label_colors,
        custom_fields: &data.custom_fields,
        related,
        tasks: &data.open_tasks,
        notes: &data.notes,
        timeline: &data.timeline,
        pipeline: data.pipeline.as_ref(),
        users: &data.users,
        me: me.id.0,
        may_manage_notes: me.role.can_manage_users(),
        now_input: ctx.app.now().format("%Y-%m-%dT%H:%M").to_string(),
        tasks_enabled: ctx.tenant.require_entity(Entity::Task).is_ok(),
    };
    Ok(respond::html(show_view(
        &ctx.chrome(Section::Record(entity)),
        &page,
    )))
}
