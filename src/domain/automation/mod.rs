//! Automation rules: a trigger (a record event or a schedule), conditions, and ordered
//! actions. A rule is read from its JSON form, the same for the API, the rule builder's form
//! and a copy from another workspace, and checked against what the workspace has (`Known`):
//! fields, custom attributes, users, stages, labels and saved views. Names, not ids, point at
//! users (by email), stages, labels and views, so a rule copied to another workspace means
//! the same there.

pub mod condition;
pub mod duration;
mod read_action;
mod reader;
pub mod run;
pub mod schedule;
pub mod template;

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
}

impl Event {
    pub const ALL: [Event; 12] = [
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
        }
    }

    pub fn parse(s: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The kind of record the event is about; `None` for labels, which go on several kinds.
    pub fn entity(self) -> Option<Entity> {
        match self {
            Event::ContactCreated | Event::ContactUpdated => Some(Entity::Contact),
            Event::CompanyCreated => Some(Entity::Company),
            Event::DealCreated | Event::DealStageChanged | Event::DealWon | Event::DealLost => {
                Some(Entity::Deal)
            }
            Event::TaskCreated | Event::TaskCompleted | Event::TaskOverdue => Some(Entity::Task),
            Event::NoteAdded => Some(Entity::Note),
            Event::LabelAdded => None,
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

/// Who a mail goes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Recipient {
    /// The record's contact (the contact itself, or the deal's, task's or note's contact).
    Contact,
    /// The record's owner (a task's assignee).
    Owner,
    /// The user a per-user schedule runs for.
    User,
    Address(String),
}

/// Who gets a task.
#[derive(Debug, Clone, PartialEq)]
pub enum Assignee {
    Owner,
    User,
    Email(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SendEmail {
        to: Recipient,
        subject: Template,
        body: Template,
        /// The HTML part; without one, the text body is escaped into paragraphs.
        html: Option<Template>,
    },
    CreateTask {
        title: Template,
        due_in: Option<Span>,
        assignee: Option<Assignee>,
    },
    /// To one user, or round-robin over several (by email).
    AssignOwner {
        users: Vec<String>,
    },
    AddLabel {
        label: String,
    },
    RemoveLabel {
        label: String,
    },
    /// Sets a field (`contact.lifecycle`, `deal.custom.tier`) of the rule's record.
    UpdateField {
        field: String,
        value: Value,
    },
    /// Moves the deal to the stage of this name in its pipeline.
    MoveStage {
        stage: String,
    },
    Wait {
        duration: Span,
    },
    Webhook {
        url: String,
        secret: String,
        timeout: Span,
        retries: u32,
    },
}

/// Longest a webhook may take, and most attempts after the first.
pub const WEBHOOK_MAX_TIMEOUT_SECS: i64 = 60;
pub const WEBHOOK_MAX_RETRIES: u32 = 10;

impl Action {
    pub fn kind(&self) -> &'static str {
        match self {
            Action::SendEmail { .. } => "send_email",
            Action::CreateTask { .. } => "create_task",
            Action::AssignOwner { .. } => "assign_owner",
            Action::AddLabel { .. } => "add_label",
            Action::RemoveLabel { .. } => "remove_label",
            Action::UpdateField { .. } => "update_field",
            Action::MoveStage { .. } => "move_stage",
            Action::Wait { .. } => "wait",
            Action::Webhook { .. } => "webhook",
        }
    }
}

/// The action types, with how the rule builder names them.
pub const ACTION_KINDS: &[(&str, &str)] = &[
    ("send_email", "Send an email"),
    ("create_task", "Create a task"),
    ("assign_owner", "Assign an owner"),
    ("add_label", "Add a label"),
    ("remove_label", "Remove a label"),
    ("update_field", "Update a field"),
    ("move_stage", "Move the deal to a stage"),
    ("wait", "Wait"),
    ("webhook", "Call a webhook"),
];

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

    fn has(&self, names: &[String], name: &str) -> bool {
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

impl Action {
    pub fn to_json(&self) -> Value {
        let kind = self.kind();
        match self {
            Action::SendEmail {
                to,
                subject,
                body,
                html,
            } => {
                let to = match to {
                    Recipient::Contact => "contact".to_string(),
                    Recipient::Owner => "owner".into(),
                    Recipient::User => "user".into(),
                    Recipient::Address(a) => a.clone(),
                };
                let mut o = json!({"type": kind, "to": to, "subject": subject.source(), "body": body.source()});
                if let Some(h) = html {
                    o["html"] = h.source().into();
                }
                o
            }
            Action::CreateTask {
                title,
                due_in,
                assignee,
            } => {
                let mut o = json!({"type": kind, "title": title.source()});
                if let Some(d) = due_in {
                    o["due_in"] = d.text.clone().into();
                }
                if let Some(a) = assignee {
                    o["assignee"] = match a {
                        Assignee::Owner => "owner".into(),
                        Assignee::User => "user".into(),
                        Assignee::Email(e) => e.clone().into(),
                    };
                }
                o
            }
            Action::AssignOwner { users } => match users.as_slice() {
                [one] => json!({"type": kind, "user": one}),
                many => json!({"type": kind, "round_robin": many}),
            },
            Action::AddLabel { label } | Action::RemoveLabel { label } => {
                json!({"type": kind, "label": label})
            }
            Action::UpdateField { field, value } => {
                json!({"type": kind, "field": field, "value": value})
            }
            Action::MoveStage { stage } => json!({"type": kind, "stage": stage}),
            Action::Wait { duration } => json!({"type": kind, "duration": duration.text}),
            Action::Webhook {
                url,
                secret,
                timeout,
                retries,
            } => json!({
                "type": kind, "url": url, "secret": secret, "timeout": timeout.text, "retries": retries,
            }),
        }
    }
}

/// The inputs of each action type, in the order the builder shows them.
pub const ACTION_INPUTS: &[(&str, &[&str])] = &[
    ("send_email", &["to", "subject", "body"]),
    ("create_task", &["title", "due_in", "assignee"]),
    ("assign_owner", &["users"]),
    ("add_label", &["label"]),
    ("remove_label", &["label"]),
    ("update_field", &["field", "value"]),
    ("move_stage", &["stage"]),
    ("wait", &["duration"]),
    ("webhook", &["url", "secret", "timeout", "retries"]),
];

/// The builder's inputs of an action type, in order.
pub fn inputs_of(kind: &str) -> &'static [&'static str] {
    ACTION_INPUTS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, inputs)| inputs)
}

#[cfg(test)]
mod tests;
