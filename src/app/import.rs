//! Importing contacts, companies and deals from CSV.
//!
//! The header row names the columns; `import_columns` matches each to a field, a custom
//! attribute or the labels (separated by `;` or `,`), or the browser's mapping form chooses;
//! columns that match nothing are ignored and reported. Every row then takes the same write
//! road as a form (`import_rows`); a bad row is reported with its line and reason, leaves
//! nothing behind, and the good rows are kept. Rows are written in batches, each batch one
//! transaction.
//!
//! Duplicates are looked up before a row is written: contacts by email, companies by domain.
//! Deals have no natural key and are always created.

pub use crate::app::import_columns::Target;

use crate::app::import_columns::{self as columns, map_columns};
use crate::app::import_rows::{RowWriter, Written};
use crate::app::{App, Tenant};
use crate::domain::crm::Entity;
use crate::domain::csv;
pub use crate::domain::import::{ImportReport, Preview, RowError};
use crate::error::{Error, Result};
use crate::store;
use crate::store::crm::{custom_fields, search};
use crate::store::users::{self, User};

/// Rows written per transaction: about a tenth of a second, which is as long as another
/// user's save in the same workspace waits while an import runs. (Measured before the search
/// index was paused per batch: ten times more rows per transaction made a 100,000-row import
/// only 10% faster.)
const BATCH: usize = 1000;
/// At most this many rows per file.
pub const MAX_ROWS: usize = 1_000_000;

/// What to import: a CSV file of one kind of record, how its columns map to fields (`None`:
/// as its header implies) and what to do with rows that match a record already there.
pub struct ImportFile<'a> {
    pub entity: Entity,
    pub bytes: &'a [u8],
    pub mapping: Option<Vec<Option<Target>>>,
    pub on_duplicate: OnDuplicate,
}

/// What to do with a row that matches a record already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDuplicate {
    Skip,
    Update,
    Create,
}

impl OnDuplicate {
    pub fn parse(s: &str) -> Option<OnDuplicate> {
        match s {
            "skip" => Some(OnDuplicate::Skip),
            "update" => Some(OnDuplicate::Update),
            "create" => Some(OnDuplicate::Create),
            _ => None,
        }
    }
}

/// The header and rows of a file, or why it cannot be imported at all.
fn split(bytes: &[u8]) -> Result<(Vec<String>, Vec<csv::CsvRecord>)> {
    let mut rows = csv::read(bytes).into_iter();
    let header = match rows.next() {
        Some(csv::CsvRecord {
            cells: Ok(cells), ..
        }) if cells.iter().any(|c| !c.trim().is_empty()) => cells,
        Some(csv::CsvRecord { cells: Err(e), .. }) => {
            return Err(Error::field("file", format!("the header row: {e}")));
        }
        _ => return Err(Error::field("file", "the file has no header row")),
    };
    let rows: Vec<csv::CsvRecord> = rows.collect();
    if rows.len() > MAX_ROWS {
        return Err(Error::field(
            "file",
            format!("at most {MAX_ROWS} rows can be imported at a time"),
        ));
    }
    Ok((header, rows))
}

fn check_entity(tenant: &Tenant, entity: Entity) -> Result<()> {
    tenant.require_entity(entity)?;
    if !entity.importable() {
        return Err(Error::field(
            "entity",
            "only contacts, companies and deals can be imported",
        ));
    }
    Ok(())
}

/// The custom attributes of `entity` as (key, label).
fn custom_of(tenant: &Tenant, entity: Entity) -> Result<Vec<(String, String)>> {
    let conn = tenant.db.conn()?;
    Ok(custom_fields::list(&conn, entity)?
        .into_iter()
        .map(|f| (f.key, f.label))
        .collect())
}

/// Reads a mapping chosen in a form: one value per column, empty for "ignore".
pub fn mapping_from_keys(
    tenant: &Tenant,
    entity: Entity,
    keys: &[&str],
) -> Result<Vec<Option<Target>>> {
    columns::from_keys(entity, keys, &custom_of(tenant, entity)?)
}

/// Reads a file and proposes a mapping, without writing anything.
pub fn preview(tenant: &Tenant, entity: Entity, bytes: &[u8]) -> Result<Preview> {
    check_entity(tenant, entity)?;
    let (header, rows) = split(bytes)?;
    let custom = custom_of(tenant, entity)?;
    Ok(Preview {
        targets: map_columns(entity, &header, &custom),
        samples: rows
            .iter()
            .filter_map(|r| r.cells.as_ref().ok())
            .take(5)
            .cloned()
            .collect(),
        rows: rows.len(),
        choices: columns::choices(entity, &custom),
        header,
    })
}

impl App {
    /// Imports `bytes` as CSV into `tenant`, the columns mapped from the header.
    pub fn import_csv(
        &self,
        tenant: &Tenant,
        actor: &User,
        entity: Entity,
        bytes: &[u8],
        on_duplicate: OnDuplicate,
        progress: &dyn Fn(usize, usize),
    ) -> Result<ImportReport> {
        let file = ImportFile {
            entity,
            bytes,
            mapping: None,
            on_duplicate,
        };
        let report = run(tenant, actor, file, &self.stamp(), progress);
        self.wake_jobs(tenant.slug());
        report
    }
}

/// Imports `bytes` as CSV into `tenant` with `mapping`, or the one the header implies.
/// `progress` hears (rows done, rows in all) after each batch. A file that cannot be imported
/// at all (no header, no column that maps) is an error; everything else is counted in the
/// report.
#[allow(clippy::too_many_arguments)]
pub fn run(
    tenant: &Tenant,
    actor: &User,
    file: ImportFile,
    now: &str,
    progress: &dyn Fn(usize, usize),
) -> Result<ImportReport> {
    let ImportFile {
        entity,
        bytes,
        mapping,
        on_duplicate,
    } = file;
    check_entity(tenant, entity)?;
    let (header, rows) = split(bytes)?;
    let targets = match mapping {
        Some(m) if m.len() == header.len() => m,
        Some(_) => return Err(Error::field("file", "the file changed since its preview")),
        None => map_columns(entity, &header, &custom_of(tenant, entity)?),
    };
    let mut report = ImportReport {
        ignored_columns: header
            .iter()
            .zip(&targets)
            .filter(|(_, t)| t.is_none())
            .map(|(h, _)| h.clone())
            .collect(),
        header: header.clone(),
        ..ImportReport::default()
    };
    if targets.iter().all(Option::is_none) {
        return Err(Error::field(
            "file",
            format!(
                "no column matches a field of {}: name the columns in the first row",
                entity.table()
            ),
        ));
    }
    let rows_in = RowWriter {
        tenant,
        actor,
        entity,
        targets: &targets,
        on_duplicate,
        now,
        users: users::list(&*tenant.db.conn()?)?,
    };
    let total = rows.len();
    for (done, batch) in rows.chunks(BATCH).enumerate() {
        // Most batches hold no refused row, so a batch is first written as it is. Only a batch
        // with a refused row is rolled back and written again with a savepoint per row, so
        // that the refused rows leave nothing behind and the others are kept.
        let part = match tenant
            .db
            .bulk_write(|tx| write_batch(&rows_in, tx, batch, false))
        {
            Err(e @ Error::Internal(_)) => return Err(e),
            Err(_) => tenant
                .db
                .bulk_write(|tx| write_batch(&rows_in, tx, batch, true))?,
            Ok(part) => part,
        };
        report.created += part.created;
        report.updated += part.updated;
        report.skipped += part.skipped;
        report.failed.extend(part.failed);
        progress((done * BATCH + batch.len()).min(total), total);
    }
    tenant.db.finish_bulk_writes()?;
    Ok(report)
}

/// Writes one batch of rows and counts what happened to them. With `one_by_one` each row has
/// its own savepoint, so a refused row is reported and leaves nothing behind; without, the
/// first refused row ends the batch with its error, for the caller to undo.
fn write_batch(
    rows_in: &RowWriter,
    tx: &crate::store::Write,
    batch: &[csv::CsvRecord],
    one_by_one: bool,
) -> Result<ImportReport> {
    let mut part = ImportReport::default();
    let paused = search::pause(tx)?;
    for row in batch {
        let cells = match &row.cells {
            Ok(cells) => cells,
            Err(message) => {
                part.failed.push(RowError {
                    line: row.line,
                    message: message.clone(),
                    cells: Vec::new(),
                });
                continue;
            }
        };
        // Spreadsheets end files with rows of empty cells.
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let written = if one_by_one {
            store::savepoint(tx, || rows_in.write(tx, cells))
        } else {
            rows_in.write(tx, cells)
        };
        match written {
            Ok(Written::Created) => part.created += 1,
            Ok(Written::Updated) => part.updated += 1,
            Ok(Written::Skipped) => part.skipped += 1,
            Err(e @ Error::Internal(_)) => return Err(e),
            Err(e) if one_by_one => part.failed.push(RowError {
                line: row.line,
                message: e.public_message(),
                cells: cells.clone(),
            }),
            Err(e) => return Err(e),
        }
    }
    search::resume(tx, paused)?;
    Ok(part)
}
