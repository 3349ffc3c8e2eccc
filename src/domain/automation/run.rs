//! Automation rules as saved, and their runs and steps.

use crate::domain::ids::{RuleId, RunId, UserId};
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct StoredRule {
    pub id: RuleId,
    pub name: String,
    pub enabled: bool,
    /// The rule's JSON, as saved.
    pub definition: Value,
    pub next_run_at: Option<String>,
    pub created_by: Option<UserId>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Run {
    pub id: RunId,
    pub automation_id: RuleId,
    #[serde(skip)]
    pub definition: String,
    pub trigger: String,
    pub subject: Option<String>,
    pub subject_id: Option<i64>,
    pub changed: Vec<String>,
    pub label: Option<String>,
    pub depth: i64,
    pub status: String,
    pub next_step: i64,
    pub attempts: i64,
    pub due_at: Option<String>,
    pub error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    pub position: i64,
    pub attempt: i64,
    pub action: String,
    pub status: String,
    pub detail: String,
    pub error: Option<String>,
    pub started_at: String,
    pub duration_ms: i64,
}

/// What a dry run found: whether the conditions hold, and what each action would do.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DryRun {
    pub record: String,
    pub conditions: Vec<(String, bool)>,
    pub would_run: bool,
    pub actions: Vec<String>,
}
