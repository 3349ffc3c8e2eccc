//! Links typed by name: where a form's linked kind has more records than a select box shows,
//! the form asks for a name, and without JavaScript the server finds the record: the one of
//! that name, or, when several have it, a choice between them ("which one?").

use crate::app::Tenant;
use crate::domain::crm::Entity;
use crate::domain::input::Input;
use crate::domain::record::{Choice, Record};
use crate::error::{FieldError, Result};
use crate::store::Connection;
use crate::store::crm::{records, search};
use serde_json::Value;
use std::collections::HashMap;

/// A link field of a form as typed: its text, and the id the form carried with it (the
/// current link, or the one chosen among several).
pub struct Typed {
    pub field: &'static str,
    pub entity: Entity,
    pub text: String,
    pub chosen: Option<i64>,
}

/// What the typed names came to: the input's link fields set, or what went wrong with the
/// choices to offer.
#[derive(Default)]
pub struct Resolution {
    pub errors: Vec<FieldError>,
    pub choices: HashMap<String, Vec<Choice>>,
}

/// How many records a typed name is looked up among.
const CANDIDATES: i64 = 20;

/// Sets each typed link of `input` to the record its name means.
pub fn resolve(tenant: &Tenant, typed: &[Typed], input: &mut Input) -> Result<Resolution> {
    let conn = tenant.db.conn()?;
    let mut out = Resolution::default();
    for t in typed {
        let text = t.text.trim();
        if text.is_empty() {
            input
                .fields
                .insert(t.field.into(), Value::String(String::new()));
            continue;
        }
        if let Some(id) = t.chosen {
            let same = records::titles(&conn, t.entity, &[id])?
                .get(&id)
                .is_some_and(|title| title.eq_ignore_ascii_case(text));
            if same {
                input.fields.insert(t.field.into(), id.into());
                continue;
            }
        }
        let hits = search::search(&conn, text, &[t.entity], CANDIDATES)?;
        let exact: Vec<i64> = hits
            .iter()
            .filter(|h| h.title.trim().eq_ignore_ascii_case(text))
            .map(|h| h.id)
            .collect();
        let ids: Vec<i64> = if exact.is_empty() {
            hits.iter().map(|h| h.id).collect()
        } else {
            exact
        };
        let fail = |message: String| FieldError {
            field: t.field.into(),
            message,
        };
        match ids.as_slice() {
            [one] => {
                input.fields.insert(t.field.into(), (*one).into());
            }
            [] => out.errors.push(fail(format!(
                "no {} is named {text:?}",
                t.entity.singular()
            ))),
            many => {
                out.errors.push(fail(format!(
                    "{} {} match {text:?}: choose one",
                    many.len(),
                    t.entity.table()
                )));
                out.choices
                    .insert(t.field.to_string(), choices(&conn, t.entity, many)?);
            }
        }
    }
    Ok(out)
}

/// The records of these ids as choices, each title with what tells it apart.
fn choices(conn: &Connection, entity: Entity, ids: &[i64]) -> Result<Vec<Choice>> {
    Ok(described(conn, entity, ids)?
        .into_iter()
        .map(|(r, detail)| Choice {
            id: r.id,
            title: r.title(),
            detail: if detail.is_empty() {
                format!("#{}", r.id)
            } else {
                detail
            },
        })
        .collect())
}

/// The live records of these ids, each with what tells it apart from others of the same name
/// (a contact's email and company, a company's domain and industry, a deal's or task's company),
/// in one query and the companies they name in another.
pub fn described(conn: &Connection, entity: Entity, ids: &[i64]) -> Result<Vec<(Record, String)>> {
    // One query for all of them, in the order of `ids`.
    let mut query = records::ListQuery::new(ids.len() as i64, 0);
    query.filters.push(records::Filter::Ids(ids.to_vec()));
    let mut found = records::page_only(conn, entity, &query)?;
    found.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    let companies: Vec<i64> = found
        .iter()
        .filter_map(|r| r.company_id())
        .map(|c| c.0)
        .collect();
    let company_names = records::titles(conn, Entity::Company, &companies)?;
    Ok(found
        .into_iter()
        .map(|r| {
            let company = r
                .company_id()
                .and_then(|c| company_names.get(&c.0).cloned());
            let detail: Vec<String> = match r.entity {
                Entity::Contact => [r.str("email").map(str::to_string), company]
                    .into_iter()
                    .flatten()
                    .collect(),
                Entity::Company => [r.str("domain"), r.str("industry")]
                    .into_iter()
                    .flatten()
                    .map(str::to_string)
                    .collect(),
                _ => company.into_iter().collect(),
            };
            (r, detail.join(" · "))
        })
        .collect())
}
