//! Merging one contact into another: everything that points at it points at the other, its
//! labels join the other's. Receipts and gift cards keep the contact they were made for: money
//! records are never changed (the merged contact stays in the trash, so they still name it).

use crate::error::Result;
use crate::store::Write;
use rusqlite::params;

/// The tables whose `contact_id` follows a merge.
const FOLLOWING: &[&str] = &[
    "deals",
    "tasks",
    "notes",
    "activities",
    "appointments",
    "conversations",
    "contact_identities",
];

/// Moves what points at contact `from` to contact `into`; answers how many rows moved.
pub fn move_contact(tx: &Write, from: i64, into: i64) -> Result<usize> {
    let mut moved = 0;
    for table in FOLLOWING {
        moved += tx.execute(
            &format!("UPDATE {table} SET contact_id = ?2 WHERE contact_id = ?1"),
            params![from, into],
        )?;
    }
    tx.execute(
        "INSERT OR IGNORE INTO contact_labels (contact_id, label_id)
         SELECT ?2, label_id FROM contact_labels WHERE contact_id = ?1",
        params![from, into],
    )?;
    Ok(moved)
}
