//! HTTP: the one route table, and the pipeline every request goes through (route, map errors,
//! security headers, metrics, one log line).

pub mod api;
pub mod auth_pages;
pub mod automations;
pub mod context;
pub mod cookie;
pub mod crm;
pub mod form;
pub mod home;
pub mod inbox;
pub mod kassa;
pub mod loggable;
pub mod respond;
pub mod scheduling;
pub mod server;
pub mod settings;
pub mod system;
pub mod wire;

use crate::App;
use crate::app::Tenant;
use crate::domain::crm::Entity;
use crate::domain::secret;
use crate::domain::slug::Slug;
use crate::error::{Error, Result};
use crate::views;
use context::Ctx;
use rouille::{Request, Response};
use std::time::Instant;

/// Answers one request. `body` is `Err(TooLarge)` when the server refused to read the body.
pub fn handle(app: &App, req: &Request, body: Result<()>) -> Response {
    let started = Instant::now();
    let request_id = secret::request_id();
    let url = req.url();
    let segments: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    let group = group_of(&segments);
    let response = body
        .and_then(|()| route(app, req, &segments, &request_id))
        .unwrap_or_else(|e| error_response(app, req, &e, &request_id, group == "api"));
    let response = respond::with_security_headers(response, &request_id, app.config.secure_cookies);
    let elapsed = started.elapsed();
    app.metrics.record(group, response.status_code, elapsed);
    let tenant = match segments.as_slice() {
        ["t", slug, ..] => slug,
        _ => "-",
    };
    crate::info!(
        "request rid={request_id} method={} path={} status={} ms={:.2} tenant={}",
        crate::log::escape(req.method()),
        loggable::loggable_path(&url),
        response.status_code,
        elapsed.as_secs_f64() * 1000.0,
        crate::log::escape(tenant)
    );
    response
}

fn route(app: &App, req: &Request, segments: &[&str], request_id: &str) -> Result<Response> {
    match (method(req), segments) {
        ("GET", []) => system::root(app, req),
        ("GET", ["healthz"]) => system::health(app),
        ("GET", ["metrics"]) => system::metrics(app),
        ("GET", ["assets", hash, file]) => {
            let (content_type, bytes) = app.assets.file(hash, file).ok_or(Error::NotFound)?;
            Ok(Response::from_data(content_type, bytes)
                .with_unique_header("Cache-Control", "public, max-age=31536000, immutable"))
        }
        (_, ["t", slug, rest @ ..]) => {
            let slug = Slug::parse(slug).map_err(|_| Error::NotFound)?;
            let tenant = app.tenant(&slug)?;
            match rest {
                ["api", "v1", rest @ ..] => api::route(app, req, &tenant, rest)
                    .inspect_err(|e| note_tenant_error(app, &slug, e)),
                _ => Ok(tenant_ui(app, req, request_id, tenant, rest)),
            }
        }
        _ => Err(Error::NotFound),
    }
}

/// The tenant's pages. Errors become pages inside the context, so they keep the
/// navigation and the cookies.
fn tenant_ui(
    app: &App,
    req: &Request,
    request_id: &str,
    tenant: Tenant,
    rest: &[&str],
) -> Response {
    let slug = tenant.slug().clone();
    let mut ctx = match Ctx::new(app, req, request_id, tenant) {
        Ok(ctx) => ctx,
        Err(e) => {
            note_tenant_error(app, &slug, &e);
            return error_response(app, req, &e, request_id, false);
        }
    };
    let result = if req.method() == "POST" {
        ctx.check_csrf().and_then(|()| ui_route(&mut ctx, rest))
    } else {
        ui_route(&mut ctx, rest)
    };
    let response = result.unwrap_or_else(|e| ui_error(&mut ctx, &e));
    ctx.finish(response)
}

fn ui_route(ctx: &mut Ctx, rest: &[&str]) -> Result<Response> {
    use crm::{board, pages, tasks};
    use settings::{account, catalog, mail, password, tokens, users};
    let id = |raw: &str| raw.parse::<i64>().map_err(|_| Error::NotFound);
    if let Some(answer) = scheduling::route(ctx, method(ctx.req), rest) {
        return answer;
    }
    if let Some(answer) = kassa::route(ctx, method(ctx.req), rest) {
        return answer;
    }
    if let Some(answer) = inbox::route(ctx, method(ctx.req), rest) {
        return answer;
    }
    match (method(ctx.req), rest) {
        ("GET", []) => home::show(ctx),
        ("POST", ["checklist", "hide"]) => home::hide_checklist(ctx),
        ("GET", ["login"]) => auth_pages::login_form(ctx),
        ("POST", ["login"]) => auth_pages::login(ctx),
        ("POST", ["logout"]) => auth_pages::logout(ctx),
        ("GET", ["reset"]) => auth_pages::reset_form(ctx),
        ("POST", ["reset"]) => auth_pages::reset_request(ctx),
        ("GET", [kind, token]) if auth_pages::link_kind(kind).is_some() => {
            auth_pages::link_form(ctx, kind, token)
        }
        ("POST", [kind, token]) if auth_pages::link_kind(kind).is_some() => {
            auth_pages::link_accept(ctx, kind, token)
        }
        ("GET", ["settings"]) => Ok(ctx.redirect("settings/account", None)),
        ("GET", ["settings", "account"]) => account::show(ctx),
        ("POST", ["settings", "account"]) => account::save(ctx),
        ("GET", ["settings", "users"]) => users::show(ctx),
        ("POST", ["settings", "users", "invite"]) => users::invite(ctx),
        ("POST", ["settings", "users", id, "role"]) => users::set_role(ctx, id),
        ("POST", ["settings", "users", id, "reset"]) => users::reset_password(ctx, id),
        ("POST", ["settings", "users", id, "disable"]) => users::set_active(ctx, id, false),
        ("POST", ["settings", "users", id, "enable"]) => users::set_active(ctx, id, true),
        ("POST", ["settings", "invitations", id, "revoke"]) => users::revoke_invitation(ctx, id),
        ("GET", ["settings", "tokens"]) => tokens::show(ctx),
        ("POST", ["settings", "tokens"]) => tokens::create(ctx),
        ("POST", ["settings", "tokens", id, "revoke"]) => tokens::revoke(ctx, id),
        ("GET", ["settings", "mail"]) => mail::show(ctx),
        ("POST", ["settings", "mail"]) => mail::save(ctx),
        ("POST", ["settings", "mail", "test"]) => mail::send_test(ctx),
        ("GET", ["settings", "password"]) => password::show(ctx),
        ("POST", ["settings", "password"]) => password::save(ctx),
        ("POST", ["settings", "time-zone"]) => password::save_time_zone(ctx),
        ("POST", ["settings", "language"]) => password::save_language(ctx),
        ("GET", ["settings", "pipelines"]) => catalog::pipelines(ctx),
        ("POST", ["settings", "pipelines"]) => catalog::create_pipeline(ctx),
        ("POST", ["settings", "pipelines", n]) => catalog::update_pipeline(ctx, n, false),
        ("POST", ["settings", "pipelines", n, "default"]) => catalog::update_pipeline(ctx, n, true),
        ("POST", ["settings", "pipelines", n, "delete"]) => catalog::delete_pipeline(ctx, n),
        ("POST", ["settings", "pipelines", n, "stages"]) => catalog::create_stage(ctx, n),
        ("POST", ["settings", "stages", n]) => catalog::update_stage(ctx, n),
        ("POST", ["settings", "pipelines", n, "order"]) => catalog::order_stages(ctx, n),
        ("POST", ["settings", "stages", n, "up"]) => catalog::move_stage(ctx, n, true),
        ("POST", ["settings", "stages", n, "down"]) => catalog::move_stage(ctx, n, false),
        ("GET", ["settings", "stages", n, "delete"]) => catalog::confirm_delete_stage(ctx, n),
        ("POST", ["settings", "stages", n, "delete"]) => catalog::delete_stage(ctx, n),
        ("GET", ["settings", "labels"]) => catalog::labels(ctx),
        ("POST", ["settings", "labels"]) => catalog::create_label(ctx),
        ("POST", ["settings", "labels", n]) => catalog::update_label(ctx, n),
        ("POST", ["settings", "labels", n, "delete"]) => catalog::delete_label(ctx, n),
        ("GET", ["settings", "automations"]) => automations::list(ctx),
        ("GET", ["settings", "automations", "new"]) => automations::new(ctx),
        ("POST", ["settings", "automations", "new"]) => automations::save(ctx, None),
        ("GET", ["settings", "automations", "runs", n]) => automations::run(ctx, n),
        ("POST", ["settings", "automations", "runs", n, "retry"]) => automations::retry(ctx, n),
        ("GET", ["settings", "automations", n]) => automations::show(ctx, n),
        ("POST", ["settings", "automations", n]) => automations::save(ctx, Some(n)),
        ("POST", ["settings", "automations", n, "enable"]) => {
            automations::set_enabled(ctx, n, true)
        }
        ("POST", ["settings", "automations", n, "disable"]) => {
            automations::set_enabled(ctx, n, false)
        }
        ("POST", ["settings", "automations", n, "delete"]) => automations::delete(ctx, n),
        ("GET", ["settings", "fields"]) => catalog::fields(ctx),
        ("POST", ["settings", "fields"]) => catalog::create_field(ctx),
        ("POST", ["settings", "fields", n, "delete"]) => catalog::delete_field(ctx, n),
        ("GET", ["trash"]) => pages::trash(ctx),
        ("GET", ["search"]) => crm::search::page(ctx),
        ("POST", ["views"]) => crm::saved_views::save(ctx),
        ("POST", ["views", n, "delete"]) => crm::saved_views::delete(ctx, n),
        ("GET", ["deals", "board"]) => board::board(ctx),
        ("POST", ["deals", n, "stage"]) => board::move_stage(ctx, id(n)?),
        ("GET", ["tasks", "mine"]) => tasks::mine(ctx),
        ("POST", ["tasks", n, "complete"]) => tasks::complete(ctx, id(n)?),
        ("GET", ["contacts", n, "merge"]) => crm::show::merge_form(ctx, id(n)?),
        ("POST", ["contacts", n, "merge"]) => crm::show::merge(ctx, id(n)?),
        ("GET", ["imports", n]) => crm::import::status(ctx, n),
        ("POST", ["imports", n]) => crm::import::start(ctx, n),
        ("GET", ["imports", n, "errors.csv"]) => crm::import::errors(ctx, n),
        (m, [table, rest @ ..]) => {
            let entity = Entity::from_table(table).ok_or(Error::NotFound)?;
            match (m, rest) {
                ("GET", []) => pages::list(ctx, entity),
                ("GET", ["new"]) => pages::new(ctx, entity),
                ("GET", ["export.csv"]) => crm::export::export(ctx, entity),
                ("GET", ["import"]) => crm::import::form(ctx, entity),
                ("POST", ["import"]) => crm::import::upload(ctx, entity),
                ("POST", ["bulk"]) => crm::bulk::apply(ctx, entity),
                ("POST", []) => pages::save(ctx, entity, None),
                ("GET", [n]) => crm::show::show(ctx, entity, id(n)?),
                ("POST", [n]) => pages::save(ctx, entity, Some(id(n)?)),
                ("GET", [n, "edit"]) => pages::edit(ctx, entity, id(n)?),
                ("GET", [n, "delete"]) => pages::confirm_delete(ctx, entity, id(n)?),
                ("POST", [n, "delete"]) => pages::delete(ctx, entity, id(n)?),
                ("POST", [n, "restore"]) => pages::restore(ctx, entity, id(n)?),
                ("POST", [n, "activities"]) if entity.has_labels_and_custom() => {
                    crm::show::log_activity(ctx, entity, id(n)?)
                }
                _ => Err(Error::NotFound),
            }
        }
        _ => Err(Error::NotFound),
    }
}

/// HEAD is answered like GET (the server leaves the body out).
fn method(req: &Request) -> &str {
    match req.method() {
        "HEAD" => "GET",
        other => other,
    }
}

fn group_of(segments: &[&str]) -> &'static str {
    match segments {
        ["t", _, "api", ..] => "api",
        [
            "t",
            _,
            "login" | "logout" | "reset" | "setup" | "invite",
            ..,
        ] => "auth",
        ["t", ..] => "ui",
        ["assets", ..] => "assets",
        ["healthz"] | ["metrics"] => "system",
        [] => "ui",
        _ => "other",
    }
}

/// A workspace whose file failed under a request is marked, so the next requests are answered
/// at once instead of failing on it again.
fn note_tenant_error(app: &App, slug: &Slug, e: &Error) {
    if let Error::Unavailable(detail) = e {
        app.store.mark_unavailable(slug, detail);
    }
}

/// A page's error inside the tenant shell: sign-in for visitors, the error page otherwise.
fn ui_error(ctx: &mut Ctx, e: &Error) -> Response {
    log_if_internal(ctx.app, e, ctx.request_id);
    note_tenant_error(ctx.app, ctx.tenant.slug(), e);
    if let Error::Unauthorized = e {
        let here = ctx.req.raw_url().to_string();
        let next = if ctx.req.method() == "GET" {
            format!("?next={}", cookie::encode(&here))
        } else {
            String::new()
        };
        return ctx.redirect(&format!("login{next}"), None);
    }
    let message = e.public_message();
    let markup = if ctx.session.is_some() {
        views::errors::in_shell(
            &ctx.chrome(views::layout::Section::Public),
            e.status(),
            &message,
            ctx.request_id,
        )
    } else {
        views::errors::standalone(
            &ctx.app.assets,
            ctx.lang(),
            e.status(),
            &message,
            ctx.request_id,
            &ctx.path(""),
        )
    };
    respond::html_status(markup, e.status())
}

fn error_response(app: &App, req: &Request, e: &Error, request_id: &str, api: bool) -> Response {
    log_if_internal(app, e, request_id);
    if api {
        return respond::json_error(e, request_id);
    }
    respond::html_status(
        views::errors::standalone(
            &app.assets,
            browser_lang(req),
            e.status(),
            &e.public_message(),
            request_id,
            "/",
        ),
        e.status(),
    )
}

/// Internal errors are logged with their detail; a full disk once a minute at most.
/// The language a request's browser asks for, for pages outside a workspace.
pub fn browser_lang(req: &Request) -> crate::domain::words::Lang {
    crate::domain::words::Lang::from_accept_language(req.header("Accept-Language").unwrap_or(""))
}

fn log_if_internal(app: &App, e: &Error, request_id: &str) {
    match e {
        Error::Internal(detail) => crate::error!("internal rid={request_id} detail={detail:?}"),
        Error::DiskFull => {
            if let Some(refused) = app.metrics.count_disk_full() {
                crate::error!(
                    "the disk is full: {refused} write(s) refused in the last minute (rid={request_id}); free space in {}",
                    app.config.data_dir.display()
                );
            }
        }
        _ => {}
    }
}

/// Logs a request the connection layer refused before any handler saw it.
pub fn log_refused(
    app: &App,
    method: &str,
    path: &str,
    status: u16,
    reason: &str,
    elapsed: std::time::Duration,
) {
    app.metrics.record("http", status, elapsed);
    crate::warn!(
        "request rid=- method={} path={path} status={status} ms={:.2} refused=\"{reason}\"",
        crate::log::escape(method),
        elapsed.as_secs_f64() * 1000.0
    );
}
