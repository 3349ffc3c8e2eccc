//! `update_field`: sets a field (`contact.lifecycle`, `deal.custom.tier`) of the rule's record;
//! a text value may hold placeholders, filled in when the step runs.

use super::{BuilderInput, Effects, Kind, StepError, input, record_of};
use crate::domain::automation::reader::{Reader, Subject, check_path};
use crate::domain::automation::template::Template;
use crate::domain::fields::{self, Kind as FieldKind};
use crate::domain::input::Input;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct UpdateField {
    pub field: String,
    pub value: Value,
}

/// Checks the placeholders of a text value; answers whether it has any, `None` when the
/// text is no template at all.
fn check_placeholders(
    reader: &mut Reader,
    value: &Value,
    at: &str,
    subject: Subject,
) -> Option<bool> {
    let Value::String(text) = value else {
        return Some(false);
    };
    match Template::parse(text) {
        Ok(t) => {
            let problems: Vec<String> = t
                .placeholders()
                .filter_map(|p| check_path(p, subject, reader.known).err())
                .collect();
            for p in problems {
                reader.fail(format!("{at}.value"), p);
            }
            Some(t.placeholders().next().is_some())
        }
        Err(e) => {
            reader.fail(format!("{at}.value"), e);
            None
        }
    }
}

impl Kind for UpdateField {
    const KIND: &'static str = "update_field";
    const LABEL: &'static str = "Update a field";
    const INPUTS: &'static [BuilderInput] = &[
        input(
            "field",
            "Field",
            Some("Like contact.lifecycle or deal.custom.tier"),
        ),
        input("value", "Value", None),
    ];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<UpdateField> {
        let field = reader.text(obj, "field", at)?;
        let value = obj.get("value").cloned().unwrap_or(Value::Null);
        let templated = check_placeholders(reader, &value, at, subject)?;
        let Subject::Record(entity) = subject else {
            reader.needs(
                format!("{at}.type"),
                Self::KIND,
                "a rule about one kind of record",
            );
            return None;
        };
        let key = field
            .strip_prefix(entity.singular())
            .and_then(|k| k.strip_prefix('.'))
            .unwrap_or("");
        if let Some(custom_key) = key.strip_prefix("custom.") {
            if let Err(e) = check_path(&field, subject, reader.known) {
                reader.fail(format!("{at}.field"), e);
                return None;
            }
            return Some(UpdateField {
                field: format!("{}.custom.{custom_key}", entity.singular()),
                value,
            });
        }
        let Some(def) = entity.field(key) else {
            reader.fail(
                format!("{at}.field"),
                format!(
                    "{field:?} is not a field of the rule's {}",
                    entity.singular()
                ),
            );
            return None;
        };
        // Ids of other records, stages and users change with the workspace: use the actions
        // made for them.
        if matches!(
            def.kind,
            FieldKind::Ref(_) | FieldKind::User | FieldKind::Stage | FieldKind::Pipeline
        ) {
            reader.fail(
                format!("{at}.field"),
                format!("{field:?} links to another record: use assign_owner or move_stage"),
            );
            return None;
        }
        if let Err(e) = fields::normalize(def.kind, &value, "EUR")
            && !templated
        {
            reader.fail(format!("{at}.value"), e);
            return None;
        }
        Some(UpdateField { field, value })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        obj.insert("field".into(), self.field.clone().into());
        obj.insert("value".into(), self.value.clone());
    }

    fn describe(&self, _context: &Value) -> String {
        format!("Set {} to {}", self.field, self.value)
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        let (entity, id) = record_of(effects, Self::KIND)?;
        let value = match &self.value {
            Value::String(text) => Template::parse(text)
                .map(|t| Value::String(t.render(effects.context(), str::to_string)))
                .unwrap_or_else(|_| self.value.clone()),
            other => other.clone(),
        };
        let field = &self.field;
        let key = field.split_once('.').map_or(field.as_str(), |(_, k)| k);
        let input = match key.strip_prefix("custom.") {
            Some(custom) => {
                let mut map = Map::new();
                map.insert(custom.to_string(), value.clone());
                Input {
                    custom: Some(map),
                    ..Input::default()
                }
            }
            None => Input::field(key, value.clone()),
        };
        effects.save(entity, Some(id), input)?;
        Ok(format!("{field} set to {value}"))
    }
}
