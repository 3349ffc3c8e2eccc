//! `/automations` and `/automation_runs`: rules as records, so a consultant can copy a
//! client's rules to another workspace, and their runs.

use super::{ApiCtx, created, no_content, page};
use crate::app::automations::rule_json;
use crate::domain::ids::{RuleId, RunId};
use crate::error::{Error, Result};
use crate::web::respond;
use rouille::Response;
use serde_json::{Value, json};

pub fn list(ctx: &ApiCtx) -> Result<Response> {
    let rules: Vec<Value> = ctx
        .app
        .automations(ctx.tenant, &ctx.user)?
        .iter()
        .map(rule_json)
        .collect();
    let n = rules.len() as i64;
    Ok(page(rules, n, None))
}

pub fn get(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = RuleId(id);
    Ok(respond::json(&rule_json(
        &ctx.app.automation(ctx.tenant, &ctx.user, id)?,
    )))
}

pub fn create(ctx: &ApiCtx) -> Result<Response> {
    let saved = ctx
        .app
        .save_automation(ctx.tenant, &ctx.user, None, &ctx.body()?)?;
    let location = format!("/t/{}/api/v1/automations/{}", ctx.tenant.slug(), saved.id);
    Ok(created(&rule_json(&saved), location))
}

/// Replaces the keys the body names (`name`, `enabled`, `trigger`, `conditions`, `actions`).
pub fn update(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = RuleId(id);
    let Value::Object(changes) = ctx.body()? else {
        return Err(Error::BadRequest("the body must be a JSON object".into()));
    };
    let mut rule = ctx.app.automation(ctx.tenant, &ctx.user, id)?.definition;
    for (key, value) in changes {
        rule[key] = value;
    }
    let saved = ctx
        .app
        .save_automation(ctx.tenant, &ctx.user, Some(id), &rule)?;
    Ok(respond::json(&rule_json(&saved)))
}

pub fn delete(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = RuleId(id);
    ctx.app.delete_automation(ctx.tenant, &ctx.user, id)?;
    Ok(no_content())
}

pub fn runs(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = RuleId(id);
    ctx.app.automation(ctx.tenant, &ctx.user, id)?;
    let (limit, _) = crate::app::listing::paging(&ctx.query())?;
    let runs = ctx
        .app
        .automation_runs(ctx.tenant, &ctx.user, Some(id), limit)?;
    let n = runs.len() as i64;
    Ok(page(runs, n, None))
}

pub fn run(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = RunId(id);
    let (run, steps) = ctx.app.automation_run(ctx.tenant, &ctx.user, id)?;
    let mut out = json!(run);
    out["steps"] = json!(steps);
    Ok(respond::json(&out))
}

pub fn retry(ctx: &ApiCtx, id: i64) -> Result<Response> {
    ctx.app
        .retry_automation_run(ctx.tenant, &ctx.user, RunId(id))?;
    run(ctx, id)
}

/// `{"record_id": N}`: what the rule would do for that record now, without doing it.
pub fn test(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let id = RuleId(id);
    let body = ctx.body()?;
    let record = body
        .get("record_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| Error::field("record_id", "must be the id of a record"))?;
    Ok(respond::json(&json!(
        ctx.app.dry_run(ctx.tenant, &ctx.user, id, record)?
    )))
}
