//! Online backups and restores with SQLite's backup API, and integrity checks.
//!
//! The backup API copies a consistent snapshot while other connections keep reading and
//! writing, so backups need no downtime.

use crate::error::{Error, Result};
use crate::store::migrate;
use rusqlite::backup::Backup;
use rusqlite::{Connection, MAIN_DB, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// Copies the database at `src` to `dest` (which must not exist yet). The copy is written
/// under a temporary name and renamed when complete, so `dest` is never half a file.
pub fn copy_database(src: &Path, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(Error::Conflict(format!(
            "{} already exists",
            dest.display()
        )));
    }
    let source = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::internal(&format!("opening {}", src.display()), e))?;
    source.busy_timeout(Duration::from_secs(5))?;
    let partial = dest.with_extension("partial");
    {
        let mut target = Connection::open(&partial)
            .map_err(|e| Error::internal(&format!("creating {}", partial.display()), e))?;
        Backup::new(&source, &mut target)?.run_to_completion(512, Duration::ZERO, None)?;
        // A backup is a plain file: no WAL beside it.
        target.pragma_update(None, "journal_mode", "DELETE")?;
    }
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, dest)?;
    Ok(())
}

/// What `PRAGMA integrity_check` and `foreign_key_check` say of the file; empty when sound.
pub fn integrity_problems(path: &Path) -> Result<Vec<String>> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::internal(&format!("opening {}", path.display()), e))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let mut problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|line| line != "ok")
        .collect();
    let fk: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if fk > 0 {
        problems.push(format!("{fk} rows break foreign keys"));
    }
    Ok(problems)
}

/// Checks that `path` is a sound tenant file this onebox can open (its schema version is not
/// newer than ours). Returns the version.
pub fn check_tenant_file(path: &Path) -> Result<i64> {
    let not_tenant = |why: String| {
        Error::field(
            "file",
            format!("{} is not a onebox tenant file: {why}", path.display()),
        )
    };
    if !path.is_file() {
        return Err(not_tenant("no such file".into()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_tenant(e.to_string()))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| not_tenant(e.to_string()))?;
    let has_account: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'account'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| not_tenant(e.to_string()))?;
    if version < 1 || !has_account {
        return Err(not_tenant("it has no onebox schema".into()));
    }
    if version > migrate::TENANT.version() {
        return Err(not_tenant(format!(
            "its schema v{version} is newer than this onebox (v{})",
            migrate::TENANT.version()
        )));
    }
    drop(conn);
    let problems = integrity_problems(path)?;
    if !problems.is_empty() {
        return Err(Error::field(
            "file",
            format!(
                "{} fails its integrity check: {}",
                path.display(),
                problems.join("; ")
            ),
        ));
    }
    Ok(version)
}

/// Replaces the content of the live database behind `target` with the file at `src`, through
/// the backup API so that other open connections see the new content.
pub fn restore_into(target: &mut Connection, src: &Path) -> Result<()> {
    target.restore(MAIN_DB, src, None::<fn(rusqlite::backup::Progress)>)?;
    Ok(())
}
