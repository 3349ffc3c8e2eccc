//! Sign-in, sign-out, "forgot password", and the pages behind one-time links.

use crate::app::links::AcceptForm;
use crate::app::tenants::Setup;
use crate::domain::capability::Profile;
use crate::domain::link::LinkKind;
use crate::domain::local_time;
use crate::domain::words::fill;
use crate::error::{Error, FieldError, Result};
use crate::views::auth::{self, LinkPage, Login, WorkspaceChoice};
use crate::views::layout::Flash;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

pub fn link_kind(segment: &str) -> Option<LinkKind> {
    match segment {
        "setup" => Some(LinkKind::Setup),
        "invite" => Some(LinkKind::Invite),
        "reset" => Some(LinkKind::Reset),
        _ => None,
    }
}

/// Where to go after signing in: only a path of this tenant, never another site.
fn safe_next(ctx: &Ctx, next: &str) -> String {
    let prefix = ctx.path("");
    let ok = next.starts_with(&prefix)
        && !next.contains("//")
        && !next.contains('\\')
        && !next.contains("/login");
    if ok {
        next[prefix.len()..].to_string()
    } else {
        String::new()
    }
}

fn render_login(ctx: &Ctx, email: &str, next: &str, error: Option<&str>, status: u16) -> Response {
    let base = ctx.path("");
    let page = Login {
        account_name: &ctx.tenant.account.name,
        base: base.trim_end_matches('/'),
        csrf: &ctx.csrf,
        email,
        next,
        error,
        flash: ctx.flash.as_ref(),
        lang: ctx.lang(),
    };
    respond::html_status(auth::login(&ctx.app.assets, &page), status)
}

pub fn login_form(ctx: &mut Ctx) -> Result<Response> {
    let next = ctx.req.get_param("next").unwrap_or_default();
    if ctx.session.is_some() {
        let to = safe_next(ctx, &next);
        return Ok(ctx.redirect(&to, None));
    }
    Ok(render_login(ctx, "", &next, None, 200))
}

pub fn login(ctx: &mut Ctx) -> Result<Response> {
    let (email, next) = (
        ctx.form.get("email").to_string(),
        ctx.form.get("next").to_string(),
    );
    match ctx
        .app
        .login(&ctx.tenant.db, &email, ctx.form.get("password"), ctx.client)
    {
        Ok(session) => {
            ctx.sign_in(&session)?;
            let to = safe_next(ctx, &next);
            Ok(ctx.redirect(&to, None))
        }
        Err(e @ (Error::Invalid { .. } | Error::TooManyRequests(_))) => Ok(render_login(
            ctx,
            &email,
            &next,
            Some(&e.public_message()),
            e.status(),
        )),
        Err(e) => Err(e),
    }
}

pub fn logout(ctx: &mut Ctx) -> Result<Response> {
    ctx.sign_out()?;
    Ok(ctx.redirect("login", Some(Flash::info(ctx.w().signed_out))))
}

pub fn reset_form(ctx: &mut Ctx) -> Result<Response> {
    let base = ctx.path("");
    Ok(respond::html(auth::reset_request(
        &ctx.app.assets,
        ctx.lang(),
        base.trim_end_matches('/'),
        &ctx.csrf,
        false,
    )))
}

pub fn reset_request(ctx: &mut Ctx) -> Result<Response> {
    ctx.app
        .request_password_reset(&ctx.tenant, ctx.form.get("email"), ctx.client)?;
    let base = ctx.path("");
    Ok(respond::html(auth::reset_request(
        &ctx.app.assets,
        ctx.lang(),
        base.trim_end_matches('/'),
        &ctx.csrf,
        true,
    )))
}

fn render_link(
    ctx: &Ctx,
    kind: LinkKind,
    token: &str,
    errors: &[crate::error::FieldError],
    status: u16,
) -> Result<Response> {
    let link = ctx.app.find_link(&ctx.tenant.db, kind, token)?;
    let account = &ctx.tenant.account.name;
    let w = ctx.w();
    let (heading, intro, button) = match kind {
        LinkKind::Setup => (
            w.setup_title,
            fill(w.setup_intro, &[("account", account)]),
            w.create_my_account,
        ),
        LinkKind::Invite => (
            w.join_team,
            fill(
                w.invite_intro,
                &[
                    ("account", account),
                    (
                        "role",
                        crate::views::settings::users::role_name(w, link.role),
                    ),
                ],
            ),
            w.join,
        ),
        LinkKind::Reset => (
            w.choose_new_password,
            fill(w.reset_intro_link, &[("account", account)]),
            w.save_password,
        ),
    };
    // The owner's setup also asks the workspace's name, time zone and profile (as typed).
    let choice = (kind == LinkKind::Setup).then(|| {
        let typed = |k: &str, stored: &str| match ctx.form.has(k) {
            true => ctx.form.get(k).to_string(),
            false => stored.to_string(),
        };
        (
            typed("workspace_name", account),
            typed("time_zone", &ctx.tenant.account.time_zone),
            typed("currency", &ctx.tenant.account.currency),
            typed("profile", ctx.tenant.caps.profile.as_str()),
        )
    });
    let page = LinkPage {
        heading,
        intro,
        action: ctx.path(&format!("{}/{token}", kind.as_str())),
        csrf: &ctx.csrf,
        fixed_email: link.email.as_deref(),
        ask_name: kind != LinkKind::Reset,
        email: ctx.form.get("email"),
        name: ctx.form.get("name"),
        errors,
        button,
        workspace: choice
            .as_ref()
            .map(|(name, time_zone, currency, profile)| WorkspaceChoice {
                name,
                time_zone,
                currency,
                profile,
            }),
        lang: ctx.lang(),
    };
    Ok(respond::html_status(
        auth::link_page(&ctx.app.assets, &page),
        status,
    ))
}

pub fn link_form(ctx: &mut Ctx, kind: &str, token: &str) -> Result<Response> {
    let kind = link_kind(kind).ok_or(Error::NotFound)?;
    render_link(ctx, kind, token, &[], 200)
}

pub fn link_accept(ctx: &mut Ctx, kind: &str, token: &str) -> Result<Response> {
    let kind = link_kind(kind).ok_or(Error::NotFound)?;
    let form = AcceptForm {
        email: ctx.form.get("email").into(),
        name: ctx.form.get("name").into(),
        password: ctx.form.get("password").into(),
        confirm: ctx.form.get("confirm").into(),
    };
    let workspace = match kind {
        LinkKind::Setup => match setup_choice(ctx) {
            Ok(choice) => choice,
            Err(e) => return render_link(ctx, kind, token, e.field_errors(), 422),
        },
        _ => None,
    };
    match ctx.app.accept_link(&ctx.tenant.db, kind, token, &form) {
        Ok(session) => {
            if let Some(choice) = workspace {
                ctx.app
                    .set_up_workspace(&ctx.tenant, &session.user, &choice)?;
            }
            ctx.sign_in(&session)?;
            let w = ctx.w();
            let message = match kind {
                LinkKind::Reset => w.new_password_saved.to_string(),
                _ => fill(
                    w.welcome_to,
                    &[("account", &ctx.app.tenant(ctx.tenant.slug())?.account.name)],
                ),
            };
            Ok(ctx.redirect("", Some(Flash::success(message))))
        }
        Err(e @ Error::Invalid { .. }) => render_link(ctx, kind, token, e.field_errors(), 422),
        Err(e) => Err(e),
    }
}

/// What the owner chose for the workspace on the setup page, checked before anything is
/// written; `None` when the form did not ask (an older page).
fn setup_choice(ctx: &Ctx) -> Result<Option<Setup>> {
    if !ctx.form.has("workspace_name") {
        return Ok(None);
    }
    let mut errors = Vec::new();
    let name = ctx.form.get("workspace_name").trim().to_string();
    if name.is_empty() {
        errors.push(FieldError {
            field: "workspace_name".into(),
            message: "is required".into(),
        });
    }
    let zone = ctx.form.get("time_zone").trim().to_string();
    if !zone.is_empty() && local_time::zone(&zone).is_none() {
        errors.push(FieldError {
            field: "time_zone".into(),
            message: "is not a time zone: choose one from the list, like Europe/Amsterdam".into(),
        });
    }
    let currency = ctx.form.get("currency").trim().to_ascii_uppercase();
    if !currency.is_empty() && !crate::domain::money::valid_currency(&currency) {
        errors.push(FieldError {
            field: "currency".into(),
            message: "must be a three-letter code like EUR".into(),
        });
    }
    let profile = ctx.form.get("profile").parse::<Profile>().ok();
    if profile.is_none() {
        errors.push(FieldError {
            field: "profile".into(),
            message: "is not a kind of business Onebox knows".into(),
        });
    }
    if let Some(e) = Error::fields(errors) {
        return Err(e);
    }
    let zone = if zone.is_empty() {
        ctx.tenant.account.time_zone.clone()
    } else {
        zone
    };
    let currency = if currency.is_empty() {
        ctx.tenant.account.currency.clone()
    } else {
        currency
    };
    Ok(Some(Setup {
        name,
        profile: profile.unwrap_or(ctx.tenant.caps.profile),
        time_zone: zone,
        currency,
    }))
}
