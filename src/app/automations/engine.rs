//! The automation engine of one tenant: turns queued events and due schedules into runs, and
//! takes each due run forward step by step.
//!
//! A step that changes the workspace commits together with its log row and the run's move to
//! the next step, so a crash before the commit leaves the step to be done again and a crash
//! after it never repeats it. A webhook cannot be part of a transaction: it is sent, then
//! recorded; a crash in between sends it again with the same `Idempotency-Key`
//! (`<tenant>-<run>-<step>`) for the receiver to drop the repeat.

use crate::app::automations::actions::{self, StepContext, StepEffects};
use crate::app::automations::{context, schedules};
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::automation::action::{Delivery, StepError};
use crate::domain::automation::{Action, Known, Rule};
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::store::Connection;
use crate::store::automation_runs::{self as runs, NewRun, Run, RunState, Step};
use crate::store::automations::{self as store, StoredRule};
use crate::store::registry;
use crate::store::users::{self, User};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Instant;

/// Rules whose actions trigger rules stop after this many levels.
pub const MAX_DEPTH: i64 = 3;
/// A failing step is tried this many times in all (webhooks say their own number).
const MAX_ATTEMPTS: i64 = 5;
const BATCH: i64 = 100;

/// Everything due in one tenant at `now`: schedules, overdue tasks, queued events, runs.
pub fn work_tenant(app: &App, tenant: &Tenant) -> Result<()> {
    let now = app.now();
    schedules::fire_due(app, tenant, now)?;
    schedules::queue_overdue_tasks(tenant, now)?;
    drain_events(app, tenant, now)?;
    run_due(app, tenant)?;
    let conn = tenant.db.conn()?;
    let next = [
        runs::next_run_due(&conn)?,
        store::next_schedule_due(&conn)?,
        if store::wants_overdue(&conn)? {
            store::next_task_due(&conn, &stamp(now))?
        } else {
            None
        },
    ]
    .into_iter()
    .flatten()
    .min();
    app.store
        .write_registry(|w| registry::set_jobs_due(w, tenant.slug(), next.as_deref()))
}

/// Reads a rule as it was saved; the names in it were checked then.
pub fn read_rule(definition: &Value) -> Result<Rule> {
    Rule::from_json(definition, &Known::any()).map_err(|errors| {
        Error::Internal(format!(
            "a saved rule no longer reads: {}",
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })
}

/// Turns queued events into runs of the rules that listen and whose conditions hold.
fn drain_events(app: &App, tenant: &Tenant, now: DateTime<Utc>) -> Result<()> {
    let now_text = stamp(now);
    loop {
        let events = store::first_events(&*tenant.db.conn()?, BATCH)?;
        if events.is_empty() {
            return Ok(());
        }
        tenant.db.write(|tx| {
            for event in &events {
                store::remove_event(tx, event.id)?;
                let Some(entity) = Entity::from_singular(&event.entity) else {
                    continue;
                };
                let ctx = context::for_record(
                    tx,
                    app,
                    tenant,
                    entity,
                    event.record_id,
                    event.label.as_deref(),
                )?;
                for stored in store::for_event(tx, &event.event)? {
                    let rule = read_rule(&stored.definition)?;
                    let run = NewRun {
                        automation_id: stored.id,
                        definition: &stored.definition,
                        trigger: &event.event,
                        subject: Some(&event.entity),
                        subject_id: Some(event.record_id),
                        changed: &event.changed,
                        label: event.label.as_deref(),
                        depth: event.depth,
                    };
                    if event.depth >= MAX_DEPTH {
                        let id = runs::insert_run(tx, &run, &now_text)?;
                        runs::advance(
                            tx,
                            id,
                            0,
                            &RunState {
                                status: "skipped",
                                next_step: 0,
                                attempts: 0,
                                due_at: None,
                                error: Some(&format!(
                                    "stopped: rules triggered each other {MAX_DEPTH} levels deep"
                                )),
                                finished_at: Some(&now_text),
                            },
                        )?;
                        continue;
                    }
                    let changed = event.changed.iter().cloned().collect();
                    if let Some(ctx) = &ctx
                        && rule.conditions.hold(ctx, &changed)
                    {
                        runs::insert_run(tx, &run, &now_text)?;
                    }
                }
            }
            Ok(())
        })?;
    }
}

/// Takes every due run forward until it waits, finishes or fails. Each run is taken once per
/// pass, so a run that cannot move (whatever the reason) never spins the worker.
fn run_due(app: &App, tenant: &Tenant) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    loop {
        let due: Vec<i64> = runs::runnable(&*tenant.db.conn()?, &app.stamp(), BATCH)?
            .into_iter()
            .filter(|id| !seen.contains(id))
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        for id in due {
            seen.insert(id);
            while step(app, tenant, id)? {}
        }
    }
}

/// The user a rule's actions act as: whoever made the rule, or else an owner.
fn actor(conn: &Connection, rule: &StoredRule) -> Result<User> {
    if let Some(user) = rule
        .created_by
        .map(|id| users::by_id(conn, crate::domain::ids::UserId(id)))
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

/// Does the next step of run `id`; true when the run may go straight on.
pub fn step(app: &App, tenant: &Tenant, id: i64) -> Result<bool> {
    let conn = tenant.db.conn()?;
    let now = app.now();
    let now_text = stamp(now);
    let Some(run) = runs::get_run(&conn, id)? else {
        return Ok(false);
    };
    let runnable = matches!(run.status.as_str(), "queued" | "waiting" | "retrying")
        && run
            .due_at
            .as_deref()
            .is_some_and(|d| d <= now_text.as_str());
    if !runnable {
        return Ok(false);
    }
    let Some(stored) = store::get(&conn, run.automation_id)? else {
        return Ok(false);
    };
    let definition: Value = serde_json::from_str(&run.definition)
        .map_err(|e| Error::internal("reading a run's rule", e))?;
    let rule = read_rule(&definition)?;
    let position = run.next_step;
    let Some(action) = rule.actions.get(position as usize) else {
        tenant.db.write(|tx| {
            runs::advance(tx, id, position, &finished(&run, "done", None, &now_text))
        })?;
        return Ok(false);
    };
    let record = run
        .subject
        .as_deref()
        .and_then(Entity::from_singular)
        .zip(run.subject_id);
    let ctx = match (record, run.subject.as_deref(), run.subject_id) {
        (Some((entity, rid)), _, _) => {
            context::for_record(&conn, app, tenant, entity, rid, run.label.as_deref())?
        }
        (None, Some("user"), Some(user)) => context::for_user(&conn, tenant, user, &now_text)?,
        _ => Some(context::for_nothing(tenant)),
    };
    let actor = actor(&conn, &stored)?;
    drop(conn);
    let started = Instant::now();
    let attempt = run.attempts + 1;
    let mut log = Step {
        position,
        attempt,
        action: action.kind().into(),
        status: "done".into(),
        detail: String::new(),
        error: None,
        started_at: now_text.clone(),
        duration_ms: 0,
    };
    let Some(ctx) = ctx else {
        log.status = "failed".into();
        log.error = Some("the run's record is gone".into());
        tenant.db.write(|tx| {
            runs::record_step(
                tx,
                id,
                &log,
                position,
                &finished(&run, "failed", log.error.as_deref(), &now_text),
            )
        })?;
        return Ok(false);
    };
    let step_ctx = StepContext {
        app,
        tenant,
        actor: &actor,
        rule_id: stored.id,
        record,
        context: &ctx,
        depth: run.depth,
        now,
    };
    match action {
        Action::Wait(wait) => {
            let until = stamp(now + wait.duration.duration);
            log.detail = format!("waiting until {until}");
            tenant.db.write(|tx| {
                runs::record_step(
                    tx,
                    id,
                    &log,
                    position,
                    &RunState {
                        status: "waiting",
                        next_step: position + 1,
                        attempts: 0,
                        due_at: Some(&until),
                        error: None,
                        finished_at: None,
                    },
                )
            })?;
            Ok(false)
        }
        Action::Webhook(hook) => {
            let key = format!("{}-{}-{}", tenant.slug(), id, position);
            let request = hook.request(&Delivery {
                event: &run.trigger,
                rule_id: stored.id,
                rule_name: &stored.name,
                run_id: id,
                key: &key,
                now,
                context: &ctx,
            });
            let outcome = actions::send_webhook(hook, &request);
            log.duration_ms = started.elapsed().as_millis() as i64;
            let max_attempts = i64::from(hook.retries) + 1;
            let now = app.now();
            tenant
                .db
                .write(|tx| record_in(tx, &run, log, outcome, max_attempts, &now))
        }
        _ => {
            let mailing = action.sends_mail();
            if mailing {
                app.store
                    .write_registry(|w| registry::note_mail_due(w, tenant.slug(), &now_text))?;
            }
            let went_on = tenant.db.write(|tx| {
                let outcome = crate::store::savepoint(tx, || {
                    let mut effects = StepEffects {
                        tx,
                        step: &step_ctx,
                    };
                    action.perform(&mut effects).map_err(step_error_to_error)
                })
                .map_err(StepError::from);
                log.duration_ms = started.elapsed().as_millis() as i64;
                record_in(tx, &run, log, outcome, MAX_ATTEMPTS, &app.now())
            })?;
            if mailing {
                app.wake_mailer(tenant.slug());
            }
            Ok(went_on)
        }
    }
}

/// Carries a step's error through the savepoint, keeping whether it is worth a retry.
fn step_error_to_error(e: StepError) -> Error {
    match e {
        StepError::Transient(m) => Error::Internal(m),
        StepError::Permanent(m) => Error::Conflict(m),
    }
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
