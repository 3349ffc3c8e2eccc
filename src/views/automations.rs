//! Settings → Automations: the rule list, the rule builder with its dry run and runs, and a
//! run with its steps.

use crate::domain::automation::action::{self, BuilderInput, KINDS, Shape};
use crate::domain::automation::run::DryRun;
use crate::domain::automation::run::StoredRule;
use crate::domain::automation::run::{Run, Step};
use crate::domain::automation::{Event, Known, Op};
use crate::error::FieldError;
use crate::views::components::{csrf, empty_state, error_for, post_button};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};
use serde_json::Value;

fn trigger_text(definition: &Value) -> String {
    let t = &definition["trigger"];
    if let Some(e) = t["event"].as_str().and_then(Event::parse) {
        return e.label().to_string();
    }
    let when = t["schedule"].as_str().unwrap_or("");
    match t["for"].as_str().unwrap_or("once") {
        "once" => format!("Schedule {when}"),
        "users" => format!("Schedule {when}, for each user"),
        table => format!(
            "Schedule {when}, for each of {table} in “{}”",
            t["view"].as_str().unwrap_or("")
        ),
    }
}

fn status_badge(status: &str) -> Markup {
    let tone = match status {
        "done" => "success",
        "failed" => "danger",
        "skipped" => "muted",
        _ => "info",
    };
    html! { span class={"badge " (tone)} { (status) } }
}

fn runs_table(chrome: &Chrome, runs: &[Run], rules: Option<&[StoredRule]>) -> Markup {
    html! {
        @if runs.is_empty() {
            p.muted { "No runs yet." }
        } @else {
            table.list {
                thead { tr {
                    th scope="col" { "Run" }
                    @if rules.is_some() { th scope="col" { "Rule" } }
                    th scope="col" { "Trigger" } th scope="col" { "Record" } th scope="col" { "Status" } th scope="col" { "Started" }
                } }
                tbody { @for run in runs { tr {
                    td { a href=(chrome.href(&format!("settings/automations/runs/{}", run.id))) { "#" (run.id) } }
                    @if let Some(rules) = rules {
                        td { (rules.iter().find(|r| r.id == run.automation_id).map_or("", |r| r.name.as_str())) }
                    }
                    td { (run.trigger) }
                    td { @match (&run.subject, run.subject_id) {
                        (Some(s), Some(id)) if s != "user" => a href=(chrome.href(&format!("{}/{id}", crate::domain::crm::Entity::from_singular(s).map_or("", |e| e.table())))) { (s) " #" (id) },
                        (Some(s), Some(id)) => { (s) " #" (id) },
                        _ => "—",
                    } }
                    td { (status_badge(&run.status)) @if let Some(e) = &run.error { " " span.muted { (e) } } }
                    td { (run.created_at) }
                } } }
            }
        }
    }
}

pub fn list(chrome: &Chrome, rules: &[StoredRule], runs: &[Run]) -> Markup {
    settings_page(
        chrome,
        Tab::Automations,
        "Automations",
        html! {
            section.panel aria-labelledby="rules-h" {
                div.row-between {
                    h2 #rules-h { "Rules" }
                    a.button.primary href=(chrome.href("settings/automations/new")) { "New rule" }
                }
                @if rules.is_empty() {
                    (empty_state("No rules yet", "A rule does something when a record changes or on a schedule: send a mail, create a task, call a webhook."))
                } @else {
                    table.list {
                        thead { tr { th scope="col" { "Name" } th scope="col" { "When" } th scope="col" { "Status" } th scope="col" { span.visually-hidden { "Actions" } } } }
                        tbody { @for rule in rules { tr {
                            td { a href=(chrome.href(&format!("settings/automations/{}", rule.id))) { (rule.name) } }
                            td { (trigger_text(&rule.definition))
                                @if let Some(next) = &rule.next_run_at { br; span.muted { "next " (next) } } }
                            td { @if rule.enabled { (status_badge("on")) } @else { span.badge.muted { "off" } } }
                            td {
                                @if rule.enabled {
                                    (post_button(&chrome.href(&format!("settings/automations/{}/disable", rule.id)), chrome.csrf, "Switch off", "small", None))
                                } @else {
                                    (post_button(&chrome.href(&format!("settings/automations/{}/enable", rule.id)), chrome.csrf, "Switch on", "small", None))
                                }
                            }
                        } } }
                    }
                }
            }
            section.panel aria-labelledby="runs-h" {
                h2 #runs-h { "Latest runs" }
                (runs_table(chrome, runs, Some(rules)))
            }
        },
    )
}

pub struct Builder<'a> {
    pub id: Option<i64>,
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
    let trigger = &d["trigger"];
    let scheduled = trigger.get("schedule").is_some();
    let event = trigger["event"].as_str().unwrap_or("");
    let target = trigger["for"].as_str().unwrap_or("once");
    let (mode, conditions) = match (&d["conditions"]["any"], &d["conditions"]["all"]) {
        (Value::Array(list), _) => ("any", list.clone()),
        (_, Value::Array(list)) => ("all", list.clone()),
        _ => ("all", Vec::new()),
    };
    let mut conditions = conditions;
    conditions.push(serde_json::json!({"field": "", "op": "eq", "value": ""}));
    let actions = d["actions"].as_array().cloned().unwrap_or_default();
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
                div.actions { button.primary type="submit" name="op" value="save" { "Save rule" } }
            }
            @if let Some(id) = page.id {
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
                    @match page.test {
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

pub fn run(chrome: &Chrome, rule: &StoredRule, run: &Run, steps: &[Step]) -> Markup {
    settings_page(
        chrome,
        Tab::Automations,
        &format!("Run #{}", run.id),
        html! {
            p { a href=(chrome.href(&format!("settings/automations/{}", rule.id))) { "← " (rule.name) } }
            section.panel aria-labelledby="run-h" {
                h2 #run-h { "Run #" (run.id) " " (status_badge(&run.status)) }
                dl.details {
                    dt { "Trigger" } dd { (run.trigger) }
                    dt { "Record" } dd { @match (&run.subject, run.subject_id) { (Some(s), Some(id)) => { (s) " #" (id) }, _ => "—" } }
                    dt { "Started" } dd { (run.created_at) }
                    @if let Some(f) = &run.finished_at { dt { "Finished" } dd { (f) } }
                    @if let Some(due) = &run.due_at { dt { "Goes on at" } dd { (due) } }
                    @if let Some(e) = &run.error { dt { "Error" } dd { (e) } }
                }
                @if run.status == "failed" {
                    (post_button(&chrome.href(&format!("settings/automations/runs/{}/retry", run.id)), chrome.csrf, "Retry from the failed step", "primary", None))
                }
            }
            section.panel aria-labelledby="steps-h" {
                h2 #steps-h { "Steps" }
                @if steps.is_empty() { p.muted { "No step has run yet." } } @else {
                    table.list {
                        thead { tr { th scope="col" { "Step" } th scope="col" { "Action" } th scope="col" { "Attempt" } th scope="col" { "Outcome" } th scope="col" { "Time" } } }
                        tbody { @for s in steps { tr {
                            td { (s.position + 1) }
                            td { (s.action) }
                            td { (s.attempt) }
                            td { (status_badge(&s.status)) " " (s.detail) @if let Some(e) = &s.error { br; span.error { (e) } } }
                            td { (s.started_at) " · " (s.duration_ms) " ms" }
                        } } }
                    }
                }
            }
        },
    )
}
