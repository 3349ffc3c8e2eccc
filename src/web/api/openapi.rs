//! The OpenAPI 3 document, made from the route list and the entities' field tables.

use super::routes;
use crate::domain::crm::Entity;
use crate::domain::fields::Kind;
use serde_json::{Map, Value, json};

fn schema_of(kind: Kind) -> Value {
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
        let mut s = schema_of(f.kind);
        s["nullable"] = (!f.required).into();
        s["title"] = f.label.into();
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

fn schema_name(path: &str) -> Option<String> {
    let table = path.trim_start_matches('/').split('/').next()?;
    Entity::from_table(table).map(|e| {
        let s = e.singular();
        s[..1].to_uppercase() + &s[1..]
    })
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for route in routes() {
        let mut op = json!({
            "summary": route.summary,
            "responses": {
                "200": { "description": "OK" },
                "400": { "$ref": "#/components/responses/Error" },
                "401": { "$ref": "#/components/responses/Error" },
                "404": { "$ref": "#/components/responses/Error" },
                "422": { "$ref": "#/components/responses/Error" }
            }
        });
        if route.path.contains("{id}") {
            op["parameters"] = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }]);
        }
        let schema = schema_name(&route.path);
        if route.method == "GET" && !route.path.contains("{id}") && route.path != "/openapi.json" {
            op["parameters"] = json!([
                { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 25 } },
                { "name": "cursor", "in": "query", "schema": { "type": "string" }, "description": "`next` of the previous page" },
                { "name": "sort", "in": "query", "schema": { "type": "string" }, "description": "a field; prefix - for descending" },
                { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "text search" }
            ]);
        }
        if let Some(name) = &schema {
            let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
            if matches!(route.method, "POST" | "PATCH") && !route.path.ends_with("/restore") {
                op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": reference } } });
            }
            op["responses"]["200"]["content"] =
                json!({ "application/json": { "schema": reference } });
        }
        if route.path.ends_with("/import") {
            op["parameters"] = json!([
                { "name": "duplicates", "in": "query", "schema": { "type": "string", "enum": ["skip", "update", "create"], "default": "skip" }, "description": "a row matching a contact's email or a company's domain" }
            ]);
            op["requestBody"] = json!({ "required": true, "content": { "text/csv": { "schema": { "type": "string" } } } });
            op["responses"]["200"]["content"] = json!({ "application/json": { "schema": {
                "type": "object",
                "properties": {
                    "created": { "type": "integer" },
                    "updated": { "type": "integer" },
                    "skipped": { "type": "integer" },
                    "failed": { "type": "array", "items": { "type": "object", "properties": { "line": { "type": "integer" }, "error": { "type": "string" } } } },
                    "ignored_columns": { "type": "array", "items": { "type": "string" } }
                }
            } } });
        }
        if route.path == "/openapi.json" {
            op["security"] = json!([]);
        }
        let entry = paths.entry(route.path.clone()).or_insert_with(|| json!({}));
        entry[route.method.to_lowercase()] = op;
    }
    let mut schemas = Map::new();
    for e in Entity::ALL {
        schemas.insert(
            schema_name(&format!("/{}", e.table())).unwrap_or_default(),
            entity_schema(e),
        );
    }
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "properties": { "error": { "type": "object", "required": ["code", "message", "fields"], "properties": {
                "code": { "type": "string" }, "message": { "type": "string" },
                "fields": { "type": "object", "additionalProperties": { "type": "string" } },
                "request_id": { "type": "string" }
            } } }
        }),
    );
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Onebox API",
            "version": "1",
            "description": "The JSON API of one Onebox workspace. Send an API token as `Authorization: Bearer obx_…`. Lists answer `{\"data\": [...], \"total\": N, \"next\": cursor-or-null}`; errors answer `{\"error\": {\"code\", \"message\", \"fields\", \"request_id\"}}`."
        },
        "servers": [{ "url": "/t/{slug}/api/v1", "variables": { "slug": { "default": "default" } } }],
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
        let doc = document();
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
    }
}
