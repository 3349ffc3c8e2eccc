//! Automation rules: a trigger (a record event or a schedule), conditions, and ordered
//! actions. A rule is read from its JSON form, the same for the API, the rule builder's form
//! and a copy from another workspace, and checked against what the workspace has (`Known`):
//! fields, custom attributes, users, stages, labels and saved views. Names, not ids, point at
//! users (by email), stages, labels and views, so a rule copied to another workspace means
//! the same there.

pub mod action;
pub mod condition;
pub mod duration;
pub mod reader;
pub mod run;
pub mod schedule;
mod subject;
pub mod template;

pub use action::{
    Action, AddLabel, AssignOwner, Assignee, CreateTask, MoveStage, Recipient, RemoveLabel,
    SendEmail, UpdateField, Wait, Webhook,
};
pub use condition::{Condition, Conditions, Op};
pub use duration::Span;
pub use schedule::CronSpec;
pub use template::Template;

use crate::domain::crm::Entity;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The record events a rule can listen to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Event {
    ContactCreated,
    ContactUpdated,
    CompanyCreated,
    DealCreated,
    DealStageChanged,
    DealWon,
    DealLost,
    TaskCreated,
    TaskCompleted,
    TaskOverdue,
    NoteAdded,
    LabelAdded,
    AppointmentBooked,
    AppointmentConfirmed,
    AppointmentCancelled,
    AppointmentNoShow,
    AppointmentCompleted,
    AppointmentReminder,
    ReceiptFinalized,
    SessionClosed,
    ConversationCreated,
    MessageReceived,
    ConversationResolved,
}

impl Event {
    pub const ALL: [Event; 23] = [
        Event::ContactCreated,
        Event::ContactUpdated,
        Event::CompanyCreated,
        Event::DealCreated,
        Event::DealStageChanged,
        Event::DealWon,
        Event::DealLost,
        Event::TaskCreated,
        Event::TaskCompleted,
        Event::TaskOverdue,
        Event::NoteAdded,
        Event::LabelAdded,
        Event::AppointmentBooked,
        Event::AppointmentConfirmed,
        Event::AppointmentCancelled,
        Event::AppointmentNoShow,
        Event::AppointmentCompleted,
        Event::AppointmentReminder,
        Event::ReceiptFinalized,
        Event::SessionClosed,
        Event::ConversationCreated,
        Event::MessageReceived,
        Event::ConversationResolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::ContactCreated => "contact.created",
            Event::ContactUpdated => "contact.updated",
            Event::CompanyCreated => "company.created",
            Event::DealCreated => "deal.created",
            Event::DealStageChanged => "deal.stage_changed",
            Event::DealWon => "deal.won",
            Event::DealLost => "deal.lost",
            Event::TaskCreated => "task.created",
            Event::TaskCompleted => "task.completed",
            Event::TaskOverdue => "task.overdue",
            Event::NoteAdded => "note.added",
            Event::LabelAdded => "label.added",
            Event::AppointmentBooked => "appointment.booked",
            Event::AppointmentConfirmed => "appointment.confirmed",
            Event::AppointmentCancelled => "appointment.cancelled",
            Event::AppointmentNoShow => "appointment.no_show",
            Event::AppointmentCompleted => "appointment.completed",
            Event::AppointmentReminder => "appointment.reminder",
            Event::ReceiptFinalized => "receipt.finalized",
            Event::SessionClosed => "session.closed",
            Event::ConversationCreated => "conversation.created",
            Event::MessageReceived => "message.received",
            Event::ConversationResolved => "conversation.resolved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Event::ContactCreated => "A contact is created",
            Event::ContactUpdated => "A contact is changed",
            Event::CompanyCreated => "A company is created",
            Event::DealCreated => "A deal is created",
            Event::DealStageChanged => "A deal moves to another stage",
            Event::DealWon => "A deal is won",
            Event::DealLost => "A deal is lost",
            Event::TaskCreated => "A task is created",
            Event::TaskCompleted => "A task is completed",
            Event::TaskOverdue => "A task becomes overdue",
            Event::NoteAdded => "A note is added",
            Event::LabelAdded => "A label is added to a contact, company or deal",
            Event::AppointmentBooked => "An appointment is booked",
            Event::AppointmentConfirmed => "An appointment is confirmed",
            Event::AppointmentCancelled => "An appointment is cancelled",
            Event::AppointmentNoShow => "A client did not come to an appointment",
            Event::AppointmentCompleted => "An appointment is completed",
            Event::AppointmentReminder => {
                "An appointment's reminder is due (the booking policy's hours before)"
            }
            Event::ReceiptFinalized => "A receipt is finalized at the register",
            Event::SessionClosed => "A register session is closed (its Z report)",
            Event::ConversationCreated => "A new conversation comes into the inbox",
            Event::MessageReceived => "A message comes into a conversation",
            Event::ConversationResolved => "A conversation is resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The event of an appointment taking `status` (booking is its own event).
    pub fn of_appointment(status: crate::domain::scheduling::Status) -> Option<Event> {
        use crate::domain::scheduling::Status;
        match status {
            Status::Confirmed => Some(Event::AppointmentConfirmed),
            Status::Cancelled => Some(Event::AppointmentCancelled),
            Status::NoShow => Some(Event::AppointmentNoShow),
            Status::Completed => Some(Event::AppointmentCompleted),
            Status::Requested | Status::Arrived => None,
        }
    }

    /// Whether the event is about an appointment (and needs the `scheduling` capability).
    pub fn is_appointment(self) -> bool {
        self.as_str().starts_with("appointment.")
    }

    /// Whether the event is the kassa's (and needs the `kassa` capability).
    pub fn is_kassa(self) -> bool {
        matches!(self, Event::ReceiptFinalized | Event::SessionClosed)
    }

    /// Whether the event is the inbox's (and needs the `inbox` capability).
    pub fn is_inbox(self) -> bool {
        matches!(
            self,
            Event::ConversationCreated | Event::MessageReceived | Event::ConversationResolved
        )
    }

    /// The capability the event needs, beyond the CRM's own.
    pub fn capability(self) -> Option<crate::domain::capability::Capability> {
        use crate::domain::capability::Capability;
        if self.is_appointment() {
            Some(Capability::Scheduling)
        } else if self.is_kassa() {
            Some(Capability::Kassa)
        } else if self.is_inbox() {
            Some(Capability::Inbox)
        } else {
            None
        }
    }

    /// The kind of CRM record the event is about; `None` for labels, which go on several
    /// kinds, and for appointments, which are not CRM records.
    pub fn entity(self) -> Option<Entity> {
        match self {
            Event::ContactCreated | Event::ContactUpdated => Some(Entity::Contact),
            Event::CompanyCreated => Some(Entity::Company),
            Event::DealCreated | Event::DealStageChanged | Event::DealWon | Event::DealLost => {
                Some(Entity::Deal)
            }
            Event::TaskCreated | Event::TaskCompleted | Event::TaskOverdue => Some(Entity::Task),
            Event::NoteAdded => Some(Entity::Note),
            Event::LabelAdded
            | Event::AppointmentBooked
            | Event::AppointmentConfirmed
            | Event::AppointmentCancelled
            | Event::AppointmentNoShow
            | Event::AppointmentCompleted
            | Event::AppointmentReminder
            | Event::ReceiptFinalized
            | Event::SessionClosed
            | Event::ConversationCreated
            | Event::MessageReceived
            | Event::ConversationResolved => None,
        }
    }
}

/// What a scheduled rule runs for at each slot.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// One run, about no record.
    Once,
    /// One run per active user (`{{user.…}}`), for digests like "your overdue tasks".
    EachUser,
    /// One run per record of a saved view (its filters).
    View { entity: Entity, name: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    Event(Event),
    Schedule { cron: Box<CronSpec>, target: Target },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub enabled: bool,
    pub trigger: Trigger,
    pub conditions: Conditions,
    pub actions: Vec<Action>,
}

/// What the workspace has, for checking a rule's names.
#[derive(Debug, Default, Clone)]
pub struct Known {
    /// Custom attribute keys per entity.
    pub custom: BTreeMap<Entity, Vec<String>>,
    /// Emails of active users.
    pub users: Vec<String>,
    pub stages: Vec<String>,
    pub labels: Vec<String>,
    pub views: Vec<(Entity, String)>,
    /// Accept any name: for reading a rule that was checked when it was saved, whatever the
    /// workspace has changed since (a run then fails at the step whose name is gone).
    pub any_name: bool,
}

impl Known {
    pub fn any() -> Known {
        Known {
            any_name: true,
            ..Known::default()
        }
    }

    pub(crate) fn has(&self, names: &[String], name: &str) -> bool {
        self.any_name || names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

impl Rule {
    /// The rule's JSON form, as `from_json` reads it.
    pub fn to_json(&self) -> Value {
        let trigger = match &self.trigger {
            Trigger::Event(e) => json!({"event": e.as_str()}),
            Trigger::Schedule { cron, target } => match target {
                Target::Once => json!({"schedule": cron.text, "for": "once"}),
                Target::EachUser => json!({"schedule": cron.text, "for": "users"}),
                Target::View { entity, name } => {
                    json!({"schedule": cron.text, "for": entity.table(), "view": name})
                }
            },
        };
        let conditions: Vec<Value> = self
            .conditions
            .list
            .iter()
            .map(|c| {
                let mut o = json!({"field": c.field, "op": c.op.as_str()});
                if c.op.takes_value() {
                    o["value"] = c.value.clone();
                }
                o
            })
            .collect();
        json!({
            "name": self.name,
            "enabled": self.enabled,
            "trigger": trigger,
            "conditions": {(if self.conditions.any { "any" } else { "all" }): conditions},
            "actions": self.actions.iter().map(Action::to_json).collect::<Vec<_>>(),
        })
    }

    pub fn event(&self) -> Option<Event> {
        match self.trigger {
            Trigger::Event(e) => Some(e),
            Trigger::Schedule { .. } => None,
        }
    }

    pub fn schedule(&self) -> Option<&CronSpec> {
        match &self.trigger {
            Trigger::Schedule { cron, .. } => Some(cron),
            Trigger::Event(_) => None,
        }
    }
}

#[cfg(test)]
mod tests;
