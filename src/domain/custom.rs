//! Custom attributes of contacts, companies and deals: their definitions, and checking a
//! record's values against them on every write.

use crate::domain::crm::Entity;
use crate::domain::fields::{blank, date, text, url};
use crate::domain::ids::FieldId;
use serde_json::{Map, Value};

/// The type of a custom attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomKind {
    Text,
    Number,
    Date,
    Boolean,
    Select,
    Url,
}

impl CustomKind {
    pub const ALL: [CustomKind; 6] = [
        CustomKind::Text,
        CustomKind::Number,
        CustomKind::Date,
        CustomKind::Boolean,
        CustomKind::Select,
        CustomKind::Url,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomKind::Text => "text",
            CustomKind::Number => "number",
            CustomKind::Date => "date",
            CustomKind::Boolean => "boolean",
            CustomKind::Select => "select",
            CustomKind::Url => "url",
        }
    }

    pub fn parse(s: &str) -> Option<CustomKind> {
        CustomKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The definition of one custom attribute.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomField {
    pub id: FieldId,
    #[serde(skip)]
    pub entity: Entity,
    pub key: String,
    pub label: String,
    #[serde(serialize_with = "kind_name")]
    pub kind: CustomKind,
    pub options: Vec<String>,
    pub required: bool,
}

fn kind_name<S: serde::Serializer>(kind: &CustomKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

/// Custom keys look like `contract_end`: a lowercase letter, then letters, digits or `_`.
pub fn valid_custom_key(key: &str) -> bool {
    let b = key.as_bytes();
    (1..=40).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// The stored form of one custom value, or a message.
pub fn normalize_custom(field: &CustomField, value: &Value) -> Result<Value, String> {
    if blank(value) {
        return Ok(Value::Null);
    }
    Ok(match field.kind {
        CustomKind::Text => {
            let s = text(value)?;
            if s.chars().count() > 1000 {
                return Err("is longer than 1000 characters".into());
            }
            Value::String(s)
        }
        CustomKind::Number => {
            let n = match value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
                _ => None,
            }
            .ok_or("must be a number")?;
            if n.fract() == 0.0 && n.abs() < 9e15 {
                Value::from(n as i64)
            } else {
                Value::from(n)
            }
        }
        CustomKind::Date => Value::String(date(&text(value)?)?.format("%Y-%m-%d").to_string()),
        CustomKind::Boolean => Value::Bool(match value {
            Value::Bool(b) => *b,
            Value::String(s) => match s.trim() {
                "true" | "on" | "1" | "yes" => true,
                "false" | "off" | "0" | "no" => false,
                _ => return Err("must be true or false".into()),
            },
            _ => return Err("must be true or false".into()),
        }),
        CustomKind::Select => {
            let s = text(value)?;
            if !field.options.contains(&s) {
                return Err(format!("must be one of: {}", field.options.join(", ")));
            }
            Value::String(s)
        }
        CustomKind::Url => Value::String(url(&text(value)?)?),
    })
}

/// Applies `patch` (key → value) over the record's `current` custom values, checked against
/// `fields`. Errors name `custom.<key>`.
pub fn apply_custom(
    fields: &[CustomField],
    current: &Map<String, Value>,
    patch: &Map<String, Value>,
) -> Result<Map<String, Value>, Vec<crate::error::FieldError>> {
    let mut out = current.clone();
    let mut errors = Vec::new();
    let err = |key: &str, message: String| crate::error::FieldError {
        field: format!("custom.{key}"),
        message,
    };
    for (key, value) in patch {
        match fields.iter().find(|f| &f.key == key) {
            None => errors.push(err(key, "is not a custom field here".into())),
            Some(field) => match normalize_custom(field, value) {
                Ok(Value::Null) => {
                    out.remove(key);
                }
                Ok(v) => {
                    out.insert(key.clone(), v);
                }
                Err(message) => errors.push(err(key, message)),
            },
        }
    }
    for field in fields.iter().filter(|f| f.required) {
        if !out.contains_key(&field.key)
            && !errors
                .iter()
                .any(|e| e.field == format!("custom.{}", field.key))
        {
            errors.push(err(&field.key, "is required".into()));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(key: &str, kind: CustomKind, required: bool) -> CustomField {
        CustomField {
            id: FieldId(1),
            entity: Entity::Contact,
            key: key.into(),
            label: key.into(),
            kind,
            options: vec!["gold".into(), "silver".into()],
            required,
        }
    }

    #[test]
    fn custom_values_are_checked_against_their_definitions() {
        let fields = [
            field("tier", CustomKind::Select, false),
            field("seats", CustomKind::Number, true),
            field("vip", CustomKind::Boolean, false),
        ];
        let patch = json!({"tier": "gold", "seats": "12", "vip": "on"});
        let out =
            apply_custom(&fields, &Map::new(), patch.as_object().expect("object")).expect("valid");
        assert_eq!(
            Value::Object(out.clone()),
            json!({"tier": "gold", "seats": 12, "vip": true})
        );

        let bad = json!({"tier": "bronze", "nope": 1, "seats": "many"});
        let errors = apply_custom(&fields, &Map::new(), bad.as_object().expect("object"))
            .expect_err("invalid");
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(
            names.contains(&"custom.tier")
                && names.contains(&"custom.nope")
                && names.contains(&"custom.seats"),
            "{names:?}"
        );

        let cleared = apply_custom(
            &fields,
            &out,
            json!({"seats": null}).as_object().expect("object"),
        )
        .expect_err("required");
        assert_eq!(cleared[0].field, "custom.seats");
        assert!(
            valid_custom_key("contract_end")
                && !valid_custom_key("Contract")
                && !valid_custom_key("1x")
        );
    }
}
