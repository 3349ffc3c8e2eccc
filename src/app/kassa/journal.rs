//! Writing register events to the journal (in the write that makes them), and checking every
//! register's chain and that each finalized receipt's rows are still what the journal says.

use crate::domain::ids::{ReceiptId, RegisterId};
use crate::domain::kassa::device::{FiscalDevice, seal};
use crate::domain::kassa::journal::{Row, Verifier, canonical, chain};
use crate::error::{Error, Result};
use crate::store::kassa::{self as store, journal, receipts};
use crate::store::{Connection, Write};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Appends `event` (an object) as the register's next row, with its kind and time, signed by
/// `device` if it signs.
pub(super) fn record(
    tx: &Write,
    device: &dyn FiscalDevice,
    register: RegisterId,
    kind: &str,
    mut event: Value,
    now: &str,
) -> Result<()> {
    if let Some(obj) = event.as_object_mut() {
        obj.insert("kind".into(), json!(kind));
        obj.insert("at".into(), json!(now));
        obj.insert("register_id".into(), json!(register));
    }
    let (seq, previous) = journal::last(tx, register)?;
    let event = seal(
        device,
        (register.0, seq + 1),
        event.clone(),
        &canonical(&event),
    )
    .map_err(|e| Error::Conflict(format!("The fiscal device refused: {e}")))?;
    let event = canonical(&event);
    let row = Row {
        seq: seq + 1,
        hash: chain(&previous, &event),
        previous,
        event,
    };
    journal::append(tx, register, (kind, &row), now)
}

/// What is wrong with the kassa records of a workspace's file, each in a sentence naming the
/// register and the row or receipt (none: all hold).
pub fn problems(conn: &Connection) -> Result<Vec<String>> {
    Ok(verify_all(conn)?.1)
}

/// How many journal rows held, and what is wrong (see `problems`).
pub fn verify_all(conn: &Connection) -> Result<(i64, Vec<String>)> {
    if !store::has_journal(conn)? {
        return Ok((0, Vec::new()));
    }
    let mut rows = 0;
    let mut out = Vec::new();
    for register in store::registers(conn)? {
        let name = format!("register {} ({})", register.id, register.name);
        let mut verifier = Verifier::default();
        let mut broken = None;
        let mut finalized: BTreeMap<i64, (i64, Value)> = BTreeMap::new();
        journal::each_row(conn, register.id, |row| {
            if let Err(b) = verifier.next(&row) {
                broken = Some(b);
                return false;
            }
            if let Ok(event) = serde_json::from_str::<Value>(&row.event)
                && event["kind"] == "receipt.finalized"
                && let Some(id) = event["receipt"]["id"].as_i64()
            {
                finalized.insert(id, (row.seq, event["receipt"].clone()));
            }
            true
        })?;
        rows += verifier.rows();
        if let Some(b) = broken {
            out.push(format!("{name}: journal row {} {}", b.seq, b.why));
            continue;
        }
        let mut expected_number = 1;
        for (id, number) in receipts::final_ids(conn, register.id)? {
            if number != expected_number {
                out.push(format!(
                    "{name}: receipt number {expected_number} is missing (the next is {number})"
                ));
                break;
            }
            expected_number += 1;
            out.extend(receipt_problem(
                conn,
                &name,
                id,
                number,
                finalized.get(&id.0),
            )?);
        }
        if register.next_number != expected_number {
            out.push(format!(
                "{name}: its next receipt number is {} but it has {} receipts",
                register.next_number,
                expected_number - 1
            ));
        }
    }
    Ok((rows, out))
}

/// Whether receipt `id` (number `number`) still reads as the journal row that finalized it.
fn receipt_problem(
    conn: &Connection,
    register: &str,
    id: ReceiptId,
    number: i64,
    journaled: Option<&(i64, Value)>,
) -> Result<Option<String>> {
    let Some((seq, form)) = journaled else {
        return Ok(Some(format!(
            "{register}: receipt {number} (id {id}) is in no journal row"
        )));
    };
    let now = receipts::receipt(conn, id)?.map(|r| r.journal_form());
    Ok((now.as_ref() != Some(form)).then(|| {
        format!(
            "{register}: receipt {number} (id {id}) was changed after journal row {seq} finalized it"
        )
    }))
}
