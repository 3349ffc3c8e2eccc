//! Handlers of the CRM pages. They read through the store and write through the app's use
//! cases, the same ones the API calls.

pub mod board;
pub mod bulk;
pub mod export;
pub mod import;
pub mod pages;
pub mod saved_views;
pub mod search;
pub mod show;
pub mod tasks;

pub use crate::app::lookups::{form_options, label_colors, names, user_options};
use crate::app::records::Input;
use crate::domain::crm::Entity;
use crate::domain::fields::Kind;
use crate::domain::local_time;
use crate::web::context::Ctx;
use crate::web::form::Form;
use chrono_tz::Tz;
use serde_json::Value;

/// The fields of a submitted record form as the input the app takes: every field the form
/// has (empty means "no value"; times as typed in `zone`), `custom.<key>` fields, and the
/// labels when the form shows them.
pub fn input_from_form(entity: Entity, form: &Form, zone: Tz) -> Input {
    let mut input = Input::default();
    for f in entity.fields() {
        if form.has(f.name) {
            let typed = form.get(f.name);
            let value = match f.kind {
                Kind::DateTime => local_time::from_input(typed, zone),
                _ => typed.to_string(),
            };
            input.fields.insert(f.name.into(), Value::String(value));
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
    if entity == Entity::Contact && !form.get("new_company").trim().is_empty() {
        input.new_company = Some(form.get("new_company").trim().to_string());
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
