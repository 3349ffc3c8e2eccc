//! Automation rules as records: list, read, save (checked against the workspace), switch on
//! and off, delete; their runs, a retry of a failed run, and a dry run against a record.

pub mod actions;
pub mod context;
pub mod engine;
pub mod events;
pub mod schedules;
mod step;

use crate::app::{App, Tenant};
pub use crate::domain::automation::run::DryRun;
use crate::domain::automation::{Action, Known, Rule, Target, Trigger};
use crate::domain::capability::Capability;
use crate::domain::crm::Entity;
use crate::domain::ids::{RuleId, RunId};
use crate::error::{Error, Result};
use crate::store::Connection;
use crate::store::audit;
use crate::store::automation_runs::{self as runs, Run, Step};
use crate::store::automations::{self, RuleRow, StoredRule};
use crate::store::crm::{custom_fields, labels, pipelines, records, saved_views};
use crate::store::users::{self, User};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn may_manage(actor: &User) -> Result<()> {
    if actor.role.can_manage_users() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "Only admins and owners can change automations.".into(),
        ))
    }
}

/// What the workspace has, for the rule builder.
pub fn known_in(tenant: &Tenant) -> Result<Known> {
    known(&*tenant.db.conn()?)
}

/// What the workspace has, for checking the names a rule uses.
pub fn known(conn: &Connection) -> Result<Known> {
    let mut known = Known::default();
    for field in custom_fields::all(conn)? {
        known
            .custom
            .entry(field.entity)
            .or_default()
            .push(field.key.clone());
    }
    known.users = users::list(conn)?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| u.email)
        .collect();
    known.stages = pipelines::list(conn)?
        .into_iter()
        .flat_map(|p| p.stages.into_iter().map(|s| s.name))
        .collect();
    known.labels = labels::list(conn)?.into_iter().map(|l| l.name).collect();
    known.views = saved_views::shared(conn)?
        .into_iter()
        .map(|v| (v.entity, v.name))
        .collect();
    Ok(known)
}

impl App {
    /// Rules hold webhook secrets and act for the workspace: only admins and owners see them.
    pub fn automations(&self, tenant: &Tenant, actor: &User) -> Result<Vec<StoredRule>> {
        tenant.require(Capability::Automations)?;
        may_manage(actor)?;
        automations::list(&*tenant.db.conn()?)
    }

    pub fn automation(&self, tenant: &Tenant, actor: &User, id: RuleId) -> Result<StoredRule> {
        tenant.require(Capability::Automations)?;
        may_manage(actor)?;
        automations::get(&*tenant.db.conn()?, id)?.ok_or(Error::NotFound)
    }

    /// Reads and checks a rule's JSON against the workspace.
    pub fn check_rule(&self, tenant: &Tenant, json: &Value) -> Result<Rule> {
        let known = known(&*tenant.db.conn()?)?;
        let rule = Rule::from_json(json, &known).map_err(|errors| {
            Error::fields(errors).unwrap_or_else(|| Error::BadRequest("invalid rule".into()))
        })?;
        if let Some(needed) = rule.event().and_then(|e| e.capability())
            && !tenant.caps.allows(needed)
        {
            return Err(Error::field(
                "trigger.event",
                format!(
                    "is an event of {0}, and {0} is off in this workspace",
                    needed.as_str()
                ),
            ));
        }
        let texting = rule
            .actions
            .iter()
            .position(|a| matches!(a, Action::SendSms(_)));
        if let Some(i) = texting.filter(|_| !self.config.sms.is_configured()) {
            return Err(Error::field(
                &format!("actions[{i}].type"),
                "send_sms needs an SMS gateway, and this installation has none (the [sms] section of its configuration)",
            ));
        }
        Ok(rule)
    }

    /// Creates (`id` = None) or replaces a rule.
    pub fn save_automation(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: Option<RuleId>,
        json: &Value,
    ) -> Result<StoredRule> {
        tenant.require(Capability::Automations)?;
        may_manage(actor)?;
        let rule = self.check_rule(tenant, json)?;
        let definition = rule.to_json();
        let next_run_at = crate::app::automations::schedules::next_slot(&rule, tenant, self.now());
        let event = rule.event().map(|e| e.as_str());
        let row = RuleRow {
            name: &rule.name,
            enabled: rule.enabled,
            event,
            schedule: rule.schedule().map(|c| c.text.as_str()),
            definition: &definition,
            next_run_at: next_run_at.as_deref(),
        };
        let now = self.stamp();
        let what = if id.is_some() { "changed" } else { "created" };
        let saved = tenant.db.write(|tx| {
            let id = match id {
                Some(id) => {
                    automations::update(tx, id, &row, &now)?;
                    id
                }
                None => automations::insert(tx, &row, actor.id, &now)?,
            };
            audit::record(
                tx,
                Some(actor.id),
                &format!("automation.{what}"),
                &format!("#{id} {}", rule.name),
                &now,
            )?;
            automations::get(tx, id)?.ok_or(Error::NotFound)
        })?;
        self.wake_jobs(tenant.slug());
        Ok(saved)
    }

    pub fn set_automation_enabled(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: RuleId,
        enabled: bool,
    ) -> Result<()> {
        let stored = self.automation(tenant, actor, id)?;
        let mut json = stored.definition.clone();
        json["enabled"] = enabled.into();
        self.save_automation(tenant, actor, Some(id), &json)
            .map(|_| ())
    }

    /// Deletes a rule and its runs.
    pub fn delete_automation(&self, tenant: &Tenant, actor: &User, id: RuleId) -> Result<()> {
        tenant.require(Capability::Automations)?;
        may_manage(actor)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let stored = automations::get(tx, id)?.ok_or(Error::NotFound)?;
            automations::delete(tx, id)?;
            audit::record(
                tx,
                Some(actor.id),
                "automation.deleted",
                &format!("#{id} {}", stored.name),
                &now,
            )
        })
    }

    /// The latest runs, of one rule or of all.
    pub fn automation_runs(
        &self,
        tenant: &Tenant,
        actor: &User,
        rule: Option<RuleId>,
        limit: i64,
    ) -> Result<Vec<Run>> {
        tenant.require(Capability::Automations)?;
        may_manage(actor)?;
        runs::runs(&*tenant.db.conn()?, rule, limit)
    }

    pub fn automation_run(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: RunId,
    ) -> Result<(Run, Vec<Step>)> {
        tenant.require(Capability::Automations)?;
        may_manage(actor)?;
        let conn = tenant.db.conn()?;
        let run = runs::get_run(&conn, id)?.ok_or(Error::NotFound)?;
        let steps = runs::steps(&conn, id)?;
        Ok((run, steps))
    }

    /// Puts a failed run back in the queue at the step that failed.
    pub fn retry_automation_run(&self, tenant: &Tenant, actor: &User, id: RunId) -> Result<()> {
        tenant.require(Capability::Automations)?;
        may_manage(actor)?;
        let now = self.stamp();
        let retried = tenant.db.write(|tx| runs::retry_run(tx, id, &now))?;
        if !retried {
            return Err(Error::Conflict("only a failed run can be retried".into()));
        }
        self.wake_jobs(tenant.slug());
        Ok(())
    }

    /// What rule `id` would do for record `record_id` now, without doing it.
    pub fn dry_run(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: RuleId,
        record_id: i64,
    ) -> Result<DryRun> {
        let stored = self.automation(tenant, actor, id)?;
        let rule = engine::read_rule(&stored.definition)?;
        let conn = tenant.db.conn()?;
        let now = self.stamp();
        let (title, ctx) = match &rule.trigger {
            Trigger::Schedule {
                target: Target::EachUser,
                ..
            } => {
                let ctx = context::for_user(&conn, tenant, record_id, &now)?.ok_or_else(|| {
                    Error::field("record", "there is no active user with this id")
                })?;
                (format!("user #{record_id}"), ctx)
            }
            Trigger::Schedule {
                target: Target::Once,
                ..
            } => ("no record".to_string(), context::for_nothing(tenant)),
            Trigger::Event(e) if e.capability().is_some() => {
                self.subject_context(&conn, tenant, *e, record_id)?
            }
            trigger => {
                let entity = match trigger {
                    Trigger::Event(e) => e.entity(),
                    Trigger::Schedule { target, .. } => match target {
                        Target::View { entity, .. } => Some(*entity),
                        _ => None,
                    },
                };
                let entity = match entity {
                    Some(e) => e,
                    None => labelled_entity(&conn, record_id)?,
                };
                let ctx = context::for_record(&conn, self, tenant, entity, record_id, None)?
                    .ok_or_else(|| {
                        Error::field(
                            "record",
                            format!("there is no {} #{record_id}", entity.singular()),
                        )
                    })?;
                (format!("{} #{record_id}", entity.singular()), ctx)
            }
        };
        let changed: BTreeSet<String> = BTreeSet::new();
        let conditions = rule
            .conditions
            .list
            .iter()
            .map(|c| {
                (
                    format!("{} {} {}", c.field, c.op.label(), c.value),
                    c.holds(&ctx, &changed),
                )
            })
            .collect();
        let would_run = rule.conditions.hold(&ctx, &changed);
        let actions = rule.actions.iter().map(|a| a.describe(&ctx)).collect();
        Ok(DryRun {
            record: title,
            conditions,
            would_run,
            actions,
        })
    }
}

impl App {
    /// A dry run's context for an event about an appointment, a receipt or a session.
    fn subject_context(
        &self,
        conn: &Connection,
        tenant: &Tenant,
        event: crate::domain::automation::Event,
        record_id: i64,
    ) -> Result<(String, Value)> {
        use crate::domain::automation::Event;
        let (what, ctx) = match event {
            Event::ReceiptFinalized => (
                "receipt",
                context::for_receipt(conn, self, tenant, record_id)?,
            ),
            Event::SessionClosed => (
                "session",
                context::for_session(conn, self, tenant, record_id)?,
            ),
            e if e.is_inbox() => (
                "conversation",
                context::for_conversation(conn, self, tenant, record_id)?,
            ),
            _ => (
                "appointment",
                context::for_appointment(conn, self, tenant, record_id)?,
            ),
        };
        let ctx =
            ctx.ok_or_else(|| Error::field("record", format!("there is no {what} #{record_id}")))?;
        Ok((format!("{what} #{record_id}"), ctx))
    }
}

/// For a label rule's dry run: the first kind of record with this id.
fn labelled_entity(conn: &Connection, id: i64) -> Result<Entity> {
    for entity in [Entity::Contact, Entity::Company, Entity::Deal] {
        if records::exists(conn, entity, id)? {
            return Ok(entity);
        }
    }
    Err(Error::field(
        "record",
        format!("there is no contact, company or deal #{id}"),
    ))
}

/// The API's JSON form of a stored rule.
pub fn rule_json(rule: &StoredRule) -> Value {
    let mut out = rule.definition.clone();
    out["id"] = rule.id.into();
    out["next_run_at"] = json!(rule.next_run_at);
    out["created_at"] = rule.created_at.clone().into();
    out["updated_at"] = rule.updated_at.clone().into();
    out
}
