//! Time-driven automation work of one tenant: schedule slots in the account's time zone, runs
//! for the records of a saved view, and overdue tasks.

use crate::app::automations::context;
use crate::app::automations::engine::read_rule;
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::automation::schedule::time_zone;
use crate::domain::automation::{Event, Rule, Target, Trigger};
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::store::Connection;
use crate::store::automation_runs::{self as runs, NewRun};
use crate::store::automations::{self as store};
use crate::store::crm::{records, saved_views};
use crate::store::users;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Most records a scheduled rule runs for at one slot.
const MAX_SCHEDULED_RECORDS: i64 = 1000;

/// Where a schedule goes next, in the tenant's time zone.
pub fn next_slot(rule: &Rule, tenant: &Tenant, after: DateTime<Utc>) -> Option<String> {
    let cron = rule.schedule()?;
    let tz = time_zone(&tenant.account.time_zone).unwrap_or(chrono_tz::UTC);
    cron.next_after(after, tz).map(stamp)
}

/// Moves every schedule to its next slot in the account's (perhaps new) time zone.
pub fn reschedule(app: &App, tenant: &Tenant) -> Result<()> {
    let now = app.now();
    tenant.db.write(|tx| {
        for stored in store::list(tx)? {
            let rule = read_rule(&stored.definition)?;
            if rule.schedule().is_some() {
                store::set_next_run(tx, stored.id, next_slot(&rule, tenant, now).as_deref())?;
            }
        }
        Ok(())
    })?;
    app.wake_jobs(tenant.slug());
    Ok(())
}

/// Creates the runs of schedules whose slot has come. After downtime a schedule runs once,
/// for the latest slot, and goes on to the next slot after now.
pub fn fire_due(app: &App, tenant: &Tenant, now: DateTime<Utc>) -> Result<()> {
    let now_text = stamp(now);
    let due = store::due_schedules(&*tenant.db.conn()?, &now_text)?;
    for stored in due {
        tenant.db.write(|tx| {
            let rule = read_rule(&stored.definition)?;
            let Trigger::Schedule { target, .. } = &rule.trigger else {
                return Ok(());
            };
            let subjects: Vec<(Option<&str>, Option<i64>, Value)> = match target {
                Target::Once => vec![(None, None, context::for_nothing(tenant))],
                Target::EachUser => users::list(tx)?
                    .into_iter()
                    .filter(|u| u.active)
                    .filter_map(|u| {
                        context::for_user(tx, tenant, u.id.0, &now_text)
                            .transpose()
                            .map(|c| c.map(|c| (Some("user"), Some(u.id.0), c)))
                    })
                    .collect::<Result<_>>()?,
                Target::View { entity, name } => {
                    let ids = view_records(tx, *entity, name, tenant, now)?;
                    let mut out = Vec::new();
                    for id in ids {
                        if let Some(c) = context::for_record(tx, app, tenant, *entity, id, None)? {
                            out.push((Some(entity.singular()), Some(id), c));
                        }
                    }
                    out
                }
            };
            for (subject, subject_id, ctx) in subjects {
                if rule.conditions.hold(&ctx, &Default::default()) {
                    runs::insert_run(
                        tx,
                        &NewRun {
                            automation_id: stored.id,
                            definition: &stored.definition,
                            trigger: "schedule",
                            subject,
                            subject_id,
                            changed: &[],
                            label: None,
                            depth: 0,
                        },
                        &now_text,
                    )?;
                }
            }
            store::set_next_run(tx, stored.id, next_slot(&rule, tenant, now).as_deref())
        })?;
    }
    Ok(())
}

/// Ids of the records a shared saved view lists now.
fn view_records(
    conn: &Connection,
    entity: Entity,
    name: &str,
    tenant: &Tenant,
    now: DateTime<Utc>,
) -> Result<Vec<i64>> {
    let Some(view) = saved_views::shared(conn)?
        .into_iter()
        .find(|v| v.entity == entity && v.name == name)
    else {
        return Err(Error::field(
            "trigger.view",
            format!("the saved view {name:?} is gone"),
        ));
    };
    let params: Vec<(String, String)> = form_urlencoded::parse(view.query.as_bytes())
        .into_owned()
        .filter(|(k, _)| k != "page" && k != "per")
        .collect();
    // The workspace's days: a view's "due today" is the same for every user here.
    let mut query = crate::app::listing::list_query(
        entity,
        &params,
        &tenant.account.currency,
        now,
        tenant.zone_of(None),
    )?;
    query.limit = MAX_SCHEDULED_RECORDS;
    query.offset = 0;
    // Every record of the view up to the cap, however long reading them takes.
    let found = records::page_only(conn, entity, &query)?;
    Ok(found.into_iter().map(|r| r.id).collect())
}

pub fn queue_overdue_tasks(tenant: &Tenant, now: DateTime<Utc>) -> Result<()> {
    if !store::wants_overdue(&*tenant.db.conn()?)? {
        return Ok(());
    }
    let now_text = stamp(now);
    tenant.db.write(|tx| {
        for id in store::take_newly_overdue(tx, &now_text)? {
            if let Some(task) = records::get_live(tx, Entity::Task, id)? {
                crate::app::automations::events::push(
                    tx,
                    Event::TaskOverdue,
                    &task,
                    &[],
                    None,
                    0,
                    &now_text,
                )?;
            }
        }
        Ok(())
    })
}
