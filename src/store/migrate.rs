//! Schema creation and upgrades, tracked by `PRAGMA user_version`.
//!
//! A new file gets the complete current schema in one go. An older file is upgraded by the
//! numbered, append-only steps: before step N the file is copied (consistently, with
//! `VACUUM INTO`) to `<file>.pre-v<N>`, then the step and the new version commit together.

use crate::error::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};

pub struct Schema {
    pub what: &'static str,
    /// The complete current schema of a new file.
    pub current: &'static str,
    /// `steps[i]` upgrades version `i + 1` to version `i + 2`. Never edit or remove a step.
    pub steps: &'static [&'static str],
}

impl Schema {
    pub fn version(&self) -> i64 {
        self.steps.len() as i64 + 1
    }
}

pub const TENANT: Schema = Schema {
    what: "tenant",
    current: include_str!("../../schema.sql"),
    steps: &[
        include_str!("../../migrations/0002_mail_and_audit.sql"),
        include_str!("../../migrations/0003_crm.sql"),
        include_str!("../../migrations/0004_search.sql"),
        include_str!("../../migrations/0005_automations.sql"),
        include_str!("../../migrations/0006_import_and_lists.sql"),
        include_str!("../../migrations/0007_daily_rollups.sql"),
        include_str!("../../migrations/0008_sort_indexes.sql"),
        include_str!("../../migrations/0009_link_sort_keys.sql"),
        include_str!("../../migrations/0010_owner_indexes_cover_facets.sql"),
        include_str!("../../migrations/0011_user_preferences.sql"),
        include_str!("../../migrations/0012_user_language.sql"),
        include_str!("../../migrations/0013_scheduling.sql"),
        include_str!("../../migrations/0014_booking.sql"),
        include_str!("../../migrations/0015_service_details.sql"),
        include_str!("../../migrations/0016_kassa.sql"),
        include_str!("../../migrations/0017_kassa_training.sql"),
        include_str!("../../migrations/0018_inbox.sql"),
        include_str!("../../migrations/0019_inbox_work.sql"),
    ],
};

pub const SYSTEM: Schema = Schema {
    what: "system",
    current: include_str!("system.sql"),
    steps: &[
        include_str!("system_0002_jobs.sql"),
        include_str!("system_0003_upkeep.sql"),
    ],
};

/// Brings the file behind `conn` (at `path`) to the current version of `schema`.
pub fn upgrade(conn: &mut Connection, path: &Path, schema: &Schema) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let target = schema.version();
    if version > target {
        return Err(Error::Internal(format!(
            "{} is a {} file of schema v{version}, newer than this onebox knows (v{target}); upgrade onebox",
            path.display(),
            schema.what
        )));
    }
    if version == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(Error::Internal(format!(
                "{} has tables but no onebox schema version; refusing to touch it",
                path.display()
            )));
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(schema.current)?;
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
        return Ok(());
    }
    for next in (version + 1)..=target {
        let copy = backup_path(path, next);
        if !copy.exists() {
            conn.execute("VACUUM INTO ?1", [copy.to_string_lossy()])
                .map_err(|e| {
                    Error::internal(&format!("copying {} before upgrade", path.display()), e)
                })?;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(schema.steps[(next - 2) as usize])
            .map_err(|e| Error::internal(&format!("upgrading {} to v{next}", path.display()), e))?;
        tx.pragma_update(None, "user_version", next)?;
        tx.commit()?;
    }
    if version < target {
        // The steps may have added indexes the query planner knows nothing of yet.
        conn.execute_batch(OPTIMIZE)?;
    }
    Ok(())
}

/// Brings the query planner's statistics up to date where they are missing or stale (cheap:
/// it analyzes only what needs it, and at most 400 rows of an index).
pub const OPTIMIZE: &str = "PRAGMA analysis_limit = 400; PRAGMA optimize = 0x10002;";

pub fn backup_path(path: &Path, version: i64) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".pre-v{version}"));
    path.with_file_name(name)
}

/// A description of a file's schema that ignores how it was reached: tables with their
/// columns, indexes and foreign keys, plus triggers and views. Two files with the same
/// fingerprint have the same schema.
pub fn fingerprint(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut objects = conn.prepare(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
         WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?;
    let rows = objects
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (kind, name, table, sql) in rows {
        match kind.as_str() {
            "table" => {
                let mut cols = conn.prepare("SELECT name, type, \"notnull\", coalesce(dflt_value, ''), pk FROM pragma_table_info(?1)")?;
                for col in cols.query_map([&name], |r| {
                    Ok(format!(
                        "column {name}.{} {} notnull={} default={} pk={}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?
                    ))
                })? {
                    out.push(col?);
                }
                let mut fks = conn.prepare("SELECT \"table\", \"from\", coalesce(\"to\", ''), on_delete FROM pragma_foreign_key_list(?1)")?;
                for fk in fks.query_map([&name], |r| {
                    Ok(format!(
                        "fk {name}.{} -> {}.{} on delete {}",
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?
                    ))
                })? {
                    out.push(fk?);
                }
                // CHECK constraints and collations live only in the CREATE text; compare it
                // with white space folded.
                out.push(format!("table {name}: {}", fold_space(&sql)));
            }
            "index" => {
                let cols: Vec<String> = conn
                    .prepare("SELECT coalesce(name, '') FROM pragma_index_info(?1)")?
                    .query_map([&name], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                out.push(format!(
                    "index {name} on {table}({}) {}",
                    cols.join(","),
                    fold_space(&sql)
                ));
            }
            _ => out.push(format!("{kind} {name}: {}", fold_space(&sql))),
        }
    }
    Ok(out)
}

/// `sql` with white space folded to one space, and none inside brackets' edges or before a
/// comma (where `ALTER TABLE … ADD COLUMN` leaves some).
fn fold_space(sql: &str) -> String {
    sql.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
        .replace(" )", ")")
        .replace("( ", "(")
}
