//! Settings → Automations: the rule list, and a run with its steps; the rule builder is in
//! `builder`.

mod builder;

pub use builder::{Builder, builder};

use crate::domain::automation::Event;
use crate::domain::automation::run::StoredRule;
use crate::domain::automation::run::{Run, Step};
use crate::views::components::{empty_state, post_button};
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

pub(super) fn status_badge(status: &str) -> Markup {
    let tone = match status {
        "done" => "success",
        "failed" => "danger",
        "skipped" => "muted",
        _ => "info",
    };
    html! { span class={"badge " (tone)} { (status) } }
}

pub(super) fn runs_table(chrome: &Chrome, runs: &[Run], rules: Option<&[StoredRule]>) -> Markup {
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
                    td { (chrome.time(&run.created_at)) }
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
                                @if let Some(next) = &rule.next_run_at { br; span.muted { "next " (chrome.time(next)) } } }
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
                    dt { "Started" } dd { (chrome.time(&run.created_at)) }
                    @if let Some(f) = &run.finished_at { dt { "Finished" } dd { (f) } }
                    @if let Some(due) = &run.due_at { dt { "Goes on at" } dd { (chrome.time(due)) } }
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
                            td { (chrome.time(&s.started_at)) " · " (s.duration_ms) " ms" }
                        } } }
                    }
                }
            }
        },
    )
}
