//! Bulk inserts for demo data and imports, in the caller's one transaction.
//!
//! Rows go in many to a statement: FTS5 flushes its buffer to a new index segment at the end
//! of every statement that writes to it (here through the search triggers), so inserting a
//! hundred thousand searchable records one statement each costs about eight times as much.

use crate::error::Result;
use crate::store::Write;
use rusqlite::params_from_iter;
pub use rusqlite::types::Value;

/// What a bulk-inserted value is made of.
pub trait IntoValue {
    fn into_value(self) -> Value;
}

impl IntoValue for &str {
    fn into_value(self) -> Value {
        Value::Text(self.to_string())
    }
}

impl IntoValue for String {
    fn into_value(self) -> Value {
        Value::Text(self)
    }
}

impl IntoValue for i64 {
    fn into_value(self) -> Value {
        Value::Integer(self)
    }
}

impl IntoValue for crate::domain::ids::PipelineId {
    fn into_value(self) -> Value {
        Value::Integer(self.0)
    }
}

impl IntoValue for crate::domain::ids::LabelId {
    fn into_value(self) -> Value {
        Value::Integer(self.0)
    }
}

impl IntoValue for crate::domain::ids::StageId {
    fn into_value(self) -> Value {
        Value::Integer(self.0)
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    fn into_value(self) -> Value {
        self.map_or(Value::Null, IntoValue::into_value)
    }
}

/// Rows per statement; 250 rows of a dozen columns stay far below SQLite's parameter limit.
const BATCH: usize = 250;

/// Inserts `rows` (each in the order of `columns`) into `table` and returns the id of the
/// first row; the rest follow consecutively, since the caller's write transaction holds the
/// table. `table` and `columns` are the caller's constants, never input.
pub fn insert_rows(tx: &Write, table: &str, columns: &[&str], rows: &[Vec<Value>]) -> Result<i64> {
    let first: i64 = tx.query_row(
        &format!("SELECT coalesce(max(id), 0) + 1 FROM {table}"),
        [],
        |r| r.get(0),
    )?;
    insert_batched(tx, "INSERT", table, columns, rows)?;
    Ok(first)
}

/// Join-table rows (no id column); a pair already there is left as it is.
pub fn insert_pairs(tx: &Write, table: &str, columns: &[&str], rows: &[Vec<Value>]) -> Result<()> {
    insert_batched(tx, "INSERT OR IGNORE", table, columns, rows)
}

fn insert_batched(
    tx: &Write,
    verb: &str,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> Result<()> {
    let one = format!("({})", vec!["?"; columns.len()].join(", "));
    for chunk in rows.chunks(BATCH) {
        let sql = format!(
            "{verb} INTO {table} ({}) VALUES {}",
            columns.join(", "),
            vec![one.as_str(); chunk.len()].join(", ")
        );
        tx.prepare_cached(&sql)?
            .execute(params_from_iter(chunk.iter().flatten()))?;
    }
    Ok(())
}
