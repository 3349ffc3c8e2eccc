//! What a form, a JSON body or an automation asks to set on a record.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// What a form or a JSON body asks to set.
#[derive(Debug, Default, Clone)]
pub struct Input {
    pub fields: Map<String, Value>,
    pub custom: Option<Map<String, Value>>,
    pub labels: Option<Vec<String>>,
    /// A contact's company to create with it, by name (the contact form's "or a new company").
    pub new_company: Option<String>,
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
            new_company: None,
        })
    }

    pub fn field(name: &str, value: impl Into<Value>) -> Input {
        let mut input = Input::default();
        input.fields.insert(name.into(), value.into());
        input
    }
}
