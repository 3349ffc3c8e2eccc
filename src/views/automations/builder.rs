//! The rule builder: a form over the rule's JSON (no JSON typing), with its dry run and runs.

use super::runs_table;
use crate::domain::automation::action::{self, BuilderInput, KINDS, Kind, SendSms, Shape};
use crate::domain::automation::run::{DryRun, Run};
use crate::domain::automation::{Event, Known, Op};
use crate::domain::capability::Capabilities;
use crate::domain::ids::RuleId;
use crate::domain::words::{Words, fill};
use crate::error::FieldError;
use crate::views::components::{csrf, error_for, post_button};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};
use serde_json::Value;

pub struct Builder<'a> {
    pub id: Option<RuleId>,
    /// The rule as JSON, saved or being edited.
    pub draft: &'a Value,
    pub errors: &'a [FieldError],
    pub known: &'a Known,
    pub runs: &'a [Run],
    pub test: Option<&'a Result<DryRun, String>>,
    /// Whether the installation has an SMS gateway (else text messages are not offered).
    pub sms: bool,
}

fn text_input(
    w: &Words,
    label: &str,
    name: &str,
    value: &str,
    hint: Option<&str>,
    errors: &[FieldError],
) -> Markup {
    let id = format!("f-{name}");
    let error = error_for(errors, name);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            input id=(id) type="text" name=(name) value=(value) aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{id}-error")).or(hint.map(|_| format!("{id}-hint")))];
            @if let Some(m) = error { p.error id={(id) "-error"} { (label) " " (w.said(m)) } }
            @else if let Some(h) = hint { p.hint id={(id) "-hint"} { (h) } }
        }
    }
}

/// The form text of an action's input, from its JSON.
fn action_value(action: &Value, input: &BuilderInput) -> String {
    match input.shape {
        Shape::Emails => match (&action["user"], &action["round_robin"]) {
            (Value::String(one), _) => one.clone(),
            (_, Value::Array(many)) => many
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        },
        _ => shown(&action[input.name]),
    }
}

/// A JSON value as form text.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

/// One input of the `i`th action.
fn action_input(
    w: &Words,
    action: &Value,
    i: usize,
    input: &BuilderInput,
    errors: &[FieldError],
) -> Markup {
    let name = format!("a{i}_{}", input.name);
    let value = action_value(action, input);
    let label = w.said(input.label);
    if input.shape != Shape::LongText {
        let hint = input.hint.map(|h| w.said(h));
        return text_input(w, &label, &name, &value, hint.as_deref(), errors);
    }
    html! {
        div.field.invalid[error_for(errors, &name).is_some()] {
            label for={"f-" (name)} { (label) }
            textarea id={"f-" (name)} name=(name) rows="5" { (value) }
            @if let Some(m) = error_for(errors, &name) { p.error { (label) " " (w.said(m)) } }
        }
    }
}

pub fn builder(chrome: &Chrome, page: &Builder) -> Markup {
    let d = page.draft;
    let errors = page.errors;
    let action_url = match page.id {
        Some(id) => chrome.href(&format!("settings/automations/{id}")),
        None => chrome.href("settings/automations/new"),
    };
    let w = chrome.w();
    let title = match page.id {
        Some(_) => fill(w.rule_named, &[("name", d["name"].as_str().unwrap_or(""))]),
        None => w.new_rule.to_string(),
    };
    settings_page(
        chrome,
        Tab::Automations,
        &title,
        html! {
            p { a href=(chrome.href("settings/automations")) { (w.all_rules) } }
            @if !errors.is_empty() {
                div.flash.error role="alert" {
                    p { (w.not_saved_because) }
                    ul { @for e in errors { li { (crate::error::field_in_words(&e.field)) ": " (w.said(&e.message)) } } }
                }
            }
            form method="post" action=(action_url) {
                (csrf(chrome.csrf))
                section.panel aria-labelledby="rule-h" {
                    h2 #rule-h { (title) }
                    div.grid2 {
                        (text_input(w, w.col_name, "name", d["name"].as_str().unwrap_or(""), None, errors))
                        div.check-field { input #f-enabled type="checkbox" name="enabled" value="1" checked[d["enabled"] != false]; label for="f-enabled" { (w.switched_on) } }
                    }
                }
                (when_section(w, chrome.caps, page))
                (conditions_section(w, page))
                (actions_section(w, page))
                div.actions { button.primary type="submit" name="op" value="save" { (w.save_rule) } }
            }
            @if let Some(id) = page.id {
                (test_section(chrome, id, page.test))
                section.panel aria-labelledby="runs-h" {
                    h2 #runs-h { (w.runs) }
                    (runs_table(chrome, page.runs, None))
                }
                section.panel {
                    (post_button(&chrome.href(&format!("settings/automations/{id}/delete")), chrome.csrf, w.delete_rule, "danger", Some(w.delete_rule_confirm)))
                }
            }
        },
    )
}

/// The trigger: an event, or a schedule with what it runs for.
fn when_section(w: &Words, caps: &Capabilities, page: &Builder) -> Markup {
    let errors = page.errors;
    let trigger = &page.draft["trigger"];
    let scheduled = trigger.get("schedule").is_some();
    let event = trigger["event"].as_str().unwrap_or("");
    let target = trigger["for"].as_str().unwrap_or("once");
    html! {
        section.panel aria-labelledby="when-h" {
            h2 #when-h { (w.when) }
            fieldset {
                legend.visually-hidden { (w.trigger) }
                div.check-field { input #f-tk-event type="radio" name="trigger_kind" value="event" checked[!scheduled]; label for="f-tk-event" { (w.something_happens) } }
                div.field.invalid[error_for(errors, "event").is_some()] {
                    label for="f-event" { (w.event) }
                    select #f-event name="event" {
                        @for e in Event::ALL.into_iter().filter(|e| e.capability().is_none_or(|c| caps.allows(c))) { option value=(e.as_str()) selected[e.as_str() == event] { (w.said(e.label())) } }
                    }
                    @if let Some(m) = error_for(errors, "event") { p.error { (w.said(m)) } }
                }
                div.check-field { input #f-tk-schedule type="radio" name="trigger_kind" value="schedule" checked[scheduled]; label for="f-tk-schedule" { (w.on_schedule) } }
                div.grid2 {
                    (text_input(w, w.cron, "schedule", trigger["schedule"].as_str().unwrap_or(""), Some(w.cron_hint), errors))
                    div.field {
                        label for="f-for" { (w.run_for) }
                        select #f-for name="for" {
                            @for (value, label) in [("once", w.run_once), ("users", w.run_users), ("contacts", w.run_contacts), ("companies", w.run_companies), ("deals", w.run_deals), ("tasks", w.run_tasks)] {
                                option value=(value) selected[value == target] { (label) }
                            }
                        }
                    }
                    div.field.invalid[error_for(errors, "view").is_some()] {
                        label for="f-view" { (w.saved_view_shared) }
                        select #f-view name="view" {
                            option value="" { "—" }
                            @for (entity, name) in &page.known.views {
                                option value=(name) selected[trigger["view"].as_str() == Some(name.as_str())] { (w.records(*entity)) ": " (name) }
                            }
                        }
                        @if let Some(m) = error_for(errors, "view") { p.error { (w.said(m)) } }
                    }
                }
            }
        }
    }
}

/// The conditions, with one empty row to add another.
fn conditions_section(w: &Words, page: &Builder) -> Markup {
    let errors = page.errors;
    let d = page.draft;
    let (mode, mut conditions) = match (&d["conditions"]["any"], &d["conditions"]["all"]) {
        (Value::Array(list), _) => ("any", list.clone()),
        (_, Value::Array(list)) => ("all", list.clone()),
        _ => ("all", Vec::new()),
    };
    conditions.push(serde_json::json!({"field": "", "op": "eq", "value": ""}));
    html! {
        section.panel aria-labelledby="if-h" {
            h2 #if-h { (w.only_if) }
            div.field {
                label for="f-match" { (w.match_mode) }
                select #f-match name="match" {
                    option value="all" selected[mode == "all"] { (w.match_all) }
                    option value="any" selected[mode == "any"] { (w.match_any) }
                }
            }
            p.hint { (w.conditions_hint) }
            @for (i, c) in conditions.iter().enumerate() {
                div.row3 {
                    (text_input(w, w.field, &format!("c{i}_field"), c["field"].as_str().unwrap_or(""), None, errors))
                    div.field {
                        label for={"f-c" (i) "_op"} { (w.test) }
                        select id={"f-c" (i) "_op"} name={"c" (i) "_op"} {
                            @for op in Op::ALL { option value=(op.as_str()) selected[c["op"].as_str() == Some(op.as_str())] { (w.said(op.label())) } }
                        }
                    }
                    (text_input(w, w.value, &format!("c{i}_value"), &shown(&c["value"]), None, errors))
                }
            }
            button type="submit" name="op" value="add_condition" { (w.add_condition) }
        }
    }
}

/// The actions in order, each with its inputs, and a choice of action to add.
fn actions_section(w: &Words, page: &Builder) -> Markup {
    let errors = page.errors;
    let actions = page.draft["actions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    html! {
        section.panel aria-labelledby="then-h" {
            h2 #then-h { (w.then) }
            ol.steps {
                @for (i, a) in actions.iter().enumerate() {
                    @let kind = a["type"].as_str().unwrap_or("");
                    @let info = action::kind_info(kind);
                    li.panel {
                        input type="hidden" name={"a" (i) "_type"} value=(kind);
                        div.row-between {
                            h3 { (info.map_or(kind.to_string(), |k| w.said(k.label))) }
                            button.small type="submit" name="op" value={"remove_action_" (i)} aria-label=(fill(w.remove_action_n, &[("n", &(i + 1).to_string())])) { (w.remove) }
                        }
                        @if let Some(m) = error_for(errors, &format!("a{i}_type")) { p.error role="alert" { (w.said(m)) } }
                        @for input in info.map_or(&[][..], |k| k.inputs) {
                            (action_input(w, a, i, input, errors))
                        }
                    }
                }
            }
            div.inline-form {
                label for="f-new-action" { (w.add) }
                select #f-new-action name="new_action" {
                    @for k in KINDS.iter().filter(|k| page.sms || k.kind != SendSms::KIND) { option value=(k.kind) { (w.said(k.label)) } }
                }
                button type="submit" name="op" value="add_action" { (w.add_action) }
            }
        }
    }
}

/// The dry run's form and, once asked, its outcome.
fn test_section(chrome: &Chrome, id: RuleId, test: Option<&Result<DryRun, String>>) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="test-h" {
            h2 #test-h { (w.test_title) }
            p.hint { (w.test_hint) }
            form method="get" action=(chrome.href(&format!("settings/automations/{id}"))) {
                div.inline-form {
                    label for="f-test" { (w.record_number) }
                    input #f-test type="text" inputmode="numeric" name="test";
                    button type="submit" { (w.dry_run) }
                }
            }
            @match test {
                Some(Ok(dry)) => {
                    div #dry-run role="status" {
                        p { (fill(w.dry_for, &[("record", &dry.record)])) " "
                            @if dry.would_run { strong { (w.would_run) } } @else { strong { (w.would_not_run) } } }
                        @if !dry.conditions.is_empty() {
                            ul { @for (text, holds) in &dry.conditions { li { (if *holds { "✓ " } else { "✗ " }) (text) } } }
                        }
                        ol { @for a in &dry.actions { li { pre.wrap { (a) } } } }
                    }
                },
                Some(Err(message)) => { div.flash.error role="alert" { (w.said(message)) } },
                None => {},
            }
        }
    }
}
