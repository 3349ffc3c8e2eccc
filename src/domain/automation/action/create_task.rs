//! `create_task`: a task with the run's records (for a deal: the deal, its contact and
//! company), due some time after the step, for the owner, the schedule's user or a user.

use super::{BuilderInput, Effects, Kind, StepError, id_at, input};
use crate::clock::stamp;
use crate::domain::automation::duration::Span;
use crate::domain::automation::reader::{Reader, Subject};
use crate::domain::automation::template::{Template, lookup};
use crate::domain::crm::Entity;
use crate::domain::input::Input;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct CreateTask {
    pub title: Template,
    pub due_in: Option<Span>,
    pub assignee: Option<Assignee>,
}

/// Who gets a task.
#[derive(Debug, Clone, PartialEq)]
pub enum Assignee {
    Owner,
    User,
    Email(String),
}

impl Kind for CreateTask {
    const KIND: &'static str = "create_task";
    const LABEL: &'static str = "Create a task";
    const INPUTS: &'static [BuilderInput] = &[
        input("title", "Task title", None),
        input(
            "due_in",
            "Due in",
            Some("Like 30m, 2h, 3d (empty: no due date)"),
        ),
        input(
            "assignee",
            "Assignee",
            Some("owner, user, or a user's email (empty: nobody)"),
        ),
    ];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<CreateTask> {
        let title = reader.template(obj, "title", at, subject, true);
        let due_in = match reader.optional_text(obj, "due_in", at) {
            Some(text) => match Span::parse(&text) {
                Ok(s) => Some(s),
                Err(e) => {
                    reader.fail(format!("{at}.due_in"), e);
                    None
                }
            },
            None => None,
        };
        let assignee = match reader.optional_text(obj, "assignee", at).as_deref() {
            None => None,
            Some("owner") if subject.is_record() => Some(Assignee::Owner),
            Some("user") if subject == Subject::User => Some(Assignee::User),
            Some(email) => reader
                .user_email(email, &format!("{at}.assignee"))
                .map(Assignee::Email),
        };
        Some(CreateTask {
            title: title?,
            due_in,
            assignee,
        })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        obj.insert("title".into(), self.title.source().into());
        if let Some(d) = &self.due_in {
            obj.insert("due_in".into(), d.text.clone().into());
        }
        if let Some(a) = &self.assignee {
            let who = match a {
                Assignee::Owner => "owner".to_string(),
                Assignee::User => "user".into(),
                Assignee::Email(e) => e.clone(),
            };
            obj.insert("assignee".into(), who.into());
        }
    }

    fn describe(&self, context: &Value) -> String {
        let due = self
            .due_in
            .as_ref()
            .map(|d| format!(", due in {}", d.text))
            .unwrap_or_default();
        let who = match &self.assignee {
            Some(Assignee::Owner) => match lookup(context, "owner.email").as_str() {
                Some(email) => format!(", for {email}"),
                None => ", for the owner (the record has none: nobody)".into(),
            },
            Some(Assignee::User) => ", for the user".into(),
            Some(Assignee::Email(e)) => format!(", for {e}"),
            None => String::new(),
        };
        format!(
            "Create the task “{}”{due}{who}",
            self.title.render(context, str::to_string)
        )
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        let context = effects.context().clone();
        let mut input = Input::field("title", self.title.render(&context, str::to_string));
        if let Some(due) = &self.due_in {
            input
                .fields
                .insert("due_at".into(), stamp(effects.now() + due.duration).into());
        }
        let assignee = match &self.assignee {
            None => None,
            Some(Assignee::Owner) => id_at(&context, "owner.id"),
            Some(Assignee::User) => id_at(&context, "user.id"),
            Some(Assignee::Email(email)) => Some(effects.active_user(email)?.0),
        };
        if let Some(a) = assignee {
            input.fields.insert("assignee_id".into(), a.into());
        }
        for (other, path) in [
            (Entity::Contact, "contact.id"),
            (Entity::Company, "company.id"),
            (Entity::Deal, "deal.id"),
        ] {
            if let Some(linked) = id_at(&context, path) {
                input
                    .fields
                    .insert(other.link_column().into(), linked.into());
            }
        }
        let (id, title) = effects.save(Entity::Task, None, input)?;
        Ok(format!("task #{id} created: {title}"))
    }
}
