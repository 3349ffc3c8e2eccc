//! Settings → Mail.

use crate::app::read::settings as read;
use crate::config::{SmtpConfig, SmtpSecurity};
use crate::domain::user::{Role, normalize_email};
use crate::error::{Error, FieldError, Result};
use crate::mail::messages;
use crate::views::layout::{Flash, Section};
use crate::views::settings::mail::{MailPage, mail};
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

fn render(
    ctx: &Ctx,
    shown: Option<&SmtpConfig>,
    use_own: bool,
    errors: &[FieldError],
    status: u16,
) -> Result<Response> {
    ctx.user_at_least(Role::Admin)?;
    let (saved, recent) = read::mail_page(&ctx.tenant, 20)?;
    let global = &ctx.app.config.smtp;
    let server_default = if global.is_configured() {
        format!(
            "{}:{} ({})",
            global.host,
            global.port,
            global.security.as_str()
        )
    } else {
        "none is configured, so mail waits in the outbox".to_string()
    };
    let shown = shown.or(saved.as_ref());
    let page = MailPage {
        use_own,
        host: shown.map_or("", |s| s.host.as_str()),
        port: shown.map_or(String::new(), |s| s.port.to_string()),
        security: shown.map_or(SmtpSecurity::Starttls, |s| s.security),
        username: shown.map_or("", |s| s.username.as_str()),
        has_password: saved.as_ref().is_some_and(|s| !s.password.is_empty()),
        from: shown.map_or("", |s| s.from.as_str()),
        server_default,
        errors,
        recent: &recent,
    };
    Ok(respond::html_status(
        mail(&ctx.chrome(Section::Settings), &page),
        status,
    ))
}

pub fn show(ctx: &mut Ctx) -> Result<Response> {
    let has_own = read::mail_settings(&ctx.tenant)?.is_some();
    render(ctx, None, has_own, &[], 200)
}

pub fn save(ctx: &mut Ctx) -> Result<Response> {
    let me = ctx.user_at_least(Role::Admin)?.clone();
    if !ctx.form.has("use_own") {
        ctx.app.update_mail_settings(&ctx.tenant, &me, None)?;
        return Ok(ctx.redirect(
            "settings/mail",
            Some(Flash::success(ctx.w().mail_uses_server)),
        ));
    }
    let f = &ctx.form;
    let saved_password = read::mail_settings(&ctx.tenant)?
        .map(|s| s.password)
        .unwrap_or_default();
    let password = if f.get("smtp_password").is_empty() {
        saved_password
    } else {
        f.get("smtp_password").to_string()
    };
    let timeout = ctx.app.config.smtp.timeout_secs;
    match SmtpConfig::from_fields(
        f.get("host"),
        f.get("port"),
        f.get("security"),
        f.get("username"),
        &password,
        f.get("from"),
        timeout,
    ) {
        Ok(smtp) => {
            ctx.app
                .update_mail_settings(&ctx.tenant, &me, Some(&smtp))?;
            Ok(ctx.redirect("settings/mail", Some(Flash::success(ctx.w().mail_saved))))
        }
        Err(e) => {
            let shown = SmtpConfig {
                host: f.get("host").into(),
                port: f.get("port").parse().unwrap_or(0),
                security: SmtpSecurity::parse(f.get("security")).unwrap_or(SmtpSecurity::Starttls),
                username: f.get("username").into(),
                password: String::new(),
                from: f.get("from").into(),
                timeout_secs: timeout,
            };
            render(ctx, Some(&shown), true, e.field_errors(), 422)
        }
    }
}

pub fn send_test(ctx: &mut Ctx) -> Result<Response> {
    ctx.user_at_least(Role::Admin)?;
    let to = normalize_email(ctx.form.get("to")).map_err(|f| Error::field("to", f.message))?;
    let message = messages::test_message(ctx.lang(), &to, &ctx.tenant.account.name);
    ctx.app
        .write_with_mail(&ctx.tenant.db, |_| Ok(((), vec![message])))?;
    Ok(ctx.redirect(
        "settings/mail",
        Some(Flash::success(crate::domain::words::fill(
            ctx.w().test_queued,
            &[("to", &to)],
        ))),
    ))
}
