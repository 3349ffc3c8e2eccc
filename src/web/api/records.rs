//! `/contacts`, `/companies`, `/deals`, `/tasks`, `/notes`: one set of handlers for all five.

use super::{ApiCtx, created, no_content, paged};
use crate::app::import::OnDuplicate;
use crate::app::listing::{cursors, list_query};
use crate::app::read::records as read;
use crate::app::records::Input;
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::web::respond;
use rouille::Response;
use serde_json::json;

pub fn list(ctx: &ApiCtx, entity: Entity) -> Result<Response> {
    let query = list_query(
        entity,
        &ctx.query(),
        &ctx.tenant.account.currency,
        ctx.app.now(),
        ctx.tenant.zone_of(Some(&ctx.user)),
    )?;
    let page = read::list(ctx.tenant, entity, &query)?;
    let (next, prev) = cursors(&page);
    let data: Vec<_> = page
        .records
        .iter()
        .map(crate::domain::record::Record::to_json)
        .collect();
    Ok(paged(data, page.total, next, prev))
}

pub fn get(ctx: &ApiCtx, entity: Entity, id: i64) -> Result<Response> {
    let record = read::record(ctx.tenant, entity, id)?.ok_or(Error::NotFound)?;
    Ok(respond::json(&record.to_json()))
}

pub fn create(ctx: &ApiCtx, entity: Entity) -> Result<Response> {
    let input = Input::from_json(ctx.body()?)?;
    let record = ctx
        .app
        .save_record(ctx.tenant, &ctx.user, entity, None, input)?;
    let location = format!(
        "/t/{}/api/v1/{}/{}",
        ctx.tenant.slug(),
        entity.table(),
        record.id
    );
    Ok(created(&record.to_json(), location))
}

pub fn update(ctx: &ApiCtx, entity: Entity, id: i64) -> Result<Response> {
    let input = Input::from_json(ctx.body()?)?;
    let record = ctx
        .app
        .save_record(ctx.tenant, &ctx.user, entity, Some(id), input)?;
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

/// `POST /{table}/import?duplicates=skip|update|create` with a CSV body whose first row names
/// the columns. Runs to the end before answering; the answer counts what was created, updated
/// and skipped and lists the refused rows with their line and reason.
pub fn import(ctx: &ApiCtx, entity: Entity) -> Result<Response> {
    let on_duplicate = match ctx.req.get_param("duplicates") {
        None => OnDuplicate::Skip,
        Some(s) => OnDuplicate::parse(&s)
            .ok_or_else(|| Error::field("duplicates", "must be skip, update or create"))?,
    };
    let mut bytes = Vec::new();
    if let Some(mut data) = ctx.req.data() {
        std::io::Read::read_to_end(&mut data, &mut bytes)?;
    }
    let report = ctx.app.import_csv(
        ctx.tenant,
        &ctx.user,
        entity,
        &bytes,
        on_duplicate,
        &|_, _| {},
    )?;
    let failed: Vec<_> = report
        .failed
        .iter()
        .map(|e| json!({"line": e.line, "error": e.message}))
        .collect();
    Ok(respond::json(&json!({
        "created": report.created,
        "updated": report.updated,
        "skipped": report.skipped,
        "failed": failed,
        "ignored_columns": report.ignored_columns,
    })))
}
