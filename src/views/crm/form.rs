//! The create and edit form of any record, built from its entity's fields, its custom fields
//! and the labels.

use crate::domain::crm::{Entity, Field};
use crate::domain::custom::{CustomField, CustomKind};
use crate::domain::fields::Kind;
use crate::domain::label::Label;
pub use crate::domain::record::Options;
use crate::domain::words::{Lang, fill};
use crate::domain::{local_time, money};
use crate::error::FieldError;
use crate::views::components::{csrf, error_for};
use crate::views::layout::{Chrome, page};
use chrono_tz::Tz;
use maud::{Markup, html};
use serde_json::{Map, Value};

pub struct FormPage<'a> {
    pub entity: Entity,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    /// Stored values, or what was typed when the form comes back with errors.
    pub values: &'a Map<String, Value>,
    pub custom: &'a Map<String, Value>,
    pub custom_fields: &'a [CustomField],
    pub labels: &'a [Label],
    pub chosen_labels: &'a [String],
    pub options: &'a Options,
    pub errors: &'a [FieldError],
    /// A message above the form, e.g. the link to a duplicate.
    pub notice: Option<Markup>,
    pub currency: &'a str,
    pub hidden: &'a [(&'a str, String)],
    /// The search API, for the pickers' search-as-you-type.
    pub search: String,
    /// The viewer's time zone, which times are shown and typed in.
    pub zone: Tz,
    pub lang: Lang,
}

/// The text an input shows for a value: stored values in the form's formats, typed text as is.
pub fn input_text(kind: Kind, value: &Value, currency: &str, zone: Tz, lang: Lang) -> String {
    match (kind, value) {
        (_, Value::Null) => String::new(),
        (Kind::DateTime, Value::String(s)) => local_time::input_value(s, zone),
        (_, Value::String(s)) => s.clone(),
        (Kind::Amount, Value::Number(n)) => {
            money::amount_input(lang, n.as_i64().unwrap_or(0), currency)
        }
        (_, other) => other.to_string(),
    }
}

fn field_wrap(
    lang: Lang,
    id: &str,
    label: &str,
    required: bool,
    error: Option<&str>,
    hint: Option<&str>,
    control: Markup,
) -> Markup {
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) @if required { span.req aria-hidden="true" { " *" } } }
            (control)
            @if let Some(message) = error { p.error id={(id) "-error"} { (label) " " (lang.words().said(message)) } }
            @else if let Some(hint) = hint { p.hint id={(id) "-hint"} { (hint) } }
        }
    }
}

fn select(
    id: &str,
    name: &str,
    current: &str,
    choices: &[(String, String)],
    blank: bool,
    described: Option<String>,
) -> Markup {
    html! {
        select id=(id) name=(name) aria-describedby=[described] {
            @if blank { option value="" { "—" } }
            @for (value, label) in choices { option value=(value) selected[value == current] { (label) } }
        }
    }
}

fn control(m: &FormPage, f: &Field) -> Markup {
    let id = format!("f-{}", f.name);
    let error = error_for(m.errors, f.name);
    let described = error.map(|_| format!("{id}-error"));
    let current = input_text(
        f.kind,
        m.values.get(f.name).unwrap_or(&Value::Null),
        m.currency,
        m.zone,
        m.lang,
    );
    let ids = |list: &[(i64, String)]| {
        list.iter()
            .map(|(i, t)| (i.to_string(), t.clone()))
            .collect::<Vec<_>>()
    };
    let input = |kind: &str| {
        html! {
            input id=(id) type=(kind) name=(f.name) value=(current) required[f.required] aria-invalid=[error.map(|_| "true")] aria-describedby=[described.clone()];
        }
    };
    let widget = match f.kind {
        Kind::LongText(_) => {
            html! { textarea id=(id) name=(f.name) rows="4" required[f.required] aria-describedby=[described.clone()] { (current) } }
        }
        Kind::Email => input("email"),
        Kind::Phone => input("tel"),
        Kind::Url => input("url"),
        Kind::Date => input("date"),
        Kind::DateTime => input("datetime-local"),
        Kind::Amount => {
            html! { input id=(id) type="text" inputmode="decimal" name=(f.name) value=(current) aria-describedby=[described.clone()]; }
        }
        Kind::Choice(options) => {
            let choices: Vec<(String, String)> = options
                .iter()
                .map(|o| (o.to_string(), m.lang.words().choice(f.name, o).to_string()))
                .collect();
            select(
                &id,
                f.name,
                &current,
                &choices,
                !f.required && f.default.is_none(),
                described.clone(),
            )
        }
        Kind::Ref(e) => match m.options.records.get(&e) {
            Some(few) => select(&id, f.name, &current, &ids(few), true, described.clone()),
            None => picker(m, f, e, &id, &current, described.clone()),
        },
        Kind::User => select(
            &id,
            f.name,
            &current,
            &ids(&m.options.users),
            true,
            described.clone(),
        ),
        Kind::Stage => html! {
            select id=(id) name=(f.name) aria-describedby=[described.clone()] {
                @for p in &m.options.pipelines {
                    optgroup label=(p.name) { @for s in &p.stages {
                        option value=(s.id) selected[s.id.to_string() == current] { (s.name) " (" (s.probability) " %)" }
                    } }
                }
            }
        },
        _ => input("text"),
    };
    let label = m.lang.words().field(m.entity, f.name);
    let control = field_wrap(m.lang, &id, &label, f.required, error, hint(m, f), widget);
    if m.entity == Entity::Contact && f.name == "company_id" {
        return html! { (control) (new_company(m)) };
    }
    control
}

fn hint(m: &FormPage, f: &Field) -> Option<&'static str> {
    let w = m.lang.words();
    match f.kind {
        Kind::Amount => Some(w.hint_amount),
        _ if f.name == "lost_reason" => Some(w.hint_lost_reason),
        Kind::Ref(e) if !m.options.records.contains_key(&e) => Some(w.hint_picker),
        _ => None,
    }
}

/// Beside a contact's company: a company to create with the contact, by name.
fn new_company(m: &FormPage) -> Markup {
    let error = error_for(m.errors, "new_company");
    let typed = m
        .values
        .get("new_company")
        .and_then(Value::as_str)
        .unwrap_or("");
    let widget = html! {
        input id="f-new_company" type="text" name="new_company" value=(typed) autocomplete="off"
            aria-describedby=(if error.is_some() { "f-new_company-error" } else { "f-new_company-hint" });
    };
    let w = m.lang.words();
    field_wrap(
        m.lang,
        "f-new_company",
        w.or_new_company,
        false,
        error,
        Some(w.hint_new_company),
        widget,
    )
}

/// A link to one of many records, typed by name: the server finds it, or offers a choice
/// when several have the name. JavaScript turns it into a search-as-you-type list.
fn picker(
    m: &FormPage,
    f: &Field,
    e: Entity,
    id: &str,
    current: &str,
    described: Option<String>,
) -> Markup {
    let typed_key = format!("{}.name", f.name);
    let text = match m.values.get(&typed_key).and_then(Value::as_str) {
        Some(t) => t.to_string(),
        None => current
            .parse::<i64>()
            .ok()
            .and_then(|i| m.options.linked.get(&(e, i)).cloned())
            .unwrap_or_default(),
    };
    let choices = m.options.choices.get(f.name);
    html! {
        @if choices.is_none() { input type="hidden" name=(f.name) value=(current); }
        input id=(id) type="text" name=(typed_key) value=(text) autocomplete="off" data-picker=(e.table()) data-search=(m.search) aria-describedby=[described];
        @if let Some(choices) = choices {
            fieldset.choices {
                legend { (fill(m.lang.words().which_one, &[("kind", m.lang.words().record(e))])) }
                @for c in choices {
                    div.check-field {
                        input type="radio" id={(id) "-" (c.id)} name=(f.name) value=(c.id);
                        label for={(id) "-" (c.id)} { (c.title) " " span.muted { "· " (c.detail) } }
                    }
                }
            }
        }
    }
}

fn custom_control(m: &FormPage, f: &CustomField) -> Markup {
    let name = format!("custom.{}", f.key);
    let id = format!("f-custom-{}", f.key);
    let error = error_for(m.errors, &name);
    let current = match m.custom.get(&f.key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let widget = match f.kind {
        CustomKind::Select => {
            let choices: Vec<(String, String)> =
                f.options.iter().map(|o| (o.clone(), o.clone())).collect();
            select(&id, &name, &current, &choices, true, None)
        }
        CustomKind::Boolean => select(
            &id,
            &name,
            &current,
            &[
                ("true".into(), m.lang.words().yes.into()),
                ("false".into(), m.lang.words().no.into()),
            ],
            true,
            None,
        ),
        kind => {
            let t = match kind {
                CustomKind::Number => "number",
                CustomKind::Date => "date",
                CustomKind::Url => "url",
                _ => "text",
            };
            html! { input id=(id) type=(t) step=[(t == "number").then_some("any")] name=(name) value=(current) required[f.required]; }
        }
    };
    field_wrap(m.lang, &id, &f.label, f.required, error, None, widget)
}

pub fn form(chrome: &Chrome, m: &FormPage) -> Markup {
    let w = chrome.w();
    let general = (!m.errors.is_empty()).then_some(w.correct_fields);
    page(
        chrome,
        &m.heading,
        html! {
            h1 { (m.heading) }
            @if let Some(notice) = &m.notice { div.flash.error role="alert" { (notice) } }
            @else { (crate::views::components::form_error(general)) }
            form.panel.record-form method="post" action=(m.action) {
                (csrf(chrome.csrf))
                @for (k, v) in m.hidden { input type="hidden" name=(k) value=(v); }
                div.grid2 {
                    // A deal's stage names its pipeline; a note keeps its record and only its text changes.
                    @for f in m.entity.fields().iter().filter(|f| f.kind != Kind::Pipeline && (m.entity != Entity::Note || f.name == "body")) { (control(m, f)) }
                    @for f in m.custom_fields { (custom_control(m, f)) }
                }
                @if m.entity.has_labels_and_custom() && !m.labels.is_empty() {
                    input type="hidden" name="labels_present" value="1";
                    fieldset.labels {
                        legend { (w.labels) }
                        @for l in m.labels {
                            div.check-field {
                                input type="checkbox" id={"label-" (l.id)} name="labels" value=(l.name) checked[m.chosen_labels.contains(&l.name)];
                                label for={"label-" (l.id)} { (super::chip(&l.name, Some(&l.color))) }
                            }
                        }
                        @if let Some(message) = error_for(m.errors, "labels") { p.error { (w.said(message)) } }
                    }
                }
                div.form-actions {
                    button.primary type="submit" { (w.save) }
                    a href=(m.cancel) { (w.cancel) }
                }
            }
        },
    )
}
