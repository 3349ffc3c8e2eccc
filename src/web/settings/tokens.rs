//! Settings → API tokens.

use crate::app::read::settings as read;
use crate::domain::ids::TokenId;
use crate::error::{Error, FieldError, Result};
use crate::views::layout::{Flash, Section};
use crate::views::settings::tokens::{TokensPage, tokens as tokens_view};
use crate::web::context::Ctx;
use crate::web::respond;
use crate::web::settings::parse_id;
use rouille::Response;

fn render(
    ctx: &Ctx,
    new_token: Option<&str>,
    errors: &[FieldError],
    status: u16,
) -> Result<Response> {
    let user = ctx.user()?;
    let admin = user.role.can_manage_users();
    let list = read::tokens(&ctx.tenant, if admin { None } else { Some(user.id) })?;
    let page = TokensPage {
        tokens: &list,
        show_owner: admin,
        new_token,
        errors,
    };
    Ok(respond::html_status(
        tokens_view(&ctx.chrome(Section::Settings), &page),
        status,
    ))
}

pub fn show(ctx: &mut Ctx) -> Result<Response> {
    render(ctx, None, &[], 200)
}

/// Shows the new token in the response itself, never in a redirect or cookie.
pub fn create(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    match ctx
        .app
        .create_api_token(&ctx.tenant.db, &user, ctx.form.get("label"))
    {
        Ok(token) => render(ctx, Some(&token), &[], 200),
        Err(e @ Error::Invalid { .. }) => render(ctx, None, e.field_errors(), 422),
        Err(e) => Err(e),
    }
}

pub fn revoke(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let user = ctx.user()?.clone();
    let id: TokenId = parse_id(id)?;
    ctx.app.revoke_api_token(&ctx.tenant.db, &user, id)?;
    Ok(ctx.redirect(
        "settings/tokens",
        Some(Flash::success(ctx.w().token_revoked)),
    ))
}
