//! How the store opens a tenant's file and keeps it open: the LRU of pools, the first look
//! and the thorough check of a file, marking a workspace unavailable, and letting pools go.

use super::connection::{self, open_pool, prepare_file};
use super::lru::{self, Lru};
use super::{Pool, Store, TenantDb, checkpoint, health, migrate, registry};
use crate::domain::slug::Slug;
use crate::error::{Error, Result};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The thorough check of a file just opened waits this long, so it does not compete with the
/// first requests of the visit that opened it.
const CHECK_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

impl Store {
    /// The tenant's database, opening (and if needed upgrading) its file on first use. The
    /// tenant must be registered; its status is the caller's business.
    ///
    /// A cached pool is used only while the file at the tenant's path is the one it opened:
    /// the CLI may have moved the file to the trash or restored another in its place.
    ///
    /// A file that fails to open is marked unavailable (`health`): until it is due for
    /// another try, asking for it answers `Unavailable` at once. No lock shared with other
    /// workspaces is held while a file opens.
    pub fn tenant(&self, slug: &Slug) -> Result<TenantDb> {
        let retry = self.health.check(slug)? == health::Verdict::Retry;
        let path = self.tenant_path(slug);
        if !retry && let Some(db) = self.cached(slug, file_id(&path)) {
            return Ok(db);
        }
        if registry::get(&*self.registry()?, slug)?.is_none() {
            return Err(Error::NotFound);
        }
        let gate = self
            .opening
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(slug.clone())
            .or_default()
            .clone();
        let _turn = gate.lock().unwrap_or_else(|p| p.into_inner());
        if !retry && let Some(db) = self.cached(slug, file_id(&path)) {
            return Ok(db);
        }
        // A retry checks every page before it lets requests in again, so a file whose damage
        // only the full check finds does not flap between marked and open.
        let opened = if path.exists() {
            self.open_tenant_file(&path).and_then(|pool| {
                if retry {
                    connection::deep_check(&path)?;
                }
                Ok(pool)
            })
        } else {
            Err(Error::Unavailable(format!(
                "tenant {slug} is registered but {} is missing",
                path.display()
            )))
        };
        let pool = match opened {
            Ok(pool) => pool,
            Err(e @ Error::DiskFull) => return Err(e),
            Err(e) => {
                self.open
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(slug);
                self.health.mark(slug, &e.to_string());
                return Err(Error::Unavailable(e.to_string()));
            }
        };
        self.health.clear(slug);
        if !retry {
            self.deep_check_beside(slug, &path);
        }
        let writers = Arc::new(super::wal::Writers::default());
        self.keep_open(slug, (pool.clone(), writers.clone()), file_id(&path));
        Ok(TenantDb {
            slug: slug.clone(),
            pool,
            writers,
            beside: self.beside.clone(),
        })
    }

    /// Keeps the pool in the LRU; those it lets go close on the thread beside.
    pub(super) fn keep_open(&self, slug: &Slug, pool: lru::Open, file: Option<(u64, u64)>) {
        let evicted =
            self.open
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(slug.clone(), pool, file);
        if !evicted.is_empty() {
            self.beside.execute(move || drop(evicted));
        }
    }

    fn cached(&self, slug: &Slug, file: Option<(u64, u64)>) -> Option<TenantDb> {
        let (pool, writers) = self
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(slug, file)?;
        Some(TenantDb {
            slug: slug.clone(),
            pool,
            writers,
            beside: self.beside.clone(),
        })
    }

    /// Marks a workspace unavailable after its file failed a request, and closes its pool.
    pub fn mark_unavailable(&self, slug: &Slug, reason: &str) {
        mark_unavailable(&self.open, &self.health, slug, reason);
    }

    /// Runs the thorough check of a file just opened on the thread beside the requests, once
    /// per file in the life of the process; damage found marks the workspace unavailable.
    fn deep_check_beside(&self, slug: &Slug, path: &Path) {
        let Some(id) = file_id(path) else { return };
        if !self
            .checked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id)
        {
            return;
        }
        let (open, health) = (self.open.clone(), self.health.clone());
        let (slug, file) = (slug.clone(), path.to_path_buf());
        self.beside.execute_after(CHECK_AFTER, move || {
            if let Err(e) = connection::deep_check(&file) {
                mark_unavailable(&open, &health, &slug, &e.to_string());
            }
        });
    }

    /// Opens (creating or upgrading as needed) the tenant file at `path`. Callers decide
    /// whether the file must exist beforehand.
    pub(super) fn open_tenant_file(&self, path: &Path) -> Result<Pool> {
        let conn = prepare_file(path, &migrate::TENANT)?;
        connection::check_file(&conn, path)?;
        open_pool(path, conn, &self.threads, connection::Checkpoints::Beside)
    }

    /// Closes the tenant's pool, if open, after folding its WAL into the main file.
    pub fn close_tenant(&self, slug: &Slug) -> Result<()> {
        let pool = self
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(slug);
        if let Some((pool, _)) = pool {
            checkpoint(&*pool.get()?)?;
        }
        Ok(())
    }

    /// Whether the tenant's pool is open now.
    pub fn is_open(&self, slug: &Slug) -> bool {
        self.open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(slug)
    }

    /// Lets the tenant's pool close once its last holder lets go (no checkpoint: SQLite folds
    /// the WAL in when the last connection closes).
    pub fn let_close(&self, slug: &Slug) {
        self.open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(slug);
    }

    pub fn open_tenant_count(&self) -> usize {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

fn mark_unavailable(open: &Mutex<Lru>, health: &health::Health, slug: &Slug, reason: &str) {
    open.lock().unwrap_or_else(|p| p.into_inner()).remove(slug);
    health.mark(slug, reason);
}

/// Which file is at `path` (device and inode), if any.
pub(super) fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}
