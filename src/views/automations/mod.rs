//! Settings → Automations: the rule list, and a run with its steps; the rule builder is in
//! `builder`.

mod builder;

pub use builder::{Builder, builder};

use crate::domain::automation::Event;
use crate::domain::automation::run::StoredRule;
use crate::domain::automation::run::{Run, Step};
use crate::domain::words::{Words, fill};
use crate::views::components::{empty_state, post_button};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};
use serde_json::Value;

fn trigger_text(w: &Words, definition: &Value) -> String {
    let t = &definition["trigger"];
    if let Some(e) = t["event"].as_str().and_then(Event::parse) {
        return w.said(e.label());
    }
    let when = t["schedule"].as_str().unwrap_or("");
    match t["for"].as_str().unwrap_or("once") {
        "once" => fill(w.schedule_once, &[("when", when)]),
        "users" => fill(w.schedule_users, &[("when", when)]),
        table => {
            let view = t["view"].as_str().unwrap_or("");
            let table = crate::domain::crm::Entity::from_table(table)
                .map_or(table.to_string(), |e| w.records(e).to_lowercase());
            fill(
                w.schedule_view,
                &[("when", when), ("table", &table), ("view", view)],
            )
        }
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
    let w = chrome.w();
    html! {
        @if runs.is_empty() {
            p.muted { (w.no_runs) }
        } @else {
            table.list {
                thead { tr {
                    th scope="col" { (w.run) }
                    @if rules.is_some() { th scope="col" { (w.rule) } }
                    th scope="col" { (w.trigger) } th scope="col" { (w.record) } th scope="col" { (w.col_status) } th scope="col" { (w.started) }
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
    let w = chrome.w();
    settings_page(
        chrome,
        Tab::Automations,
        w.tab_automations,
        html! {
            section.panel aria-labelledby="rules-h" {
                div.row-between {
                    h2 #rules-h { (w.rules) }
                    a.button.primary href=(chrome.href("settings/automations/new")) { (w.new_rule) }
                }
                @if rules.is_empty() {
                    (empty_state(w.no_rules, w.rules_explain))
                } @else {
                    table.list {
                        thead { tr { th scope="col" { (w.col_name) } th scope="col" { (w.when) } th scope="col" { (w.col_status) } th scope="col" { span.visually-hidden { (w.actions) } } } }
                        tbody { @for rule in rules { tr {
                            td { a href=(chrome.href(&format!("settings/automations/{}", rule.id))) { (rule.name) } }
                            td { (trigger_text(w, &rule.definition))
                                @if let Some(next) = &rule.next_run_at { br; span.muted { (fill(w.next_at, &[("when", &chrome.time(next))])) } } }
                            td { @if rule.enabled { span.badge.info { (w.on) } } @else { span.badge.muted { (w.off) } } }
                            td {
                                @if rule.enabled {
                                    (post_button(&chrome.href(&format!("settings/automations/{}/disable", rule.id)), chrome.csrf, w.switch_off, "small", None))
                                } @else {
                                    (post_button(&chrome.href(&format!("settings/automations/{}/enable", rule.id)), chrome.csrf, w.switch_on, "small", None))
                                }
                            }
                        } } }
                    }
                }
            }
            section.panel aria-labelledby="runs-h" {
                h2 #runs-h { (w.latest_runs) }
                (runs_table(chrome, runs, Some(rules)))
            }
        },
    )
}

pub fn run(chrome: &Chrome, rule: &StoredRule, run: &Run, steps: &[Step]) -> Markup {
    let w = chrome.w();
    let title = fill(w.run_n, &[("n", &run.id.to_string())]);
    settings_page(
        chrome,
        Tab::Automations,
        &title,
        html! {
            p { a href=(chrome.href(&format!("settings/automations/{}", rule.id))) { "← " (rule.name) } }
            section.panel aria-labelledby="run-h" {
                h2 #run-h { (title) " " (status_badge(&run.status)) }
                dl.details {
                    dt { (w.trigger) } dd { (run.trigger) }
                    dt { (w.record) } dd { @match (&run.subject, run.subject_id) { (Some(s), Some(id)) => { (s) " #" (id) }, _ => "—" } }
                    dt { (w.started) } dd { (chrome.time(&run.created_at)) }
                    @if let Some(f) = &run.finished_at { dt { (w.finished) } dd { (chrome.time(f)) } }
                    @if let Some(due) = &run.due_at { dt { (w.goes_on_at) } dd { (chrome.time(due)) } }
                    @if let Some(e) = &run.error { dt { (w.error) } dd { (e) } }
                }
                @if run.status == "failed" {
                    (post_button(&chrome.href(&format!("settings/automations/runs/{}/retry", run.id)), chrome.csrf, w.retry_failed, "primary", None))
                }
            }
            section.panel aria-labelledby="steps-h" {
                h2 #steps-h { (w.steps) }
                @if steps.is_empty() { p.muted { (w.no_steps) } } @else {
                    table.list {
                        thead { tr { th scope="col" { (w.step) } th scope="col" { (w.action) } th scope="col" { (w.attempt) } th scope="col" { (w.outcome) } th scope="col" { (w.time) } } }
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
