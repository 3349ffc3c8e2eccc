//! The 360 view of a contact, company or deal (a task or note opens its form).

use super::pages::edit;
use crate::app::read::records as read;
use crate::domain::crm::Entity;
use crate::domain::local_time;
use crate::error::{Error, Result};
use crate::views::crm::show::{Related, ShowPage, show as show_view};
use crate::views::layout::Flash;
use crate::views::layout::Section;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;
use serde_json::{Map, Value};

pub fn show(ctx: &mut Ctx, entity: Entity, id: i64) -> Result<Response> {
    let me = ctx.user()?.clone();
    ctx.tenant.require_entity(entity)?;
    if matches!(entity, Entity::Task | Entity::Note) {
        return edit(ctx, entity, id);
    }
    let timeline_offset = match ctx.req.get_param("timeline") {
        None => 0,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| Error::field("timeline", "is not a page of the timeline"))?,
    };
    let data = read::show(&ctx.tenant, entity, id, timeline_offset)?;
    let base = ctx.path("");
    let of_this = format!("{}={id}", entity.link_column());
    let related = related(ctx, &data, (entity, id), &base);
    let visits = match entity {
        Entity::Contact => crate::app::read::scheduling::visits(
            &ctx.tenant,
            crate::domain::ids::ContactId(id),
            &crate::clock::stamp(ctx.app.now()),
        )?,
        _ => None,
    };
    let conversations = match entity {
        Entity::Contact => ctx
            .app
            .contact_conversations(&ctx.tenant, crate::domain::ids::ContactId(id))?,
        _ => None,
    };
    let purchases = match entity {
        Entity::Contact => ctx
            .app
            .purchases(&ctx.tenant, crate::domain::ids::ContactId(id))?,
        _ => None,
    };
    let page = ShowPage {
        record: &data.record,
        names: &data.names,
        label_colors: &data.label_colors,
        custom_fields: &data.custom_fields,
        related,
        tasks: &data.open_tasks,
        tasks_all: format!("{base}tasks?{of_this}&status=open"),
        notes: &data.notes,
        notes_all: format!("{base}notes?{of_this}"),
        timeline: &data.timeline,
        timeline_total: data.timeline_total,
        timeline_offset,
        timeline_page: read::TIMELINE_PAGE,
        pipeline: data.pipeline.as_ref(),
        users: &data.users,
        me: me.id.0,
        may_manage_notes: me.role.can_manage_users(),
        now_input: local_time::input_value(&crate::clock::stamp(ctx.app.now()), ctx.zone()),
        tasks_enabled: ctx.tenant.require_entity(Entity::Task).is_ok(),
        visits: visits.as_ref().map(|(v, s)| (v, s.as_slice())),
        purchases: purchases.as_ref(),
        conversations: conversations.as_deref(),
    };
    Ok(respond::html(show_view(
        &ctx.chrome(Section::Record(entity)),
        &page,
    )))
}

/// The lists of linked records a 360 view shows: a company's contacts, and deals.
fn related<'a>(
    ctx: &Ctx,
    data: &'a read::ShowData,
    (entity, id): (Entity, i64),
    base: &str,
) -> Vec<Related<'a>> {
    let of_this = format!("{}={id}", entity.link_column());
    let mut related = Vec::new();
    if entity == Entity::Company {
        related.push(Related {
            entity: Entity::Contact,
            part: &data.contacts,
            add: Some(format!("{base}contacts/new?company_id={id}")),
            all: format!("{base}contacts?{of_this}"),
        });
    }
    if matches!(entity, Entity::Company | Entity::Contact)
        && ctx.tenant.require_entity(Entity::Deal).is_ok()
    {
        let add = format!("{base}deals/new?{}={id}", entity.link_column());
        related.push(Related {
            entity: Entity::Deal,
            part: &data.deals,
            add: Some(add),
            all: format!("{base}deals?{of_this}"),
        });
    }
    related
}

/// Logs a call, meeting or email on the 360 view; its time as typed in the viewer's zone.
pub fn log_activity(ctx: &mut Ctx, entity: Entity, id: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let zone = ctx.zone();
    let input: Map<String, Value> = ["kind", "occurred_at", "outcome", "body"]
        .iter()
        .map(|k| {
            let typed = ctx.form.get(k);
            let value = match *k {
                "occurred_at" => local_time::from_input(typed, zone),
                _ => typed.to_string(),
            };
            ((*k).to_string(), Value::String(value))
        })
        .collect();
    let back = format!("{}/{id}", entity.table());
    match ctx
        .app
        .log_activity(&ctx.tenant, &user, (entity, id), &input)
    {
        Ok(_) => Ok(ctx.redirect(&back, Some(Flash::success(ctx.w().activity_logged)))),
        Err(e @ Error::Invalid { .. }) => {
            Ok(ctx.redirect(&back, Some(Flash::error(ctx.w().error(&e, None)))))
        }
        Err(e) => Err(e),
    }
}

/// `GET contacts/{id}/merge?q=…`: find the contact this one is the same person as.
pub fn merge_form(ctx: &mut Ctx, id: i64) -> Result<Response> {
    ctx.user()?;
    let record = read::record(&ctx.tenant, Entity::Contact, id)?
        .filter(|r| r.deleted_at.is_none())
        .ok_or(Error::NotFound)?;
    let q = ctx.req.get_param("q").unwrap_or_default();
    let hits = match q.trim() {
        "" => Vec::new(),
        text => read::search(&ctx.tenant, text, Some(Entity::Contact), 10)?,
    };
    Ok(respond::html(crate::views::crm::merge::merge(
        &ctx.chrome(Section::Record(Entity::Contact)),
        &record,
        q.trim(),
        &hits,
    )))
}

/// `POST contacts/{id}/merge` with `into`: this contact merged into that one.
pub fn merge(ctx: &mut Ctx, id: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let into = ctx.form.get("into").parse::<i64>();
    let outcome = into
        .map_err(|_| Error::field("into", "is not a contact here"))
        .and_then(|into| Ok((into, ctx.app.merge_contacts(&ctx.tenant, &user, into, id)?)));
    match outcome {
        Ok((into, _)) => {
            let done = Flash::success(ctx.w().merge_done);
            Ok(ctx.redirect(&format!("contacts/{into}"), Some(done)))
        }
        Err(e @ Error::Invalid { .. }) => {
            let message = ctx.w().error(&e, None);
            Ok(ctx.redirect(&format!("contacts/{id}/merge"), Some(Flash::error(message))))
        }
        Err(e) => Err(e),
    }
}
