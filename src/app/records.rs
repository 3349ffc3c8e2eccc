//! Creating, changing, trashing and restoring contacts, companies, deals, tasks and notes.
//!
//! Every write, from a form or the API, takes one road: the input is normalized field by field
//! against the entity's table, custom attributes against their definitions, then the entity's
//! rules run (`write_rules`), references are checked to exist in this tenant, and only when nothing
//! is wrong are the record, its labels and its timeline entries written, in one transaction.

pub use crate::app::change::{Change, Input};

use crate::app::change::{
    apply_custom_input, apply_fields, check_required_and_references, defaults, resolve_labels,
};
use crate::app::{App, Tenant, write_rules};
use crate::domain::crm::Entity;
use crate::domain::fields::Kind;
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::crm::labels;
use crate::store::crm::records::{self, Record};
use crate::store::users::User;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Days a record stays restorable in the trash.
pub const TRASH_DAYS: i64 = 30;

impl Tenant {
    /// Entities behind a switched-off capability are not there.
    pub fn require_entity(&self, entity: Entity) -> Result<()> {
        entity.capability().map_or(Ok(()), |c| self.require(c))
    }
}

impl App {
    /// Creates (`id` = None) or changes a record.
    pub fn save_record(
        &self,
        tenant: &Tenant,
        actor: &User,
        entity: Entity,
        id: Option<i64>,
        input: Input,
    ) -> Result<Record> {
        tenant.require_entity(entity)?;
        let now = self.stamp();
        let saved = tenant.db.write(|tx| {
            let w = WriteCtx {
                tx,
                tenant,
                actor,
                now: &now,
                depth: 0,
            };
            let input = with_new_company(&w, entity, input)?;
            save_in(&w, entity, id, input)
        })?;
        self.wake_jobs(tenant.slug());
        Ok(saved)
    }

    /// Moves a record to the trash. Records linked to it stay as they are.
    pub fn trash_record(
        &self,
        tenant: &Tenant,
        actor: &User,
        entity: Entity,
        id: i64,
    ) -> Result<()> {
        tenant.require_entity(entity)?;
        let now = self.now();
        tenant.db.write(|tx| {
            let record = records::get_live(tx, entity, id)?.ok_or(Error::NotFound)?;
            if entity == Entity::Note {
                may_edit_note(actor, &record)?;
            }
            // The cron thread's daily upkeep purges it after TRASH_DAYS.
            records::set_deleted(tx, entity, id, Some(&crate::clock::stamp(now)))?;
            Ok(())
        })
    }

    /// Takes a record out of the trash.
    pub fn restore_record(&self, tenant: &Tenant, entity: Entity, id: i64) -> Result<Record> {
        tenant.require_entity(entity)?;
        tenant.db.write(|tx| {
            let record = records::get(tx, entity, id)?
                .filter(|r| r.deleted_at.is_some())
                .ok_or(Error::NotFound)?;
            if let (Entity::Contact, Some(email)) = (entity, record.str("email"))
                && let Some(other) = records::contact_by_email(tx, email)?
            {
                return Err(Error::Duplicate {
                    field: "email".into(),
                    message: format!(
                        "another contact now has the email {email}; change one of them first"
                    ),
                    existing: (Entity::Contact, other.0),
                });
            }
            records::set_deleted(tx, entity, id, None)?;
            records::get(tx, entity, id)?.ok_or(Error::NotFound)
        })
    }

    /// How many live records point at this one, by kind: shown before a delete.
    pub fn linked_counts(
        &self,
        tenant: &Tenant,
        entity: Entity,
        id: i64,
    ) -> Result<Vec<(Entity, i64)>> {
        let conn = tenant.db.conn()?;
        let column = entity.link_column();
        let mut out = Vec::new();
        for other in Entity::ALL {
            let links_here = other
                .field(column)
                .is_some_and(|f| matches!(f.kind, Kind::Ref(e) if e == entity));
            if links_here && tenant.require_entity(other).is_ok() {
                let n = records::count_linked(&conn, other, column, id)?;
                if n > 0 {
                    out.push((other, n));
                }
            }
        }
        Ok(out)
    }
}

/// What every write through `save_in` carries: its transaction, the workspace, who writes,
/// when, and how many automation steps led to it (0 for a person's change).
pub struct WriteCtx<'a> {
    pub tx: &'a Write<'a>,
    pub tenant: &'a Tenant,
    pub actor: &'a User,
    pub now: &'a str,
    pub depth: i64,
}

/// Creates or changes a record inside the caller's transaction: the road every write takes.
/// A contact's input with the company it names to create made, in the same transaction (so a
/// contact refused leaves no company behind), and linked.
fn with_new_company(w: &WriteCtx, entity: Entity, mut input: Input) -> Result<Input> {
    let Some(name) = input
        .new_company
        .take()
        .filter(|_| entity == Entity::Contact)
    else {
        return Ok(input);
    };
    let chosen = input
        .fields
        .get("company_id")
        .is_some_and(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()));
    if chosen {
        return Err(Error::field(
            "new_company",
            "is given with a company chosen: choose one or name a new one",
        ));
    }
    let mut company = Input::default();
    company.fields.insert("name".into(), Value::String(name));
    let made = save_in(w, Entity::Company, None, company).map_err(|e| match e {
        Error::Invalid { fields, .. } => Error::field(
            "new_company",
            fields
                .into_iter()
                .next()
                .map_or_else(String::new, |f| f.message),
        ),
        other => other,
    })?;
    input.fields.insert("company_id".into(), made.id.into());
    Ok(input)
}

pub(crate) fn save_in(
    w: &WriteCtx,
    entity: Entity,
    id: Option<i64>,
    input: Input,
) -> Result<Record> {
    let WriteCtx {
        tx,
        tenant,
        actor,
        now,
        ..
    } = *w;
    let before = match id {
        Some(id) => Some(records::get_live(tx, entity, id)?.ok_or(Error::NotFound)?),
        None => None,
    };
    if let (Entity::Note, Some(note)) = (entity, &before) {
        may_edit_note(actor, note)?;
    }
    let mut change = Change {
        entity,
        before: before.as_ref(),
        values: before
            .as_ref()
            .map_or_else(|| defaults(entity), |b| b.values.clone()),
        touched: BTreeSet::new(),
        errors: Vec::new(),
        now: now.to_string(),
    };
    apply_fields(&mut change, &input.fields, &tenant.account.currency);
    let custom = apply_custom_input(tx, &mut change, input.custom.as_ref())?;
    let label_ids = resolve_labels(tx, &mut change, input.labels.as_deref())?;
    write_rules::apply(tx, &mut change, &tenant.account.currency)?;
    check_required_and_references(tx, &mut change)?;
    if let Some(e) = Error::fields(std::mem::take(&mut change.errors)) {
        return Err(e);
    }
    let id = match &before {
        None => records::insert(tx, entity, &change.values, &custom, Some(actor.id.0), now)?,
        Some(b) => {
            let changed: Map<String, Value> = change
                .values
                .iter()
                .filter(|(k, _)| change.changed(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            records::update(
                tx,
                entity,
                b.id,
                &changed,
                (custom != b.custom).then_some(&custom),
                now,
            )?;
            b.id
        }
    };
    let (added, removed) = match &label_ids {
        Some(ids) => labels::set(tx, entity, id, ids)?,
        None => (Vec::new(), Vec::new()),
    };
    let saved = records::get(tx, entity, id)?.ok_or(Error::NotFound)?;
    write_rules::log(tx, &change, &saved, actor, &added, &removed)?;
    crate::app::automations::events::queue(tx, &change, &saved, &added, &removed, w.depth)?;
    Ok(saved)
}

fn may_edit_note(actor: &User, note: &Record) -> Result<()> {
    if note.created_by == Some(actor.id.0) || actor.role.can_manage_users() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "Only its author or an admin can change this note.".into(),
        ))
    }
}

/// The contact a person who has no account is (a booking page's visitor, a mail's sender): by
/// email, else by phone, else a new one, made as the workspace's owner, with `source` as where
/// it came from.
pub fn contact_for(
    app: &App,
    tenant: &Tenant,
    tx: &Write,
    (name, email, phone): (&str, &str, &str),
    source: &str,
) -> Result<crate::domain::ids::ContactId> {
    if let Some(id) = records::contact_by_email(tx, email)? {
        return Ok(id);
    }
    if !phone.is_empty()
        && let Some(id) = records::contact_by_phone(tx, phone)?
    {
        return Ok(id);
    }
    let owner = crate::store::users::list(tx)?
        .into_iter()
        .find(|u| u.active && u.role.can_manage_account())
        .ok_or_else(|| Error::Internal("the workspace has no active owner".into()))?;
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let mut input = Input::default();
    for (field, value) in [
        ("first_name", first.trim()),
        ("last_name", last.trim()),
        ("email", email),
        ("phone", phone),
        ("source", source),
    ] {
        if !value.is_empty() {
            input.fields.insert(field.into(), value.into());
        }
    }
    let now = app.stamp();
    let w = WriteCtx {
        tx,
        tenant,
        actor: &owner,
        now: &now,
        depth: 0,
    };
    let made = save_in(&w, Entity::Contact, None, input).map_err(|e| match e {
        // The contact's own checks speak of its fields, which the form has too.
        Error::Invalid { fields, .. } => Error::fields(fields).unwrap_or(Error::NotFound),
        other => other,
    })?;
    Ok(crate::domain::ids::ContactId(made.id))
}
