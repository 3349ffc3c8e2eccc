//! The automation engine of one tenant: turns queued events and due schedules into runs, and
//! takes each due run forward step by step.
//!
//! A step that changes the workspace commits together with its log row and the run's move to
//! the next step, so a crash before the commit leaves the step to be done again and a crash
//! after it never repeats it. A webhook cannot be part of a transaction: it is sent, then
//! recorded; a crash in between sends it again with the same `Idempotency-Key`
//! (`<tenant>-<run>-<step>`) for the receiver to drop the repeat.

use crate::app::automations::{context, events, schedules};
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::automation::{Known, Rule};
use crate::domain::crm::Entity;
use crate::domain::ids::RunId;
use crate::error::{Error, Result};
use crate::store::automation_runs::{self as runs, NewRun, RunState};
use crate::store::automations as store;
use crate::store::registry;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Rules whose actions trigger rules stop after this many levels.
pub const MAX_DEPTH: i64 = 3;
const BATCH: i64 = 100;

/// Everything due in one tenant at `now`: schedules, overdue tasks, queued events, runs.
pub fn work_tenant(app: &App, tenant: &Tenant) -> Result<()> {
    let now = app.now();
    schedules::fire_due(app, tenant, now)?;
    schedules::queue_overdue_tasks(tenant, now)?;
    drain_events(app, tenant, now)?;
    run_due(app, tenant)?;
    let (_, next_reminder) = app.send_due_reminders(tenant)?;
    let conn = tenant.db.conn()?;
    let next = [
        next_reminder,
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
                let ctx = match Entity::from_singular(&event.entity) {
                    Some(entity) => context::for_record(
                        tx,
                        app,
                        tenant,
                        entity,
                        event.record_id,
                        event.label.as_deref(),
                    )?,
                    None if event.entity == events::APPOINTMENT => {
                        context::for_appointment(tx, app, tenant, event.record_id)?
                    }
                    None if event.entity == events::RECEIPT => {
                        context::for_receipt(tx, app, tenant, event.record_id)?
                    }
                    None if event.entity == events::SESSION => {
                        context::for_session(tx, app, tenant, event.record_id)?
                    }
                    None if event.entity == events::CONVERSATION => {
                        context::for_conversation(tx, app, tenant, event.record_id)?
                    }
                    None => continue,
                };
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
        let due: Vec<RunId> = runs::runnable(&*tenant.db.conn()?, &app.stamp(), BATCH)?
            .into_iter()
            .filter(|id| !seen.contains(id))
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        for id in due {
            seen.insert(id);
            while super::step::step(app, tenant, id)? {}
        }
    }
}
