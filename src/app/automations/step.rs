//! One step of a run: reading what it needs, carrying out its action (in a transaction with
//! its log row and the run's move, or, for a webhook or text message, outside any), and
//! recording the outcome.

use super::engine::read_rule;
use crate::app::automations::actions::{self, StepContext, StepEffects};
use crate::app::automations::context;
use crate::app::automations::events::{APPOINTMENT, CONVERSATION, RECEIPT, SESSION};
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::automation::action::{Delivery, SendSms, StepError, Webhook};
use crate::domain::automation::{Action, Rule};
use crate::domain::crm::Entity;
use crate::domain::ids::RunId;
use crate::error::{Error, Result};
use crate::store::Connection;
use crate::store::automation_runs::{self as runs, Run, RunState, Step};
use crate::store::automations::{self as store, StoredRule};
use crate::store::registry;
use crate::store::users::{self, User};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Instant;

/// A failing step is tried this many times in all (webhooks say their own number).
const MAX_ATTEMPTS: i64 = 5;

/// The user a rule's actions act as: whoever made the rule, or else an owner.
fn actor(conn: &Connection, rule: &StoredRule) -> Result<User> {
    if let Some(user) = rule
        .created_by
        .map(|id| users::by_id(conn, id))
        .transpose()?
        .flatten()
        .filter(|u| u.active)
    {
        return Ok(user);
    }
    users::list(conn)?
        .into_iter()
        .find(|u| u.active && u.role.can_manage_account())
        .ok_or_else(|| Error::Internal("the workspace has no active owner".into()))
}

/// A run whose next step is due, with everything the step needs.
struct Due {
    run: Run,
    stored: StoredRule,
    rule: Rule,
    record: Option<(Entity, i64)>,
    conversation: Option<i64>,
    /// `None` when the run's record is gone.
    context: Option<Value>,
    actor: User,
}

/// Run `id` if its next step is due now; a run past its last step is finished here.
fn due(app: &App, tenant: &Tenant, id: RunId, now_text: &str) -> Result<Option<Due>> {
    let conn = tenant.db.conn()?;
    let Some(run) = runs::get_run(&conn, id)? else {
        return Ok(None);
    };
    let runnable = matches!(run.status.as_str(), "queued" | "waiting" | "retrying")
        && run.due_at.as_deref().is_some_and(|d| d <= now_text);
    if !runnable {
        return Ok(None);
    }
    let Some(stored) = store::get(&conn, run.automation_id)? else {
        return Ok(None);
    };
    let definition: Value = serde_json::from_str(&run.definition)
        .map_err(|e| Error::internal("reading a run's rule", e))?;
    let rule = read_rule(&definition)?;
    if rule.actions.get(run.next_step as usize).is_none() {
        drop(conn);
        let done = finished(&run, "done", None, now_text);
        tenant
            .db
            .write(|tx| runs::advance(tx, id, run.next_step, &done))?;
        return Ok(None);
    }
    let mut record = run
        .subject
        .as_deref()
        .and_then(Entity::from_singular)
        .zip(run.subject_id);
    let context = match (record, run.subject.as_deref(), run.subject_id) {
        (Some((entity, rid)), _, _) => {
            context::for_record(&conn, app, tenant, entity, rid, run.label.as_deref())?
        }
        (None, Some("user"), Some(user)) => context::for_user(&conn, tenant, user, now_text)?,
        (None, Some(RECEIPT), Some(id)) => {
            let ctx = context::for_receipt(&conn, app, tenant, id)?;
            // Its actions go on the client, when it has one.
            record = ctx
                .as_ref()
                .and_then(|c| c["contact"]["id"].as_i64())
                .map(|contact| (Entity::Contact, contact));
            ctx
        }
        (None, Some(SESSION), Some(id)) => context::for_session(&conn, app, tenant, id)?,
        (None, Some(CONVERSATION), Some(id)) => {
            let ctx = context::for_conversation(&conn, app, tenant, id)?;
            // Its label and task actions go on the contact.
            record = ctx
                .as_ref()
                .and_then(|c| c["contact"]["id"].as_i64())
                .map(|contact| (Entity::Contact, contact));
            ctx
        }
        (None, Some(APPOINTMENT), Some(id)) => {
            let ctx = context::for_appointment(&conn, app, tenant, id)?;
            // Its actions (a task, a label) go on the client.
            record = ctx
                .as_ref()
                .and_then(|c| c["contact"]["id"].as_i64())
                .map(|contact| (Entity::Contact, contact));
            ctx
        }
        _ => Some(context::for_nothing(tenant)),
    };
    let actor = actor(&conn, &stored)?;
    let conversation = (run.subject.as_deref() == Some(CONVERSATION))
        .then_some(run.subject_id)
        .flatten();
    Ok(Some(Due {
        run,
        stored,
        rule,
        record,
        conversation,
        context,
        actor,
    }))
}

/// Does the next step of run `id`; true when the run may go straight on.
pub fn step(app: &App, tenant: &Tenant, id: RunId) -> Result<bool> {
    let now = app.now();
    let now_text = stamp(now);
    let Some(due) = due(app, tenant, id, &now_text)? else {
        return Ok(false);
    };
    let run = &due.run;
    let position = run.next_step;
    let action = &due.rule.actions[position as usize];
    let mut log = Step {
        position,
        attempt: run.attempts + 1,
        action: action.kind().into(),
        status: "done".into(),
        detail: String::new(),
        error: None,
        started_at: now_text.clone(),
        duration_ms: 0,
    };
    let Some(context) = &due.context else {
        log.status = "failed".into();
        log.error = Some("the run's record is gone".into());
        let failed = finished(run, "failed", log.error.as_deref(), &now_text);
        tenant
            .db
            .write(|tx| runs::record_step(tx, id, &log, position, &failed))?;
        return Ok(false);
    };
    let step = StepContext {
        app,
        tenant,
        actor: &due.actor,
        rule_id: due.stored.id,
        record: due.record,
        conversation: due.conversation,
        context,
        depth: run.depth,
        now,
    };
    match action {
        Action::Wait(wait) => {
            let until = stamp(now + wait.duration.duration);
            log.detail = format!("waiting until {until}");
            let waiting = RunState {
                status: "waiting",
                next_step: position + 1,
                attempts: 0,
                due_at: Some(&until),
                error: None,
                finished_at: None,
            };
            tenant
                .db
                .write(|tx| runs::record_step(tx, id, &log, position, &waiting))?;
            Ok(false)
        }
        Action::Webhook(hook) => send(&step, &due, hook, log),
        Action::SendSms(sms) => text(&step, &due, sms, log),
        _ => perform(&step, run, action, log),
    }
}

/// Does what cannot be part of a transaction (`send`, given the step's idempotency key), then
/// records what came of it; a failure worth retrying is tried `max_attempts` times in all.
fn outside(
    step: &StepContext,
    due: &Due,
    mut log: Step,
    max_attempts: i64,
    send: impl FnOnce(&str) -> Result<String, StepError>,
) -> Result<bool> {
    let started = Instant::now();
    let run = &due.run;
    let key = format!("{}-{}-{}", step.tenant.slug(), run.id, run.next_step);
    let outcome = send(&key);
    log.duration_ms = started.elapsed().as_millis() as i64;
    let now = step.app.now();
    step.tenant
        .db
        .write(|tx| record_in(tx, run, log, outcome, max_attempts, &now))
}

/// A signed webhook, with the retries the rule asks for.
fn send(step: &StepContext, due: &Due, hook: &Webhook, log: Step) -> Result<bool> {
    let retries = i64::from(hook.retries) + 1;
    outside(step, due, log, retries, |key| {
        let request = hook.request(&Delivery {
            event: &due.run.trigger,
            rule_id: due.stored.id,
            rule_name: &due.stored.name,
            run_id: due.run.id,
            key,
            now: step.now,
            context: step.context,
        });
        actions::send_webhook(hook, &request)
    })
}

/// A text message through the installation's gateway.
fn text(step: &StepContext, due: &Due, sms: &SendSms, log: Step) -> Result<bool> {
    outside(step, due, log, MAX_ATTEMPTS, |key| {
        let (to, text) = sms.message(step.context)?;
        actions::send_sms(&step.app.config.sms, (&to, &text), key)
    })
}

/// Carries out an action in one transaction with its log row and the run's move.
fn perform(step: &StepContext, run: &Run, action: &Action, mut log: Step) -> Result<bool> {
    let (app, tenant) = (step.app, step.tenant);
    let started = Instant::now();
    let mailing = action.sends_mail();
    if mailing {
        let now_text = stamp(step.now);
        app.store
            .write_registry(|w| registry::note_mail_due(w, tenant.slug(), &now_text))?;
    }
    let went_on = tenant.db.write(|tx| {
        // The step's own error is kept as it is; the savepoint only needs to know it failed.
        let mut refused = None;
        let undone = crate::store::savepoint(tx, || {
            let mut effects = StepEffects { tx, step };
            action.perform(&mut effects).map_err(|e| {
                refused = Some(e);
                Error::Conflict("the step failed".into())
            })
        });
        let outcome = match (undone, refused) {
            (Ok(detail), _) => Ok(detail),
            (Err(_), Some(e)) => Err(e),
            (Err(e), None) => Err(StepError::from(e)),
        };
        log.duration_ms = started.elapsed().as_millis() as i64;
        record_in(tx, run, log, outcome, MAX_ATTEMPTS, &app.now())
    })?;
    if mailing {
        app.wake_mailer(tenant.slug());
    }
    Ok(went_on)
}

fn finished<'a>(run: &Run, status: &'a str, error: Option<&'a str>, now: &'a str) -> RunState<'a> {
    RunState {
        status,
        next_step: run.next_step,
        attempts: run.attempts,
        due_at: None,
        error,
        finished_at: Some(now),
    }
}

/// Logs a step and moves the run: on to the next step, to a retry later, or to failed.
fn record_in(
    tx: &crate::store::Write,
    run: &Run,
    mut log: Step,
    outcome: Result<String, StepError>,
    max_attempts: i64,
    now: &DateTime<Utc>,
) -> Result<bool> {
    let now_text = stamp(*now);
    let position = run.next_step;
    let attempt = log.attempt;
    log.attempt = runs::next_attempt(tx, run.id, position)?;
    // Set in the arm that needs them; the run's next state borrows them.
    let (retry_at, error);
    let (state, go_on) = match outcome {
        Ok(detail) => {
            log.detail = detail;
            let next = RunState {
                status: "queued",
                next_step: position + 1,
                attempts: 0,
                due_at: Some(&now_text),
                error: None,
                finished_at: None,
            };
            (next, true)
        }
        Err(StepError::Transient(message)) if attempt < max_attempts => {
            retry_at = stamp(*now + crate::mail::mailer::backoff(attempt));
            log.status = "retrying".into();
            log.detail = format!("will try again at {retry_at}");
            log.error = Some(message);
            let again = RunState {
                status: "retrying",
                next_step: position,
                attempts: attempt,
                due_at: Some(&retry_at),
                error: log.error.as_deref(),
                finished_at: None,
            };
            (again, false)
        }
        Err(StepError::Transient(message) | StepError::Permanent(message)) => {
            log.status = "failed".into();
            error = format!("step {} ({}): {message}", position + 1, log.action);
            log.error = Some(message);
            let failed = RunState {
                status: "failed",
                next_step: position,
                attempts: attempt,
                due_at: None,
                error: Some(&error),
                finished_at: Some(&now_text),
            };
            (failed, false)
        }
    };
    let moved = runs::record_step(tx, run.id, &log, position, &state)?;
    check_moved(moved, go_on)
}

/// A run that another pass moved meanwhile must not keep this step's work: roll it back.
fn check_moved(moved: bool, go_on: bool) -> Result<bool> {
    if moved {
        Ok(go_on)
    } else {
        Err(Error::Conflict("the run was moved by another pass".into()))
    }
}
