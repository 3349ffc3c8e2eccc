//! One row of an import through the write road: its cells as a form's input, the duplicate
//! it may repeat, and the save. A refused row may have written part of itself (a company it
//! named); the caller's savepoint undoes that.

use crate::app::Tenant;
use crate::app::import::{OnDuplicate, Target};
use crate::app::records::{Input, WriteCtx, save_in};
use crate::domain::crm::Entity;
use crate::domain::fields::{self, Kind};
use crate::error::{Error, Result};
use crate::store::crm::records;
use crate::store::users::User;
use serde_json::{Map, Value};

pub(super) enum Written {
    Created,
    Updated,
    Skipped,
}

/// What every row of one import shares.
pub(super) struct RowWriter<'a> {
    pub(super) tenant: &'a Tenant,
    pub(super) actor: &'a User,
    pub(super) entity: Entity,
    pub(super) targets: &'a [Option<Target>],
    pub(super) on_duplicate: OnDuplicate,
    pub(super) now: &'a str,
    /// The workspace's users, read once: owners are named in the rows.
    pub(super) users: Vec<User>,
}

impl RowWriter<'_> {
    /// One row. Refused, it may leave writes behind for the caller's savepoint to undo.
    pub(super) fn write(&self, tx: &crate::store::Write, cells: &[String]) -> Result<Written> {
        let (tenant, entity, now) = (self.tenant, self.entity, self.now);
        let header = self.targets.len();
        if cells.len() > header && cells[header..].iter().any(|c| !c.is_empty()) {
            return Err(Error::BadRequest(format!(
                "the row has {} cells but the header only {header}",
                cells.len()
            )));
        }
        let input = self.input(tx, cells)?;
        let existing = match self.on_duplicate {
            OnDuplicate::Create if entity == Entity::Company => None,
            _ => find_existing(tx, entity, &input.fields, &tenant.account.currency)?,
        };
        let w = WriteCtx {
            tx,
            tenant,
            actor: self.actor,
            now,
            depth: 0,
        };
        let save = |id| save_in(&w, entity, id, input);
        match (existing, self.on_duplicate) {
            (Some(_), OnDuplicate::Skip) => Ok(Written::Skipped),
            (Some(id), OnDuplicate::Update) => save(Some(id)).map(|_| Written::Updated),
            _ => save(None).map(|_| Written::Created),
        }
    }

    /// A row's cells as the input of a form. Empty cells are left out, so an update keeps
    /// what the record had.
    fn input(&self, tx: &crate::store::Write, cells: &[String]) -> Result<Input> {
        let mut input = Input::default();
        for (target, cell) in self.targets.iter().zip(cells) {
            let cell = cell.trim();
            let Some(target) = target.as_ref().filter(|_| !cell.is_empty()) else {
                continue;
            };
            match target {
                Target::Field(name) => {
                    let value = self.field_value(tx, name, cell)?;
                    input.fields.insert((*name).to_string(), value);
                }
                Target::Custom(key) => {
                    input
                        .custom
                        .get_or_insert_with(Map::new)
                        .insert(key.clone(), Value::String(cell.to_string()));
                }
                Target::Labels => {
                    input.labels = Some(
                        cell.split([';', ','])
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_string)
                            .collect(),
                    );
                }
            }
        }
        Ok(input)
    }

    /// A cell as a field's input. Owners may be named by email or name, companies by name
    /// (made when missing, through the same write road).
    fn field_value(&self, tx: &crate::store::Write, name: &str, cell: &str) -> Result<Value> {
        let is_id = cell.parse::<i64>().is_ok();
        Ok(match name {
            "owner_id" | "assignee_id" if !is_id => {
                let user = self
                    .users
                    .iter()
                    .find(|u| u.email.eq_ignore_ascii_case(cell))
                    .or_else(|| self.users.iter().find(|u| u.name == cell));
                match user {
                    Some(user) => Value::from(user.id.0),
                    None if cell.contains('@') => {
                        return Err(Error::field(name, format!("no user has the email {cell}")));
                    }
                    None => return Err(Error::field(name, format!("no user is named {cell}"))),
                }
            }
            "company_id" if !is_id => match records::company_by_name(tx, cell)? {
                Some(id) => Value::from(id),
                None => {
                    let mut company = Input::default();
                    company.fields.insert("name".into(), Value::from(cell));
                    let w = WriteCtx {
                        tx,
                        tenant: self.tenant,
                        actor: self.actor,
                        now: self.now,
                        depth: 0,
                    };
                    let made = save_in(&w, Entity::Company, None, company)?;
                    Value::from(made.id)
                }
            },
            _ => Value::String(cell.to_string()),
        })
    }
}

/// The record this row repeats: a contact with its email, a company with its domain.
fn find_existing(
    tx: &crate::store::Write,
    entity: Entity,
    fields_in: &Map<String, Value>,
    currency: &str,
) -> Result<Option<i64>> {
    let (name, kind) = match entity {
        Entity::Contact => ("email", Kind::Email),
        Entity::Company => ("domain", Kind::Domain),
        _ => return Ok(None),
    };
    let Some(value) = fields_in.get(name) else {
        return Ok(None);
    };
    // An unreadable value is reported by the write itself.
    let Ok(Value::String(normal)) = fields::normalize(kind, value, currency) else {
        return Ok(None);
    };
    match entity {
        Entity::Contact => Ok(records::contact_by_email(tx, &normal)?.map(|c| c.0)),
        _ => Ok(records::company_by_domain(tx, &normal)?.map(|c| c.0)),
    }
}
