//! What a rule's runs are about, and the placeholders and fields that makes available.

use super::{Known, Target, Trigger};
use crate::domain::crm::Entity;

/// What a run is about, which decides the placeholders and fields a rule may use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Subject {
    Record(Entity),
    /// A labelled contact, company or deal.
    Labelled,
    /// An appointment, with its client (`contact`) and person (`owner`); label and task
    /// actions go on the client.
    Appointment,
    /// A finalized receipt, with its client (`contact`) if it has one.
    Receipt,
    /// A closed register session and its Z report.
    Session,
    /// A conversation of the inbox, with its contact; label and task actions go on the contact.
    Conversation,
    User,
    Nothing,
}

impl Trigger {
    pub(super) fn subject(&self) -> Subject {
        match self {
            Trigger::Event(e) if e.is_appointment() => Subject::Appointment,
            Trigger::Event(super::Event::ReceiptFinalized) => Subject::Receipt,
            Trigger::Event(super::Event::SessionClosed) => Subject::Session,
            Trigger::Event(e) if e.is_inbox() => Subject::Conversation,
            Trigger::Event(e) => e.entity().map_or(Subject::Labelled, Subject::Record),
            Trigger::Schedule { target, .. } => match target {
                Target::Once => Subject::Nothing,
                Target::EachUser => Subject::User,
                Target::View { entity, .. } => Subject::Record(*entity),
            },
        }
    }
}

impl Subject {
    /// The records a run's context holds, beside `owner`, `account` and (for records)
    /// `record`.
    pub fn records(self) -> Vec<Entity> {
        match self {
            Subject::Record(Entity::Contact) => vec![Entity::Contact, Entity::Company],
            Subject::Record(Entity::Company) => vec![Entity::Company],
            Subject::Record(Entity::Deal) => vec![Entity::Deal, Entity::Contact, Entity::Company],
            Subject::Record(e @ (Entity::Task | Entity::Note)) => {
                vec![e, Entity::Contact, Entity::Company, Entity::Deal]
            }
            Subject::Labelled | Subject::Appointment | Subject::Receipt => {
                vec![Entity::Contact, Entity::Company, Entity::Deal]
            }
            Subject::Conversation => vec![Entity::Contact, Entity::Company],
            Subject::Session | Subject::User | Subject::Nothing => vec![],
        }
    }

    pub fn has_contact(self) -> bool {
        self.records().contains(&Entity::Contact)
    }

    pub fn is_record(self) -> bool {
        matches!(
            self,
            Subject::Record(_)
                | Subject::Labelled
                | Subject::Appointment
                | Subject::Receipt
                | Subject::Conversation
        )
    }
}

/// Extra values a record's context has beside its fields.
const RECORD_EXTRAS: &[&str] = &["id", "url", "title", "created_at", "updated_at"];
const PERSON_KEYS: &[&str] = &["name", "email"];
const USER_KEYS: &[&str] = &["name", "email", "overdue_tasks", "overdue_task_list"];
/// What a run about an appointment knows of it; times are the workspace's wall times.
pub const APPOINTMENT_KEYS: &[&str] = &[
    "id",
    "url",
    "status",
    "date",
    "time",
    "ends",
    "starts_at",
    "services",
    "staff",
    "staff_name",
    "notes",
    "cancel_reason",
];

/// What a run about a receipt knows of it (amounts in cents, times the workspace's).
pub const RECEIPT_KEYS: &[&str] = &[
    "id", "url", "number", "total", "register", "date", "time", "credit",
];
/// What a run about a conversation knows of it.
pub const CONVERSATION_KEYS: &[&str] = &[
    "id", "url", "number", "subject", "status", "priority", "inbox", "assignee", "text",
];
/// What a run about a closed session knows of it (amounts in cents).
pub const SESSION_KEYS: &[&str] = &[
    "id",
    "url",
    "register",
    "receipts",
    "sales",
    "returns",
    "expected_cash",
    "counted_cash",
    "variance",
];

/// Whether `path` names a value the context of `subject` has; an error message if not.
pub fn check_path(path: &str, subject: Subject, known: &Known) -> Result<(), String> {
    let (root, key) = path
        .split_once('.')
        .ok_or_else(|| format!("{path:?} must name a record and a field, like contact.email"))?;
    let allowed = |keys: &[&str]| {
        if keys.contains(&key) {
            Ok(())
        } else {
            Err(format!(
                "{root} has no field {key:?} (it has {})",
                keys.join(", ")
            ))
        }
    };
    match root {
        "account" => allowed(&["name"]),
        "owner" if subject.is_record() => allowed(PERSON_KEYS),
        "user" if subject == Subject::User => allowed(USER_KEYS),
        "record" if subject.is_record() => allowed(&["id", "url", "title", "type"]),
        "label" if subject == Subject::Labelled => allowed(&["name"]),
        "appointment" if subject == Subject::Appointment => allowed(APPOINTMENT_KEYS),
        "receipt" if subject == Subject::Receipt => allowed(RECEIPT_KEYS),
        "session" if subject == Subject::Session => allowed(SESSION_KEYS),
        "conversation" if subject == Subject::Conversation => allowed(CONVERSATION_KEYS),
        "stage" | "pipeline" if subject.records().contains(&Entity::Deal) => allowed(&["name"]),
        _ => {
            let Some(entity) =
                Entity::from_singular(root).filter(|e| subject.records().contains(e))
            else {
                return Err(format!(
                    "{{{{{path}}}}}: there is no {root} in this rule's runs"
                ));
            };
            if let Some(custom_key) = key.strip_prefix("custom.") {
                let keys = known.custom.get(&entity).map(Vec::as_slice).unwrap_or(&[]);
                return if known.any_name || keys.iter().any(|k| k == custom_key) {
                    Ok(())
                } else {
                    Err(format!(
                        "{} have no custom field {custom_key:?}",
                        entity.table()
                    ))
                };
            }
            let is_field = entity.field(key).is_some()
                || entity.derived().contains(&key)
                || RECORD_EXTRAS.contains(&key)
                || (key == "labels" && entity.has_labels_and_custom());
            if is_field {
                Ok(())
            } else {
                Err(format!("{} have no field {key:?}", entity.table()))
            }
        }
    }
}
