//! Reading what the health and metrics endpoints report.

use crate::app::App;
use crate::error::Result;
use crate::metrics::Gauges;
use crate::store::registry;

/// How many workspaces the registry lists.
pub fn tenant_count(app: &App) -> Result<usize> {
    Ok(registry::list(&*app.store.registry()?)?.len())
}

/// The gauges of `/metrics`, read now.
pub fn gauges(app: &App) -> Result<Gauges> {
    let reg = app.store.registry()?;
    Ok(Gauges {
        open_tenant_pools: app.store.open_tenant_count(),
        unavailable_tenants: app.store.health.degraded().len(),
        tenant_open_failures: app.store.health.failures(),
        tenants: registry::list(&reg)?.len(),
        outbox_backlog: registry::mail_backlog(&reg)?,
    })
}
