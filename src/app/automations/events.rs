//! Record events for automations, queued inside the transaction of the change that caused
//! them. An event is queued only when an enabled rule listens to it, so a workspace without
//! rules (or a large import) pays one indexed lookup per event kind and nothing more.

use crate::app::change::Change;
use crate::domain::automation::Event;
use crate::domain::crm::Entity;
use crate::error::Result;
use crate::store::automations::{self, QueuedEvent};
use crate::store::crm::records::Record;

/// Queues the events of a saved change. `depth` counts the automation steps that led to it
/// (0 for a person's change).
pub fn queue(
    tx: &crate::store::Write,
    change: &Change,
    saved: &Record,
    labels_added: &[String],
    labels_removed: &[String],
    depth: i64,
) -> Result<()> {
    let changed = changed_paths(change, saved, labels_added, labels_removed);
    let events = events_of(change, saved, &changed);
    for event in events {
        push(tx, event, saved, &changed, None, depth, &change.now)?;
    }
    for label in labels_added {
        push(
            tx,
            Event::LabelAdded,
            saved,
            &changed,
            Some(label),
            depth,
            &change.now,
        )?;
    }
    Ok(())
}

/// The paths a change touched (`deal.amount`, `stage.name`, `contact.custom.tier`,
/// `contact.labels`), for conditions on what changed; none when creating.
fn changed_paths(
    change: &Change,
    saved: &Record,
    labels_added: &[String],
    labels_removed: &[String],
) -> Vec<String> {
    let Some(before) = change.before else {
        return Vec::new();
    };
    let root = saved.entity.singular();
    let mut changed: Vec<String> = Vec::new();
    for field in saved.entity.fields() {
        if change.changed(field.name) {
            changed.push(format!("{root}.{}", field.name));
        }
    }
    for derived in saved.entity.derived() {
        if change.changed(derived) {
            changed.push(format!("{root}.{derived}"));
        }
    }
    if change.changed("stage_id") && saved.entity == Entity::Deal {
        changed.push("stage.name".into());
    }
    for key in before.custom.keys().chain(saved.custom.keys()) {
        if before.custom.get(key) != saved.custom.get(key) {
            changed.push(format!("{root}.custom.{key}"));
        }
    }
    if !labels_added.is_empty() || !labels_removed.is_empty() {
        changed.push(format!("{root}.labels"));
    }
    changed.sort();
    changed.dedup();
    changed
}

/// The record events a saved change makes (labels apart).
fn events_of(change: &Change, saved: &Record, changed: &[String]) -> Vec<Event> {
    let status = saved.str("status");
    let status_now = |s: &str| status == Some(s) && change.changed("status");
    let mut events: Vec<Event> = Vec::new();
    match (saved.entity, change.creating()) {
        (Entity::Contact, true) => events.push(Event::ContactCreated),
        (Entity::Contact, false) if !changed.is_empty() => events.push(Event::ContactUpdated),
        (Entity::Company, true) => events.push(Event::CompanyCreated),
        (Entity::Deal, creating) => {
            if creating {
                events.push(Event::DealCreated);
            } else if change.changed("stage_id") {
                events.push(Event::DealStageChanged);
            }
            if status_now("won") {
                events.push(Event::DealWon);
            }
            if status_now("lost") {
                events.push(Event::DealLost);
            }
        }
        (Entity::Task, creating) => {
            if creating {
                events.push(Event::TaskCreated);
            }
            if status_now("done") {
                events.push(Event::TaskCompleted);
            }
        }
        (Entity::Note, true) => events.push(Event::NoteAdded),
        _ => {}
    }
    events
}

/// Queues an event about an appointment, if an enabled rule listens to it.
pub fn push_appointment(
    tx: &crate::store::Write,
    event: Event,
    id: crate::domain::ids::AppointmentId,
    now: &str,
) -> Result<()> {
    push_about(tx, event, (APPOINTMENT, id.0), now)
}

/// Queues an event about something that is not a CRM record (`subject` names it: an
/// appointment, a receipt, a register session), if an enabled rule listens to it.
pub fn push_about(
    tx: &crate::store::Write,
    event: Event,
    (subject, id): (&str, i64),
    now: &str,
) -> Result<()> {
    let queued = QueuedEvent {
        id: 0,
        event: event.as_str().into(),
        entity: subject.into(),
        record_id: id,
        changed: Vec::new(),
        label: None,
        depth: 0,
    };
    queue_if_heard(tx, &queued, now)
}

/// The subject names of events and runs about what is not a CRM record.
pub const APPOINTMENT: &str = "appointment";
pub const RECEIPT: &str = "receipt";
pub const SESSION: &str = "session";
pub const CONVERSATION: &str = "conversation";

/// Queues an event about a record, if an enabled rule listens to it.
pub fn push(
    tx: &crate::store::Write,
    event: Event,
    record: &Record,
    changed: &[String],
    label: Option<&str>,
    depth: i64,
    now: &str,
) -> Result<()> {
    let queued = QueuedEvent {
        id: 0,
        event: event.as_str().into(),
        entity: record.entity.singular().into(),
        record_id: record.id,
        changed: changed.to_vec(),
        label: label.map(str::to_string),
        depth,
    };
    queue_if_heard(tx, &queued, now)
}

/// Queues `queued` when an enabled rule listens to its event; nothing is written otherwise.
fn queue_if_heard(tx: &crate::store::Write, queued: &QueuedEvent, now: &str) -> Result<()> {
    if automations::listening(tx, &queued.event)? {
        automations::push_event(tx, queued, now)?;
    }
    Ok(())
}
