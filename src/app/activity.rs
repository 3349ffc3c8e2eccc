//! Logging calls, meetings and emails on the timeline of a contact, company or deal.

use crate::app::{App, Tenant, write_rules};
use crate::domain::crm::{Entity, LOGGED_KINDS};
use crate::domain::fields::{self, Kind};
use crate::domain::ids::ActivityId;
use crate::domain::words::Lang;
use crate::error::{Error, FieldError, Result};
use crate::store::crm::activities::{self, NewActivity};
use crate::store::crm::records;
use crate::store::users::User;
use serde_json::{Map, Value};

impl App {
    /// Only logged activities can go, by their author or an admin; business events stay.
    pub fn delete_activity(&self, tenant: &Tenant, actor: &User, id: ActivityId) -> Result<()> {
        tenant.db.write(|tx| {
            let activity = activities::get(tx, id)?.ok_or(Error::NotFound)?;
            if !LOGGED_KINDS.contains(&activity.kind.as_str()) {
                return Err(Error::Conflict(
                    "only logged calls, meetings and emails can be deleted".into(),
                ));
            }
            if activity.actor_id != Some(actor.id) && !actor.role.can_manage_users() {
                return Err(Error::Forbidden(
                    "Only its author or an admin can delete this.".into(),
                ));
            }
            activities::delete(tx, id)
        })
    }

    /// Logs a call, meeting or email on a contact, company or deal.
    pub fn log_activity(
        &self,
        tenant: &Tenant,
        actor: &User,
        target: (Entity, i64),
        input: &Map<String, Value>,
    ) -> Result<activities::Activity> {
        tenant.require_entity(target.0)?;
        let now = self.stamp();
        let Logged {
            kind,
            occurred_at,
            outcome,
            body,
        } = read_logged(input, &now)?;
        tenant.db.write(|tx| {
            let record = records::get_live(tx, target.0, target.1)?
                .ok_or_else(|| Error::field(target.0.link_column(), "does not exist"))?;
            let (contact_id, company_id, deal_id) = write_rules::context(tx, &record)?;
            let said = crate::domain::activity::logged(kind, outcome.as_deref());
            let summary = said.read(Lang::En);
            let id = activities::insert(
                tx,
                &NewActivity {
                    kind,
                    summary,
                    said: Some(said.to_json()),
                    body: body.clone(),
                    outcome: outcome.clone(),
                    contact_id,
                    company_id,
                    deal_id,
                    task_id: None,
                    actor_id: Some(actor.id.0),
                    occurred_at: occurred_at.clone(),
                },
                &now,
            )?;
            activities::get(tx, id)?.ok_or(Error::NotFound)
        })
    }
}

/// What a person logs: a call, meeting or email, when, its outcome and notes.
struct Logged {
    kind: &'static str,
    occurred_at: String,
    outcome: Option<String>,
    body: String,
}

/// Reads and checks a logged activity; every problem is named with its field.
fn read_logged(input: &Map<String, Value>, now: &str) -> Result<Logged> {
    let text = |name: &str| input.get(name).cloned().unwrap_or(Value::Null);
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    let kind = match fields::normalize(Kind::Choice(LOGGED_KINDS), &text("kind"), "") {
        Ok(Value::String(k)) => LOGGED_KINDS
            .iter()
            .copied()
            .find(|l| *l == k)
            .unwrap_or("call"),
        Ok(_) => {
            fail("kind", "is required".into());
            "call"
        }
        Err(m) => {
            fail("kind", m);
            "call"
        }
    };
    let mut string = |name: &str, kind: Kind| match fields::normalize(kind, &text(name), "") {
        Ok(v) => v.as_str().map(str::to_string),
        Err(m) => {
            fail(name, m);
            None
        }
    };
    let occurred_at = string("occurred_at", Kind::DateTime).unwrap_or_else(|| now.to_string());
    let outcome = string("outcome", Kind::Text(200));
    let body = string("body", Kind::LongText(10_000)).unwrap_or_default();
    const KEYS: &[&str] = &[
        "kind",
        "occurred_at",
        "outcome",
        "body",
        "contact_id",
        "company_id",
        "deal_id",
    ];
    for key in input.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        fail(key, "is not a field of activities".into());
    }
    match Error::fields(errors) {
        Some(e) => Err(e),
        None => Ok(Logged {
            kind,
            occurred_at,
            outcome,
            body,
        }),
    }
}
