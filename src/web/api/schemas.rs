//! The OpenAPI schemas of what the API reads and answers besides the records, written from
//! what the handlers take and serialize (schemathesis in CI checks them against the server).

use serde_json::{Value, json};

/// The schemas of everything but the records, as the handlers read and answer them.
pub(super) fn other_schemas() -> Vec<(&'static str, Value)> {
    let mut all = workspace();
    all.extend(catalog());
    all.extend(pipelines());
    all.extend(timeline_and_automations());
    all.extend(super::scheduling_schemas::scheduling());
    all.extend(super::kassa_schemas::kassa());
    all.extend(super::inbox_routes::schemas());
    all
}

/// The shorthands the schemas are written with.
pub(super) mod kit {
    use serde_json::{Value, json};

    pub fn int() -> Value {
        json!({ "type": "integer" })
    }
    pub fn text() -> Value {
        json!({ "type": "string" })
    }
    pub fn opt_int() -> Value {
        json!({ "type": "integer", "nullable": true })
    }
    pub fn opt_text() -> Value {
        json!({ "type": "string", "nullable": true })
    }
    pub fn stamp() -> Value {
        json!({ "type": "string", "format": "date-time" })
    }
    pub fn opt_stamp() -> Value {
        json!({ "type": "string", "format": "date-time", "nullable": true })
    }
    pub fn object(required: &[&str], props: Value) -> Value {
        json!({ "type": "object", "required": required, "properties": props })
    }
    /// Inputs name every key they take: others are refused.
    pub fn input(props: Value) -> Value {
        json!({ "type": "object", "additionalProperties": false, "properties": props })
    }
    pub fn stage_kind() -> Value {
        json!({ "type": "string", "enum": crate::domain::crm::STAGE_KINDS })
    }
}

/// The account, users, search, imports, errors and the document itself.
fn workspace() -> Vec<(&'static str, Value)> {
    use kit::*;
    vec![
        (
            "OpenApi",
            json!({ "type": "object", "description": "An OpenAPI 3 document" }),
        ),
        (
            "Account",
            object(
                &[
                    "slug",
                    "name",
                    "profile",
                    "capabilities",
                    "time_zone",
                    "currency",
                ],
                json!({
                    "slug": text(), "name": text(), "time_zone": text(), "currency": text(),
                    "profile": { "type": "string", "enum": ["generic", "healthcare", "construction"] },
                    "capabilities": { "type": "object", "additionalProperties": { "type": "boolean" } }
                }),
            ),
        ),
        (
            "User",
            object(
                &["id", "email", "name", "role", "active"],
                json!({
                    "id": int(), "email": text(), "name": text(), "active": { "type": "boolean" },
                    "role": { "type": "string", "enum": ["owner", "admin", "member"] },
                    "has_password": { "type": "boolean" }, "created_at": stamp()
                }),
            ),
        ),
        (
            "SearchHit",
            object(
                &["id", "type", "title", "snippet", "detail"],
                json!({
                    "id": int(), "title": text(), "snippet": text(), "detail": text(), "rank": { "type": "number" },
                    "type": { "type": "string", "enum": ["contact", "company", "deal", "task", "note"] }
                }),
            ),
        ),
        (
            "ImportResult",
            object(
                &["created", "updated", "skipped", "failed", "ignored_columns"],
                json!({
                    "created": int(), "updated": int(), "skipped": int(),
                    "failed": { "type": "array", "items": { "type": "object", "properties": { "line": int(), "error": text() } } },
                    "ignored_columns": { "type": "array", "items": text() }
                }),
            ),
        ),
        (
            "Error",
            json!({
                "type": "object",
                "required": ["error"],
                "properties": { "error": { "type": "object", "required": ["code", "message", "fields"], "properties": {
                    "code": text(), "message": text(),
                    "fields": { "type": "object", "additionalProperties": { "type": "string" } },
                    "request_id": text()
                } } }
            }),
        ),
    ]
}

/// Labels and custom fields.
fn catalog() -> Vec<(&'static str, Value)> {
    use kit::*;
    vec![
        (
            "Label",
            object(
                &["id", "name", "color"],
                json!({ "id": int(), "name": text(), "color": text() }),
            ),
        ),
        (
            "LabelInput",
            input(json!({
                "name": { "type": "string", "description": "required when creating" },
                "color": { "type": "string", "description": "like #2563eb (default: grey)" }
            })),
        ),
        (
            "CustomField",
            object(
                &["id", "key", "label", "kind", "options", "required"],
                json!({
                    "id": int(), "key": text(), "label": text(),
                    "kind": { "type": "string", "enum": ["text", "number", "date", "boolean", "select", "url"] },
                    "options": { "type": "array", "items": text() }, "required": { "type": "boolean" },
                    "entity": { "type": "string", "enum": ["contact", "company", "deal"] }
                }),
            ),
        ),
        (
            "CustomFieldInput",
            input(json!({
                "entity": { "type": "string", "enum": ["contact", "company", "deal"] },
                "key": { "type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$" },
                "label": text(),
                "kind": { "type": "string", "enum": ["text", "number", "date", "boolean", "select", "url"] },
                "options": { "type": "array", "items": text(), "description": "the choices of a select" },
                "required": { "type": "boolean" }
            })),
        ),
    ]
}

/// Pipelines and their stages.
fn pipelines() -> Vec<(&'static str, Value)> {
    use kit::*;
    vec![
        (
            "Stage",
            object(
                &[
                    "id",
                    "pipeline_id",
                    "name",
                    "position",
                    "probability",
                    "kind",
                ],
                json!({
                    "id": int(), "pipeline_id": int(), "name": text(), "position": int(),
                    "probability": { "type": "integer", "minimum": 0, "maximum": 100 },
                    "kind": stage_kind()
                }),
            ),
        ),
        (
            "StageInput",
            input(json!({
                "name": { "type": "string", "description": "required when creating" },
                "probability": { "type": "integer", "minimum": 0, "maximum": 100, "default": 50 },
                "kind": stage_kind()
            })),
        ),
        (
            "StageDeleted",
            object(
                &["deleted", "deals_moved"],
                json!({ "deleted": int(), "deals_moved": int() }),
            ),
        ),
        (
            "Pipeline",
            object(
                &["id", "name", "is_default", "stages"],
                json!({
                    "id": int(), "name": text(), "is_default": { "type": "boolean" },
                    "stages": { "type": "array", "items": { "$ref": "#/components/schemas/Stage" } }
                }),
            ),
        ),
        (
            "PipelineInput",
            input(json!({
                "name": { "type": "string", "description": "required when creating" },
                "is_default": { "type": "boolean", "description": "true makes it the default" }
            })),
        ),
    ]
}

/// Activities, automation rules, dry runs and runs.
fn timeline_and_automations() -> Vec<(&'static str, Value)> {
    use kit::*;
    vec![
        (
            "Activity",
            object(
                &["id", "kind", "summary", "occurred_at"],
                json!({
                    "id": int(), "kind": text(), "summary": text(), "body": text(), "outcome": opt_text(),
                    "occurred_at": stamp(), "created_at": stamp(), "actor_id": opt_int(),
                    "contact_id": opt_int(), "company_id": opt_int(), "deal_id": opt_int(), "task_id": opt_int()
                }),
            ),
        ),
        (
            "ActivityInput",
            json!({
                "type": "object",
                "description": "exactly one of contact_id, company_id or deal_id",
                "properties": {
                    "kind": { "type": "string", "enum": crate::domain::crm::LOGGED_KINDS },
                    "contact_id": opt_int(), "company_id": opt_int(), "deal_id": opt_int(),
                    "body": text(), "outcome": opt_text(),
                    "occurred_at": { "type": "string", "format": "date-time", "description": "default: now" }
                }
            }),
        ),
        (
            "Automation",
            object(
                &["id", "name", "enabled", "trigger", "conditions", "actions"],
                json!({
                    "id": int(), "name": text(), "enabled": { "type": "boolean" },
                    "trigger": { "type": "object" }, "conditions": { "type": "object" },
                    "actions": { "type": "array", "items": { "type": "object" } },
                    "next_run_at": opt_stamp(), "created_at": stamp(), "updated_at": stamp()
                }),
            ),
        ),
        (
            "AutomationInput",
            json!({
                "type": "object",
                "description": "a rule as the README shows it: name, enabled, trigger, conditions, actions",
                "properties": {
                    "name": text(), "enabled": { "type": "boolean" }, "trigger": { "type": "object" },
                    "conditions": { "type": "object" },
                    "actions": { "type": "array", "items": { "type": "object" } }
                }
            }),
        ),
        (
            "DryRunInput",
            json!({ "type": "object", "required": ["record_id"], "properties": { "record_id": int() } }),
        ),
        (
            "DryRun",
            object(
                &["would_run", "record", "conditions", "actions"],
                json!({
                    "would_run": { "type": "boolean" }, "record": text(),
                    "conditions": { "type": "array", "items": {} },
                    "actions": { "type": "array", "items": text() }
                }),
            ),
        ),
        ("Run", run_schema(false)),
        ("RunWithSteps", run_schema(true)),
    ]
}

fn run_schema(with_steps: bool) -> Value {
    let mut props = json!({
        "id": { "type": "integer" }, "automation_id": { "type": "integer" },
        "trigger": { "type": "string" }, "subject": { "type": "string", "nullable": true },
        "subject_id": { "type": "integer", "nullable": true },
        "changed": { "type": "array", "items": { "type": "string" } },
        "label": { "type": "string", "nullable": true }, "depth": { "type": "integer" },
        "status": { "type": "string" }, "next_step": { "type": "integer" },
        "attempts": { "type": "integer" },
        "due_at": { "type": "string", "nullable": true }, "error": { "type": "string", "nullable": true },
        "created_at": { "type": "string" }, "finished_at": { "type": "string", "nullable": true }
    });
    if with_steps {
        props["steps"] = json!({ "type": "array", "items": { "type": "object", "properties": {
            "position": { "type": "integer" }, "attempt": { "type": "integer" },
            "action": { "type": "string" }, "status": { "type": "string" },
            "detail": { "type": "string" }, "error": { "type": "string", "nullable": true },
            "started_at": { "type": "string" }, "duration_ms": { "type": "integer" }
        } } });
    }
    json!({ "type": "object", "required": ["id", "automation_id", "status"], "properties": props })
}
