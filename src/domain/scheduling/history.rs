//! An appointment's history, read back from its rows of the audit log: what happened (booked,
//! moved, a new status, its reminder), when, and by whom (a person here, its client, or the
//! system). The rows' details are the audit log's own text (`5: 2026-…Z → 2026-…Z until …`),
//! so this is the one place that reads them.

use super::Status;
use crate::domain::audit::AuditEntry;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Booked for its start (online: by its client on the booking page).
    Booked {
        starts_at: String,
        online: bool,
    },
    /// Moved to a start (and an end, when known).
    Moved {
        starts_at: String,
        ends_at: Option<String>,
    },
    Status(Status),
    Reminded,
    /// Anything else the log says about it, as it says it.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    Person(String),
    Client,
    /// The reminder pass.
    System,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub at: String,
    pub by: By,
    pub change: Change,
}

/// The word after `marker` in `detail`, if it is a UTC stamp.
fn stamp_after(detail: &str, marker: &str) -> Option<String> {
    let rest = &detail[detail.find(marker)? + marker.len()..];
    let word = rest.split_whitespace().next()?.trim_end_matches([',', ':']);
    crate::clock::parse_stamp(word).map(|_| word.to_string())
}

pub fn line(e: &AuditEntry) -> HistoryLine {
    let by_client = e.detail.contains("by the client") || e.detail.contains(" online");
    let change = match e.action.as_str() {
        "appointment.booked" => match stamp_after(&e.detail, " at ") {
            Some(starts_at) => Change::Booked {
                starts_at,
                online: e.detail.contains(" online"),
            },
            None => Change::Other(e.detail.clone()),
        },
        "appointment.moved" => match stamp_after(&e.detail, "→ ") {
            Some(starts_at) => Change::Moved {
                starts_at,
                ends_at: stamp_after(&e.detail, " until "),
            },
            None => Change::Other(e.detail.clone()),
        },
        "appointment.status" => {
            let word = e
                .detail
                .split("→ ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .unwrap_or("");
            match Status::parse(word) {
                Some(s) => Change::Status(s),
                None => Change::Other(e.detail.clone()),
            }
        }
        "appointment.reminded" => Change::Reminded,
        _ => Change::Other(e.detail.clone()),
    };
    let by = match (&e.actor, by_client) {
        (Some(name), _) => By::Person(name.clone()),
        (None, true) => By::Client,
        (None, false) => By::System,
    };
    HistoryLine {
        at: e.at.clone(),
        by,
        change,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(actor: Option<&str>, action: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            at: "2026-12-01T10:00:00Z".into(),
            actor: actor.map(str::to_string),
            action: action.into(),
            detail: detail.into(),
        }
    }

    #[test]
    fn each_kind_of_row_reads_back_as_what_happened() {
        let booked = line(&entry(
            None,
            "appointment.booked",
            "7 at 2026-12-15T08:00:00Z online, consent given",
        ));
        assert_eq!(booked.by, By::Client);
        assert_eq!(
            booked.change,
            Change::Booked {
                starts_at: "2026-12-15T08:00:00Z".into(),
                online: true
            }
        );
        let moved = line(&entry(
            Some("Lotte"),
            "appointment.moved",
            "7: 2026-12-15T08:00:00Z → 2026-12-15T13:00:00Z until 2026-12-15T14:00:00Z",
        ));
        assert_eq!(moved.by, By::Person("Lotte".into()));
        assert_eq!(
            moved.change,
            Change::Moved {
                starts_at: "2026-12-15T13:00:00Z".into(),
                ends_at: Some("2026-12-15T14:00:00Z".into())
            }
        );
        let cancelled = line(&entry(
            None,
            "appointment.status",
            "7: → cancelled by the client",
        ));
        assert_eq!(cancelled.change, Change::Status(Status::Cancelled));
        assert_eq!(cancelled.by, By::Client);
        let reminded = line(&entry(None, "appointment.reminded", "7: reminder due"));
        assert_eq!(
            (reminded.by, reminded.change),
            (By::System, Change::Reminded)
        );
        assert_eq!(
            line(&entry(None, "appointment.status", "7: → sideways")).change,
            Change::Other("7: → sideways".into())
        );
    }
}
