//! Settings → Pipelines (with stages), Labels and Custom fields.

use crate::app::catalog::NewCustomField;
use crate::app::read::settings as read;
use crate::domain::crm::Entity;
use crate::domain::ids::StageId;
use crate::domain::user::Role;
use crate::domain::words::fill;
use crate::error::{Error, Result};
use crate::views::layout::{Flash, Section};
use crate::views::settings::catalog as views;
use crate::web::context::Ctx;
use crate::web::respond;
use crate::web::settings::parse_id;
use rouille::Response;
use serde_json::Value;

/// Settings handlers answer a refused change by going back with its message.
fn back(ctx: &mut Ctx, to: &str, done: Result<String>) -> Result<Response> {
    ctx.back(to, done)
}

pub fn pipelines(ctx: &mut Ctx) -> Result<Response> {
    ctx.user_at_least(Role::Admin)?;
    ctx.tenant.require_entity(Entity::Deal)?;
    let list = read::pipelines(&ctx.tenant)?;
    Ok(respond::html(views::pipelines(
        &ctx.chrome(Section::Settings),
        &list,
        None,
    )))
}

pub fn create_pipeline(ctx: &mut Ctx) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    ctx.tenant.require_entity(Entity::Deal)?;
    let done = ctx
        .app
        .create_pipeline(&ctx.tenant, &me, ctx.form.get("name"))
        .map(|p| format!("Pipeline {} added.", p.name));
    back(ctx, "settings/pipelines", done)
}

pub fn update_pipeline(ctx: &mut Ctx, id: &str, make_default: bool) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let id = parse_id(id)?;
    let name = (!make_default).then(|| ctx.form.get("name").to_string());
    let done = ctx
        .app
        .update_pipeline(&ctx.tenant, &me, id, name.as_deref(), make_default)
        .map(|p| format!("Pipeline {} saved.", p.name));
    back(ctx, "settings/pipelines", done)
}

pub fn delete_pipeline(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let done = ctx
        .app
        .delete_pipeline(&ctx.tenant, &me, parse_id(id)?)
        .map(|()| "Pipeline deleted.".to_string());
    back(ctx, "settings/pipelines", done)
}

pub fn create_stage(ctx: &mut Ctx, pipeline: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let probability = Value::String(ctx.form.get("probability").into());
    let done = ctx
        .app
        .create_stage(
            &ctx.tenant,
            &me,
            parse_id(pipeline)?,
            ctx.form.get("name"),
            &probability,
            ctx.form.get("kind"),
        )
        .map(|s| format!("Stage {} added.", s.name));
    back(ctx, "settings/pipelines", done)
}

pub fn update_stage(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let probability = Value::String(ctx.form.get("probability").into());
    let done = ctx
        .app
        .update_stage(
            &ctx.tenant,
            &me,
            parse_id(id)?,
            ctx.form.get("name"),
            &probability,
            ctx.form.get("kind"),
        )
        .map(|s| format!("Stage {} saved.", s.name));
    back(ctx, "settings/pipelines", done)
}

pub fn move_stage(ctx: &mut Ctx, id: &str, up: bool) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    ctx.app.move_stage(&ctx.tenant, &me, parse_id(id)?, up)?;
    Ok(ctx.redirect("settings/pipelines", None))
}

/// Puts a pipeline's stages in the order the form lists them (what dragging a stage sends).
pub fn order_stages(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let order = ctx
        .form
        .all("stages")
        .into_iter()
        .map(parse_id)
        .collect::<Result<Vec<_>>>()?;
    ctx.app
        .order_stages(&ctx.tenant, &me, parse_id(id)?, &order)?;
    Ok(ctx.redirect("settings/pipelines", None))
}

/// Asks where the stage's deals go before deleting it.
pub fn confirm_delete_stage(ctx: &mut Ctx, id: &str) -> Result<Response> {
    ctx.user_at_least(Role::Admin)?;
    let (stage, pipeline, deals) = read::stage_to_delete(&ctx.tenant, parse_id(id)?)?;
    Ok(respond::html(views::delete_stage(
        &ctx.chrome(Section::Settings),
        &stage,
        &pipeline,
        deals,
    )))
}

pub fn delete_stage(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let move_to = ctx.form.get("move_to").parse::<StageId>().ok();
    let done = ctx
        .app
        .delete_stage(&ctx.tenant, &me, parse_id(id)?, move_to)
        .map(|n| match n {
            0 => "Stage deleted.".to_string(),
            n => format!("Stage deleted; {n} deals moved."),
        });
    back(ctx, "settings/pipelines", done)
}

pub fn labels(ctx: &mut Ctx) -> Result<Response> {
    ctx.user_at_least(Role::Admin)?;
    let list = read::labels(&ctx.tenant)?;
    Ok(respond::html(views::labels(
        &ctx.chrome(Section::Settings),
        &list,
        &[],
        ("", ""),
    )))
}

pub fn create_label(ctx: &mut Ctx) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let (name, color) = (
        ctx.form.get("name").to_string(),
        ctx.form.get("color").to_string(),
    );
    match ctx.app.create_label(&ctx.tenant, &me, &name, &color) {
        Ok(l) => Ok(ctx.redirect(
            "settings/labels",
            Some(Flash::success(fill(
                ctx.w().label_added,
                &[("name", &l.name)],
            ))),
        )),
        Err(e @ Error::Invalid { .. }) => {
            let list = read::labels(&ctx.tenant)?;
            Ok(respond::html_status(
                views::labels(
                    &ctx.chrome(Section::Settings),
                    &list,
                    e.field_errors(),
                    (&name, &color),
                ),
                422,
            ))
        }
        Err(e) => Err(e),
    }
}

pub fn update_label(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let done = ctx
        .app
        .update_label(
            &ctx.tenant,
            &me,
            parse_id(id)?,
            ctx.form.get("name"),
            ctx.form.get("color"),
        )
        .map(|l| format!("Label {} saved.", l.name));
    back(ctx, "settings/labels", done)
}

pub fn delete_label(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let done = ctx
        .app
        .delete_label(&ctx.tenant, &me, parse_id(id)?)
        .map(|()| "Label deleted.".to_string());
    back(ctx, "settings/labels", done)
}

pub fn fields(ctx: &mut Ctx) -> Result<Response> {
    ctx.user_at_least(Role::Admin)?;
    let list = read::custom_fields(&ctx.tenant)?;
    Ok(respond::html(views::fields(
        &ctx.chrome(Section::Settings),
        &list,
        &[],
    )))
}

pub fn create_field(ctx: &mut Ctx) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let entity = Entity::from_singular(ctx.form.get("entity"))
        .ok_or_else(|| Error::field("entity", "must be contact, company or deal"))?;
    let options: Vec<String> = ctx
        .form
        .get("options")
        .split(',')
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect();
    let spec = NewCustomField {
        entity,
        key: ctx.form.get("key"),
        label: ctx.form.get("label"),
        kind: ctx.form.get("kind"),
        options: &options,
        required: ctx.form.has("required"),
    };
    match ctx.app.create_custom_field(&ctx.tenant, &me, &spec) {
        Ok(f) => Ok(ctx.redirect(
            "settings/fields",
            Some(Flash::success(fill(
                ctx.w().field_added,
                &[("name", &f.label)],
            ))),
        )),
        Err(e @ Error::Invalid { .. }) => {
            let list = read::custom_fields(&ctx.tenant)?;
            Ok(respond::html_status(
                views::fields(&ctx.chrome(Section::Settings), &list, e.field_errors()),
                422,
            ))
        }
        Err(e) => Err(e),
    }
}

pub fn delete_field(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    ctx.app
        .delete_custom_field(&ctx.tenant, &me, parse_id(id)?)?;
    Ok(ctx.redirect(
        "settings/fields",
        Some(Flash::success(ctx.w().field_deleted)),
    ))
}
