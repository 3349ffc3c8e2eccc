//! The OpenAPI 3 document, made from the route list and the entities' field tables.

use super::schemas::other_schemas;
use super::{Input, Output, Query, Route, routes, schema_of};
use crate::domain::crm::Entity;
use crate::domain::fields::Kind;
use serde_json::{Map, Value, json};

fn kind_schema(kind: Kind) -> Value {
    match kind {
        Kind::Text(max) | Kind::LongText(max) => json!({ "type": "string", "maxLength": max }),
        Kind::Email => json!({ "type": "string", "format": "email" }),
        Kind::Url => json!({ "type": "string", "format": "uri" }),
        Kind::Phone | Kind::Domain => json!({ "type": "string" }),
        Kind::Choice(options) => json!({ "type": "string", "enum": options }),
        Kind::Ref(e) => {
            json!({ "type": "integer", "description": format!("id of a {}", e.singular()) })
        }
        Kind::Pipeline => {
            json!({ "type": "integer", "description": "id of a pipeline (default: the default pipeline)" })
        }
        Kind::Stage => {
            json!({ "type": "integer", "description": "id of a stage of the deal's pipeline (default: its first)" })
        }
        Kind::User => json!({ "type": "integer", "description": "id of a user" }),
        Kind::Amount => json!({ "type": "integer", "description": "minor units (cents)" }),
        Kind::Currency => {
            json!({ "type": "string", "description": "ISO 4217 (default: the account's)" })
        }
        Kind::Date => json!({ "type": "string", "format": "date" }),
        Kind::DateTime => json!({ "type": "string", "format": "date-time" }),
    }
}

fn entity_schema(entity: Entity) -> Value {
    let mut props = Map::new();
    props.insert("id".into(), json!({ "type": "integer", "readOnly": true }));
    for f in entity.fields() {
        let mut s = kind_schema(f.kind);
        s["nullable"] = (!f.required).into();
        s["title"] = crate::domain::words::Lang::En
            .words()
            .field(entity, f.name)
            .into();
        props.insert(f.name.into(), s);
    }
    for c in entity.derived() {
        let s = match *c {
            "status" => {
                json!({ "type": "string", "enum": ["open", "won", "lost"], "readOnly": true, "description": "follows the stage's kind" })
            }
            _ => {
                json!({ "type": "string", "format": "date-time", "nullable": true, "readOnly": true })
            }
        };
        props.insert((*c).into(), s);
    }
    if entity.has_labels_and_custom() {
        props.insert("custom".into(), json!({ "type": "object", "description": "custom field key → value, checked against /custom_fields" }));
        props.insert(
            "labels".into(),
            json!({ "type": "array", "items": { "type": "string" }, "description": "label names" }),
        );
    }
    for c in ["created_at", "updated_at"] {
        props.insert(
            c.into(),
            json!({ "type": "string", "format": "date-time", "readOnly": true }),
        );
    }
    props.insert(
        "created_by".into(),
        json!({ "type": "integer", "nullable": true, "readOnly": true }),
    );
    let required: Vec<&str> = entity
        .fields()
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    json!({ "type": "object", "properties": props, "required": required })
}

fn reference(schema: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{schema}") })
}

fn query_parameters(query: Query) -> Vec<Value> {
    let limit = json!({ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 25 } });
    let cursor = json!({ "name": "cursor", "in": "query", "schema": { "type": "string", "pattern": "^([0-9]*|k[0-9a-f]*)$" }, "description": "`next` of the previous page: a cursor after its last row, or an offset" });
    let id = |name: &str| json!({ "name": name, "in": "query", "schema": { "type": "integer", "minimum": 1 } });
    match query {
        Query::None => vec![],
        Query::Limit => vec![limit],
        Query::Search => vec![
            json!({ "name": "q", "in": "query", "required": true, "schema": { "type": "string", "minLength": 1, "pattern": "\\S" } }),
            json!({ "name": "type", "in": "query", "schema": { "type": "string", "enum": ["contacts", "companies", "deals", "tasks", "notes"] }, "description": "only records of this kind" }),
            limit,
        ],
        Query::Activities => vec![
            limit,
            cursor,
            json!({ "name": "kind", "in": "query", "schema": { "type": "string" } }),
            id("contact_id"),
            id("company_id"),
            id("deal_id"),
        ],
        Query::Import => vec![
            json!({ "name": "duplicates", "in": "query", "schema": { "type": "string", "enum": ["skip", "update", "create"], "default": "skip" }, "description": "a row matching a contact's email or a company's domain" }),
        ],
        Query::MoveTo => vec![id("move_to")],
        Query::Availability => {
            let required = |name: &str| json!({ "name": name, "in": "query", "required": true, "schema": { "type": "integer", "minimum": 1 } });
            let day = |name: &str| json!({ "name": name, "in": "query", "required": true, "schema": { "type": "string", "format": "date" }, "description": "a day of the workspace's zone; at most 62 days from from to to" });
            vec![
                required("service_id"),
                required("staff_id"),
                day("from"),
                day("to"),
            ]
        }
        Query::Appointments => {
            let time = |name: &str| json!({ "name": name, "in": "query", "required": true, "schema": { "type": "string", "format": "date-time" } });
            vec![
                limit,
                json!({ "name": "cursor", "in": "query", "schema": { "type": "string" }, "description": "`next` of the previous page" }),
                time("from"),
                time("to"),
                id("staff_id"),
                json!({ "name": "status", "in": "query", "schema": { "type": "string", "enum": crate::domain::scheduling::Status::ALL.map(|s| s.as_str()) } }),
            ]
        }
        Query::Conversations => vec![
            limit,
            cursor,
            json!({ "name": "queue", "in": "query", "schema": { "type": "string", "pattern": "^(mine|unassigned|all|inbox-[0-9]+|team-[0-9]+|user-[0-9]+)$", "default": "all" } }),
            json!({ "name": "status", "in": "query", "schema": { "type": "string", "enum": crate::domain::inbox::Status::ALL.map(|s| s.as_str()), "default": "open" } }),
            json!({ "name": "priority", "in": "query", "schema": { "type": "string", "enum": crate::domain::inbox::Priority::ALL.map(|p| p.as_str()) } }),
            id("label"),
        ],
        Query::Records(entity) => {
            let sorts: Vec<String> = entity
                .sorts()
                .iter()
                .flat_map(|s| [s.to_string(), format!("-{s}")])
                .collect();
            let mut out = vec![
                limit,
                cursor,
                json!({ "name": "sort", "in": "query", "schema": { "type": "string", "enum": sorts }, "description": "a field; - before it for descending" }),
                json!({ "name": "q", "in": "query", "schema": { "type": "string" }, "description": "text search" }),
                json!({ "name": "trash", "in": "query", "schema": { "type": "boolean" }, "description": "the trash instead of the live records" }),
            ];
            if entity.has_labels_and_custom() {
                out.push(json!({ "name": "label", "in": "query", "schema": { "type": "string" }, "description": "a label's name" }));
            }
            if entity == Entity::Task {
                out.push(json!({ "name": "due", "in": "query", "schema": { "type": "string", "enum": ["overdue", "today", "later", "none"] }, "description": "due before now, from now to the end of today (in the token user's time zone, else the workspace's), later or never, never" }));
            }
            out
        }
    }
}

/// One route as an OpenAPI operation: its answers, parameters and body.
fn operation(route: &Route) -> Value {
    let error = json!({ "$ref": "#/components/responses/Error" });
    let mut responses = Map::new();
    let success = match route.output {
        Output::Empty => json!({ "description": "Done; no content" }),
        Output::One(schema) => {
            json!({ "description": "OK", "content": { "application/json": { "schema": reference(schema) } } })
        }
        Output::List(schema) => {
            json!({ "description": "A page", "content": { "application/json": { "schema": {
            "type": "object",
            "required": ["data", "total", "total_exact", "next", "prev"],
            "properties": {
                "data": { "type": "array", "items": reference(schema) },
                "total": { "type": "integer", "description": "How many match; at least this many where total_exact is false (counting them all would take longer than a page may)" },
                "total_exact": { "type": "boolean" },
                "next": { "type": "string", "nullable": true, "description": "The cursor of the next page. A page may hold fewer records than limit, even none, and still have a next one: where the filters match few of the records along the sort, a page looks through a bounded part of the list and the next one goes on from there" },
                "prev": { "type": "string", "nullable": true, "description": "The cursor of the page before" }
            }
        } } } })
        }
    };
    responses.insert(route.status.to_string(), success);
    let writes = route.method != "GET";
    let statuses: &[u16] = if route.path == "/openapi.json" {
        &[404, 503]
    } else if writes {
        &[400, 401, 403, 404, 409, 413, 422, 503, 507]
    } else {
        &[401, 403, 404, 422, 503]
    };
    for status in statuses {
        responses.insert(status.to_string(), error.clone());
    }
    let mut op = json!({ "summary": route.summary, "responses": responses });
    let mut parameters = query_parameters(route.query);
    if route.path.contains("{id}") {
        parameters.push(json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }));
    }
    if route.path.contains("{code}") {
        parameters.push(json!({ "name": "code", "in": "path", "required": true, "schema": { "type": "string" } }));
    }
    if !parameters.is_empty() {
        op["parameters"] = parameters.into();
    }
    match route.input {
        Input::None => {}
        Input::Json(schema) => {
            op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": reference(schema) } } });
        }
        Input::Csv => {
            op["requestBody"] = json!({ "required": true, "content": { "text/csv": { "schema": { "type": "string" } } } });
        }
    }
    if route.path == "/openapi.json" {
        op["security"] = json!([]);
    }
    op
}

/// The document for the workspace `slug`.
pub fn document(slug: &str) -> Value {
    let mut paths = Map::new();
    for route in routes() {
        let entry = paths.entry(route.path.clone()).or_insert_with(|| json!({}));
        entry[route.method.to_lowercase()] = operation(&route);
    }
    let mut schemas = Map::new();
    for e in Entity::ALL {
        schemas.insert(schema_of(e).into(), entity_schema(e));
    }
    for (name, schema) in other_schemas() {
        schemas.insert(name.into(), schema);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Onebox API",
            "version": "1",
            "description": "The JSON API of one Onebox workspace. Send an API token as `Authorization: Bearer obx_…`. Lists answer `{\"data\": [...], \"total\": N, \"total_exact\": bool, \"next\": cursor-or-null, \"prev\": cursor-or-null}`; errors answer `{\"error\": {\"code\", \"message\", \"fields\", \"request_id\"}}`."
        },
        "servers": [{ "url": format!("/t/{slug}/api/v1") }],
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "responses": { "Error": { "description": "An error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } },
            "schemas": schemas
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_lists_every_route_with_its_schema() {
        let doc = document("acme");
        assert_eq!(doc["servers"][0]["url"], "/t/acme/api/v1");
        for route in routes() {
            assert!(
                doc["paths"][&route.path][route.method.to_lowercase()].is_object(),
                "{} {}",
                route.method,
                route.path
            );
        }
        assert_eq!(
            doc["components"]["schemas"]["Deal"]["properties"]["amount"]["type"],
            "integer"
        );
        assert_eq!(
            doc["components"]["schemas"]["Contact"]["properties"]["lifecycle"]["enum"][0],
            "lead"
        );
        assert_eq!(
            doc["paths"]["/contacts"]["post"]["requestBody"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/Contact"
        );
        // Every schema an operation names exists.
        let text = doc.to_string();
        for name in text.split("#/components/schemas/").skip(1) {
            let name = &name[..name.find('"').expect("end")];
            assert!(doc["components"]["schemas"][name].is_object(), "{name}");
        }
        assert!(doc["paths"]["/contacts"]["post"]["responses"]["201"].is_object());
        assert!(doc["paths"]["/contacts/{id}"]["delete"]["responses"]["204"].is_object());
    }
}
