//! `/<table>/import` and `/imports/<job>`: importing a CSV file from the browser. Works without
//! JavaScript: a multipart upload, a form to map the columns, a page that refreshes itself.

use crate::app::import::{self, OnDuplicate};
use crate::app::import_queue::ImportState;
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::views::crm::import as views;
use crate::views::layout::Section;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

fn importable(ctx: &Ctx, entity: Entity) -> Result<()> {
    ctx.user()?;
    ctx.tenant.require_entity(entity)?;
    if entity.importable() {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

pub fn form(ctx: &mut Ctx, entity: Entity) -> Result<Response> {
    importable(ctx, entity)?;
    Ok(respond::html(views::upload(
        &ctx.chrome(Section::Record(entity)),
        entity,
        None,
    )))
}

/// The upload: parks the file and shows how its columns map.
pub fn upload(ctx: &mut Ctx, entity: Entity) -> Result<Response> {
    importable(ctx, entity)?;
    let refuse = |ctx: &Ctx, message: &str| {
        respond::html_status(
            views::upload(&ctx.chrome(Section::Record(entity)), entity, Some(message)),
            422,
        )
    };
    let Some(bytes) = ctx.form.file("file").map(<[u8]>::to_vec) else {
        return Ok(refuse(ctx, ctx.w().msg_choose_csv));
    };
    let preview = match import::preview(&ctx.tenant, entity, &bytes) {
        Ok(p) => p,
        Err(e @ Error::Invalid { .. }) => return Ok(refuse(ctx, &ctx.w().error(&e, None))),
        Err(e) => return Err(e),
    };
    let job = ctx.app.imports.add(&ctx.tenant, ctx.user()?, entity, bytes);
    Ok(respond::html(views::mapping(
        &ctx.chrome(Section::Record(entity)),
        entity,
        &job.id,
        &preview,
        None,
    )))
}

/// The chosen mapping: starts the import and shows its progress.
pub fn start(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let user = ctx.user()?.clone();
    let job = ctx.app.imports.get(&ctx.tenant, &user, id)?;
    let on_duplicate = OnDuplicate::parse(ctx.form.get("duplicates"))
        .ok_or_else(|| Error::field("duplicates", "must be skip, update or create"))?;
    let count = ctx
        .form
        .pairs()
        .filter(|(k, _)| k.starts_with("map."))
        .count();
    let keys: Vec<&str> = (0..count)
        .map(|i| ctx.form.get(&format!("map.{i}")))
        .collect();
    let refused = match import::mapping_from_keys(&ctx.tenant, job.entity, &keys) {
        Ok(mapping) if mapping.iter().all(Option::is_none) => {
            Some(ctx.w().msg_choose_field.to_string())
        }
        Ok(mapping) => {
            ctx.app
                .start_import(&ctx.tenant, &user, &job, mapping, on_duplicate)?;
            None
        }
        Err(e @ Error::Invalid { .. }) => Some(ctx.w().error(&e, None)),
        Err(e) => return Err(e),
    };
    if let Some(message) = refused {
        let bytes = job.with_state(|s| match s {
            ImportState::Waiting(bytes) => Some(bytes.clone()),
            _ => None,
        });
        let Some(bytes) = bytes else {
            return Err(Error::Conflict("this import has already started".into()));
        };
        let preview = import::preview(&ctx.tenant, job.entity, &bytes)?;
        return Ok(respond::html_status(
            views::mapping(
                &ctx.chrome(Section::Record(job.entity)),
                job.entity,
                &job.id,
                &preview,
                Some(&message),
            ),
            422,
        ));
    }
    Ok(ctx.redirect(&format!("imports/{}", job.id), None))
}

pub fn status(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let user = ctx.user()?.clone();
    let job = ctx.app.imports.get(&ctx.tenant, &user, id)?;
    let chrome = ctx.chrome(Section::Record(job.entity));
    Ok(respond::html(job.with_state(|state| {
        views::status(&chrome, &job.id, job.entity, state)
    })))
}

pub fn errors(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let user = ctx.user()?.clone();
    let job = ctx.app.imports.get(&ctx.tenant, &user, id)?;
    let csv = job
        .with_state(|state| match state {
            ImportState::Finished(report) => Some(report.error_csv()),
            _ => None,
        })
        .ok_or(Error::NotFound)?;
    let file = format!("{}-refused.csv", job.entity.table());
    Ok(Response::from_data("text/csv; charset=utf-8", csv)
        .with_content_disposition_attachment(&file))
}
