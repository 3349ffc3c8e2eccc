//! A write in progress: the input as a form or JSON body gives it, and the record as it will
//! be after the input's fields, custom values and labels are applied and checked.

use crate::domain::crm::Entity;
use crate::domain::custom::apply_custom;
use crate::domain::fields::{self, Kind};
use crate::domain::ids::LabelId;
pub use crate::domain::input::Input;
use crate::error::{FieldError, Result};
use crate::store::Connection;
use crate::store::crm::records::{self, Record};
use crate::store::crm::{custom_fields, labels};
use crate::store::users;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

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

pub(super) fn defaults(entity: Entity) -> Map<String, Value> {
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

pub(super) fn apply_fields(
    change: &mut Change,
    input: &Map<String, Value>,
    account_currency: &str,
) {
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
                // A field with a default is never empty: clearing it restores the default.
                Ok(Value::Null) if field.default.is_some() => {
                    change.touched.insert(field.name);
                    change.set(field.name, field.default.unwrap_or_default());
                }
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

pub(super) fn apply_custom_input(
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

pub(super) fn resolve_labels(
    tx: &Connection,
    change: &mut Change,
    names: Option<&[String]>,
) -> Result<Option<Vec<LabelId>>> {
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

pub(super) fn check_required_and_references(tx: &Connection, change: &mut Change) -> Result<()> {
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
