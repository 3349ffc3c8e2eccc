//! A contact, company, deal, task or note as read: its fields by name, custom values, labels.

use crate::domain::crm::Entity;
use crate::domain::ids::{CompanyId, ContactId, DealId, PipelineId, StageId, ViewId};
use crate::domain::pipeline::Pipeline;
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Record {
    pub entity: Entity,
    pub id: i64,
    /// Field name → value, for every field of the entity and the columns its rules keep.
    pub values: Map<String, Value>,
    pub custom: Map<String, Value>,
    pub labels: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: Option<i64>,
    pub deleted_at: Option<String>,
    /// The linked names kept beside the record for sorting by its links (`company_name`,
    /// `owner_name`, `assignee_name`, a deal's `stage_rank`): what a page after it starts
    /// from. Not part of its API form.
    pub kept: Map<String, Value>,
}

impl Record {
    pub fn str(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(Value::as_str)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.values.get(name).and_then(Value::as_i64)
    }

    /// The contact a deal, task or note is linked to (a contact's own id is `id`).
    pub fn contact_id(&self) -> Option<ContactId> {
        self.int("contact_id").map(ContactId)
    }

    pub fn company_id(&self) -> Option<CompanyId> {
        self.int("company_id").map(CompanyId)
    }

    pub fn deal_id(&self) -> Option<DealId> {
        self.int("deal_id").map(DealId)
    }

    /// A deal's stage.
    pub fn stage_id(&self) -> Option<StageId> {
        self.int("stage_id").map(StageId)
    }

    /// A deal's pipeline.
    pub fn pipeline_id(&self) -> Option<PipelineId> {
        self.int("pipeline_id").map(PipelineId)
    }

    /// How the record is named in lists, links and the timeline.
    pub fn title(&self) -> String {
        match self.entity {
            Entity::Contact => {
                let name = format!(
                    "{} {}",
                    self.str("first_name").unwrap_or(""),
                    self.str("last_name").unwrap_or("")
                );
                let name = name.trim();
                if !name.is_empty() {
                    name.to_string()
                } else {
                    self.str("email").unwrap_or("(no name)").to_string()
                }
            }
            Entity::Company => self.str("name").unwrap_or("").to_string(),
            Entity::Deal | Entity::Task => self.str("title").unwrap_or("").to_string(),
            Entity::Note => self.str("body").unwrap_or("").chars().take(60).collect(),
        }
    }

    /// The API's JSON form.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), self.id.into());
        out.extend(self.values.clone());
        if self.entity.has_labels_and_custom() {
            out.insert("custom".into(), Value::Object(self.custom.clone()));
            out.insert("labels".into(), self.labels.clone().into());
        }
        out.insert("created_at".into(), self.created_at.clone().into());
        out.insert("updated_at".into(), self.updated_at.clone().into());
        out.insert("created_by".into(), self.created_by.into());
        Value::Object(out)
    }
}

/// Names for the ids a page shows: linked records, users, stages, pipelines.
#[derive(Default)]
pub struct Names {
    pub records: HashMap<(Entity, i64), String>,
    pub users: HashMap<i64, String>,
    /// Stage id → (name, kind).
    pub stages: HashMap<StageId, (String, String)>,
    pub pipelines: HashMap<PipelineId, String>,
}

impl Names {
    pub fn record(&self, entity: Entity, id: i64) -> String {
        self.records
            .get(&(entity, id))
            .cloned()
            .unwrap_or_else(|| format!("#{id} (in the trash)"))
    }
}

/// What the select boxes of a form offer.
#[derive(Default)]
pub struct Options {
    /// The records of each linked kind, when there are few enough for a select box; a kind
    /// with more is typed by name (a picker).
    pub records: HashMap<Entity, Vec<(i64, String)>>,
    pub users: Vec<(i64, String)>,
    pub pipelines: Vec<Pipeline>,
    /// The titles of the records the form's values link to, for the pickers.
    pub linked: HashMap<(Entity, i64), String>,
    /// For a name typed in a picker that several records have: which ones, by field.
    pub choices: HashMap<String, Vec<Choice>>,
}

/// One of several records a typed name may mean, with what tells it apart.
#[derive(Debug, Clone)]
pub struct Choice {
    pub id: i64,
    pub title: String,
    /// An email, a company, a domain: whatever tells equal names apart.
    pub detail: String,
}

/// Some records of a list, and how many it has in all.
pub struct ListPart {
    pub records: Vec<Record>,
    pub total: Total,
}

/// How many records a list holds: counted, or at least this many where counting them all
/// would take longer than a page may (the store counts within a budget of work).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    Exact(i64),
    AtLeast(i64),
}

impl Total {
    /// The number counted: all of them, or as many as are known.
    pub fn least(self) -> i64 {
        match self {
            Total::Exact(n) | Total::AtLeast(n) => n,
        }
    }

    pub fn is_exact(self) -> bool {
        matches!(self, Total::Exact(_))
    }

    /// `1,234`, or `1,000+` when it is a lower bound.
    pub fn show(self, lang: crate::domain::words::Lang) -> String {
        match self {
            Total::Exact(n) => crate::domain::format::count(lang, n),
            Total::AtLeast(n) => format!("{}+", crate::domain::format::count(lang, n)),
        }
    }
}

/// What a list offers to filter by.
#[derive(Default)]
pub struct Facets {
    pub users: Vec<(i64, String)>,
    pub labels: Vec<String>,
    pub pipelines: Vec<Pipeline>,
    /// Custom fields with a fixed set of values (select, boolean).
    pub custom: Vec<crate::domain::custom::CustomField>,
    /// Every custom field, which the list may show as a column.
    pub columns: Vec<crate::domain::custom::CustomField>,
}

/// A saved view of this list: id, name, shared with everyone, may be removed by this user.
pub type ViewEntry = (ViewId, String, bool, bool);
