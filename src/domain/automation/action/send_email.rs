//! `send_email`: a mail to the record's contact, its owner, the schedule's user or an address,
//! queued in the step's transaction and sent by the mailer.

use super::{BuilderInput, Effects, Kind, Shape, StepError, input};
use crate::domain::automation::reader::{Reader, Subject};
use crate::domain::automation::template::{Template, escape_html, lookup};
use crate::domain::fields;
use crate::domain::outbox::NewMail;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct SendEmail {
    pub to: Recipient,
    pub subject: Template,
    pub body: Template,
    /// The HTML part; without one, the text body is escaped into paragraphs.
    pub html: Option<Template>,
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

impl SendEmail {
    /// The mail this action makes for a run with this context, or why it cannot.
    pub fn mail(&self, context: &Value) -> Result<NewMail, StepError> {
        let (address, who) = match &self.to {
            Recipient::Contact => (lookup(context, "contact.email"), "the contact"),
            Recipient::Owner => (lookup(context, "owner.email"), "the owner"),
            Recipient::User => (lookup(context, "user.email"), "the user"),
            Recipient::Address(a) => (&Value::String(a.clone()), "the address"),
        };
        let Some(address) = address.as_str().filter(|a| !a.is_empty()) else {
            return Err(StepError::Permanent(format!("{who} has no email address")));
        };
        let text = self.body.render(context, str::to_string);
        let html = match &self.html {
            Some(h) => h.render(context, escape_html),
            None => text
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")))
                .collect(),
        };
        Ok(NewMail {
            to: address.to_string(),
            subject: self
                .subject
                .render(context, str::to_string)
                .replace(['\r', '\n'], " "),
            text,
            html,
            calendar: None,
            thread: None,
        })
    }
}

fn recipient(reader: &mut Reader, to: &str, at: &str, subject: Subject) -> Option<Recipient> {
    match to {
        "contact" if subject.has_contact() => Some(Recipient::Contact),
        "contact" => {
            reader.needs(
                format!("{at}.to"),
                SendEmail::KIND,
                "a rule about contacts, deals, tasks or notes",
            );
            None
        }
        "owner" if subject.is_record() => Some(Recipient::Owner),
        "user" if subject == Subject::User => Some(Recipient::User),
        other if other.contains('@') => {
            match fields::normalize(fields::Kind::Email, &Value::String(other.into()), "") {
                Ok(Value::String(email)) => Some(Recipient::Address(email)),
                _ => {
                    reader.fail(
                        format!("{at}.to"),
                        format!("{other:?} is not an email address"),
                    );
                    None
                }
            }
        }
        other => {
            reader.fail(
                format!("{at}.to"),
                format!("{other:?} is not a recipient here: contact, owner, user (for per-user schedules) or an email address"),
            );
            None
        }
    }
}

impl Kind for SendEmail {
    const KIND: &'static str = "send_email";
    const LABEL: &'static str = "Send an email";
    const INPUTS: &'static [BuilderInput] = &[
        input(
            "to",
            "To",
            Some("contact, owner, user (per-user schedules) or an email address"),
        ),
        input(
            "subject",
            "Subject",
            Some("Placeholders like {{contact.first_name}} are filled in"),
        ),
        BuilderInput {
            name: "body",
            label: "Text",
            hint: None,
            shape: Shape::LongText,
        },
    ];
    const SENDS_MAIL: bool = true;

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<SendEmail> {
        let to = reader.text(obj, "to", at)?;
        let to = recipient(reader, &to, at, subject)?;
        let subject_line = reader.template(obj, "subject", at, subject, true);
        let body = reader.template(obj, "body", at, subject, true);
        let html = reader.template(obj, "html", at, subject, false);
        Some(SendEmail {
            to,
            subject: subject_line?,
            body: body?,
            html,
        })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        let to = match &self.to {
            Recipient::Contact => "contact".to_string(),
            Recipient::Owner => "owner".into(),
            Recipient::User => "user".into(),
            Recipient::Address(a) => a.clone(),
        };
        obj.insert("to".into(), to.into());
        obj.insert("subject".into(), self.subject.source().into());
        obj.insert("body".into(), self.body.source().into());
        if let Some(h) = &self.html {
            obj.insert("html".into(), h.source().into());
        }
    }

    fn describe(&self, context: &Value) -> String {
        match self.mail(context) {
            Ok(mail) => format!(
                "Send an email to {}: “{}”\n{}",
                mail.to, mail.subject, mail.text
            ),
            Err(StepError::Permanent(m) | StepError::Transient(m)) => {
                format!("Send an email: would fail, {m}")
            }
        }
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        let mail = self.mail(effects.context())?;
        effects.queue_mail(&mail)?;
        Ok(format!("mail to {} queued: {}", mail.to, mail.subject))
    }
}
