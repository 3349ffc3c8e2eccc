//! How many client connections the process can hold: `max_connections`, unless the open-file
//! limit cannot hold that many beside the tenant pools.

use crate::app::App;

/// Descriptors kept free of client connections: listener, logs, the registry, backups, mail.
const RESERVED_FDS: usize = 64;
/// Descriptors one open tenant pool may hold (8 connections with a database and a WAL file
/// each, and the shared-memory file).
const FDS_PER_TENANT: usize = 17;

/// `max_connections`, lowered when the process may not open enough descriptors for it and
/// for the tenant pools beside it (said once in the log, with the limit to raise).
pub(super) fn connection_budget(app: &App) -> usize {
    let wanted = app.config.max_connections;
    let Some(limit) = open_file_limit() else {
        return wanted;
    };
    let tenants = app.config.max_open_tenants * FDS_PER_TENANT;
    let free = limit.saturating_sub(RESERVED_FDS + tenants);
    // Tenant pools rarely fill up, so a tight limit still leaves room for a few clients.
    let budget = wanted.min(free.max(limit / 4)).max(8);
    if budget < wanted {
        crate::warn!(
            "open-file limit {limit} leaves room for {budget} client connections, not max_connections={wanted}; \
             raise it to at least {} (systemd: LimitNOFILE)",
            wanted + tenants + RESERVED_FDS
        );
    }
    budget
}

/// The soft limit on open descriptors, from `/proc/self/limits`.
fn open_file_limit() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
