//! Pages outside any tenant: the start page, the health check and the metrics.

use crate::App;
use crate::app::read::system as read;
use crate::domain::slug::Slug;
use crate::error::Result;
use crate::web::respond;
use rouille::Response;

/// `/` leads to the only tenant's sign-in. With several, it lists them when the config says
/// so (`list_workspaces`), and otherwise asks for the workspace's address, so a stranger
/// learns nothing of who else is on the server.
pub fn root(app: &App, req: &rouille::Request) -> Result<Response> {
    if let Some(typed) = req.get_param("workspace") {
        let typed = typed.trim().to_ascii_lowercase();
        return Ok(match Slug::parse(&typed) {
            Ok(slug) => Response::redirect_303(format!("/t/{slug}/")),
            Err(_) => respond::html_status(
                crate::views::picker::ask(
                    &app.assets,
                    crate::web::browser_lang(req),
                    &typed,
                    Some("must have 2 to 40 letters, digits or dashes."),
                ),
                422,
            ),
        });
    }
    let active: Vec<_> = app
        .list_tenants()?
        .into_iter()
        .filter(|t| t.is_active())
        .collect();
    if let [only] = active.as_slice() {
        return Ok(Response::redirect_303(format!("/t/{}/", only.slug)));
    }
    if app.config.list_workspaces {
        return Ok(respond::html(crate::views::picker::picker(
            &app.assets,
            crate::web::browser_lang(req),
            &active,
        )));
    }
    Ok(respond::html(crate::views::picker::ask(
        &app.assets,
        crate::web::browser_lang(req),
        "",
        None,
    )))
}

/// Always 200 while the process serves, so probes keep working; workspaces whose file
/// failed are listed under `degraded`.
pub fn health(app: &App) -> Result<Response> {
    let tenants = read::tenant_count(app)?;
    let degraded = app.store.health.degraded();
    Ok(respond::json(&serde_json::json!({
        "status": if degraded.is_empty() { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "tenants": tenants,
        "degraded": degraded,
    })))
}

pub fn metrics(app: &App) -> Result<Response> {
    let gauges = read::gauges(app)?;
    Ok(Response::from_data(
        "text/plain; version=0.0.4; charset=utf-8",
        app.metrics.render(&gauges),
    ))
}
