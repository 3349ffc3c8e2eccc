//! Carrying out a rule's actions. What each action does is said by its module in
//! `domain::automation::action`; here are the effects it may have, on the step's write
//! transaction and through the same write road as a person (`records::save_in`), so the usual
//! rules, timeline and events apply, and the things done outside any transaction: sending a
//! webhook or a text message.

use crate::app::records::{Input, WriteCtx, save_in};
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::config::SmsConfig;
use crate::domain::automation::action::{Effects, StepError, Webhook, WebhookRequest};
use crate::domain::crm::Entity;
use crate::domain::ids::{RuleId, StageId};
use crate::domain::outbox::NewMail;
use crate::error::Error;
use crate::store::Write;
use crate::store::automations;
use crate::store::crm::{pipelines, records};
use crate::store::outbox;
use crate::store::users::{self, User};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// A failure of the workspace (its file, the disk) is worth another try, and its detail is
/// for the log: the runs log says only that it happened.
impl From<Error> for StepError {
    fn from(e: Error) -> StepError {
        match e {
            Error::Internal(_) | Error::Unavailable(_) | Error::DiskFull => {
                crate::warn!("automation step failed, to be retried: {e}");
                StepError::Transient(e.public_message())
            }
            other => StepError::Permanent(other.to_string()),
        }
    }
}

/// What a run's step works on.
pub struct StepContext<'a> {
    pub app: &'a App,
    pub tenant: &'a Tenant,
    pub actor: &'a User,
    pub rule_id: RuleId,
    /// The run's record, if it is about one.
    pub record: Option<(Entity, i64)>,
    /// The run's conversation, if it is about one.
    pub conversation: Option<i64>,
    pub context: &'a Value,
    pub depth: i64,
    pub now: DateTime<Utc>,
}

/// A step's effects, on its write transaction.
pub struct StepEffects<'a> {
    pub tx: &'a Write<'a>,
    pub step: &'a StepContext<'a>,
}

impl Effects for StepEffects<'_> {
    fn conversation(
        &mut self,
        change: crate::domain::automation::action::ConversationChange,
    ) -> Result<String, StepError> {
        let step = self.step;
        let id = step
            .conversation
            .ok_or_else(|| StepError::Permanent("this run is not about a conversation".into()))?;
        let (line, mails) = step.app.change_conversation(
            self.tx,
            step.tenant,
            step.actor,
            crate::domain::ids::ConversationId(id),
            (change, step.now),
        )?;
        for mail in &mails {
            self.queue_mail(mail)?;
        }
        Ok(line)
    }

    fn context(&self) -> &Value {
        self.step.context
    }

    fn record(&self) -> Option<(Entity, i64)> {
        self.step.record
    }

    fn now(&self) -> DateTime<Utc> {
        self.step.now
    }

    fn queue_mail(&mut self, mail: &NewMail) -> Result<(), StepError> {
        outbox::enqueue(self.tx, mail, &stamp(self.step.now))?;
        Ok(())
    }

    fn save(
        &mut self,
        entity: Entity,
        id: Option<i64>,
        input: Input,
    ) -> Result<(i64, String), StepError> {
        let step = self.step;
        let now = stamp(step.now);
        let w = WriteCtx {
            tx: self.tx,
            tenant: step.tenant,
            actor: step.actor,
            now: &now,
            depth: step.depth + 1,
        };
        let saved = save_in(&w, entity, id, input)?;
        Ok((saved.id, saved.title()))
    }

    fn active_user(&mut self, email: &str) -> Result<(i64, String), StepError> {
        let user = users::by_email(self.tx, email)?
            .filter(|u| u.active)
            .ok_or_else(|| StepError::Permanent(format!("no active user has the email {email}")))?;
        Ok((user.id.0, user.email))
    }

    fn labels_of(&mut self, entity: Entity, id: i64) -> Result<Vec<String>, StepError> {
        let record = records::get_live(self.tx, entity, id)?
            .ok_or_else(|| StepError::Permanent("the record is gone".into()))?;
        Ok(record.labels)
    }

    fn deal_stages(&mut self, deal: i64) -> Result<(String, Vec<(StageId, String)>), StepError> {
        let deal = records::get_live(self.tx, Entity::Deal, deal)?
            .ok_or_else(|| StepError::Permanent("the deal is gone".into()))?;
        let pipeline = deal
            .pipeline_id()
            .map(|p| pipelines::get(self.tx, p))
            .transpose()?
            .flatten()
            .ok_or_else(|| StepError::Permanent("the deal has no pipeline".into()))?;
        let stages = pipeline
            .stages
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        Ok((pipeline.name, stages))
    }

    fn next_turn(&mut self) -> Result<i64, StepError> {
        Ok(automations::next_round_robin(self.tx, self.step.rule_id)?)
    }
}

/// POSTs `body` with `headers` to `url`, waiting at most `timeout`; answers the status and
/// its line. Not reaching the receiver is worth another try.
fn post(
    url: &str,
    timeout: std::time::Duration,
    headers: &[(&'static str, String)],
    body: &str,
) -> Result<(u16, String), StepError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("onebox/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut post = agent.post(url);
    for (name, value) in headers {
        post = post.header(*name, value);
    }
    let response = post
        .send(body)
        .map_err(|e| StepError::Transient(e.to_string()))?;
    let status = response.status();
    Ok((status.as_u16(), status.to_string()))
}

/// Posts a signed webhook; answers the receiver's status line.
pub fn send_webhook(hook: &Webhook, request: &WebhookRequest) -> Result<String, StepError> {
    let (status, line) = post(
        &request.url,
        request.timeout,
        &request.headers,
        &request.body,
    )
    .map_err(|e| match e {
        StepError::Transient(m) => StepError::Transient(format!("{}: {m}", request.url)),
        other => other,
    })?;
    hook.outcome(status, &line)
}

/// Sends one text message through the installation's gateway; `key` is the same on every
/// attempt, for the gateway to drop repeats. The gateway's address is never in the log: it
/// may carry a key.
pub fn send_sms(
    gateway: &SmsConfig,
    (to, text): (&str, &str),
    key: &str,
) -> Result<String, StepError> {
    if !gateway.is_configured() {
        return Err(StepError::Permanent(
            "no SMS gateway is set up (the [sms] section of the configuration)".into(),
        ));
    }
    let body = crate::domain::sms::body(&gateway.body, &gateway.content_type, to, text);
    let mut headers = vec![
        ("Content-Type", gateway.content_type.clone()),
        ("Idempotency-Key", key.to_string()),
    ];
    if !gateway.authorization.is_empty() {
        headers.push(("Authorization", gateway.authorization.clone()));
    }
    let timeout = std::time::Duration::from_secs(gateway.timeout_secs);
    let (status, line) = post(&gateway.url, timeout, &headers, &body).map_err(|e| match e {
        StepError::Transient(m) => {
            StepError::Transient(format!("the SMS gateway could not be reached: {m}"))
        }
        other => other,
    })?;
    match status {
        200..=299 => Ok(format!("text message to {to} taken by the gateway: {line}")),
        408 | 429 | 500.. => Err(StepError::Transient(format!(
            "the SMS gateway answered {line}"
        ))),
        _ => Err(StepError::Permanent(format!(
            "the SMS gateway refused it: {line}"
        ))),
    }
}
