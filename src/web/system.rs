//! Pages outside any tenant: the start page, the health check and the metrics.

use crate::App;
use crate::error::Result;
use crate::store::registry;
use crate::web::metrics::Gauges;
use crate::web::respond;
use rouille::Response;

/// `/` leads to the only tenant's sign-in, or lists the tenants to pick from.
pub fn root(app: &App) -> Result<Response> {
    let active: Vec<_> = app
        .list_tenants()?
        .into_iter()
        .filter(|t| t.is_active())
        .collect();
    if let [only] = active.as_slice() {
        return Ok(Response::redirect_303(format!("/t/{}/", only.slug)));
    }
    Ok(respond::html(crate::views::picker::picker(
        &app.assets,
        &active,
    )))
}

pub fn health(app: &App) -> Result<Response> {
    let reg = app.store.registry()?;
    let tenants = registry::list(&reg)?.len();
    Ok(respond::json(&serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "tenants": tenants,
    })))
}

pub fn metrics(app: &App) -> Result<Response> {
    let reg = app.store.registry()?;
    let gauges = Gauges {
        open_tenant_pools: app.store.open_tenant_count(),
        tenants: registry::list(&reg)?.len(),
        outbox_backlog: registry::mail_backlog(&reg)?,
    };
    Ok(Response::from_data(
        "text/plain; version=0.0.4; charset=utf-8",
        app.metrics.render(&gauges),
    ))
}
