//! `assign_owner`: gives the record (a task: its assignee) to one user, or to several in turn.

use super::{BuilderInput, Effects, Kind, Shape, StepError, record_of};
use crate::domain::automation::reader::{Reader, Subject};
use crate::domain::crm::Entity;
use crate::domain::input::Input;
use serde_json::{Map, Value, json};

/// To one user, or round-robin over several (by email).
#[derive(Debug, Clone, PartialEq)]
pub struct AssignOwner {
    pub users: Vec<String>,
}

impl Kind for AssignOwner {
    const KIND: &'static str = "assign_owner";
    const LABEL: &'static str = "Assign an owner";
    const INPUTS: &'static [BuilderInput] = &[BuilderInput {
        name: "users",
        label: "User",
        hint: Some("An email; several, separated by commas, take turns (round robin)"),
        shape: Shape::Emails,
    }];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<AssignOwner> {
        if !subject.is_record() {
            reader.needs(format!("{at}.type"), Self::KIND, "a rule about records");
        }
        let emails: Vec<String> = match (obj.get("user"), obj.get("round_robin")) {
            (Some(Value::String(one)), None) => vec![one.clone()],
            (None, Some(Value::Array(many))) if !many.is_empty() => many
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect(),
            _ => {
                reader.fail(
                    format!("{at}.user"),
                    "give a user's email, or round_robin with a list of emails",
                );
                return None;
            }
        };
        let users: Vec<String> = emails
            .iter()
            .filter_map(|e| reader.user_email(e, &format!("{at}.user")))
            .collect();
        (users.len() == emails.len()).then_some(AssignOwner { users })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        match self.users.as_slice() {
            [one] => obj.insert("user".into(), one.clone().into()),
            many => obj.insert("round_robin".into(), json!(many)),
        };
    }

    fn describe(&self, _context: &Value) -> String {
        match self.users.as_slice() {
            [one] => format!("Assign the record to {one}"),
            many => format!("Assign the record to the next of {}", many.join(", ")),
        }
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        let (entity, id) = record_of(effects, Self::KIND)?;
        let turn = if self.users.len() > 1 {
            effects.next_turn()?
        } else {
            0
        };
        let email = &self.users[(turn as usize) % self.users.len()];
        let (user, email) = effects.active_user(email)?;
        let column = if entity == Entity::Task {
            "assignee_id"
        } else {
            "owner_id"
        };
        if entity.field(column).is_none() {
            return Err(StepError::Permanent(format!(
                "{} have no owner",
                entity.table()
            )));
        }
        effects.save(entity, Some(id), Input::field(column, user))?;
        Ok(format!("{} #{id} assigned to {email}", entity.singular()))
    }
}
