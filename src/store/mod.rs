//! All SQL lives under this module. `Store` owns the tenant registry (`DATA/system.sqlite`)
//! and one lazily opened connection pool per tenant file (`DATA/tenants/<slug>.sqlite`), kept
//! in a bounded LRU. Code that holds a `TenantDb` can reach that tenant's file only: that is
//! the isolation boundary between tenants.

pub mod account;
pub mod appointments;
pub mod audit;
pub mod automation_runs;
pub mod automations;
pub mod backup;
pub mod busy;
pub mod calendar_feeds;
mod connection;
pub mod conversation_lists;
pub mod conversation_work;
pub mod conversations;
pub mod crm;
pub mod health;
pub mod inbox;
pub mod kassa;
pub mod links;
mod lru;
pub mod migrate;
mod open_tenants;
pub mod outbox;
pub mod registry;
pub mod scheduling;
#[cfg(test)]
pub(crate) mod scratch;
pub mod sessions;
mod sqlite;
pub mod teams;
pub mod tokens;
pub mod users;
pub mod waitlist;
mod wal;

pub use connection::{checkpoint, connect};
pub use sqlite::Connection;

use crate::domain::slug::Slug;
use crate::error::{Error, Result};
use connection::{Checkpoints, open_pool, prepare_file};
use lru::Lru;
use open_tenants::file_id;
use rusqlite::TransactionBehavior;
use scheduled_thread_pool::ScheduledThreadPool;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub type Pool = r2d2::Pool<connection::Manager>;

/// The file in the data directory that says a server is using it (it holds its process id).
const SERVING: &str = "serving";
pub type Conn = r2d2::PooledConnection<connection::Manager>;

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
    writers: Arc<wal::Writers>,
    /// Where the checkpoints go (`wal`).
    beside: Arc<ScheduledThreadPool>,
}

impl TenantDb {
    pub fn conn(&self) -> Result<Conn> {
        Ok(self.pool.get()?)
    }

    pub fn write<T>(&self, f: impl FnOnce(&Write) -> Result<T>) -> Result<T> {
        self.in_turn(|conn| write(conn, f))
    }

    /// A write of many rows at once (seeding, imports): the same transaction, with a page cache
    /// large enough that SQLite does not spill pages to the WAL again and again. The
    /// connection's cache goes back to the default afterwards. Call `finish_bulk_writes` after
    /// the last.
    pub fn bulk_write<T>(&self, f: impl FnOnce(&Write) -> Result<T>) -> Result<T> {
        self.in_turn(|conn| {
            conn.execute_batch("PRAGMA cache_size = -262144")?;
            let written = write(conn, f);
            conn.execute_batch("PRAGMA cache_size = -2000")?;
            written
        })
    }

    /// Runs `f` on a connection in this tenant's writers' turn, then hands a checkpoint to the
    /// thread beside if the write made one due (`wal`).
    fn in_turn<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        let done = {
            let _turn = self.writers.turn();
            f(&mut conn)
        };
        self.writers.after_write(&self.pool, &self.beside);
        done
    }

    /// Brings the query planner's statistics up to date where needed: in the daily upkeep
    /// (SQLite's advice for long-lived connections), rather than on every open, where its
    /// write took the connection a first request was waiting for.
    pub fn refresh_statistics(&self) -> Result<()> {
        self.write(|tx| Ok(tx.execute_batch(migrate::OPTIMIZE)?))
    }

    /// Tidies up once after the last of many bulk writes (an import, a seed; not per batch,
    /// as each step costs a commit). It merges the search index (see
    /// `crm::search::merge_segments`) and brings the query planner's statistics up to date:
    /// without them SQLite may walk a whole table in date order to find one contact's tasks.
    pub fn finish_bulk_writes(&self) -> Result<()> {
        self.in_turn(|conn| {
            write(conn, crm::search::merge_segments)?;
            Ok(conn.execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?)
        })
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
    /// The files (device and inode) whose pages were checked since the process started.
    checked: Mutex<HashSet<(u64, u64)>>,
    /// One thread for the work beside the requests, a job at a time: closing the pools the LRU
    /// let go (the last connection of a file folds its WAL in as it closes, which takes
    /// milliseconds), checking the files just opened, and the tenants' checkpoints (`wal`).
    /// One, so a burst of first visits is not slowed by as many checks at once.
    beside: Arc<ScheduledThreadPool>,
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
        let first = prepare_file(&system, &migrate::SYSTEM)?;
        // One small thread pool serves the housekeeping of every tenant pool; r2d2 would
        // otherwise start three threads per pool.
        let threads = Arc::new(
            ScheduledThreadPool::builder()
                .num_threads(1)
                .thread_name_pattern("onebox-pool-{}")
                .build(),
        );
        let registry = open_pool(&system, first, &threads, Checkpoints::InTheCommit)?;
        Ok(Store {
            data_dir: data_dir.to_path_buf(),
            registry,
            threads,
            open: Arc::new(Mutex::new(Lru::new(max_open_tenants))),
            opening: Mutex::new(HashMap::new()),
            checked: Mutex::default(),
            beside: Arc::new(
                ScheduledThreadPool::builder()
                    .num_threads(1)
                    .thread_name_pattern("onebox-beside-{}")
                    .build(),
            ),
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
                    writers: Arc::default(),
                    beside: self.beside.clone(),
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
            self.keep_open(slug, (db.pool.clone(), db.writers.clone()), file);
            Ok(db)
        })
    }

    /// Marks the data directory as served until `mark_stopped`, and says whether the server
    /// before stopped cleanly (so did a directory never served). After a crash the automation
    /// worker looks at every workspace once, for events queued just before it.
    pub fn mark_serving(&self) -> Result<bool> {
        let marker = self.data_dir.join(SERVING);
        let clean = !marker.exists();
        std::fs::write(&marker, format!("{}\n", std::process::id()))?;
        Ok(clean)
    }

    /// After a clean stop: the automation worker had finished with what it was told of.
    pub fn mark_stopped(&self) -> Result<()> {
        Ok(std::fs::remove_file(self.data_dir.join(SERVING))?)
    }

    /// Folds every open tenant's WAL (and the registry's) into the main files: at shutdown.
    pub fn checkpoint_all(&self) -> Result<()> {
        let pools = self.open.lock().unwrap_or_else(|p| p.into_inner()).pools();
        for pool in pools.iter().chain([&self.registry]) {
            checkpoint(&*pool.get()?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
