//! Settings → Account.

use crate::app::read::settings as read;
use crate::domain::capability::{Capability, Profile};
use crate::error::{Error, FieldError, Result};
use crate::views::layout::{Flash, Section};
use crate::views::settings::account::{AccountPage, account};
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

fn render(
    ctx: &Ctx,
    name: &str,
    caps: &crate::domain::capability::Capabilities,
    errors: &[FieldError],
    status: u16,
) -> Result<Response> {
    let user = ctx.user()?;
    let entries = read::audit_log(&ctx.tenant, 20)?;
    let page = AccountPage {
        name,
        time_zone: if ctx.form.has("time_zone") {
            ctx.form.get("time_zone")
        } else {
            &ctx.tenant.account.time_zone
        },
        caps,
        can_edit: user.role.can_manage_account(),
        errors,
        audit: &entries,
    };
    Ok(respond::html_status(
        account(&ctx.chrome(Section::Settings), &page),
        status,
    ))
}

pub fn show(ctx: &mut Ctx) -> Result<Response> {
    render(ctx, &ctx.tenant.account.name, &ctx.tenant.caps, &[], 200)
}

pub fn save(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let name = ctx.form.get("name").to_string();
    let profile: Profile = ctx.form.get("profile").parse()?;
    let chosen = ctx.form.all("capability");
    if let Some(unknown) = chosen.iter().find(|c| Capability::parse(c).is_none()) {
        return Err(Error::field(
            "capability",
            format!("{unknown:?} is not a feature"),
        ));
    }
    let wanted: Vec<(Capability, bool)> = Capability::ALL
        .into_iter()
        .map(|c| (c, chosen.contains(&c.as_str())))
        .collect();
    match ctx.app.update_account(
        &ctx.tenant,
        &user,
        &name,
        profile,
        match ctx.form.get("time_zone") {
            "" => &ctx.tenant.account.time_zone,
            typed => typed,
        },
        &wanted,
    ) {
        Ok(()) => Ok(ctx.redirect(
            "settings/account",
            Some(Flash::success(ctx.w().account_saved)),
        )),
        Err(e @ Error::Invalid { .. }) => {
            let caps = crate::domain::capability::Capabilities::resolve(profile, wanted);
            render(ctx, &name, &caps, e.field_errors(), 422)
        }
        Err(e) => Err(e),
    }
}
