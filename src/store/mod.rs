//! All SQL lives under this module. `Store` owns the tenant registry (`DATA/system.sqlite`)
//! and one lazily opened connection pool per tenant file (`DATA/tenants/<slug>.sqlite`), kept
//! in a bounded LRU. Code that holds a `TenantDb` can reach that tenant's file only: that is
//! the isolation boundary between tenants.

pub mod account;
pub mod audit;
pub mod automation_runs;
pub mod automations;
pub mod backup;
mod connection;
pub mod crm;
pub mod health;
pub mod links;
mod lru;
pub mod migrate;
pub mod outbox;
pub mod registry;
#[cfg(test)]
pub(crate) mod scratch;
pub mod sessions;
mod sqlite;
pub mod tokens;
pub mod users;

pub use connection::{checkpoint, connect};
pub use sqlite::Connection;

use crate::domain::slug::Slug;
use crate::error::{Error, Result};
use connection::{open_pool, prepare_file};
use lru::Lru;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::TransactionBehavior;
use scheduled_thread_pool::ScheduledThreadPool;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub type Pool = r2d2::Pool<SqliteConnectionManager>;
pub type Conn = r2d2::PooledConnection<SqliteConnectionManager>;

/// A write transaction. Store functions that write take one, and only `write` (through
/// `TenantDb::write` and `Store::write_registry`) hands it out, so no write happens outside the
/// one write road. It reads like a connection.
pub struct Write<'a>(&'a Connection);

impl std::ops::Deref for Write<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.0
    }
}

/// Runs `f` in a `BEGIN IMMEDIATE` transaction: it takes the write lock up front, so two
/// writers queue on `busy_timeout` instead of failing halfway. Commits only when `f` succeeds.
pub fn write<T>(conn: &mut Connection, f: impl FnOnce(&Write) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let value = f(&Write(&tx))?;
    tx.commit()?;
    Ok(value)
}

/// Runs `f` inside a savepoint of the caller's transaction: when `f` fails, what it wrote is
/// undone and the transaction goes on (one refused row of an import, the others kept).
pub fn savepoint<T>(tx: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    tx.execute_batch("SAVEPOINT step")?;
    let result = f();
    match &result {
        Ok(_) => tx.execute_batch("RELEASE step")?,
        Err(_) => tx.execute_batch("ROLLBACK TO step; RELEASE step")?,
    }
    result
}

/// One tenant's database. Cheap to clone.
#[derive(Clone)]
pub struct TenantDb {
    pub slug: Slug,
    pool: Pool,
    /// Writers of this tenant queue here, in the process, rather than in SQLite's busy handler,
    /// which sleeps in growing steps and made concurrent writes wait hundreds of milliseconds.
    writer: Arc<Mutex<()>>,
}

impl TenantDb {
    pub fn conn(&self) -> Result<Conn> {
        Ok(self.pool.get()?)
    }

    pub fn write<T>(&self, f: impl FnOnce(&Write) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        let _turn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        write(&mut conn, f)
    }

    /// A write of many rows at once (seeding, imports): the same transaction, with a page cache
    /// large enough that SQLite does not spill pages to the WAL again and again. The
    /// connection's cache goes back to the default afterwards. Call `finish_bulk_writes` after
    /// the last.
    pub fn bulk_write<T>(&self, f: impl FnOnce(&Write) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        let _turn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        conn.execute_batch("PRAGMA cache_size = -262144")?;
        let result = write(&mut conn, f);
        conn.execute_batch("PRAGMA cache_size = -2000")?;
        result
    }

    /// Tidies up once after the last of many bulk writes (an import, a seed; not per batch,
    /// as each step costs a commit). It merges the search index (see
    /// `crm::search::merge_segments`) and brings the query planner's statistics up to date:
    /// without them SQLite may walk a whole table in date order to find one contact's tasks.
    pub fn finish_bulk_writes(&self) -> Result<()> {
        let mut conn = self.conn()?;
        let _turn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        write(&mut conn, crm::search::merge_segments)?;
        conn.execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?;
        Ok(())
    }
}

pub struct Store {
    data_dir: PathBuf,
    registry: Pool,
    threads: Arc<ScheduledThreadPool>,
    /// The open pools. Held only to look up or insert, never while a file opens.
    open: Arc<Mutex<Lru>>,
    /// One gate per workspace being opened, so a file opens once however many ask at once.
    opening: Mutex<HashMap<Slug, Arc<Mutex<()>>>>,
    pub health: Arc<health::Health>,
}

impl Store {
    /// Opens (creating if needed) the data directory and its registry.
    pub fn open(data_dir: &Path, max_open_tenants: usize) -> Result<Store> {
        for dir in [data_dir.to_path_buf(), data_dir.join("tenants")] {
            std::fs::create_dir_all(&dir).map_err(|e| {
                Error::internal(&format!("creating data directory {}", dir.display()), e)
            })?;
        }
        let system = data_dir.join("system.sqlite");
        prepare_file(&system, &migrate::SYSTEM)?;
        // One small thread pool serves the housekeeping of every tenant pool; r2d2 would
        // otherwise start three threads per pool.
        let threads = Arc::new(
            ScheduledThreadPool::builder()
                .num_threads(1)
                .thread_name_pattern("onebox-pool-{}")
                .build(),
        );
        let registry = open_pool(&system, &threads)?;
        Ok(Store {
            data_dir: data_dir.to_path_buf(),
            registry,
            threads,
            open: Arc::new(Mutex::new(Lru::new(max_open_tenants))),
            opening: Mutex::new(HashMap::new()),
            health: Arc::default(),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn registry(&self) -> Result<Conn> {
        Ok(self.registry.get()?)
    }

    /// A write to the registry, through the same road as a tenant's writes.
    pub fn write_registry<T>(&self, f: impl FnOnce(&Write) -> Result<T>) -> Result<T> {
        let mut conn = self.registry()?;
        write(&mut conn, f)
    }

    pub fn tenant_path(&self, slug: &Slug) -> PathBuf {
        self.data_dir.join("tenants").join(format!("{slug}.sqlite"))
    }

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
        let writer = Arc::new(Mutex::new(()));
        self.open.lock().unwrap_or_else(|p| p.into_inner()).insert(
            slug.clone(),
            (pool.clone(), writer.clone()),
            file_id(&path),
        );
        Ok(TenantDb {
            slug: slug.clone(),
            pool,
            writer,
        })
    }

    fn cached(&self, slug: &Slug, file: Option<(u64, u64)>) -> Option<TenantDb> {
        let (pool, writer) = self
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(slug, file)?;
        Some(TenantDb {
            slug: slug.clone(),
            pool,
            writer,
        })
    }

    /// Marks a workspace unavailable after its file failed a request, and closes its pool.
    pub fn mark_unavailable(&self, slug: &Slug, reason: &str) {
        mark_unavailable(&self.open, &self.health, slug, reason);
    }

    /// Runs the thorough check of a file just opened on a thread of its own; damage found
    /// marks the workspace unavailable.
    fn deep_check_beside(&self, slug: &Slug, path: &Path) {
        let (open, health) = (self.open.clone(), self.health.clone());
        let (slug, file) = (slug.clone(), path.to_path_buf());
        let spawned = std::thread::Builder::new()
            .name("onebox-check".into())
            .spawn(move || {
                if let Err(e) = connection::deep_check(&file) {
                    mark_unavailable(&open, &health, &slug, &e.to_string());
                }
            });
        if let Err(e) = spawned {
            crate::warn!("could not start the check of {}: {e}", path.display());
        }
    }

    /// Opens (creating or upgrading as needed) the tenant file at `path`. Callers decide
    /// whether the file must exist beforehand.
    fn open_tenant_file(&self, path: &Path) -> Result<Pool> {
        prepare_file(path, &migrate::TENANT)?;
        connection::check_file(path)?;
        let pool = open_pool(path, &self.threads)?;
        // Refresh the planner's statistics where they are missing or stale (cheap: it analyzes
        // only what needs it, and at most 400 rows of an index).
        pool.get()?
            .execute_batch("PRAGMA analysis_limit = 400; PRAGMA optimize = 0x10002;")?;
        Ok(pool)
    }

    /// Creates a tenant: its file with the current schema and account row, then its registry
    /// entry, all or nothing.
    pub fn create_tenant(
        &self,
        slug: &Slug,
        name: &str,
        profile: crate::domain::capability::Profile,
        now: &str,
    ) -> Result<TenantDb> {
        let mut registry = self.registry()?;
        write(&mut registry, |reg| {
            if registry::get(reg, slug)?.is_some() {
                return Err(Error::Conflict(format!("tenant {slug} already exists")));
            }
            registry::insert(reg, slug, name, now)?;
            let path = self.tenant_path(slug);
            if path.exists() {
                return Err(Error::Conflict(format!(
                    "a file already exists at {}; move it away or restore it",
                    path.display()
                )));
            }
            let created = self.open_tenant_file(&path).and_then(|pool| {
                let db = TenantDb {
                    slug: slug.clone(),
                    pool,
                    writer: Arc::new(Mutex::new(())),
                };
                db.write(|tx| account::create(tx, name, profile, now))?;
                Ok(db)
            });
            let db = match created {
                Ok(db) => db,
                Err(e) => {
                    // This call made the file a moment ago; nothing else is in it. The registry
                    // insert rolls back with the error.
                    for suffix in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                    }
                    return Err(e);
                }
            };
            let file = file_id(&self.tenant_path(slug));
            self.open.lock().unwrap_or_else(|p| p.into_inner()).insert(
                slug.clone(),
                (db.pool.clone(), db.writer.clone()),
                file,
            );
            Ok(db)
        })
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

    /// Folds every open tenant's WAL (and the registry's) into the main files: at shutdown.
    pub fn checkpoint_all(&self) -> Result<()> {
        let pools = self.open.lock().unwrap_or_else(|p| p.into_inner()).pools();
        for pool in pools.iter().chain([&self.registry]) {
            checkpoint(&*pool.get()?)?;
        }
        Ok(())
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
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(test)]
mod tests;
