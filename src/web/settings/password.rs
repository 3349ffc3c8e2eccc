//! Settings → You: password, language and time zone.

use crate::error::{Error, Result};
use crate::views::layout::{Flash, Section};
use crate::views::settings::password::password;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

/// The page again with what was refused (and the time zone as typed), 422.
fn refused(ctx: &Ctx, e: &Error, zone_typed: Option<&str>) -> Response {
    let chrome = ctx.chrome(Section::Settings);
    let page = password(&chrome, ctx.browser_lang(), e.field_errors(), zone_typed);
    respond::html_status(page, 422)
}

pub fn show(ctx: &mut Ctx) -> Result<Response> {
    ctx.user()?;
    Ok(respond::html(password(
        &ctx.chrome(Section::Settings),
        ctx.browser_lang(),
        &[],
        None,
    )))
}

pub fn save(ctx: &mut Ctx) -> Result<Response> {
    let session = ctx.session.as_ref().ok_or(Error::Unauthorized)?;
    let result = ctx.app.change_password(
        &ctx.tenant.db,
        &session.user,
        session.id,
        ctx.form.get("current_password"),
        ctx.form.get("password"),
        ctx.form.get("confirm"),
    );
    match result {
        Ok(()) => Ok(ctx.redirect(
            "settings/password",
            Some(Flash::success(ctx.w().password_changed)),
        )),
        Err(e @ Error::Invalid { .. }) => Ok(refused(ctx, &e, None)),
        Err(e) => Err(e),
    }
}

pub fn save_time_zone(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let typed = ctx.form.get("time_zone").to_string();
    match ctx.app.set_time_zone(&ctx.tenant.db, &user, &typed) {
        Ok(()) => Ok(ctx.redirect(
            "settings/password",
            Some(Flash::success(ctx.w().time_zone_saved)),
        )),
        Err(e @ Error::Invalid { .. }) => Ok(refused(ctx, &e, Some(&typed))),
        Err(e) => Err(e),
    }
}

pub fn save_language(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let typed = ctx.form.get("language").to_string();
    match ctx.app.set_language(&ctx.tenant.db, &user, &typed) {
        Ok(()) => {
            // The message is in the language just chosen.
            let lang = crate::domain::words::Lang::from_code(&typed).unwrap_or(ctx.browser_lang());
            let saved = lang.words().language_saved;
            Ok(ctx.redirect("settings/password", Some(Flash::success(saved))))
        }
        Err(e @ Error::Invalid { .. }) => Ok(refused(ctx, &e, None)),
        Err(e) => Err(e),
    }
}
