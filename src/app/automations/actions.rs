//! What each action does. Every action but the webhook changes the workspace inside the step's
//! transaction, through the same write road as a person (`records::save_in`), so the usual
//! rules, timeline and events apply; the webhook is sent outside any transaction.

use crate::app::records::{Input, save_in};
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::automation::template::{Template, escape_html, lookup};
use crate::domain::automation::{Action, Assignee, Recipient};
use crate::domain::crm::Entity;
use crate::domain::secret::{hex, hmac_sha256};
use crate::error::{Error, Result};
use crate::store::automations;
use crate::store::crm::pipelines;
use crate::store::crm::records;
use crate::store::outbox::{self, NewMail};
use crate::store::users::{self, User};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// What a run's step works on.
pub struct StepContext<'a> {
    pub app: &'a App,
    pub tenant: &'a Tenant,
    pub actor: &'a User,
    pub rule_id: i64,
    /// The run's record, if it is about one.
    pub record: Option<(Entity, i64)>,
    pub context: &'a Value,
    pub depth: i64,
    pub now: DateTime<Utc>,
}

/// Why a step did not succeed.
pub enum StepError {
    /// Worth trying again later (a webhook's receiver is down).
    Transient(String),
    /// Trying again will not help (the contact has no email).
    Permanent(String),
}

impl From<Error> for StepError {
    fn from(e: Error) -> StepError {
        match e {
            Error::Internal(detail) => StepError::Transient(detail),
            other => StepError::Permanent(other.to_string()),
        }
    }
}

fn id_at(context: &Value, path: &str) -> Option<i64> {
    lookup(context, path).as_i64()
}

fn text_of(template: &Template, context: &Value) -> String {
    template.render(context, str::to_string)
}

fn record_of(step: &StepContext, what: &str) -> Result<(Entity, i64), StepError> {
    step.record.ok_or_else(|| {
        StepError::Permanent(format!("{what} needs a record, and this run has none"))
    })
}

/// The mail a send_email action makes, or why it cannot.
pub fn mail(action: &Action, context: &Value) -> Result<NewMail, StepError> {
    let Action::SendEmail {
        to,
        subject,
        body,
        html,
    } = action
    else {
        return Err(StepError::Permanent("not a mail".into()));
    };
    let (address, who) = match to {
        Recipient::Contact => (lookup(context, "contact.email"), "the contact"),
        Recipient::Owner => (lookup(context, "owner.email"), "the owner"),
        Recipient::User => (lookup(context, "user.email"), "the user"),
        Recipient::Address(a) => (&Value::String(a.clone()), "the address"),
    };
    let Some(address) = address.as_str().filter(|a| !a.is_empty()) else {
        return Err(StepError::Permanent(format!("{who} has no email address")));
    };
    let text = text_of(body, context);
    let html = match html {
        Some(h) => h.render(context, escape_html),
        None => text
            .split("\n\n")
            .map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")))
            .collect(),
    };
    Ok(NewMail {
        to: address.to_string(),
        subject: text_of(subject, context).replace(['\r', '\n'], " "),
        text,
        html,
    })
}

/// Does `action` inside `tx`; answers a line for the runs log.
pub fn perform(
    tx: &crate::store::Write,
    step: &StepContext,
    action: &Action,
) -> Result<String, StepError> {
    let now = stamp(step.now);
    let save = |entity: Entity, id: Option<i64>, input: Input| {
        save_in(
            tx,
            step.tenant,
            step.actor,
            entity,
            id,
            input,
            &now,
            step.depth + 1,
        )
    };
    match action {
        Action::SendEmail { .. } => {
            let mail = mail(action, step.context)?;
            outbox::enqueue(tx, &mail, &now)?;
            Ok(format!("mail to {} queued: {}", mail.to, mail.subject))
        }
        Action::CreateTask {
            title,
            due_in,
            assignee,
        } => {
            let mut input = Input::field("title", text_of(title, step.context));
            if let Some(due) = due_in {
                input
                    .fields
                    .insert("due_at".into(), stamp(step.now + due.duration).into());
            }
            let assignee_id = match assignee {
                None => None,
                Some(Assignee::Owner) => id_at(step.context, "owner.id"),
                Some(Assignee::User) => id_at(step.context, "user.id"),
                Some(Assignee::Email(email)) => Some(
                    users::by_email(tx, email)?
                        .filter(|u| u.active)
                        .ok_or_else(|| {
                            StepError::Permanent(format!("no active user has the email {email}"))
                        })?
                        .id
                        .0,
                ),
            };
            if let Some(a) = assignee_id {
                input.fields.insert("assignee_id".into(), a.into());
            }
            // The task goes with the run's records (for a deal: the deal, its contact and
            // company).
            for (other, path) in [
                (Entity::Contact, "contact.id"),
                (Entity::Company, "company.id"),
                (Entity::Deal, "deal.id"),
            ] {
                if let Some(linked) = id_at(step.context, path) {
                    input
                        .fields
                        .insert(other.link_column().into(), linked.into());
                }
            }
            let task = save(Entity::Task, None, input)?;
            Ok(format!("task #{} created: {}", task.id, task.title()))
        }
        Action::AssignOwner { users: emails } => {
            let (entity, id) = record_of(step, "assign_owner")?;
            let turn = if emails.len() > 1 {
                automations::next_round_robin(tx, step.rule_id)?
            } else {
                0
            };
            let email = &emails[(turn as usize) % emails.len()];
            let user = users::by_email(tx, email)?
                .filter(|u| u.active)
                .ok_or_else(|| {
                    StepError::Permanent(format!("no active user has the email {email}"))
                })?;
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
            save(entity, Some(id), Input::field(column, user.id.0))?;
            Ok(format!(
                "{} #{id} assigned to {}",
                entity.singular(),
                user.email
            ))
        }
        Action::AddLabel { label } | Action::RemoveLabel { label } => {
            let (entity, id) = record_of(step, action.kind())?;
            let record = records::get_live(tx, entity, id)?
                .ok_or_else(|| StepError::Permanent("the record is gone".into()))?;
            let mut labels: Vec<String> = record
                .labels
                .iter()
                .filter(|l| !l.eq_ignore_ascii_case(label))
                .cloned()
                .collect();
            let adding = matches!(action, Action::AddLabel { .. });
            if adding {
                labels.push(label.clone());
            }
            save(
                entity,
                Some(id),
                Input {
                    labels: Some(labels),
                    ..Input::default()
                },
            )?;
            Ok(format!(
                "label {label} {} {} #{id}",
                if adding { "added to" } else { "removed from" },
                entity.singular()
            ))
        }
        Action::UpdateField { field, value } => {
            let (entity, id) = record_of(step, "update_field")?;
            let value = match value {
                Value::String(text) => Template::parse(text)
                    .map(|t| Value::String(text_of(&t, step.context)))
                    .unwrap_or_else(|_| value.clone()),
                other => other.clone(),
            };
            let key = field.split_once('.').map_or(field.as_str(), |(_, k)| k);
            let input = match key.strip_prefix("custom.") {
                Some(custom) => {
                    let mut map = Map::new();
                    map.insert(custom.to_string(), value.clone());
                    Input {
                        custom: Some(map),
                        ..Input::default()
                    }
                }
                None => Input::field(key, value.clone()),
            };
            save(entity, Some(id), input)?;
            Ok(format!("{field} set to {value}"))
        }
        Action::MoveStage { stage } => {
            let (entity, id) = record_of(step, "move_stage")?;
            let deal_id = if entity == Entity::Deal {
                Some(id)
            } else {
                id_at(step.context, "deal.id")
            }
            .ok_or_else(|| StepError::Permanent("there is no deal to move".into()))?;
            let deal = records::get_live(tx, Entity::Deal, deal_id)?
                .ok_or_else(|| StepError::Permanent("the deal is gone".into()))?;
            let pipeline = deal
                .int("pipeline_id")
                .map(|p| pipelines::get(tx, p))
                .transpose()?
                .flatten()
                .ok_or_else(|| StepError::Permanent("the deal has no pipeline".into()))?;
            let target = pipeline
                .stages
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(stage))
                .ok_or_else(|| {
                    StepError::Permanent(format!(
                        "the pipeline {} has no stage {stage}",
                        pipeline.name
                    ))
                })?;
            save(
                Entity::Deal,
                Some(deal_id),
                Input::field("stage_id", target.id),
            )?;
            Ok(format!("deal #{deal_id} moved to {}", target.name))
        }
        Action::Wait { .. } | Action::Webhook { .. } => {
            Err(StepError::Permanent("not done inside a transaction".into()))
        }
    }
}

/// The JSON a webhook receives.
pub fn webhook_body(
    step: &StepContext,
    trigger: &str,
    rule_name: &str,
    run_id: i64,
    key: &str,
) -> String {
    json!({
        "event": trigger,
        "rule": {"id": step.rule_id, "name": rule_name},
        "run": run_id,
        "idempotency_key": key,
        "sent_at": stamp(step.now),
        "data": step.context,
    })
    .to_string()
}

/// Posts a signed webhook; answers the receiver's status line.
pub fn send_webhook(
    action: &Action,
    body: &str,
    key: &str,
    event: &str,
) -> Result<String, StepError> {
    let Action::Webhook {
        url,
        secret,
        timeout,
        ..
    } = action
    else {
        return Err(StepError::Permanent("not a webhook".into()));
    };
    let signature = format!(
        "sha256={}",
        hex(&hmac_sha256(secret.as_bytes(), body.as_bytes()))
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(timeout.duration.to_std().ok())
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("onebox/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Onebox-Signature", &signature)
        .header("X-Onebox-Event", event)
        .header("Idempotency-Key", key)
        .send(body)
        .map_err(|e| StepError::Transient(format!("{url}: {e}")))?;
    let status = response.status();
    if status.is_success() {
        Ok(format!("{url} answered {status}"))
    } else if status.as_u16() == 410 {
        Err(StepError::Permanent(format!(
            "{url} answered {status}: gone"
        )))
    } else {
        Err(StepError::Transient(format!("{url} answered {status}")))
    }
}
