//! CRM pages: lists, 360 views, forms, the deal board, my tasks, the trash; and the pieces
//! they share for showing values.

pub mod appointments;
pub mod board;
pub mod form;
pub mod import;
pub mod list;
mod list_facets;
mod list_tools;
pub mod merge;
pub mod search;
pub mod show;
pub mod tasks;
pub mod timeline;
pub mod trash;

use crate::domain::crm::{Entity, Field};
use crate::domain::fields::Kind;
use crate::domain::ids::{PipelineId, StageId};
use crate::domain::local_time;
pub use crate::domain::record::Names;
use crate::domain::record::Record;
use crate::domain::words::{Words, fill};
use crate::views::layout::Chrome;
use maud::{Markup, html};
use std::collections::HashMap;

/// The check box of a task: a one-button form that completes it and comes back to `back`.
pub fn complete_task_button(chrome: &Chrome, task: &Record, back: &str) -> Markup {
    let w = chrome.w();
    let (base, csrf_token) = (chrome.base.as_str(), chrome.csrf);
    html! {
        form.inline method="post" action={(base) "/tasks/" (task.id) "/complete"} {
            (crate::views::components::csrf(csrf_token))
            input type="hidden" name="return_to" value=(back);
            button.check type="submit" title=(w.mark_done) { span.visually-hidden { (fill(w.complete_named, &[("title", &task.title())])) } }
        }
    }
}

/// `/t/<slug>/<table>/<id>`
pub fn record_href(base: &str, entity: Entity, id: i64) -> String {
    format!("{base}/{}/{id}", entity.table())
}

pub fn stage_badge(name: &str, kind: &str) -> Markup {
    let tone = match kind {
        "won" => "ok",
        "lost" => "danger",
        _ => "neutral",
    };
    html! { span class={"badge " (tone)} { (name) } }
}

/// A label: its name with a dot of its colour. The colour is an SVG `fill`, not a style, so the
/// content security policy (no inline styles) allows it.
pub fn chip(name: &str, color: Option<&str>) -> Markup {
    html! {
        span.chip {
            svg.dot width="8" height="8" viewBox="0 0 8 8" aria-hidden="true" { circle cx="4" cy="4" r="4" fill=(color.unwrap_or("#6b7280")) {} }
            (name)
        }
    }
}

pub fn label_chips(labels: &[String], colors: &HashMap<String, String>) -> Markup {
    html! { @for name in labels { (chip(name, colors.get(name).map(String::as_str))) } }
}

/// A custom attribute's value as a page shows it: yes or no for a switch, the text for the
/// rest, nothing for none.
pub fn custom_text(w: &Words, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => if *b { w.yes } else { w.no }.to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A task's due time beside now ("tomorrow 09:30", "2 days overdue"), the full local time
/// on hover and for machines.
pub fn due_time(chrome: &Chrome, stamp: &str) -> Markup {
    let relative = local_time::relative(stamp, chrome.now, chrome.zone, chrome.lang);
    html! { time datetime=(stamp) title=(chrome.time(stamp)) { (relative) } }
}

pub fn amount(chrome: &Chrome, record: &Record) -> String {
    let currency = record.str("currency").unwrap_or("EUR");
    chrome.money(record.int("amount").unwrap_or(0), currency)
}

/// A field's value as it reads on a page: links for records, names for users and stages.
pub fn value(field: &Field, record: &Record, names: &Names, chrome: &Chrome) -> Markup {
    let base = chrome.base.as_str();
    let v = record.values.get(field.name).cloned().unwrap_or_default();
    if v.is_null() {
        return html! { span.muted { "—" } };
    }
    let text = v
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string());
    let id = v.as_i64().unwrap_or_default();
    match field.kind {
        Kind::Ref(e) => html! { a href=(record_href(base, e, id)) { (names.record(e, id)) } },
        Kind::User => {
            let unknown = || fill(chrome.w().user_n, &[("id", &id.to_string())]);
            html! { (names.users.get(&id).cloned().unwrap_or_else(unknown)) }
        }
        Kind::Stage => match names.stages.get(&StageId(id)) {
            Some((name, kind)) => stage_badge(name, kind),
            None => html! { "—" },
        },
        Kind::Pipeline => {
            html! { (names.pipelines.get(&PipelineId(id)).cloned().unwrap_or_default()) }
        }
        Kind::Amount => html! { span.num { (amount(chrome, record)) } },
        Kind::Email => html! { a href={"mailto:" (text)} { (text) } },
        Kind::Phone => html! { a href={"tel:" (text.replace(' ', ""))} { (text) } },
        Kind::Url => html! { a href=(text) rel="noopener noreferrer" target="_blank" { (text) } },
        Kind::Domain => {
            html! { a href={"https://" (text)} rel="noopener noreferrer" target="_blank" { (text) } }
        }
        Kind::Choice(_) => html! { span.badge.neutral { (chrome.w().choice(field.name, &text)) } },
        Kind::DateTime => html! { time datetime=(text) { (chrome.time(&text)) } },
        Kind::Date => html! { time datetime=(text) { (chrome.day(&text)) } },
        Kind::LongText(_) => html! { span.pre { (text) } },
        _ => html! { (text) },
    }
}
