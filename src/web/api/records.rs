//! `/contacts`, `/companies`, `/deals`, `/tasks`, `/notes`: one set of handlers for all five.

use super::{ApiCtx, created, no_content, page, paging};
use crate::app::records::Input;
use crate::domain::crm::Entity;
use crate::domain::fields;
use crate::error::{Error, Result};
use crate::store::crm::records::{self, Filter, ListQuery};
use crate::web::respond;
use rouille::Response;
use serde_json::Value;

/// Reads list parameters: `limit`, `cursor`, `sort` (`name`, `-created_at` …), `q`, `label`,
/// `trash=true`, and any field of the entity as an equality filter (`owner_id=3`).
pub fn list_query(entity: Entity, query: &[(String, String)], currency: &str) -> Result<ListQuery> {
    let (limit, offset) = paging(query)?;
    let mut q = ListQuery::new(limit, offset);
    for (key, value) in query {
        match key.as_str() {
            "limit" | "cursor" => {}
            "sort" => {
                let (desc, column) = match value.strip_prefix('-') {
                    Some(c) => (true, c),
                    None => (false, value.as_str()),
                };
                if !(entity.sortable(column) || entity == Entity::Contact && column == "name") {
                    return Err(Error::field("sort", format!("cannot sort {} by {column}", entity.table())));
                }
                q.sort = (column.to_string(), desc);
            }
            "q" if !value.trim().is_empty() => q.filters.push(Filter::Search(value.trim().to_string())),
            "q" => {}
            "label" if entity.has_labels_and_custom() => q.filters.push(Filter::Label(value.clone())),
            "trash" => q.trash = value == "true",
            "status" if entity == Entity::Deal => {
                if !crate::domain::crm::STAGE_KINDS.contains(&value.as_str()) {
                    return Err(Error::field("status", "must be open, won or lost"));
                }
                q.filters.push(Filter::Eq("status", value.clone().into()));
            }
            other => {
                let field = entity.field(other).ok_or_else(|| Error::field(other, format!("is not a filter of {}", entity.table())))?;
                let v = fields::normalize(field.kind, &Value::String(value.clone()), currency).map_err(|m| Error::field(other, m))?;
                q.filters.push(Filter::Eq(field.name, v));
            }
        }
    }
    Ok(q)
}

pub fn list(ctx: &ApiCtx, entity: Entity) -> Result<Response> {
    let query = list_query(entity, &ctx.query(), &ctx.tenant.account.currency)?;
    let (rows, total) = records::list(&*ctx.tenant.db.conn()?, entity, &query)?;
    Ok(page(rows.iter().map(records::Record::to_json).collect(), total, query.offset, query.limit))
}

pub fn get(ctx: &ApiCtx, entity: Entity, id: i64) -> Result<Response> {
    let record = records::get(&*ctx.tenant.db.conn()?, entity, id)?.ok_or(Error::NotFound)?;
    Ok(respond::json(&record.to_json()))
}

pub fn create(ctx: &ApiCtx, entity: Entity) -> Result<Response> {
    let input = Input::from_json(ctx.body()?)?;
    let record = ctx.app.save_record(ctx.tenant, &ctx.user, entity, None, input)?;
    let location = format!("/t/{}/api/v1/{}/{}", ctx.tenant.slug(), entity.table(), record.id);
    Ok(created(&record.to_json(), location))
}

pub fn update(ctx: &ApiCtx, entity: Entity, id: i64) -> Result<Response> {
    let input = Input::from_json(ctx.body()?)?;
    let record = ctx.app.save_record(ctx.tenant, &ctx.user, entity, Some(id), input)?;
    Ok(respond::json(&record.to_json()))
}

pub fn delete(ctx: &ApiCtx, entity: Entity, id: i64) -> Result<Response> {
    ctx.app.trash_record(ctx.tenant, &ctx.user, entity, id)?;
    Ok(no_content())
}

pub fn restore(ctx: &ApiCtx, entity: Entity, id: i64) -> Result<Response> {
    let record = ctx.app.restore_record(ctx.tenant, entity, id)?;
    Ok(respond::json(&record.to_json()))
}
