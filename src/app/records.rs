//! Creating, changing, trashing and restoring contacts, companies, deals, tasks and notes.
//!
//! Every write, from a form or the API, takes one road: the input is normalized field by field
//! against the entity's table, custom attributes against their definitions, then the entity's
//! rules run (`rules`), references are checked to exist in this tenant, and only when nothing
//! is wrong are the record, its labels and its timeline entries written, in one transaction.

use crate::app::{App, Tenant, rules};
use crate::domain::crm::Entity;
use crate::domain::fields::{self, Kind, apply_custom};
use crate::error::{Error, FieldError, Result};
use crate::store::crm::activities::{self, NewActivity};
use crate::store::crm::records::{self, Record};
use crate::store::crm::{custom_fields, labels};
use crate::store::users::{self, User};
use chrono::Duration;
use rusqlite::Connection;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Days a record stays restorable in the trash.
pub const TRASH_DAYS: i64 = 30;

/// What a form or a JSON body asks to set.
#[derive(Debug, Default, Clone)]
pub struct Input {
    pub fields: Map<String, Value>,
    pub custom: Option<Map<String, Value>>,
    pub labels: Option<Vec<String>>,
}

/// Keys of a record's JSON that a client may send back unchanged; they are not input.
const READ_ONLY: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "created_by",
    "closed_at",
    "completed_at",
];

impl Input {
    pub fn from_json(body: Value) -> Result<Input> {
        let Value::Object(mut fields) = body else {
            return Err(Error::BadRequest("the body must be a JSON object".into()));
        };
        let custom = match fields.remove("custom") {
            None => None,
            Some(Value::Object(m)) => Some(m),
            Some(_) => {
                return Err(Error::field(
                    "custom",
                    "must be an object of custom field values",
                ));
            }
        };
        let labels = match fields.remove("labels") {
            None => None,
            Some(Value::Array(items)) => Some(
                items
                    .into_iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| Error::field("labels", "must be a list of label names"))
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            Some(_) => return Err(Error::field("labels", "must be a list of label names")),
        };
        for key in READ_ONLY {
            fields.remove(*key);
        }
        Ok(Input {
            fields,
            custom,
            labels,
        })
    }

    pub fn field(name: &str, value: impl Into<Value>) -> Input {
        let mut input = Input::default();
        input.fields.insert(name.into(), value.into());
        input
    }
}

/// A write in progress: the record as it will be, and what is wrong with it.
pub struct Change<'a> {
    pub entity: Entity,
    pub before: Option<&'a Record>,
    pub values: Map<String, Value>,
    /// Fields the input named.
    pub touched: BTreeSet<&'static str>,
    pub errors: Vec<FieldError>,
    pub now: String,
}

impl Change<'_> {
    pub fn get(&self, name: &str) -> &Value {
        self.values.get(name).unwrap_or(&Value::Null)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.get(name).as_i64()
    }

    pub fn set(&mut self, name: &str, value: impl Into<Value>) {
        self.values.insert(name.to_string(), value.into());
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn creating(&self) -> bool {
        self.before.is_none()
    }

    /// Whether `name` ends up different from before (always, when creating).
    pub fn changed(&self, name: &str) -> bool {
        self.before
            .is_none_or(|b| b.values.get(name).unwrap_or(&Value::Null) != self.get(name))
    }
}

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
        tenant.db.write(|tx| {
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
                now: now.clone(),
            };
            apply_fields(&mut change, &input.fields, &tenant.account.currency);
            let custom = apply_custom_input(tx, &mut change, input.custom.as_ref())?;
            let label_ids = resolve_labels(tx, &mut change, input.labels.as_deref())?;
            rules::apply(tx, &mut change, &tenant.account.currency)?;
            check_required_and_references(tx, &mut change)?;
            if let Some(e) = Error::fields(std::mem::take(&mut change.errors)) {
                return Err(e);
            }
            let id = match &before {
                None => {
                    records::insert(tx, entity, &change.values, &custom, Some(actor.id.0), &now)?
                }
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
                        &now,
                    )?;
                    b.id
                }
            };
            let (added, removed) = match &label_ids {
                Some(ids) => labels::set(tx, entity, id, ids)?,
                None => (Vec::new(), Vec::new()),
            };
            let saved = records::get(tx, entity, id)?.ok_or(Error::NotFound)?;
            rules::log(tx, &change, &saved, actor, &added, &removed)?;
            Ok(saved)
        })
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
            records::set_deleted(tx, entity, id, Some(&crate::clock::stamp(now)))?;
            // What has been in the trash long enough goes now.
            records::purge_trash(tx, &crate::clock::stamp(now - Duration::days(TRASH_DAYS)))?;
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
                    existing: (Entity::Contact, other),
                });
            }
            records::set_deleted(tx, entity, id, None)?;
            records::get(tx, entity, id)?.ok_or(Error::NotFound)
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
        let text = |name: &str| input.get(name).cloned().unwrap_or(Value::Null);
        let mut errors = Vec::new();
        let kind = match fields::normalize(
            Kind::Choice(crate::domain::crm::LOGGED_KINDS),
            &text("kind"),
            "",
        ) {
            Ok(Value::String(k)) => crate::domain::crm::LOGGED_KINDS
                .iter()
                .copied()
                .find(|l| *l == k)
                .unwrap_or("call"),
            Ok(_) => {
                errors.push(FieldError {
                    field: "kind".into(),
                    message: "is required".into(),
                });
                "call"
            }
            Err(m) => {
                errors.push(FieldError {
                    field: "kind".into(),
                    message: m,
                });
                "call"
            }
        };
        let mut string = |name: &str, kind: Kind| match fields::normalize(kind, &text(name), "") {
            Ok(v) => v.as_str().map(str::to_string),
            Err(m) => {
                errors.push(FieldError {
                    field: name.into(),
                    message: m,
                });
                None
            }
        };
        let occurred_at = string("occurred_at", Kind::DateTime).unwrap_or_else(|| self.stamp());
        let outcome = string("outcome", Kind::Text(200));
        let body = string("body", Kind::LongText(10_000)).unwrap_or_default();
        for key in input.keys() {
            if ![
                "kind",
                "occurred_at",
                "outcome",
                "body",
                "contact_id",
                "company_id",
                "deal_id",
            ]
            .contains(&key.as_str())
            {
                errors.push(FieldError {
                    field: key.clone(),
                    message: "is not a field of activities".into(),
                });
            }
        }
        if let Some(e) = Error::fields(errors) {
            return Err(e);
        }
        let now = self.stamp();
        tenant.db.write(|tx| {
            let record = records::get_live(tx, target.0, target.1)?
                .ok_or_else(|| Error::field(target.0.link_column(), "does not exist"))?;
            let (contact_id, company_id, deal_id) = rules::context(tx, &record)?;
            let verb = match kind {
                "call" => "Call",
                "meeting" => "Meeting",
                _ => "Email",
            };
            let summary = match &outcome {
                Some(o) => format!("{verb} logged: {o}"),
                None => format!("{verb} logged"),
            };
            let id = activities::insert(
                tx,
                &NewActivity {
                    kind,
                    summary,
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

fn may_edit_note(actor: &User, note: &Record) -> Result<()> {
    if note.created_by == Some(actor.id.0) || actor.role.can_manage_users() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "Only its author or an admin can change this note.".into(),
        ))
    }
}

fn defaults(entity: Entity) -> Map<String, Value> {
    let mut values: Map<String, Value> = entity
        .fields()
        .iter()
        .map(|f| {
            (
                f.name.to_string(),
                f.default.map_or(Value::Null, |d| Value::String(d.into())),
            )
        })
        .collect();
    for column in entity.derived() {
        values.insert((*column).to_string(), Value::Null);
    }
    values
}

fn apply_fields(change: &mut Change, input: &Map<String, Value>, account_currency: &str) {
    // Amounts typed as decimals need the record's currency, which may come in the same input.
    let currency = input
        .get("currency")
        .and_then(|c| fields::normalize(Kind::Currency, c, "").ok())
        .and_then(|c| c.as_str().map(str::to_string))
        .or_else(|| change.get("currency").as_str().map(str::to_string))
        .unwrap_or_else(|| account_currency.to_string());
    for (key, value) in input {
        match change.entity.field(key) {
            Some(field) => match fields::normalize(field.kind, value, &currency) {
                Ok(v) => {
                    change.touched.insert(field.name);
                    change.set(field.name, v);
                }
                Err(message) => change.fail(key, message),
            },
            None if change.entity == Entity::Deal && key == "status" => {
                change.fail(key, "follows the deal's stage: set stage_id instead")
            }
            None => change.fail(key, format!("is not a field of {}", change.entity.table())),
        }
    }
}

fn apply_custom_input(
    tx: &Connection,
    change: &mut Change,
    input: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>> {
    let current = change.before.map(|b| b.custom.clone()).unwrap_or_default();
    if !change.entity.has_labels_and_custom() {
        if input.is_some() {
            change.fail(
                "custom",
                format!("{} have no custom fields", change.entity.table()),
            );
        }
        return Ok(current);
    }
    let definitions = custom_fields::list(tx, change.entity)?;
    let empty = Map::new();
    match apply_custom(&definitions, &current, input.unwrap_or(&empty)) {
        Ok(custom) => Ok(custom),
        Err(errors) => {
            change.errors.extend(errors);
            Ok(current)
        }
    }
}

fn resolve_labels(
    tx: &Connection,
    change: &mut Change,
    names: Option<&[String]>,
) -> Result<Option<Vec<i64>>> {
    let Some(names) = names else { return Ok(None) };
    if !change.entity.has_labels_and_custom() {
        change.fail(
            "labels",
            format!("{} have no labels", change.entity.table()),
        );
        return Ok(None);
    }
    Ok(match labels::ids_for(tx, names)? {
        Ok(ids) => Some(ids),
        Err(unknown) => {
            change.fail(
                "labels",
                format!("no label is named {}", unknown.join(", ")),
            );
            None
        }
    })
}

fn check_required_and_references(tx: &Connection, change: &mut Change) -> Result<()> {
    for field in change.entity.fields() {
        let value = change.get(field.name).clone();
        if value.is_null() {
            if field.required {
                change.fail(field.name, "is required");
            }
            continue;
        }
        if !change.changed(field.name) {
            continue;
        }
        let id = value.as_i64().unwrap_or_default();
        let missing = match field.kind {
            Kind::Ref(entity) => !records::exists(tx, entity, id)?,
            Kind::User => {
                !users::by_id(tx, crate::domain::ids::UserId(id))?.is_some_and(|u| u.active)
            }
            _ => false,
        };
        if missing {
            change.fail(field.name, "does not exist");
        }
    }
    Ok(())
}
