//! What a rule about a conversation can do to it: give it to someone (the inbox's round, or a
//! user), put a label on it, set its priority, answer it from a template, snooze it. Each
//! needs a rule whose runs are about a conversation (an inbox event).

use super::{BuilderInput, Effects, Kind, StepError, input};
use crate::domain::automation::reader::{Reader, Subject};
use crate::domain::automation::template::Template;
use crate::domain::inbox::Priority;
use serde_json::{Map, Value};

/// A change to the run's conversation, as the app carries it out.
#[derive(Debug, Clone, PartialEq)]
pub enum ConversationChange {
    /// To this user (an email), or to the inbox's next member in turn.
    Assign(Option<String>),
    Label(String),
    Priority(Priority),
    Reply(String),
    SnoozeHours(i64),
}

fn about_a_conversation(reader: &mut Reader, at: &str, kind: &str, subject: Subject) -> bool {
    if subject != Subject::Conversation {
        reader.needs(
            format!("{at}.type"),
            kind,
            "a rule about conversations (an inbox event)",
        );
        return false;
    }
    true
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssignConversation {
    pub user: Option<String>,
}

impl Kind for AssignConversation {
    const KIND: &'static str = "assign_conversation";
    const LABEL: &'static str = "Assign the conversation";
    const INPUTS: &'static [BuilderInput] = &[input(
        "user",
        "User",
        Some("An email; empty: the inbox's next member in turn (round robin)"),
    )];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<Self> {
        let user = match reader.optional_text(obj, "user", at) {
            Some(email) => Some(reader.user_email(&email, &format!("{at}.user"))?),
            None => None,
        };
        about_a_conversation(reader, at, Self::KIND, subject).then_some(AssignConversation { user })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        if let Some(u) = &self.user {
            obj.insert("user".into(), u.clone().into());
        }
    }

    fn describe(&self, _context: &Value) -> String {
        match &self.user {
            Some(u) => format!("Assign the conversation to {u}"),
            None => "Assign the conversation to the inbox's next member".into(),
        }
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        effects.conversation(ConversationChange::Assign(self.user.clone()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabelConversation {
    pub label: String,
}

impl Kind for LabelConversation {
    const KIND: &'static str = "label_conversation";
    const LABEL: &'static str = "Add a label to the conversation";
    const INPUTS: &'static [BuilderInput] = &[input("label", "Label", None)];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<Self> {
        let label = reader.text(obj, "label", at)?;
        if !reader.known.has(&reader.known.labels, &label) {
            reader.fail(
                format!("{at}.label"),
                format!("no label is named {label:?}"),
            );
            return None;
        }
        about_a_conversation(reader, at, Self::KIND, subject).then_some(LabelConversation { label })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        obj.insert("label".into(), self.label.clone().into());
    }

    fn describe(&self, _context: &Value) -> String {
        format!("Add the label {} to the conversation", self.label)
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        effects.conversation(ConversationChange::Label(self.label.clone()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SetPriority {
    pub priority: Priority,
}

impl Kind for SetPriority {
    const KIND: &'static str = "set_priority";
    const LABEL: &'static str = "Set the conversation's priority";
    const INPUTS: &'static [BuilderInput] = &[input(
        "priority",
        "Priority",
        Some("none, low, medium, high or urgent"),
    )];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<Self> {
        let text = reader.text(obj, "priority", at)?;
        let Some(priority) = Priority::parse(&text.to_lowercase()) else {
            reader.fail(
                format!("{at}.priority"),
                "must be none, low, medium, high or urgent",
            );
            return None;
        };
        about_a_conversation(reader, at, Self::KIND, subject).then_some(SetPriority { priority })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        obj.insert("priority".into(), self.priority.as_str().into());
    }

    fn describe(&self, _context: &Value) -> String {
        format!(
            "Set the conversation's priority to {}",
            self.priority.as_str()
        )
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        effects.conversation(ConversationChange::Priority(self.priority))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplyToConversation {
    pub text: Template,
}

impl Kind for ReplyToConversation {
    const KIND: &'static str = "reply";
    const LABEL: &'static str = "Reply in the conversation";
    const INPUTS: &'static [BuilderInput] = &[BuilderInput {
        name: "text",
        label: "Reply",
        hint: Some("Sent to the last sender, like {{contact.first_name}}"),
        shape: super::Shape::LongText,
    }];
    const SENDS_MAIL: bool = true;

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<Self> {
        let text = reader.template(obj, "text", at, subject, true)?;
        about_a_conversation(reader, at, Self::KIND, subject)
            .then_some(ReplyToConversation { text })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        obj.insert("text".into(), self.text.source().into());
    }

    fn describe(&self, context: &Value) -> String {
        format!("Reply: {}", self.text.render(context, str::to_string))
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        let text = self.text.render(effects.context(), str::to_string);
        effects.conversation(ConversationChange::Reply(text))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SnoozeConversation {
    pub hours: i64,
}

impl Kind for SnoozeConversation {
    const KIND: &'static str = "snooze";
    const LABEL: &'static str = "Snooze the conversation";
    const INPUTS: &'static [BuilderInput] = &[BuilderInput {
        name: "hours",
        label: "For how many hours",
        hint: None,
        shape: super::Shape::Number,
    }];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<Self> {
        let Some(hours) = obj
            .get("hours")
            .and_then(Value::as_i64)
            .filter(|h| (1..=24 * 365).contains(h))
        else {
            reader.fail(
                format!("{at}.hours"),
                "must be a whole number of hours from 1 to 8760",
            );
            return None;
        };
        about_a_conversation(reader, at, Self::KIND, subject)
            .then_some(SnoozeConversation { hours })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        obj.insert("hours".into(), self.hours.into());
    }

    fn describe(&self, _context: &Value) -> String {
        format!("Snooze the conversation for {} hours", self.hours)
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        effects.conversation(ConversationChange::SnoozeHours(self.hours))
    }
}
