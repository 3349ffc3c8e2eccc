//! The timeline of a contact, company or deal, and the small forms beside it: log an activity,
//! add a note, add a task.

use super::{Names, when};
use crate::domain::activity::Activity;
use crate::views::components::csrf;
use chrono_tz::Tz;
use maud::{Markup, html};

fn icon(kind: &str) -> &'static str {
    match kind {
        "call" => "☎",
        "meeting" => "◷",
        "email" => "✉",
        "note_added" => "✎",
        "task_created" | "task_completed" => "✓",
        "won" => "★",
        "lost" => "✕",
        "stage_changed" | "field_changed" => "→",
        "label_added" | "label_removed" => "#",
        _ => "•",
    }
}

pub fn timeline(entries: &[Activity], names: &Names, zone: Tz) -> Markup {
    html! {
        @if entries.is_empty() { p.muted { "Nothing has happened yet." } }
        ol.timeline {
            @for a in entries {
                li class={"kind-" (a.kind)} {
                    span.icon aria-hidden="true" { (icon(&a.kind)) }
                    div {
                        p.summary { (a.summary) }
                        @if !a.body.is_empty() { p.body.pre { (a.body) } }
                        p.meta.muted {
                            time datetime=(a.occurred_at) { (when(&a.occurred_at, zone)) }
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
}

pub fn log_activity_form(t: &Target, now: &str) -> Markup {
    html! {
        details.inline-form open {
            summary { "Log a call, meeting or email" }
            form method="post" action={(t.back) "/activities"} {
                (csrf(t.csrf))
                div.row3 {
                    div.field { label for="log-kind" { "Kind" }
                        select #log-kind name="kind" { option value="call" { "Call" } option value="meeting" { "Meeting" } option value="email" { "Email" } } }
                    div.field { label for="log-when" { "When" } input #log-when type="datetime-local" name="occurred_at" value=(now); }
                    div.field { label for="log-outcome" { "Outcome" } input #log-outcome type="text" name="outcome" placeholder="e.g. Interested, call back Friday"; }
                }
                div.field { label for="log-body" { "Notes" } textarea #log-body name="body" rows="2" {} }
                button type="submit" { "Log activity" }
            }
        }
    }
}

pub fn note_form(t: &Target) -> Markup {
    html! {
        details.inline-form {
            summary { "Add a note" }
            form method="post" action={(t.base) "/notes"} {
                (csrf(t.csrf))
                input type="hidden" name=(t.link) value=(t.id);
                input type="hidden" name="return_to" value=(t.back);
                div.field { label for="note-body" { "Note" } textarea #note-body name="body" rows="3" required {} }
                button type="submit" { "Add note" }
            }
        }
    }
}

pub fn task_form(t: &Target, users: &[(i64, String)], me: i64) -> Markup {
    html! {
        details.inline-form {
            summary { "Add a task" }
            form method="post" action={(t.base) "/tasks"} {
                (csrf(t.csrf))
                input type="hidden" name=(t.link) value=(t.id);
                input type="hidden" name="return_to" value=(t.back);
                div.row3 {
                    div.field { label for="task-title" { "Task" } input #task-title type="text" name="title" required placeholder="e.g. Send the quote"; }
                    div.field { label for="task-due" { "Due" } input #task-due type="datetime-local" name="due_at"; }
                    div.field { label for="task-assignee" { "For" }
                        select #task-assignee name="assignee_id" { @for (id, name) in users { option value=(id) selected[*id == me] { (name) } } } }
                }
                button type="submit" { "Add task" }
            }
        }
    }
}
