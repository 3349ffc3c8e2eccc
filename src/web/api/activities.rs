//! `/activities`: the timeline, and logging calls, meetings and emails.

use super::{ApiCtx, created, no_content, page};
use crate::app::read::records as read;
use crate::domain::activity::Scope;
use crate::domain::crm::Entity;
use crate::domain::ids::ActivityId;
use crate::error::{Error, Result};
use crate::web::respond;
use rouille::Response;
use serde_json::{Value, json};

pub fn list(ctx: &ApiCtx) -> Result<Response> {
    let query = ctx.query();
    let mut scope = Scope::default();
    let mut kind = None;
    for (key, value) in &query {
        match key.as_str() {
            "limit" | "cursor" => {}
            "kind" => kind = Some(value.clone()),
            "contact_id" | "company_id" | "deal_id" => {
                let id = value
                    .parse()
                    .map_err(|_| Error::field(key, "must be an id"))?;
                let column = match key.as_str() {
                    "contact_id" => "contact_id",
                    "company_id" => "company_id",
                    _ => "deal_id",
                };
                scope.on = Some((column, id));
            }
            other => return Err(Error::field(other, "is not a filter of activities")),
        }
    }
    let (rows, total, next) = read::activities(ctx.tenant, scope, kind.as_deref(), &query)?;
    Ok(page(rows, total, next))
}

pub fn get(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = ActivityId(id);
    Ok(respond::json(
        &read::activity(ctx.tenant, id)?.ok_or(Error::NotFound)?,
    ))
}

/// Logs an activity on exactly one of `contact_id`, `company_id` or `deal_id`.
pub fn create(ctx: &ApiCtx) -> Result<Response> {
    let Value::Object(body) = ctx.body()? else {
        return Err(Error::BadRequest("the body must be a JSON object".into()));
    };
    let targets: Vec<(Entity, i64)> = [
        (Entity::Contact, "contact_id"),
        (Entity::Company, "company_id"),
        (Entity::Deal, "deal_id"),
    ]
    .into_iter()
    .filter_map(|(e, k)| body.get(k).filter(|v| !v.is_null()).map(|v| (e, k, v)))
    .map(|(e, k, v)| {
        v.as_i64()
            .map(|id| (e, id))
            .ok_or_else(|| Error::field(k, "must be an id"))
    })
    .collect::<Result<_>>()?;
    let [target] = targets.as_slice() else {
        return Err(Error::field(
            "contact_id",
            "name exactly one of contact_id, company_id or deal_id",
        ));
    };
    let activity = ctx
        .app
        .log_activity(ctx.tenant, &ctx.user, *target, &body)?;
    Ok(created(
        &json!(activity),
        format!("/t/{}/api/v1/activities/{}", ctx.tenant.slug(), activity.id),
    ))
}

pub fn delete(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = ActivityId(id);
    ctx.app.delete_activity(ctx.tenant, &ctx.user, id)?;
    Ok(no_content())
}
