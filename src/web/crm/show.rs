//! The 360 view of a contact, company or deal (a task or note opens its form).

use super::pages::edit;
use super::{label_colors, names, user_options};
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::store::crm::activities::{self, Scope};
use crate::store::crm::records::{self, Filter, ListQuery, Record};
use crate::store::crm::{custom_fields, pipelines};
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
    let conn = ctx.tenant.db.conn()?;
    let record = records::get_live(&conn, entity, id)?.ok_or(Error::NotFound)?;
    let link = (entity.link_column(), id);
    let linked = |e: Entity, extra: Vec<Filter>, limit: i64| -> Result<Vec<Record>> {
        if ctx.tenant.require_entity(e).is_err() {
            return Ok(Vec::new());
        }
        let mut q = ListQuery::new(limit, 0);
        q.filters = extra;
        q.filters.push(Filter::Eq(link.0, id.into()));
        q.sort = ("updated_at".into(), true);
        Ok(records::list(&conn, e, &q)?.0)
    };
    let open = || vec![Filter::Eq("status", "open".into())];
    let (contacts, deals) = match entity {
        Entity::Company => (
            linked(Entity::Contact, vec![], 100)?,
            linked(Entity::Deal, vec![], 100)?,
        ),
        Entity::Contact => (Vec::new(), linked(Entity::Deal, vec![], 100)?),
        _ => (Vec::new(), Vec::new()),
    };
    let tasks = linked(Entity::Task, open(), 100)?;
    let notes = linked(Entity::Note, vec![], 100)?;
    let (timeline, _) = activities::list(&conn, Scope { on: Some(link) }, None, 100, 0)?;
    let everything: Vec<&Record> = std::iter::once(&record)
        .chain(&contacts)
        .chain(&deals)
        .chain(&tasks)
        .collect();
    let (names, colors, fields, users) = (
        names(&conn, &everything)?,
        label_colors(&conn)?,
        custom_fields::list(&conn, entity)?,
        user_options(&conn)?,
    );
    let pipeline = match entity {
        Entity::Deal => pipelines::get(&conn, record.int("pipeline_id").unwrap_or_default())?,
        _ => None,
    };
    drop(conn);
    let base = ctx.path("");
    let mut related = Vec::new();
    if entity == Entity::Company {
        related.push(Related {
            title: "Contacts",
            entity: Entity::Contact,
            records: &contacts,
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
            records: &deals,
            add: Some(add),
        });
    }
    let page = ShowPage {
        record: &record,
        names: &names,
        label_colors: &colors,
        custom_fields: &fields,
        related,
        tasks: &tasks,
        notes: &notes,
        timeline: &timeline,
        pipeline: pipeline.as_ref(),
        users: &users,
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
