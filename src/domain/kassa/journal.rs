//! The journal: every register event, in order, each row chained to the one before by
//! `hash = SHA-256(previous hash ‖ canonical event)` (hex; the first row's previous hash is 64
//! zeros). The canonical form of an event is its JSON with object keys sorted and no spaces,
//! so the same event always hashes the same. Changing, removing or inserting a row breaks the
//! chain from there on, and `verify` names the first row that does not hold.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The previous hash of a register's first journal row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// `value` as canonical JSON: keys sorted at every depth, no white space.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write(&map[*k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The hash of a row whose event reads `canonical`, after a row hashed `previous`.
pub fn chain(previous: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(canonical.as_bytes());
    crate::domain::secret::hex(&h.finalize())
}

/// A journal row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub seq: i64,
    pub previous: String,
    pub hash: String,
    /// The event, as the canonical JSON it was hashed as.
    pub event: String,
}

/// Why a journal does not hold, at the first row that breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub seq: i64,
    pub why: String,
}

/// Checks a register's rows one by one, in order: numbered 1, 2, 3… without a gap, each naming
/// the hash before it, each hash that of its event, each event canonical.
pub struct Verifier {
    previous: String,
    expected: i64,
}

impl Default for Verifier {
    fn default() -> Verifier {
        Verifier {
            previous: GENESIS.to_string(),
            expected: 1,
        }
    }
}

impl Verifier {
    pub fn next(&mut self, row: &Row) -> Result<(), Broken> {
        let broken = |why: &str| Broken {
            seq: row.seq,
            why: why.to_string(),
        };
        if row.seq != self.expected {
            return Err(Broken {
                seq: self.expected,
                why: format!("is missing (the next row is {})", row.seq),
            });
        }
        if row.previous != self.previous {
            return Err(broken("does not follow the row before it"));
        }
        let parsed: Value = serde_json::from_str(&row.event)
            .map_err(|_| broken("holds an event that is not JSON"))?;
        if canonical(&parsed) != row.event {
            return Err(broken("holds an event that was rewritten"));
        }
        if chain(&self.previous, &row.event) != row.hash {
            return Err(broken("does not match its hash: it was changed"));
        }
        self.previous = row.hash.clone();
        self.expected += 1;
        Ok(())
    }

    /// How many rows held.
    pub fn rows(&self) -> i64 {
        self.expected - 1
    }
}

/// Checks rows in order (see `Verifier`); how many held.
pub fn verify<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Result<i64, Broken> {
    let mut v = Verifier::default();
    for row in rows {
        v.next(row)?;
    }
    Ok(v.rows())
}
