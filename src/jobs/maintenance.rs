//! Daily upkeep on the cron thread: a backup of every tenant (keeping the newest few), and
//! purging what has been in the trash for 30 days. The registry keeps when each tenant's
//! upkeep last ran, so a file is opened once a day and after downtime each happens once, not
//! once per missed day; the backups' own times say when the next one is due.

use crate::app::records::TRASH_DAYS;
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::slug::Slug;
use crate::error::Result;
use crate::store::crm::trash;
use crate::store::registry;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use std::path::{Path, PathBuf};

/// Backs up and cleans every active tenant whose day has come.
pub fn run_due(app: &App) -> Result<()> {
    while run_some(app, usize::MAX)? {}
    Ok(())
}

/// The daily upkeep of at most `limit` tenants whose day has come; `true` if more are waiting.
/// A failure is logged and the tenant's turn comes again tomorrow.
pub fn run_some(app: &App, limit: usize) -> Result<bool> {
    let now = app.now();
    let day_ago = stamp(now - Duration::hours(24));
    let due = registry::upkeep_due(&*app.store.registry()?, &day_ago, limit)?;
    for slug in &due {
        let Ok(slug) = Slug::parse(slug) else {
            continue;
        };
        if let Err(e) = app.in_passing(&slug, |tenant| tenant_upkeep(app, tenant)) {
            crate::error!("maintenance tenant={slug} error={e}");
        }
        app.store
            .write_registry(|w| registry::set_upkeep_done(w, &slug, &stamp(now)))?;
    }
    Ok(limit != usize::MAX && due.len() == limit)
}

fn tenant_upkeep(app: &App, tenant: &Tenant) -> Result<()> {
    let now = app.now();
    let slug = tenant.slug();
    let before = stamp(now - Duration::days(TRASH_DAYS));
    let purged = tenant.db.write(|tx| trash::purge_trash(tx, &before))?;
    if purged > 0 {
        crate::info!("trash purged tenant={slug} records={purged}");
    }
    // The waitlist keeps visitors' details only until their day has passed.
    let today = crate::domain::local_time::today(now, tenant.zone_of(None));
    tenant
        .db
        .write(|tx| crate::store::waitlist::purge_before(tx, today))?;
    // The kassa's journals, checked once a day: the kassa page shows what was found.
    if tenant
        .caps
        .allows(crate::domain::capability::Capability::Kassa)
    {
        app.check_kassa(tenant)?;
    }
    tenant.db.refresh_statistics()?;
    if app.config.backup_keep == 0 {
        return Ok(());
    }
    let dir = app.config.backup_dir.join(slug.as_str());
    let backups = backups_of(&dir, slug);
    let newest = backups.last().map(|(t, _)| *t);
    if newest.is_none_or(|t| now - t >= Duration::hours(24)) {
        let written = app.backup(&dir, Some(slug.as_str()))?;
        crate::info!("daily backup tenant={slug} file={}", written[0].display());
        let backups = backups_of(&dir, slug);
        let extra = backups
            .len()
            .saturating_sub(app.config.backup_keep as usize);
        for (_, path) in backups.into_iter().take(extra) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// The backups in `dir` by the time in their name (`<slug>-20261121T030000Z.sqlite`), oldest
/// first.
pub fn backups_of(dir: &Path, slug: &Slug) -> Vec<(DateTime<Utc>, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let prefix = format!("{slug}-");
    let mut out: Vec<(DateTime<Utc>, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let when = name.strip_prefix(&prefix)?.strip_suffix(".sqlite")?;
            let t = NaiveDateTime::parse_from_str(when, "%Y%m%dT%H%M%SZ").ok()?;
            Some((t.and_utc(), e.path()))
        })
        .collect();
    out.sort();
    out
}
