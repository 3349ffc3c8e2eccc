//! The rule builder: a form over the rule's JSON (no JSON typing), with its dry run and runs.

use super::runs_table;
use crate::domain::automation::action::{self, BuilderInput, KINDS, Shape};
use crate::domain::automation::run::{DryRun, Run};
use crate::domain::automation::{Event, Known, Op};
use crate::domain::ids::RuleId;
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
}

fn text_input(
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
            @if let Some(m) = error { p.error id={(id) "-error"} { (label) " " (m) } }
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
fn action_input(action: &Value, i: usize, input: &BuilderInput, errors: &[FieldError]) -> Markup {
    let name = format!("a{i}_{}", input.name);
    let value = action_value(action, input);
    if input.shape != Shape::LongText {
        return text_input(input.label, &name, &value, input.hint, errors);
    }
    html! {
        div.field.invalid[error_for(errors, &name).is_some()] {
            label for={"f-" (name)} { (input.label) }
            textarea id={"f-" (name)} name=(name) rows="5" { (value) }
            @if let Some(m) = error_for(errors, &name) { p.error { (input.label) " " (m) } }
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
    let title = match page.id {
        Some(_) => format!("Rule: {}", d["name"].as_str().unwrap_or("")),
        None => "New rule".to_string(),
    };
    settings_page(
        chrome,
        Tab::Automations,
        &title,
        html! {
            p { a href=(chrome.href("settings/automations")) { "← All rules" } }
            @if !errors.is_empty() {
                div.flash.error role="alert" {
                    p { "The rule was not saved:" }
                    ul { @for e in errors { li { (e.field) ": " (e.message) } } }
                }
            }
            form method="post" action=(action_url) {
                (csrf(chrome.csrf))
                section.panel aria-labelledby="rule-h" {
                    h2 #rule-h { (title) }
                    div.grid2 {
                        (text_input("Name", "name", d["name"].as_str().unwrap_or(""), None, errors))
                        div.check-field { input #f-enabled type="checkbox" name="enabled" value="1" checked[d["enabled"] != false]; label for="f-enabled" { "Switched on" } }
                    }
                }
                (when_section(page))
                (conditions_section(page))
                (actions_section(page))
                div.actions { button.primary type="submit" name="op" value="save" { "Save rule" } }
            }
            @if let Some(id) = page.id {
                (test_section(chrome, id, page.test))
                section.panel aria-labelledby="runs-h" {
                    h2 #runs-h { "Runs" }
                    (runs_table(chrome, page.runs, None))
                }
                section.panel {
                    (post_button(&chrome.href(&format!("settings/automations/{id}/delete")), chrome.csrf, "Delete rule", "danger", Some("Delete this rule and its runs?")))
                }
            }
        },
    )
}

/// The trigger: an event, or a schedule with what it runs for.
fn when_section(page: &Builder) -> Markup {
    let errors = page.errors;
    let trigger = &page.draft["trigger"];
    let scheduled = trigger.get("schedule").is_some();
    let event = trigger["event"].as_str().unwrap_or("");
    let target = trigger["for"].as_str().unwrap_or("once");
    html! {
        section.panel aria-labelledby="when-h" {
            h2 #when-h { "When" }
            fieldset {
                legend.visually-hidden { "Trigger" }
                div.check-field { input #f-tk-event type="radio" name="trigger_kind" value="event" checked[!scheduled]; label for="f-tk-event" { "Something happens to a record" } }
                div.field.invalid[error_for(errors, "event").is_some()] {
                    label for="f-event" { "Event" }
                    select #f-event name="event" {
                        @for e in Event::ALL { option value=(e.as_str()) selected[e.as_str() == event] { (e.label()) } }
                    }
                    @if let Some(m) = error_for(errors, "event") { p.error { (m) } }
                }
                div.check-field { input #f-tk-schedule type="radio" name="trigger_kind" value="schedule" checked[scheduled]; label for="f-tk-schedule" { "On a schedule" } }
                div.grid2 {
                    (text_input("Cron expression", "schedule", trigger["schedule"].as_str().unwrap_or(""), Some("minute hour day month weekday, in the account's time zone: 0 8 * * 1 is Mondays at 08:00"), errors))
                    div.field {
                        label for="f-for" { "Run" }
                        select #f-for name="for" {
                            @for (value, label) in [("once", "once"), ("users", "for each user"), ("contacts", "for each contact of a saved view"), ("companies", "for each company of a saved view"), ("deals", "for each deal of a saved view"), ("tasks", "for each task of a saved view")] {
                                option value=(value) selected[value == target] { (label) }
                            }
                        }
                    }
                    div.field.invalid[error_for(errors, "view").is_some()] {
                        label for="f-view" { "Saved view (shared)" }
                        select #f-view name="view" {
                            option value="" { "—" }
                            @for (entity, name) in &page.known.views {
                                option value=(name) selected[trigger["view"].as_str() == Some(name.as_str())] { (entity.label()) ": " (name) }
                            }
                        }
                        @if let Some(m) = error_for(errors, "view") { p.error { (m) } }
                    }
                }
            }
        }
    }
}

/// The conditions, with one empty row to add another.
fn conditions_section(page: &Builder) -> Markup {
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
            h2 #if-h { "Only if" }
            div.field {
                label for="f-match" { "Match" }
                select #f-match name="match" {
                    option value="all" selected[mode == "all"] { "all of these conditions" }
                    option value="any" selected[mode == "any"] { "any of these conditions" }
                }
            }
            p.hint { "Fields are written like deal.amount, contact.labels, contact.custom.tier, owner.email. Leave the field empty to drop a condition." }
            @for (i, c) in conditions.iter().enumerate() {
                div.row3 {
                    (text_input("Field", &format!("c{i}_field"), c["field"].as_str().unwrap_or(""), None, errors))
                    div.field {
                        label for={"f-c" (i) "_op"} { "Test" }
                        select id={"f-c" (i) "_op"} name={"c" (i) "_op"} {
                            @for op in Op::ALL { option value=(op.as_str()) selected[c["op"].as_str() == Some(op.as_str())] { (op.label()) } }
                        }
                    }
                    (text_input("Value", &format!("c{i}_value"), &shown(&c["value"]), None, errors))
                }
            }
            button type="submit" name="op" value="add_condition" { "Add condition" }
        }
    }
}

/// The actions in order, each with its inputs, and a choice of action to add.
fn actions_section(page: &Builder) -> Markup {
    let errors = page.errors;
    let actions = page.draft["actions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    html! {
        section.panel aria-labelledby="then-h" {
            h2 #then-h { "Then" }
            ol.steps {
                @for (i, a) in actions.iter().enumerate() {
                    @let kind = a["type"].as_str().unwrap_or("");
                    @let info = action::kind_info(kind);
                    li.panel {
                        input type="hidden" name={"a" (i) "_type"} value=(kind);
                        div.row-between {
                            h3 { (info.map_or(kind, |k| k.label)) }
                            button.small type="submit" name="op" value={"remove_action_" (i)} aria-label={"Remove action " (i + 1)} { "Remove" }
                        }
                        @if let Some(m) = error_for(errors, &format!("a{i}_type")) { p.error role="alert" { (m) } }
                        @for input in info.map_or(&[][..], |k| k.inputs) {
                            (action_input(a, i, input, errors))
                        }
                    }
                }
            }
            div.inline-form {
                label for="f-new-action" { "Add" }
                select #f-new-action name="new_action" {
                    @for k in KINDS { option value=(k.kind) { (k.label) } }
                }
                button type="submit" name="op" value="add_action" { "Add action" }
            }
        }
    }
}

/// The dry run's form and, once asked, its outcome.
fn test_section(chrome: &Chrome, id: RuleId, test: Option<&Result<DryRun, String>>) -> Markup {
    html! {
        section.panel aria-labelledby="test-h" {
            h2 #test-h { "Test against a record" }
            p.hint { "Shows what the rule would do for a record now, without doing anything." }
            form method="get" action=(chrome.href(&format!("settings/automations/{id}"))) {
                div.inline-form {
                    label for="f-test" { "Record number" }
                    input #f-test type="text" inputmode="numeric" name="test";
                    button type="submit" { "Dry run" }
                }
            }
            @match test {
                Some(Ok(dry)) => {
                    div #dry-run role="status" {
                        p { "For " (dry.record) ": "
                            @if dry.would_run { strong { "the rule would run." } } @else { strong { "the conditions do not hold; nothing would happen." } } }
                        @if !dry.conditions.is_empty() {
                            ul { @for (text, holds) in &dry.conditions { li { (if *holds { "✓ " } else { "✗ " }) (text) } } }
                        }
                        ol { @for a in &dry.actions { li { pre.wrap { (a) } } } }
                    }
                },
                Some(Err(message)) => { div.flash.error role="alert" { (message) } },
                None => {},
            }
        }
    }
}
