//! The actions a rule can take. Each kind is one module here that holds everything about it:
//! how it is read from the rule's JSON and written back, the inputs the rule builder shows for
//! it, the sentence a dry run says, and what it does when a run reaches it (through
//! [`Effects`], which the app implements on the step's write transaction).
//!
//! Adding an action: a module with a type that implements [`Kind`], and one line in the
//! `actions!` list at the end of this file.

mod assign_owner;
mod conversation;
mod create_task;
mod labels;
mod move_stage;
mod send_email;
mod send_sms;
mod update_field;
mod wait;
mod webhook;

pub use assign_owner::AssignOwner;
pub use conversation::{
    AssignConversation, ConversationChange, LabelConversation, ReplyToConversation, SetPriority,
    SnoozeConversation,
};
pub use create_task::{Assignee, CreateTask};
pub use labels::{AddLabel, RemoveLabel};
pub use move_stage::MoveStage;
pub use send_email::{Recipient, SendEmail};
pub use send_sms::{SMS_MAX_CHARS, SendSms};
pub use update_field::UpdateField;
pub use wait::Wait;
pub use webhook::{
    Delivery, WEBHOOK_MAX_RETRIES, WEBHOOK_MAX_TIMEOUT_SECS, Webhook, WebhookRequest,
};

use super::reader::{Reader, Subject};
use crate::domain::crm::Entity;
use crate::domain::ids::StageId;
use crate::domain::input::Input;
use crate::domain::outbox::NewMail;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// One input of an action in the rule builder.
#[derive(Debug, Clone, Copy)]
pub struct BuilderInput {
    /// The key in the action's JSON (and, prefixed, the form field's name).
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub shape: Shape,
}

/// How an input's form text maps to the action's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    /// Several lines: a text area.
    LongText,
    /// A whole number; other text is kept as text, for the reader to refuse.
    Number,
    /// One email (`"user"`), or several separated by commas (`"round_robin"`).
    Emails,
}

const fn input(
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
) -> BuilderInput {
    BuilderInput {
        name,
        label,
        hint,
        shape: Shape::Text,
    }
}

/// What every kind of action knows about itself.
pub trait Kind: Sized {
    /// Its `type` in the rule's JSON.
    const KIND: &'static str;
    /// How the builder names it.
    const LABEL: &'static str;
    /// The builder's inputs, in order.
    const INPUTS: &'static [BuilderInput];
    /// Whether carrying it out queues mail (the mailer is then told).
    const SENDS_MAIL: bool = false;

    /// Reads the action from its JSON object, reporting problems through the reader.
    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<Self>;

    /// Writes its inputs into the action's JSON object (the `type` is written for it).
    fn write(&self, obj: &mut Map<String, Value>);

    /// What it would do for a run with this context, in a sentence.
    fn describe(&self, context: &Value) -> String;

    /// Carries it out inside the step's transaction; answers a line for the runs log.
    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError>;
}

/// What a step may do to the workspace and what it may ask of it. The app implements this on
/// the step's write transaction, so every change takes the same road as a person's.
pub trait Effects {
    /// The run's context: its record and the records around it, as templates see them.
    fn context(&self) -> &Value;
    /// The run's record, if it is about one.
    fn record(&self) -> Option<(Entity, i64)>;
    fn now(&self) -> DateTime<Utc>;
    fn queue_mail(&mut self, mail: &NewMail) -> Result<(), StepError>;
    /// Creates (`id` none) or changes a record; answers its id and title.
    fn save(
        &mut self,
        entity: Entity,
        id: Option<i64>,
        input: Input,
    ) -> Result<(i64, String), StepError>;
    /// The id and email of the active user with this email.
    fn active_user(&mut self, email: &str) -> Result<(i64, String), StepError>;
    /// The labels of a live record.
    fn labels_of(&mut self, entity: Entity, id: i64) -> Result<Vec<String>, StepError>;
    /// The name of a live deal's pipeline, and its stages (id, name) in order.
    fn deal_stages(&mut self, deal: i64) -> Result<(String, Vec<(StageId, String)>), StepError>;
    /// The rule's next round-robin turn (0, 1, 2, …).
    fn next_turn(&mut self) -> Result<i64, StepError>;
    /// Changes the run's conversation (a run about one); answers a line for the runs log.
    fn conversation(&mut self, change: ConversationChange) -> Result<String, StepError>;
}

/// Why a step did not succeed.
#[derive(Debug)]
pub enum StepError {
    /// Worth trying again later (a webhook's receiver is down).
    Transient(String),
    /// Trying again will not help (the contact has no email).
    Permanent(String),
}

/// The run's record, or why an action that needs one cannot go on.
fn record_of(effects: &dyn Effects, what: &str) -> Result<(Entity, i64), StepError> {
    effects.record().ok_or_else(|| {
        StepError::Permanent(format!("{what} needs a record, and this run has none"))
    })
}

fn id_at(context: &Value, path: &str) -> Option<i64> {
    super::template::lookup(context, path).as_i64()
}

/// A kind of action as the builder lists it.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    pub kind: &'static str,
    pub label: &'static str,
    pub inputs: &'static [BuilderInput],
}

macro_rules! actions {
    ($($variant:ident),* $(,)?) => {
        #[derive(Debug, Clone, PartialEq)]
        pub enum Action {
            $($variant($variant)),*
        }

        /// Every kind of action, in the order the builder offers them.
        pub const KINDS: &[KindInfo] = &[
            $(KindInfo {
                kind: <$variant as Kind>::KIND,
                label: <$variant as Kind>::LABEL,
                inputs: <$variant as Kind>::INPUTS,
            }),*
        ];

        impl Action {
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Action::$variant(_) => <$variant as Kind>::KIND),*
                }
            }

            pub fn sends_mail(&self) -> bool {
                match self {
                    $(Action::$variant(_) => <$variant as Kind>::SENDS_MAIL),*
                }
            }

            /// Reads an action of `kind`; `None` when there is no such kind.
            pub(super) fn read_kind(
                kind: &str,
                reader: &mut Reader,
                obj: &Map<String, Value>,
                at: &str,
                subject: Subject,
            ) -> Option<Option<Action>> {
                $(if kind == <$variant as Kind>::KIND {
                    return Some($variant::read(reader, obj, at, subject).map(Action::$variant));
                })*
                None
            }

            pub fn to_json(&self) -> Value {
                let mut obj = Map::new();
                obj.insert("type".into(), self.kind().into());
                match self {
                    $(Action::$variant(a) => a.write(&mut obj)),*
                }
                Value::Object(obj)
            }

            pub fn describe(&self, context: &Value) -> String {
                match self {
                    $(Action::$variant(a) => a.describe(context)),*
                }
            }

            pub fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
                match self {
                    $(Action::$variant(a) => a.perform(effects)),*
                }
            }
        }
    };
}

actions! {
    SendEmail,
    CreateTask,
    AssignOwner,
    AddLabel,
    RemoveLabel,
    UpdateField,
    MoveStage,
    Wait,
    Webhook,
    SendSms,
    AssignConversation,
    LabelConversation,
    SetPriority,
    ReplyToConversation,
    SnoozeConversation,
}

/// The kind of action of this `type`, as the builder lists it.
pub fn kind_info(kind: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.kind == kind)
}

impl Reader<'_> {
    pub(super) fn action(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<Action> {
        let kind = obj.get("type").and_then(Value::as_str).unwrap_or("");
        match Action::read_kind(kind, self, obj, at, subject) {
            Some(action) => action,
            None => {
                let names: Vec<_> = KINDS.iter().map(|k| k.kind).collect();
                self.fail(
                    format!("{at}.type"),
                    format!("{kind:?} is not an action (one of {})", names.join(", ")),
                );
                None
            }
        }
    }

    /// Reports that an action of `kind` cannot be used in this rule, at `field`.
    pub(super) fn needs(&mut self, field: String, kind: &str, what: &str) {
        self.fail(field, format!("{kind} needs {what}"));
    }
}
