//! Handlers of the CRM pages. They read through the store and write through the app's use
//! cases, the same ones the API calls.

pub mod board;
pub mod bulk;
pub mod export;
pub mod import;
pub mod pages;
pub mod search;
pub mod show;
pub mod tasks;
pub mod views;

use crate::app::records::Input;
use crate::domain::crm::Entity;
use crate::domain::fields::Kind;
use crate::error::Result;
use crate::store::crm::records::{self, Record};
use crate::store::crm::{labels, pipelines};
use crate::store::users;
use crate::views::crm::Names;
use crate::views::crm::form::Options;
use crate::web::context::Ctx;
use crate::web::form::Form;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::HashMap;

/// How many records a select box offers.
const OPTION_LIMIT: i64 = 1000;

/// The names a page needs for the ids its records mention, and of every user and stage.
pub fn names(conn: &Connection, records: &[&Record]) -> Result<Names> {
    let mut wanted: HashMap<Entity, Vec<i64>> = HashMap::new();
    for r in records {
        for f in r.entity.fields() {
            if let (Kind::Ref(e), Some(id)) = (f.kind, r.int(f.name)) {
                wanted.entry(e).or_default().push(id);
            }
        }
    }
    let mut names = Names::default();
    for (entity, ids) in wanted {
        for (id, title) in records::titles(conn, entity, &ids)? {
            names.records.insert((entity, id), title);
        }
    }
    names.users = users::list(conn)?
        .into_iter()
        .map(|u| (u.id.0, u.display_name().to_string()))
        .collect();
    for p in pipelines::list(conn)? {
        for s in &p.stages {
            names.stages.insert(s.id, (s.name.clone(), s.kind.clone()));
        }
        names.pipelines.insert(p.id, p.name);
    }
    Ok(names)
}

pub fn label_colors(conn: &Connection) -> Result<HashMap<String, String>> {
    Ok(labels::list(conn)?
        .into_iter()
        .map(|l| (l.name, l.color))
        .collect())
}

/// Active users as select options.
pub fn user_options(conn: &Connection) -> Result<Vec<(i64, String)>> {
    Ok(users::list(conn)?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id.0, u.display_name().to_string()))
        .collect())
}

/// What the form of `entity` offers in its select boxes.
pub fn form_options(conn: &Connection, entity: Entity) -> Result<Options> {
    let mut options = Options {
        users: user_options(conn)?,
        ..Options::default()
    };
    for f in entity.fields() {
        match f.kind {
            Kind::Ref(e) => {
                options
                    .records
                    .insert(e, records::options(conn, e, OPTION_LIMIT)?);
            }
            Kind::Stage => options.pipelines = pipelines::list(conn)?,
            _ => {}
        }
    }
    Ok(options)
}

/// The fields of a submitted record form as the input the app takes: every field the form
/// has (empty means "no value"), `custom.<key>` fields, and the labels when the form shows them.
pub fn input_from_form(entity: Entity, form: &Form) -> Input {
    let mut input = Input::default();
    for f in entity.fields() {
        if form.has(f.name) {
            input
                .fields
                .insert(f.name.into(), Value::String(form.get(f.name).into()));
        }
    }
    let custom: serde_json::Map<String, Value> = form
        .pairs()
        .filter_map(|(k, v)| {
            k.strip_prefix("custom.")
                .map(|key| (key.to_string(), Value::String(v.to_string())))
        })
        .collect();
    if !custom.is_empty() {
        input.custom = Some(custom);
    }
    if form.has("labels_present") {
        input.labels = Some(form.all("labels").into_iter().map(str::to_string).collect());
    }
    input
}

/// A `return_to` that stays inside this tenant, or the fallback.
pub fn return_to(ctx: &Ctx, fallback: &str) -> String {
    let wanted = ctx.form.get("return_to");
    let prefix = ctx.path("");
    if wanted.starts_with(&prefix) && !wanted.contains("//") && !wanted.contains('\\') {
        wanted[prefix.len()..].to_string()
    } else {
        fallback.to_string()
    }
}
