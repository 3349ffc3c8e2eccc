//! How the store opens SQLite files: the pragmas and statement cache every connection gets,
//! single connections for the CLI, pools for the server, and the upgrade before first use.

use super::{Pool, migrate};
use crate::error::{Error, Result};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use scheduled_thread_pool::ScheduledThreadPool;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Set on every connection, pooled or not.
const PRAGMAS: &str = "PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
PRAGMA temp_store = MEMORY;";

/// Prepared statements kept per connection. Record writes build their SQL from the entity's
/// columns; re-preparing it (and the triggers it fires) each time cost a quarter of an import.
const STATEMENT_CACHE: usize = 64;

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch(PRAGMAS)
}

const POOL_SIZE: u32 = 8;

/// Opens one connection with the standard pragmas: for the CLI and for maintenance.
pub fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)
        .map_err(|e| Error::internal(&format!("opening {}", path.display()), e))?;
    configure(&conn)?;
    Ok(conn)
}

/// Creates or upgrades the file at `path` to `schema`. The version is read on a plain
/// connection before any pragma, so a file this build must refuse is left byte for byte as it was.
pub(super) fn prepare_file(path: &Path, schema: &migrate::Schema) -> Result<()> {
    let mut conn = Connection::open(path)
        .map_err(|e| Error::internal(&format!("opening {}", path.display()), e))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    migrate::upgrade(&mut conn, path, schema)
}

/// A quick look that the file is a sound database before a pool is built on it: a pool would
/// otherwise wait out its connection timeout on a file it can never open.
pub(super) fn check_file(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| Error::Unavailable(format!("opening {}: {e}", path.display())))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let verdict: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| Error::Unavailable(format!("checking {}: {e}", path.display())))?;
    if verdict != "ok" {
        return Err(Error::Unavailable(format!(
            "{} failed its quick check: {verdict}",
            path.display()
        )));
    }
    Ok(())
}

pub(super) fn open_pool(path: &Path, threads: &Arc<ScheduledThreadPool>) -> Result<Pool> {
    let manager = SqliteConnectionManager::file(path).with_init(|c| configure(c));
    r2d2::Pool::builder()
        .max_size(POOL_SIZE)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
        .thread_pool(threads.clone())
        .build(manager)
        .map_err(|e| Error::internal(&format!("opening {}", path.display()), e))
}

/// Copies the WAL into the file and empties it.
pub fn checkpoint(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}
