//! Automation rules: a trigger (a record event or a schedule), conditions, and ordered
//! actions. A rule is read from its JSON form, the same for the API, the rule builder's form
//! and a copy from another workspace, and checked against what the workspace has (`Known`):
//! fields, custom attributes, users, stages, labels and saved views. Names, not ids, point at
//! users (by email), stages, labels and views, so a rule copied to another workspace means
//! the same there.

pub mod condition;
pub mod duration;
pub mod schedule;
pub mod template;

pub use condition::{Condition, Conditions, Op};
pub use duration::Span;
pub use schedule::CronSpec;
pub use template::Template;

use crate::domain::crm::Entity;
use crate::error::FieldError;
use serde_json::{Map, Value, json};
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
const WEBHOOK_DEFAULT_TIMEOUT: &str = "10s";
const WEBHOOK_DEFAULT_RETRIES: u32 = 3;
/// Rules are read by people: a long list of actions is a sign of a mistake.
const MAX_ACTIONS: usize = 20;
const MAX_CONDITIONS: usize = 20;

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

/// What a run is about, which decides the placeholders and fields a rule may use.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Subject {
    Record(Entity),
    /// A labelled contact, company or deal.
    Labelled,
    User,
    Nothing,
}

impl Trigger {
    fn subject(&self) -> Subject {
        match self {
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
    fn records(self) -> Vec<Entity> {
        match self {
            Subject::Record(Entity::Contact) => vec![Entity::Contact, Entity::Company],
            Subject::Record(Entity::Company) => vec![Entity::Company],
            Subject::Record(Entity::Deal) => vec![Entity::Deal, Entity::Contact, Entity::Company],
            Subject::Record(e @ (Entity::Task | Entity::Note)) => {
                vec![e, Entity::Contact, Entity::Company, Entity::Deal]
            }
            Subject::Labelled => vec![Entity::Contact, Entity::Company, Entity::Deal],
            Subject::User | Subject::Nothing => vec![],
        }
    }

    fn has_contact(self) -> bool {
        self.records().contains(&Entity::Contact)
    }

    fn is_record(self) -> bool {
        matches!(self, Subject::Record(_) | Subject::Labelled)
    }
}

/// Extra values a record's context has beside its fields.
const RECORD_EXTRAS: &[&str] = &["id", "url", "title", "created_at", "updated_at"];
const PERSON_KEYS: &[&str] = &["name", "email"];
const USER_KEYS: &[&str] = &["name", "email", "overdue_tasks", "overdue_task_list"];

/// Whether `path` names a value the context of `subject` has; an error message if not.
fn check_path(path: &str, subject: Subject, known: &Known) -> Result<(), String> {
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

/// Reads JSON into a rule, collecting a message for each thing wrong with it.
struct Reader<'a> {
    errors: Vec<FieldError>,
    known: &'a Known,
}

impl Reader<'_> {
    fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    fn text(&mut self, obj: &Map<String, Value>, key: &str, at: &str) -> Option<String> {
        match obj.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                self.fail(format!("{at}.{key}"), "is required");
                None
            }
            Some(_) => {
                self.fail(format!("{at}.{key}"), "must be text");
                None
            }
        }
    }

    fn optional_text(&mut self, obj: &Map<String, Value>, key: &str, at: &str) -> Option<String> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(_) => self.text(obj, key, at),
        }
    }

    fn template(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &str,
        subject: Subject,
        required: bool,
    ) -> Option<Template> {
        let text = if required {
            self.text(obj, key, at)?
        } else {
            self.optional_text(obj, key, at)?
        };
        let field = format!("{at}.{key}");
        match Template::parse(&text) {
            Ok(t) => {
                let problems: Vec<String> = t
                    .placeholders()
                    .filter_map(|p| check_path(p, subject, self.known).err())
                    .collect();
                for p in problems {
                    self.fail(&field, p);
                }
                Some(t)
            }
            Err(e) => {
                self.fail(field, e);
                None
            }
        }
    }

    fn user_email(&mut self, email: &str, field: &str) -> Option<String> {
        let email = email.trim().to_lowercase();
        if self.known.has(&self.known.users, &email) {
            Some(email)
        } else {
            self.fail(field, format!("no active user has the email {email:?}"));
            None
        }
    }

    fn trigger(&mut self, value: Option<&Value>) -> Option<Trigger> {
        let Some(Value::Object(obj)) = value else {
            self.fail(
                "trigger",
                "is required: {\"event\": \"deal.won\"} or {\"schedule\": \"0 8 * * 1\"}",
            );
            return None;
        };
        match (obj.get("event"), obj.get("schedule")) {
            (Some(Value::String(e)), None) => match Event::parse(e) {
                Some(event) => Some(Trigger::Event(event)),
                None => {
                    let names: Vec<_> = Event::ALL.iter().map(|e| e.as_str()).collect();
                    self.fail(
                        "trigger.event",
                        format!("{e:?} is not an event (one of {})", names.join(", ")),
                    );
                    None
                }
            },
            (None, Some(Value::String(s))) => {
                let cron = match CronSpec::parse(s) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        self.fail("trigger.schedule", e);
                        None
                    }
                };
                let target = self.target(obj);
                Some(Trigger::Schedule {
                    cron: Box::new(cron?),
                    target: target?,
                })
            }
            _ => {
                self.fail(
                    "trigger",
                    "must have either an event or a schedule (a five-field cron expression)",
                );
                None
            }
        }
    }

    fn target(&mut self, obj: &Map<String, Value>) -> Option<Target> {
        let each = obj.get("for").and_then(Value::as_str).unwrap_or("once");
        match each {
            "once" => Some(Target::Once),
            "users" => Some(Target::EachUser),
            table => {
                let Some(entity) = Entity::from_table(table).filter(|e| *e != Entity::Note) else {
                    self.fail(
                        "trigger.for",
                        format!(
                            "{table:?} is not once, users, contacts, companies, deals or tasks"
                        ),
                    );
                    return None;
                };
                let name = self.text(obj, "view", "trigger")?;
                if self.known.any_name
                    || self
                        .known
                        .views
                        .iter()
                        .any(|(e, n)| *e == entity && *n == name)
                {
                    Some(Target::View { entity, name })
                } else {
                    self.fail(
                        "trigger.view",
                        format!("there is no saved view of {table} named {name:?}"),
                    );
                    None
                }
            }
        }
    }

    fn conditions(&mut self, value: Option<&Value>, trigger: Option<&Trigger>) -> Conditions {
        let subject = trigger.map(Trigger::subject);
        let (any, items) = match value {
            None | Some(Value::Null) => return Conditions::default(),
            Some(Value::Object(obj)) => match (obj.get("all"), obj.get("any")) {
                (Some(Value::Array(items)), None) => (false, items),
                (None, Some(Value::Array(items))) => (true, items),
                _ => {
                    self.fail("conditions", "must be {\"all\": [...]} or {\"any\": [...]}");
                    return Conditions::default();
                }
            },
            Some(_) => {
                self.fail("conditions", "must be {\"all\": [...]} or {\"any\": [...]}");
                return Conditions::default();
            }
        };
        let key = if any { "any" } else { "all" };
        if items.len() > MAX_CONDITIONS {
            self.fail("conditions", format!("at most {MAX_CONDITIONS} conditions"));
        }
        let mut list = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("conditions.{key}[{i}]");
            let Value::Object(obj) = item else {
                self.fail(at, "must be {\"field\": …, \"op\": …, \"value\": …}");
                continue;
            };
            let field = self.text(obj, "field", &at);
            let op = match obj
                .get("op")
                .and_then(Value::as_str)
                .map(|s| (s, Op::parse(s)))
            {
                Some((_, Some(op))) => Some(op),
                other => {
                    let names: Vec<_> = Op::ALL.iter().map(|o| o.as_str()).collect();
                    self.fail(
                        format!("{at}.op"),
                        format!(
                            "{} is not an operator (one of {})",
                            other.map_or("nothing".into(), |(s, _)| format!("{s:?}")),
                            names.join(", ")
                        ),
                    );
                    None
                }
            };
            let value = obj.get("value").cloned().unwrap_or(Value::Null);
            let (Some(field), Some(op)) = (field, op) else {
                continue;
            };
            if let Some(subject) = subject {
                if let Err(e) = check_path(&field, subject, self.known) {
                    self.fail(format!("{at}.field"), e);
                }
                if op == Op::ChangedTo && !matches!(trigger, Some(Trigger::Event(_))) {
                    self.fail(format!("{at}.op"), "changed_to needs an event trigger");
                }
            }
            if op.takes_value() && value.is_null() {
                self.fail(format!("{at}.value"), "is required for this operator");
            }
            list.push(Condition { field, op, value });
        }
        Conditions { any, list }
    }

    fn actions(&mut self, value: Option<&Value>, trigger: Option<&Trigger>) -> Vec<Action> {
        let Some(Value::Array(items)) = value else {
            self.fail("actions", "is required: a list of actions");
            return Vec::new();
        };
        if items.is_empty() {
            self.fail("actions", "needs at least one action");
        }
        if items.len() > MAX_ACTIONS {
            self.fail("actions", format!("at most {MAX_ACTIONS} actions"));
        }
        let subject = trigger.map_or(Subject::Nothing, Trigger::subject);
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("actions[{i}]");
            let Value::Object(obj) = item else {
                self.fail(at, "must be an object with a type");
                continue;
            };
            if let Some(action) = self.action(obj, &at, subject) {
                out.push(action);
            }
        }
        out
    }

    fn action(&mut self, obj: &Map<String, Value>, at: &str, subject: Subject) -> Option<Action> {
        let kind = obj.get("type").and_then(Value::as_str).unwrap_or("");
        let needs = |what: &str| format!("{kind} needs {what}");
        match kind {
            "send_email" => {
                let to = match self.text(obj, "to", at)?.as_str() {
                    "contact" if subject.has_contact() => Recipient::Contact,
                    "contact" => {
                        self.fail(
                            format!("{at}.to"),
                            needs("a rule about contacts, deals, tasks or notes"),
                        );
                        return None;
                    }
                    "owner" if subject.is_record() => Recipient::Owner,
                    "user" if subject == Subject::User => Recipient::User,
                    other if other.contains('@') => {
                        match crate::domain::fields::normalize(
                            crate::domain::fields::Kind::Email,
                            &Value::String(other.into()),
                            "",
                        ) {
                            Ok(Value::String(email)) => Recipient::Address(email),
                            _ => {
                                self.fail(
                                    format!("{at}.to"),
                                    format!("{other:?} is not an email address"),
                                );
                                return None;
                            }
                        }
                    }
                    other => {
                        self.fail(
                            format!("{at}.to"),
                            format!("{other:?} is not a recipient here: contact, owner, user (for per-user schedules) or an email address"),
                        );
                        return None;
                    }
                };
                let subject_line = self.template(obj, "subject", at, subject, true);
                let body = self.template(obj, "body", at, subject, true);
                let html = self.template(obj, "html", at, subject, false);
                Some(Action::SendEmail {
                    to,
                    subject: subject_line?,
                    body: body?,
                    html,
                })
            }
            "create_task" => {
                let title = self.template(obj, "title", at, subject, true);
                let due_in = match self.optional_text(obj, "due_in", at) {
                    Some(text) => match Span::parse(&text) {
                        Ok(s) => Some(s),
                        Err(e) => {
                            self.fail(format!("{at}.due_in"), e);
                            None
                        }
                    },
                    None => None,
                };
                let assignee = match self.optional_text(obj, "assignee", at).as_deref() {
                    None => None,
                    Some("owner") if subject.is_record() => Some(Assignee::Owner),
                    Some("user") if subject == Subject::User => Some(Assignee::User),
                    Some(email) => self
                        .user_email(email, &format!("{at}.assignee"))
                        .map(Assignee::Email),
                };
                Some(Action::CreateTask {
                    title: title?,
                    due_in,
                    assignee,
                })
            }
            "assign_owner" => {
                if !subject.is_record() {
                    self.fail(format!("{at}.type"), needs("a rule about records"));
                }
                let emails: Vec<String> = match (obj.get("user"), obj.get("round_robin")) {
                    (Some(Value::String(one)), None) => vec![one.clone()],
                    (None, Some(Value::Array(many))) if !many.is_empty() => many
                        .iter()
                        .map(|v| v.as_str().unwrap_or_default().to_string())
                        .collect(),
                    _ => {
                        self.fail(
                            format!("{at}.user"),
                            "give a user's email, or round_robin with a list of emails",
                        );
                        return None;
                    }
                };
                let users: Vec<String> = emails
                    .iter()
                    .filter_map(|e| self.user_email(e, &format!("{at}.user")))
                    .collect();
                (users.len() == emails.len()).then_some(Action::AssignOwner { users })
            }
            "add_label" | "remove_label" => {
                let label = self.text(obj, "label", at)?;
                let labelled = matches!(subject, Subject::Labelled)
                    || matches!(subject, Subject::Record(e) if e.has_labels_and_custom());
                if !labelled {
                    self.fail(
                        format!("{at}.type"),
                        needs("a rule about contacts, companies or deals"),
                    );
                    return None;
                }
                if !self.known.has(&self.known.labels, &label) {
                    self.fail(
                        format!("{at}.label"),
                        format!("no label is named {label:?}"),
                    );
                    return None;
                }
                Some(if kind == "add_label" {
                    Action::AddLabel { label }
                } else {
                    Action::RemoveLabel { label }
                })
            }
            "update_field" => {
                let field = self.text(obj, "field", at)?;
                let value = obj.get("value").cloned().unwrap_or(Value::Null);
                // Text values may hold placeholders, filled in when the step runs.
                let templated = match &value {
                    Value::String(text) => match Template::parse(text) {
                        Ok(t) => {
                            let problems: Vec<String> = t
                                .placeholders()
                                .filter_map(|p| check_path(p, subject, self.known).err())
                                .collect();
                            let has_places = t.placeholders().next().is_some();
                            for p in problems {
                                self.fail(format!("{at}.value"), p);
                            }
                            has_places
                        }
                        Err(e) => {
                            self.fail(format!("{at}.value"), e);
                            return None;
                        }
                    },
                    _ => false,
                };
                let Subject::Record(entity) = subject else {
                    self.fail(
                        format!("{at}.type"),
                        needs("a rule about one kind of record"),
                    );
                    return None;
                };
                let key = field
                    .strip_prefix(entity.singular())
                    .and_then(|k| k.strip_prefix('.'))
                    .unwrap_or("");
                if let Some(custom_key) = key.strip_prefix("custom.") {
                    if let Err(e) = check_path(&field, subject, self.known) {
                        self.fail(format!("{at}.field"), e);
                        return None;
                    }
                    return Some(Action::UpdateField {
                        field: format!("{}.custom.{custom_key}", entity.singular()),
                        value,
                    });
                }
                let Some(def) = entity.field(key) else {
                    self.fail(
                        format!("{at}.field"),
                        format!(
                            "{field:?} is not a field of the rule's {}",
                            entity.singular()
                        ),
                    );
                    return None;
                };
                // Ids of other records, stages and users change with the workspace: use the
                // actions made for them.
                if matches!(
                    def.kind,
                    crate::domain::fields::Kind::Ref(_)
                        | crate::domain::fields::Kind::User
                        | crate::domain::fields::Kind::Stage
                        | crate::domain::fields::Kind::Pipeline
                ) {
                    self.fail(
                        format!("{at}.field"),
                        format!(
                            "{field:?} links to another record: use assign_owner or move_stage"
                        ),
                    );
                    return None;
                }
                if let Err(e) = crate::domain::fields::normalize(def.kind, &value, "EUR")
                    && !templated
                {
                    self.fail(format!("{at}.value"), e);
                    return None;
                }
                Some(Action::UpdateField { field, value })
            }
            "move_stage" => {
                let stage = self.text(obj, "stage", at)?;
                if !subject.records().contains(&Entity::Deal) {
                    self.fail(
                        format!("{at}.type"),
                        needs("a rule about deals, or tasks and notes of a deal"),
                    );
                    return None;
                }
                if !self.known.has(&self.known.stages, &stage) {
                    self.fail(
                        format!("{at}.stage"),
                        format!("no stage is named {stage:?}"),
                    );
                    return None;
                }
                Some(Action::MoveStage { stage })
            }
            "wait" => {
                let text = self.text(obj, "duration", at)?;
                match Span::parse(&text) {
                    Ok(duration) if duration.duration > chrono::Duration::zero() => {
                        Some(Action::Wait { duration })
                    }
                    Ok(_) => {
                        self.fail(format!("{at}.duration"), "must be longer than nothing");
                        None
                    }
                    Err(e) => {
                        self.fail(format!("{at}.duration"), e);
                        None
                    }
                }
            }
            "webhook" => {
                let url = self.text(obj, "url", at);
                let secret = self.text(obj, "secret", at);
                if let Some(u) = &url
                    && !(u.starts_with("https://") || u.starts_with("http://"))
                {
                    self.fail(format!("{at}.url"), "must start with https:// or http://");
                }
                let timeout_text = self
                    .optional_text(obj, "timeout", at)
                    .unwrap_or_else(|| WEBHOOK_DEFAULT_TIMEOUT.into());
                let timeout = match Span::parse(&timeout_text) {
                    Ok(t)
                        if t.duration > chrono::Duration::zero()
                            && t.duration
                                <= chrono::Duration::seconds(WEBHOOK_MAX_TIMEOUT_SECS) =>
                    {
                        Some(t)
                    }
                    Ok(_) => {
                        self.fail(
                            format!("{at}.timeout"),
                            format!("must be between 1s and {WEBHOOK_MAX_TIMEOUT_SECS}s"),
                        );
                        None
                    }
                    Err(e) => {
                        self.fail(format!("{at}.timeout"), e);
                        None
                    }
                };
                let retries = match obj.get("retries") {
                    None | Some(Value::Null) => Some(WEBHOOK_DEFAULT_RETRIES),
                    Some(v) => match v.as_u64().filter(|n| *n <= u64::from(WEBHOOK_MAX_RETRIES)) {
                        Some(n) => Some(n as u32),
                        None => {
                            self.fail(
                                format!("{at}.retries"),
                                format!("must be a whole number from 0 to {WEBHOOK_MAX_RETRIES}"),
                            );
                            None
                        }
                    },
                };
                Some(Action::Webhook {
                    url: url?,
                    secret: secret?,
                    timeout: timeout?,
                    retries: retries?,
                })
            }
            other => {
                let names: Vec<_> = ACTION_KINDS.iter().map(|(k, _)| *k).collect();
                self.fail(
                    format!("{at}.type"),
                    format!("{other:?} is not an action (one of {})", names.join(", ")),
                );
                None
            }
        }
    }
}

impl Rule {
    /// Reads and checks a rule; every problem is reported with the field it concerns.
    pub fn from_json(value: &Value, known: &Known) -> Result<Rule, Vec<FieldError>> {
        let mut reader = Reader {
            errors: Vec::new(),
            known,
        };
        let Value::Object(obj) = value else {
            reader.fail("rule", "must be a JSON object");
            return Err(reader.errors);
        };
        let name = reader.text(obj, "name", "rule");
        if name.as_ref().is_some_and(|n| n.chars().count() > 200) {
            reader.fail("name", "is longer than 200 characters");
        }
        let enabled = match obj.get("enabled") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                reader.fail("enabled", "must be true or false");
                true
            }
        };
        let trigger = reader.trigger(obj.get("trigger"));
        let conditions = reader.conditions(obj.get("conditions"), trigger.as_ref());
        let actions = reader.actions(obj.get("actions"), trigger.as_ref());
        for key in obj.keys() {
            if ![
                "name",
                "enabled",
                "trigger",
                "conditions",
                "actions",
                "id",
                "created_at",
                "updated_at",
                "next_run_at",
            ]
            .contains(&key.as_str())
            {
                reader.fail(key.clone(), "is not part of a rule");
            }
        }
        match (name, trigger) {
            (Some(name), Some(trigger)) if reader.errors.is_empty() => Ok(Rule {
                name,
                enabled,
                trigger,
                conditions,
                actions,
            }),
            _ => {
                // "rule.name" reads better as "name".
                for e in &mut reader.errors {
                    if let Some(rest) = e.field.strip_prefix("rule.") {
                        e.field = rest.to_string();
                    }
                }
                Err(reader.errors)
            }
        }
    }

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

#[cfg(test)]
mod tests;
