//! Reading list parameters from a query string, for the API and the list pages alike.

use crate::domain::crm::Entity;
use crate::domain::fields;
use crate::error::{Error, Result};
use crate::store::crm::records::{Filter, ListQuery};
use serde_json::Value;

/// `limit` (1–100, default 25) and `cursor` (the offset of the page).
pub fn paging(query: &[(String, String)]) -> Result<(i64, i64)> {
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let limit = match get("limit") {
        None => 25,
        Some(v) => v
            .parse()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| Error::field("limit", "must be a number from 1 to 100"))?,
    };
    let offset = match get("cursor") {
        None | Some("") => 0,
        Some(v) => v
            .parse()
            .ok()
            .filter(|n: &i64| *n >= 0)
            .ok_or_else(|| Error::field("cursor", "is not a cursor from a previous page"))?,
    };
    Ok((limit, offset))
}

/// Reads list parameters: `limit`, `cursor`, `sort` (`name`, `-created_at` …), `q`, `label`,
/// `trash=true`, and any field of the entity as an equality filter (`owner_id=3`).
pub fn list_query(entity: Entity, query: &[(String, String)], currency: &str) -> Result<ListQuery> {
    let (limit, offset) = paging(query)?;
    let mut q = ListQuery::new(limit, offset);
    for (key, value) in query {
        match key.as_str() {
            "limit" | "cursor" => {}
            "sort" => {
                let (desc, column) = match value.strip_prefix('-') {
                    Some(c) => (true, c),
                    None => (false, value.as_str()),
                };
                if !(entity.sortable(column) || entity == Entity::Contact && column == "name") {
                    return Err(Error::field(
                        "sort",
                        format!("cannot sort {} by {column}", entity.table()),
                    ));
                }
                q.sort = (column.to_string(), desc);
            }
            "q" if !value.trim().is_empty() => {
                q.filters.push(Filter::Search(value.trim().to_string()))
            }
            "q" => {}
            "label" if entity.has_labels_and_custom() => {
                q.filters.push(Filter::Label(value.clone()))
            }
            "trash" => q.trash = value == "true",
            "status" if entity == Entity::Deal => {
                if !crate::domain::crm::STAGE_KINDS.contains(&value.as_str()) {
                    return Err(Error::field("status", "must be open, won or lost"));
                }
                q.filters.push(Filter::Eq("status", value.clone().into()));
            }
            other => {
                let field = entity.field(other).ok_or_else(|| {
                    Error::field(other, format!("is not a filter of {}", entity.table()))
                })?;
                let v = fields::normalize(field.kind, &Value::String(value.clone()), currency)
                    .map_err(|m| Error::field(other, m))?;
                q.filters.push(Filter::Eq(field.name, v));
            }
        }
    }
    Ok(q)
}
