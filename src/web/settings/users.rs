//! Settings → Users: team, roles, invitations.

use crate::app::read::settings as read;
use crate::domain::ids::{LinkId, UserId};
use crate::domain::user::Role;
use crate::domain::words::fill;
use crate::error::{Error, FieldError, Result};
use crate::views::layout::{Flash, Section};
use crate::views::settings::users::{Sent, Unsent, UsersPage, users as users_view};
use crate::web::context::Ctx;
use crate::web::respond;
use crate::web::settings::parse_id;
use rouille::Response;

fn render(
    ctx: &Ctx,
    email: &str,
    role: Role,
    error: Option<&Error>,
    status: u16,
) -> Result<Response> {
    render_with(ctx, email, role, error, None, status)
}

/// The page, with an invitation's address and link to pass on when no mail went out.
fn render_with(
    ctx: &Ctx,
    email: &str,
    role: Role,
    error: Option<&Error>,
    unsent: Option<Unsent>,
    status: u16,
) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?;
    let (team, invitations) = read::team(&ctx.tenant, &ctx.app.stamp())?;
    let fields: &[FieldError] = error.map_or(&[], |e| e.field_errors());
    let message = error
        .filter(|e| e.field_errors().is_empty())
        .map(Error::public_message);
    let page = UsersPage {
        me,
        users: &team,
        invitations: &invitations,
        invite_email: email,
        invite_role: role,
        errors: fields,
        error: message.as_deref(),
        unsent,
    };
    Ok(respond::html_status(
        users_view(&ctx.chrome(Section::Settings), &page),
        status,
    ))
}

pub fn show(ctx: &mut Ctx) -> Result<Response> {
    render(ctx, "", Role::Member, None, 200)
}

pub fn invite(ctx: &mut Ctx) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let email = ctx.form.get("email").to_string();
    let role: Role = ctx.form.get("role").parse()?;
    match ctx.app.invite(&ctx.tenant, &me, &email, role) {
        Ok(_) if ctx.app.mail_is_set_up(&ctx.tenant)? => {
            let flash = Flash::success(fill(ctx.w().invitation_sent, &[("email", email.trim())]));
            Ok(ctx.redirect("settings/users", Some(flash)))
        }
        // No mail can go out: the page says so and gives the link to pass on.
        Ok(link) => {
            let unsent = Unsent {
                what: Sent::Invitation,
                email: email.trim(),
                link: &link,
            };
            render_with(ctx, "", Role::Member, None, Some(unsent), 200)
        }
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            render(ctx, &email, role, Some(&e), e.status())
        }
        Err(e) => Err(e),
    }
}

/// Starts a password reset for someone of the team: mailed, or shown to pass on.
pub fn reset_password(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let id: UserId = parse_id(id)?;
    let (user, link) = ctx.app.start_password_reset(&ctx.tenant, &me, id)?;
    if ctx.app.mail_is_set_up(&ctx.tenant)? {
        let flash = Flash::success(fill(ctx.w().reset_mailed, &[("email", &user.email)]));
        return Ok(ctx.redirect("settings/users", Some(flash)));
    }
    let unsent = Unsent {
        what: Sent::Reset,
        email: &user.email,
        link: &link,
    };
    render_with(ctx, "", Role::Member, None, Some(unsent), 200)
}

pub fn set_role(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let id: UserId = parse_id(id)?;
    let role: Role = ctx.form.get("role").parse()?;
    ctx.app.set_user_role(&ctx.tenant.db, &me, id, role)?;
    Ok(ctx.redirect("settings/users", Some(Flash::success(ctx.w().role_changed))))
}

pub fn set_active(ctx: &mut Ctx, id: &str, active: bool) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    let id: UserId = parse_id(id)?;
    ctx.app
        .set_user_active(&ctx.tenant.db, Some(&me), id, active)?;
    let message = if active {
        ctx.w().user_enabled
    } else {
        ctx.w().user_disabled
    };
    Ok(ctx.redirect("settings/users", Some(Flash::success(message))))
}

pub fn revoke_invitation(ctx: &mut Ctx, id: &str) -> Result<Response> {
    ctx.user_at_least(Role::Admin)?;
    let id: LinkId = parse_id(id)?;
    ctx.app.revoke_invitation(&ctx.tenant, id)?;
    Ok(ctx.redirect(
        "settings/users",
        Some(Flash::success(ctx.w().invitation_withdrawn)),
    ))
}
