//! Reading list parameters from a query string, for the API, the list pages and the saved
//! views that automations run over alike.

use crate::clock::stamp;
use crate::domain::crm::Entity;
use crate::domain::secret::hex;
use crate::domain::{fields, local_time};
use crate::error::{Error, Result};
pub use crate::store::crm::records::ListQuery;
use crate::store::crm::records::{Filter, Page, Seek};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

/// `limit` (1–100, default 25) and the offset of the page its `cursor` says: a number (the
/// offset itself), or a cursor next to a row (`cursor_text`), which also carries its offset.
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
    let (offset, _) = cursor(cursor_of(query))?;
    Ok((limit, offset))
}

fn cursor_of(query: &[(String, String)]) -> &str {
    query
        .iter()
        .find(|(n, _)| n == "cursor")
        .map_or("", |(_, v)| v.as_str())
}

/// The row a `cursor` says a page starts after (its sort key values and id), if it says one.
pub fn after(query: &[(String, String)]) -> Result<Option<Vec<Value>>> {
    match cursor(cursor_of(query))?.1 {
        Some(seek) if seek.back || seek.inclusive => {
            Err(Error::field("cursor", "is not a cursor of this list"))
        }
        seek => Ok(seek.map(|s| s.keys)),
    }
}

/// A cursor is an offset (at most `MAX_OFFSET`), or `k` (after a row) or `b` (before it) and the hex of
/// `[offset, keys]`, with `true` after them when the row itself may be on the page.
fn cursor(text: &str) -> Result<(i64, Option<Seek>)> {
    let refused = || Error::field("cursor", "is not a cursor from a previous page");
    if text.is_empty() {
        return Ok((0, None));
    }
    let back = match text.as_bytes()[0] {
        b'k' => Some(false),
        b'b' => Some(true),
        _ => None,
    };
    if let Some(back) = back {
        let bytes = unhex(&text[1..]).ok_or_else(refused)?;
        let parts: Vec<Value> = serde_json::from_slice(&bytes).map_err(|_| refused())?;
        return match parts.as_slice() {
            [Value::Number(offset), Value::Array(keys), rest @ ..]
                if !keys.is_empty() && matches!(rest, [] | [Value::Bool(true)]) =>
            {
                let offset = offset.as_i64().filter(|n| *n >= 0).ok_or_else(refused)?;
                let seek = Seek {
                    keys: keys.clone(),
                    back,
                    inclusive: !rest.is_empty(),
                };
                Ok((offset, Some(seek)))
            }
            _ => Err(refused()),
        };
    }
    let offset = text
        .parse()
        .ok()
        .filter(|n: &i64| *n >= 0)
        .ok_or_else(refused)?;
    if offset > MAX_OFFSET {
        return Err(Error::field(
            "cursor",
            format!("an offset goes at most {MAX_OFFSET} rows deep: follow a page's next cursor"),
        ));
    }
    Ok((offset, None))
}

/// The deepest a page may start by offset: counting rows from the start costs what the depth
/// is, while a cursor next to a row costs the same at any depth.
const MAX_OFFSET: i64 = 10_000;

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 4000 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A cursor after the row with these sort key values (and id, last), at `offset`.
pub fn cursor_after(offset: i64, values: &[Value]) -> String {
    let seek = Seek {
        keys: values.to_vec(),
        back: false,
        inclusive: false,
    };
    cursor_text(offset, &seek)
}

/// The text of a cursor (see `cursor`).
pub fn cursor_text(offset: i64, seek: &Seek) -> String {
    let parts = match seek.inclusive {
        true => json!([offset, seek.keys, true]),
        false => json!([offset, seek.keys]),
    };
    let kind = if seek.back { 'b' } else { 'k' };
    format!("{kind}{}", hex(parts.to_string().as_bytes()))
}

/// The cursors of the pages after and before `page`.
pub fn cursors(page: &Page) -> (Option<String>, Option<String>) {
    let text = |c: &Option<(i64, Seek)>| c.as_ref().map(|(o, s)| cursor_text(*o, s));
    (text(&page.next), text(&page.prev))
}

/// Reads list parameters: `limit`, `cursor`, `sort` (`name`, `-created_at` …), `q`, `label`,
/// `trash=true`, a task's `due` (`overdue`, `today`, `later`, `none`, as of `now`), and any
/// field of the entity as an equality filter (`owner_id=3`).
pub fn list_query(
    entity: Entity,
    query: &[(String, String)],
    currency: &str,
    now: DateTime<Utc>,
    zone: Tz,
) -> Result<ListQuery> {
    let (limit, offset) = paging(query)?;
    let mut q = ListQuery::new(limit, offset);
    q.seek = cursor(cursor_of(query))?.1;
    for (key, value) in query {
        // A filter form sends every facet; an empty one means "any".
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            // `columns` is how a page shows the list, and `trashed` what it offers to undo,
            // not which records it holds.
            "limit" | "cursor" | "columns" | "trashed" => {}
            "sort" => q.sort = sort(entity, value)?,
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
            "due" if entity == Entity::Task => q.filters.extend(due(value, now, zone)?),
            "created_from" | "created_to" | "updated_from" | "updated_to" => {
                q.filters.push(day_bound(key, value, currency, zone)?)
            }
            "ids" => {
                let ids = value
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.trim().parse::<i64>())
                    .collect::<Result<Vec<_>, _>>();
                q.filters.push(Filter::Ids(
                    ids.map_err(|_| Error::field("ids", "must be ids separated by commas"))?,
                ));
            }
            custom if custom.starts_with("custom.") && entity.has_labels_and_custom() => {
                q.filters.push(custom_filter(custom, value)?)
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

/// `name`, `-created_at`: a column the entity offers to sort by, and whether descending.
fn sort(entity: Entity, value: &str) -> Result<(String, bool)> {
    let (desc, column) = match value.strip_prefix('-') {
        Some(c) => (true, c),
        None => (false, value),
    };
    if !entity.sortable(column) {
        return Err(Error::field(
            "sort",
            format!("cannot sort {} by {column}", entity.table()),
        ));
    }
    Ok((column.to_string(), desc))
}

/// `created_from=2026-01-31` and the like: a bound on a record's time; `to` includes the
/// whole day (before the start of the next one).
fn day_bound(key: &str, value: &str, currency: &str, zone: Tz) -> Result<Filter> {
    let day = fields::normalize(fields::Kind::Date, &Value::String(value.into()), currency)
        .map_err(|m| Error::field(key, m))?;
    let day = chrono::NaiveDate::parse_from_str(day.as_str().unwrap_or_default(), "%Y-%m-%d")
        .map_err(|_| Error::field(key, "is not a date like 2026-11-21"))?;
    let (column, from) = key.split_once('_').unwrap_or_default();
    let at = if from == "from" {
        stamp(local_time::start_of(day, zone))
    } else {
        let next = day
            .succ_opt()
            .ok_or_else(|| Error::field(key, "is too far in the future"))?;
        stamp(local_time::start_of(next, zone))
    };
    let column = if column == "created" {
        "created_at"
    } else {
        "updated_at"
    };
    Ok(Filter::Since(column, from == "from", at))
}

/// `custom.tier=gold`: stored values are typed, so numbers and booleans compare as such.
fn custom_filter(name: &str, value: &str) -> Result<Filter> {
    let key = &name["custom.".len()..];
    if !crate::domain::custom::valid_custom_key(key) {
        return Err(Error::field(name, "is not a custom field"));
    }
    let typed = match value {
        "true" => Value::from(1),
        "false" => Value::from(0),
        v => v
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| v.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(v.into())),
    };
    Ok(Filter::Custom(key.to_string(), typed))
}

/// The start of the day after `now`'s.
pub fn start_of_tomorrow(now: DateTime<Utc>, zone: Tz) -> String {
    stamp(local_time::start_of_tomorrow(now, zone))
}

/// When tasks are due, as of `now`: before it (`overdue`), from it to the end of its day
/// (`today`), later or never (`later`), never (`none`). Days are those of `zone`, like the
/// times shown.
pub fn due(value: &str, now: DateTime<Utc>, zone: Tz) -> Result<Vec<Filter>> {
    let tomorrow = start_of_tomorrow(now, zone);
    let now = stamp(now);
    Ok(match value {
        "overdue" => vec![Filter::Since("due_at", false, now)],
        "today" => vec![
            Filter::Since("due_at", true, now),
            Filter::Since("due_at", false, tomorrow),
        ],
        "later" => vec![Filter::SinceOrNever("due_at", tomorrow)],
        "none" => vec![Filter::Eq("due_at", Value::Null)],
        _ => {
            return Err(Error::field("due", "must be overdue, today, later or none"));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_bounds_are_local_days_and_the_calendar_s_end_is_refused() {
        let ams: Tz = "Europe/Amsterdam".parse().expect("zone");
        let bound = |key, value| day_bound(key, value, "EUR", ams);
        assert_eq!(
            bound("created_from", "2026-07-01").expect("a bound"),
            Filter::Since("created_at", true, "2026-06-30T22:00:00Z".into())
        );
        assert_eq!(
            bound("updated_to", "2026-01-31").expect("a bound"),
            Filter::Since("updated_at", false, "2026-01-31T23:00:00Z".into())
        );
        let last = chrono::NaiveDate::MAX.format("%Y-%m-%d").to_string();
        assert!(bound("created_to", &last).is_err(), "{last}");
        assert!(bound("created_to", "someday").is_err());
    }
}
