//! My tasks: overdue, today, upcoming and done, each completed with one click.

use super::{Names, complete_task_button, due_time, record_href};
use crate::domain::crm::Entity;
use crate::domain::record::{ListPart, Record, Total};
use crate::domain::words::fill;
use crate::views::components::empty_state;
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

pub struct MyTasks<'a> {
    pub overdue: Part<'a>,
    pub today: Part<'a>,
    /// Due after today, then undated.
    pub later: Part<'a>,
    pub done: &'a [Record],
    pub names: &'a Names,
}

/// Some tasks of a part, how many it has in all, and the list of them all.
pub struct Part<'a> {
    pub tasks: &'a [Record],
    pub total: Total,
    pub all: String,
}

impl<'a> Part<'a> {
    pub fn of(part: &'a ListPart, all: String) -> Part<'a> {
        Part {
            tasks: &part.records,
            total: part.total,
            all,
        }
    }
}

fn section(
    chrome: &Chrome,
    id: &str,
    title: &str,
    part: &Part,
    names: &Names,
    tone: &str,
) -> Markup {
    let back = format!("{}/tasks/mine", chrome.base);
    let shown = part.tasks.len() as i64;
    let w = chrome.w();
    let total = part.total.show(chrome.lang);
    html! {
        section.panel aria-labelledby=(id) {
            h2 id=(id) class=(tone) { (title) " " span.count { (total) } }
            @if part.tasks.is_empty() { p.muted { (w.nothing_here) } }
            ul.plain.tasks { @for t in part.tasks {
                @let done = t.str("status") == Some("done");
                li.task.done[done] {
                    @if !done {
                        (complete_task_button(chrome, t, &back))
                    } @else { span.check.on aria-hidden="true" { "✓" } }
                    a href=(record_href(&chrome.base, Entity::Task, t.id)) { (t.title()) }
                    span.muted {
                        @if let Some(due) = t.str(if done { "completed_at" } else { "due_at" }) { " · " @if done { (w.done_at) " " (chrome.time(due)) } @else { (w.due_colon) " " (due_time(chrome, due)) } }
                        @if t.str("priority") == Some("high") { " · " span.badge.danger { (w.priority_high_badge) } }
                        @for (e, col) in [(Entity::Contact, "contact_id"), (Entity::Deal, "deal_id"), (Entity::Company, "company_id")] {
                            @if let Some(id) = t.int(col) { " · " a href=(record_href(&chrome.base, e, id)) { (names.record(e, id)) } }
                        }
                    }
                }
            } }
            @if part.total.least() > shown && !part.all.is_empty() {
                p { a href=(part.all) { (fill(w.show_all, &[("n", &total)])) } }
            }
        }
    }
}

pub fn my_tasks(chrome: &Chrome, m: &MyTasks) -> Markup {
    let w = chrome.w();
    page(
        chrome,
        w.nav_my_tasks,
        html! {
            div.page-head {
                h1 { (w.nav_my_tasks) }
                div.actions { a.button href={(chrome.base) "/tasks"} { (w.nav_all_tasks) } a.button.primary href={(chrome.base) "/tasks/new"} { (w.new_task) } }
            }
            @if m.overdue.total.least() == 0 && m.today.total.least() == 0 && m.later.total.least() == 0 && m.done.is_empty() {
                (empty_state(w.no_tasks_for_you, w.tasks_appear_here))
            } @else {
                (section(chrome, "overdue-h", w.overdue, &m.overdue, m.names, "danger-text"))
                (section(chrome, "today-h", w.today, &m.today, m.names, ""))
                (section(chrome, "upcoming-h", w.upcoming, &m.later, m.names, ""))
                @let done = Part { tasks: m.done, total: Total::Exact(m.done.len() as i64), all: String::new() };
                (section(chrome, "done-h", w.done_lately, &done, m.names, "muted"))
            }
        },
    )
}
