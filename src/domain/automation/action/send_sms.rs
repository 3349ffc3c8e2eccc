//! `send_sms`: a text message through the installation's SMS gateway, to the contact's phone
//! (or a number or placeholder given). Like a webhook it is sent outside any transaction, and
//! tried again when the gateway fails for a while; the gateway gets the same idempotency key
//! on every attempt.

use super::{BuilderInput, Effects, Kind, Shape, StepError, input};
use crate::domain::automation::reader::{Reader, Subject};
use crate::domain::automation::template::Template;
use serde_json::{Map, Value};

/// The longest message: three parts of a long SMS.
pub const SMS_MAX_CHARS: usize = 459;
const TO_CONTACT: &str = "{{contact.phone}}";

#[derive(Debug, Clone, PartialEq)]
pub struct SendSms {
    /// The number, or a placeholder that holds one.
    pub to: Template,
    pub text: Template,
}

impl SendSms {
    /// The number and text this action sends for a run with this context, or why it cannot.
    pub fn message(&self, context: &Value) -> Result<(String, String), StepError> {
        let typed = self.to.render(context, str::to_string);
        let to = crate::domain::sms::number(&typed).ok_or_else(|| {
            StepError::Permanent(match typed.trim() {
                "" => "there is no phone number to send to".to_string(),
                t => format!("{t:?} is not a phone number"),
            })
        })?;
        let text: String = self
            .text
            .render(context, str::to_string)
            .trim()
            .chars()
            .take(SMS_MAX_CHARS)
            .collect();
        if text.is_empty() {
            return Err(StepError::Permanent("the message is empty".into()));
        }
        Ok((to, text))
    }
}

impl Kind for SendSms {
    const KIND: &'static str = "send_sms";
    const LABEL: &'static str = "Send a text message (SMS)";
    const INPUTS: &'static [BuilderInput] = &[
        input(
            "to",
            "To",
            Some("Empty: the contact's phone; or a number, or a placeholder like {{owner.phone}}"),
        ),
        BuilderInput {
            name: "text",
            label: "Text",
            hint: Some("Placeholders like {{appointment.time}} are filled in"),
            shape: Shape::LongText,
        },
    ];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<SendSms> {
        let to = match reader.template(obj, "to", at, subject, false) {
            Some(to) => Some(to),
            None if obj
                .get("to")
                .and_then(Value::as_str)
                .is_some_and(|t| !t.trim().is_empty()) =>
            {
                None
            }
            None if subject.has_contact() => Template::parse(TO_CONTACT).ok(),
            None => {
                reader.needs(
                    format!("{at}.to"),
                    SendSms::KIND,
                    "a number here, or a rule about contacts, deals, tasks, notes or appointments",
                );
                None
            }
        };
        let text = reader.template(obj, "text", at, subject, true);
        if text
            .as_ref()
            .is_some_and(|t| t.source().chars().count() > SMS_MAX_CHARS)
        {
            reader.fail(
                format!("{at}.text"),
                format!("must be at most {SMS_MAX_CHARS} characters"),
            );
            return None;
        }
        Some(SendSms {
            to: to?,
            text: text?,
        })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        if self.to.source() != TO_CONTACT {
            obj.insert("to".into(), self.to.source().into());
        }
        obj.insert("text".into(), self.text.source().into());
    }

    fn describe(&self, context: &Value) -> String {
        match self.message(context) {
            Ok((to, text)) => format!("Send a text message to {to}: “{text}”"),
            Err(StepError::Permanent(m) | StepError::Transient(m)) => {
                format!("Send a text message: would fail, {m}")
            }
        }
    }

    fn perform(&self, _effects: &mut dyn Effects) -> Result<String, StepError> {
        Err(StepError::Permanent("not sent inside a transaction".into()))
    }
}
