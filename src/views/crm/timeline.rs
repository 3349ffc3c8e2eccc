//! The timeline of a contact, company or deal, and the small forms beside it: log an activity,
//! add a note, add a task.

use super::Names;
use crate::domain::activity::Activity;
use crate::domain::words::Lang;
use crate::views::components::csrf;
use crate::views::layout::Chrome;
use maud::{Markup, html};

fn icon(kind: &str) -> &'static str {
    match kind {
        "call" => "☎",
        "meeting" => "◷",
        "email" | "conversation" => "✉",
        "note_added" => "✎",
        "task_created" | "task_completed" => "✓",
        "won" => "★",
        "lost" => "✕",
        "stage_changed" | "field_changed" => "→",
        "label_added" | "label_removed" => "#",
        _ => "•",
    }
}

pub fn timeline(chrome: &Chrome, entries: &[Activity], names: &Names) -> Markup {
    html! {
        @if entries.is_empty() { p.muted { (chrome.w().nothing_happened) } }
        ol.timeline {
            @for a in entries {
                li class={"kind-" (a.kind)} {
                    span.icon aria-hidden="true" { (icon(&a.kind)) }
                    div {
                        p.summary { (a.summary_in(chrome.lang)) }
                        @if !a.body.is_empty() { p.body.pre { (a.body) } }
                        p.meta.muted {
                            time datetime=(a.occurred_at) { (chrome.time(&a.occurred_at)) }
                            @if let Some(name) = a.actor_id.and_then(|id| names.users.get(&id.0)) { " · " (name) }
                        }
                    }
                }
            }
        }
    }
}

/// Where an inline form posts and which record it is about.
pub struct Target<'a> {
    pub base: &'a str,
    /// `contact_id`, `company_id` or `deal_id`.
    pub link: &'static str,
    pub id: i64,
    /// `/t/<slug>/<table>/<id>`: where to come back to.
    pub back: &'a str,
    pub csrf: &'a str,
    pub lang: Lang,
}

pub fn log_activity_form(t: &Target, now: &str) -> Markup {
    let w = t.lang.words();
    html! {
        details.inline-form open {
            summary { (w.log_summary) }
            form method="post" action={(t.back) "/activities"} {
                (csrf(t.csrf))
                div.row3 {
                    div.field { label for="log-kind" { (w.kind) }
                        select #log-kind name="kind" { @for k in crate::domain::crm::LOGGED_KINDS { option value=(k) { (w.choice("kind", k)) } } } }
                    div.field { label for="log-when" { (w.when) } input #log-when type="datetime-local" name="occurred_at" value=(now); }
                    div.field { label for="log-outcome" { (w.outcome) } input #log-outcome type="text" name="outcome" placeholder=(w.outcome_hint); }
                }
                div.field { label for="log-body" { (w.log_notes) } textarea #log-body name="body" rows="2" {} }
                button type="submit" { (w.log_activity) }
            }
        }
    }
}

pub fn note_form(t: &Target) -> Markup {
    let w = t.lang.words();
    html! {
        details.inline-form {
            summary { (w.add_note_summary) }
            form method="post" action={(t.base) "/notes"} {
                (csrf(t.csrf))
                input type="hidden" name=(t.link) value=(t.id);
                input type="hidden" name="return_to" value=(t.back);
                div.field { label for="note-body" { (w.note_label) } textarea #note-body name="body" rows="3" required {} }
                button type="submit" { (w.add_note) }
            }
        }
    }
}

pub fn task_form(t: &Target, users: &[(i64, String)], me: i64) -> Markup {
    let w = t.lang.words();
    html! {
        details.inline-form {
            summary { (w.add_task_summary) }
            form method="post" action={(t.base) "/tasks"} {
                (csrf(t.csrf))
                input type="hidden" name=(t.link) value=(t.id);
                input type="hidden" name="return_to" value=(t.back);
                div.row3 {
                    div.field { label for="task-title" { (w.task_label) } input #task-title type="text" name="title" required placeholder=(w.task_hint); }
                    div.field { label for="task-due" { (w.due) } input #task-due type="datetime-local" name="due_at"; }
                    div.field { label for="task-assignee" { (w.task_for) }
                        select #task-assignee name="assignee_id" { @for (id, name) in users { option value=(id) selected[*id == me] { (name) } } } }
                }
                button type="submit" { (w.add_task) }
            }
        }
    }
}
