//! How the store opens SQLite files: the pragmas and statement cache every connection gets,
//! single connections for the CLI, pools for the server, and the upgrade before first use.

use super::{Pool, migrate};
use crate::error::{Error, Result};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use scheduled_thread_pool::ScheduledThreadPool;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Set on every connection, pooled or not. A WAL that grew in a burst (an import) is cut back
/// to 64 MiB when it starts over.
const PRAGMAS: &str = "PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
PRAGMA temp_store = MEMORY;
PRAGMA journal_size_limit = 67108864;";

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

/// Creates or upgrades the file at `path` to `schema`, and hands back the connection it used.
/// The version is read on a plain connection before any pragma, so a file this build must
/// refuse is left byte for byte as it was.
pub(super) fn prepare_file(path: &Path, schema: &migrate::Schema) -> Result<Connection> {
    let mut conn = Connection::open(path)
        .map_err(|e| Error::internal(&format!("opening {}", path.display()), e))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    migrate::upgrade(&mut conn, path, schema)?;
    Ok(conn)
}

/// A first look that the file is a database this build can read, before a pool is built on
/// it (a pool would wait out its connection timeout on a file it can never open): the schema
/// and the account row. Reading the schema is most of what opening a file costs (about 2 ms:
/// its triggers), so this looks through the connection that prepared the file rather than a
/// new one; `deep_check` is the thorough look.
pub(super) fn check_file(conn: &Connection, path: &Path) -> Result<()> {
    let unavailable = |e: rusqlite::Error| Error::Unavailable(format!("{}: {e}", path.display()));
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(unavailable)?;
    conn.query_row("SELECT count(*) FROM account", [], |_| Ok(()))
        .map_err(unavailable)?;
    Ok(())
}

/// SQLite's quick check of every page: 0.4 s warm and 2.4 s cold on a 220 MB file, so the
/// server runs it beside the requests, not before them, once per file. `Err` describes the
/// damage.
pub(super) fn deep_check(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let verdict: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(Error::Unavailable(format!(
            "{} failed its quick check: {verdict}",
            path.display()
        )));
    }
    Ok(())
}

/// Makes a pool's connections: first the one that prepared and checked the file, if given
/// (reading the schema is most of what opening a connection costs: about 2 ms, its triggers),
/// then new ones as the pool needs them.
pub struct Manager {
    file: SqliteConnectionManager,
    first: Mutex<Option<Connection>>,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> rusqlite::Result<Connection> {
        let first = self.first.lock().unwrap_or_else(|p| p.into_inner()).take();
        match first {
            Some(conn) => Ok(conn),
            None => self.file.connect(),
        }
    }

    fn is_valid(&self, conn: &mut Connection) -> rusqlite::Result<()> {
        self.file.is_valid(conn)
    }

    fn has_broken(&self, conn: &mut Connection) -> bool {
        self.file.has_broken(conn)
    }
}

/// How a pool's connections fold the WAL back into the file.
#[derive(Clone, Copy)]
pub(super) enum Checkpoints {
    /// SQLite's own, in the commit that fills the WAL: for the registry's rare writes.
    InTheCommit,
    /// On the thread beside the requests (`wal`): for the tenants' files.
    Beside,
}

/// A pool on the file at `path`, starting with `first` (given the standard pragmas here).
pub(super) fn open_pool(
    path: &Path,
    first: Connection,
    threads: &Arc<ScheduledThreadPool>,
    checkpoints: Checkpoints,
) -> Result<Pool> {
    let init = move |c: &mut Connection| {
        configure(c)?;
        if let Checkpoints::Beside = checkpoints {
            super::wal::hand_over_checkpoints(c);
        }
        Ok(())
    };
    let mut first = first;
    init(&mut first)?;
    let manager = Manager {
        file: SqliteConnectionManager::file(path).with_init(init),
        first: Mutex::new(Some(first)),
    };
    r2d2::Pool::builder()
        .max_size(POOL_SIZE)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(5))
        .thread_pool(threads.clone())
        .build(manager)
        .map_err(|e| Error::internal(&format!("opening {}", path.display()), e))
}

/// Copies the WAL into the file and empties it.
pub fn checkpoint(conn: &Connection) -> Result<()> {
    // A reader of another connection (the background deep check of a file just opened) makes
    // the checkpoint stop short and say so: try again for up to a second before leaving the
    // rest to the next one (nothing is lost: the WAL is read back on open).
    for _ in 0..50 {
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy == 0 {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Ok(())
}
