//! `/labels`, `/pipelines`, `/stages` and `/custom_fields`.

use super::{ApiCtx, created, no_content, page};
use crate::app::read::settings as read;
use crate::domain::crm::Entity;
use crate::domain::ids::{FieldId, LabelId, PipelineId, StageId};
use crate::error::{Error, Result};
use crate::web::respond;
use rouille::Response;
use serde_json::{Map, Value, json};

/// The body as a JSON object with no keys but `allowed`.
pub(super) fn object(ctx: &ApiCtx, allowed: &[&str]) -> Result<Map<String, Value>> {
    let Value::Object(body) = ctx.body()? else {
        return Err(Error::BadRequest("the body must be a JSON object".into()));
    };
    if let Some(unknown) = body.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Error::field(unknown, "is not a field here"));
    }
    Ok(body)
}

pub(super) fn text<'a>(body: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::field(key, "must be text")),
    }
}

/// A whole number under `key`, if given.
pub(super) fn int(body: &Map<String, Value>, key: &str) -> Result<Option<i64>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| Error::field(key, "must be a whole number")),
    }
}

pub(super) fn required_int(body: &Map<String, Value>, key: &str) -> Result<i64> {
    int(body, key)?.ok_or_else(|| Error::field(key, "is required"))
}

pub(super) fn flag(body: &Map<String, Value>, key: &str, default: bool) -> Result<bool> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Error::field(key, "must be true or false")),
    }
}

pub fn list_labels(ctx: &ApiCtx) -> Result<Response> {
    let all = read::labels(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

pub fn get_label(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = LabelId(id);
    Ok(respond::json(
        &read::label(ctx.tenant, id)?.ok_or(Error::NotFound)?,
    ))
}

pub fn create_label(ctx: &ApiCtx) -> Result<Response> {
    let body = object(ctx, &["name", "color"])?;
    let label = ctx.app.create_label(
        ctx.tenant,
        &ctx.user,
        text(&body, "name")?.unwrap_or(""),
        text(&body, "color")?.unwrap_or("#6b7280"),
    )?;
    let location = format!("/t/{}/api/v1/labels/{}", ctx.tenant.slug(), label.id);
    Ok(created(&json!(label), location))
}

pub fn update_label(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = LabelId(id);
    let body = object(ctx, &["name", "color"])?;
    let current = read::label(ctx.tenant, id)?.ok_or(Error::NotFound)?;
    let name = text(&body, "name")?.unwrap_or(&current.name).to_string();
    let color = text(&body, "color")?.unwrap_or(&current.color).to_string();
    Ok(respond::json(
        &ctx.app
            .update_label(ctx.tenant, &ctx.user, id, &name, &color)?,
    ))
}

pub fn delete_label(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = LabelId(id);
    ctx.app.delete_label(ctx.tenant, &ctx.user, id)?;
    Ok(no_content())
}

pub fn list_pipelines(ctx: &ApiCtx) -> Result<Response> {
    ctx.tenant.require_entity(Entity::Deal)?;
    let all = read::pipelines(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

pub fn get_pipeline(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = PipelineId(id);
    ctx.tenant.require_entity(Entity::Deal)?;
    Ok(respond::json(
        &read::pipeline(ctx.tenant, id)?.ok_or(Error::NotFound)?,
    ))
}

pub fn create_pipeline(ctx: &ApiCtx) -> Result<Response> {
    ctx.tenant.require_entity(Entity::Deal)?;
    let body = object(ctx, &["name"])?;
    let p = ctx
        .app
        .create_pipeline(ctx.tenant, &ctx.user, text(&body, "name")?.unwrap_or(""))?;
    let location = format!("/t/{}/api/v1/pipelines/{}", ctx.tenant.slug(), p.id);
    Ok(created(&json!(p), location))
}

pub fn update_pipeline(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = PipelineId(id);
    ctx.tenant.require_entity(Entity::Deal)?;
    let body = object(ctx, &["name", "is_default"])?;
    let make_default = match body.get("is_default") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(_) => {
            return Err(Error::field(
                "is_default",
                "must be true (make another pipeline the default to change it)",
            ));
        }
    };
    Ok(respond::json(&ctx.app.update_pipeline(
        ctx.tenant,
        &ctx.user,
        id,
        text(&body, "name")?,
        make_default,
    )?))
}

pub fn delete_pipeline(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = PipelineId(id);
    ctx.tenant.require_entity(Entity::Deal)?;
    ctx.app.delete_pipeline(ctx.tenant, &ctx.user, id)?;
    Ok(no_content())
}

pub fn create_stage(ctx: &ApiCtx, pipeline: i64) -> Result<Response> {
    ctx.tenant.require_entity(Entity::Deal)?;
    let body = object(ctx, &["name", "probability", "kind"])?;
    let probability = body.get("probability").cloned().unwrap_or(json!(50));
    let stage = ctx.app.create_stage(
        ctx.tenant,
        &ctx.user,
        PipelineId(pipeline),
        text(&body, "name")?.unwrap_or(""),
        &probability,
        text(&body, "kind")?.unwrap_or("open"),
    )?;
    Ok(created(
        &json!(stage),
        format!("/t/{}/api/v1/pipelines/{pipeline}", ctx.tenant.slug()),
    ))
}

pub fn update_stage(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = StageId(id);
    ctx.tenant.require_entity(Entity::Deal)?;
    let body = object(ctx, &["name", "probability", "kind"])?;
    let current = crate::app::read::board::stage(ctx.tenant, id)?.ok_or(Error::NotFound)?;
    let probability = body
        .get("probability")
        .cloned()
        .unwrap_or(json!(current.probability));
    let stage = ctx.app.update_stage(
        ctx.tenant,
        &ctx.user,
        id,
        text(&body, "name")?.unwrap_or(&current.name),
        &probability,
        text(&body, "kind")?.unwrap_or(&current.kind),
    )?;
    Ok(respond::json(&stage))
}

pub fn delete_stage(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = StageId(id);
    ctx.tenant.require_entity(Entity::Deal)?;
    let move_to = match ctx.query().into_iter().find(|(k, _)| k == "move_to") {
        Some((_, v)) => Some(
            v.parse()
                .map_err(|_| Error::field("move_to", "must be a stage id"))
                .map(StageId)?,
        ),
        None => None,
    };
    let moved = ctx.app.delete_stage(ctx.tenant, &ctx.user, id, move_to)?;
    Ok(respond::json(
        &json!({ "deleted": id, "deals_moved": moved }),
    ))
}

pub fn list_custom_fields(ctx: &ApiCtx) -> Result<Response> {
    let all: Vec<Value> = read::custom_fields(ctx.tenant)?
        .into_iter()
        .map(|f| {
            let mut v = json!(f);
            v["entity"] = f.entity.singular().into();
            v
        })
        .collect();
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

pub fn create_custom_field(ctx: &ApiCtx) -> Result<Response> {
    let body = object(
        ctx,
        &["entity", "key", "label", "kind", "options", "required"],
    )?;
    let entity = text(&body, "entity")?
        .and_then(Entity::from_singular)
        .ok_or_else(|| Error::field("entity", "must be contact, company or deal"))?;
    let options: Vec<String> = match body.get("options") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| Error::field("options", "must be a list of text"))
            })
            .collect::<Result<_>>()?,
        Some(_) => return Err(Error::field("options", "must be a list of text")),
    };
    let required = match body.get("required") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::field("required", "must be true or false")),
    };
    let spec = crate::app::catalog::NewCustomField {
        entity,
        key: text(&body, "key")?.unwrap_or(""),
        label: text(&body, "label")?.unwrap_or(""),
        kind: text(&body, "kind")?.unwrap_or(""),
        options: &options,
        required,
    };
    let field = ctx.app.create_custom_field(ctx.tenant, &ctx.user, &spec)?;
    let mut v = json!(field);
    v["entity"] = entity.singular().into();
    Ok(created(
        &v,
        format!("/t/{}/api/v1/custom_fields", ctx.tenant.slug()),
    ))
}

pub fn delete_custom_field(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = FieldId(id);
    ctx.app.delete_custom_field(ctx.tenant, &ctx.user, id)?;
    Ok(no_content())
}
