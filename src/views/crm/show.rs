//! The 360 view of a contact, company or deal: its fields, what is linked to it, its notes and
//! tasks, its timeline, and forms to add to them.

use super::timeline::{Target, log_activity_form, note_form, task_form, timeline};
use super::{Names, complete_task_button, label_chips, record_href, stage_badge, value};
use crate::domain::activity::Activity;
use crate::domain::crm::Entity;
use crate::domain::custom::CustomField;
use crate::domain::pipeline::Pipeline;
use crate::domain::record::{ListPart, Record};
use crate::domain::words::fill;
use crate::views::components::{csrf, post_button};
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};
use std::collections::HashMap;

/// A list of linked records on the page, e.g. a company's contacts.
pub struct Related<'a> {
    pub entity: Entity,
    /// The newest of them, and how many there are.
    pub part: &'a ListPart,
    /// Where "add" leads, if anywhere.
    pub add: Option<String>,
    /// The list of them all.
    pub all: String,
}

pub struct ShowPage<'a> {
    pub record: &'a Record,
    pub names: &'a Names,
    pub label_colors: &'a HashMap<String, String>,
    pub custom_fields: &'a [CustomField],
    pub related: Vec<Related<'a>>,
    /// Open tasks: the newest, how many, and the list of them all.
    pub tasks: &'a ListPart,
    pub tasks_all: String,
    pub notes: &'a ListPart,
    pub notes_all: String,
    /// A page of the timeline, from `timeline_offset`, of `timeline_total` entries.
    pub timeline: &'a [Activity],
    pub timeline_total: i64,
    pub timeline_offset: i64,
    pub timeline_page: i64,
    /// For a deal: its pipeline, to draw the stage bar.
    pub pipeline: Option<&'a Pipeline>,
    pub users: &'a [(i64, String)],
    pub me: i64,
    pub may_manage_notes: bool,
    pub now_input: String,
    pub tasks_enabled: bool,
    /// A contact's appointments, when the workspace schedules: them, and the services named.
    pub visits: Option<(
        &'a crate::domain::scheduling::Visits,
        &'a [crate::domain::scheduling::Service],
    )>,
    /// Their last receipts and gift cards, where the kassa is on.
    pub purchases: Option<&'a crate::domain::kassa::Purchases>,
    /// Their latest conversations, where the inbox is on.
    pub conversations: Option<&'a [crate::domain::inbox::Conversation]>,
}

fn stage_bar(chrome: &Chrome, deal: &Record, pipeline: &Pipeline) -> Markup {
    let current = deal.stage_id();
    let action = format!("{}/deals/{}/stage", chrome.base, deal.id);
    let w = chrome.w();
    html! {
        ol.stagebar aria-label=(w.stages) {
            @for s in &pipeline.stages {
                li.current[Some(s.id) == current] class={"kind-" (s.kind)} {
                    @if Some(s.id) == current {
                        span aria-current="step" { (s.name) }
                    } @else if s.kind == "lost" {
                        form.lost method="post" action=(action) {
                            (csrf(chrome.csrf))
                            input type="hidden" name="stage_id" value=(s.id);
                            label.visually-hidden for={"reason-" (s.id)} { (w.reason_lost_label) }
                            input id={"reason-" (s.id)} type="text" name="lost_reason" placeholder=(w.reason) required;
                            button type="submit" { (s.name) }
                        }
                    } @else {
                        form method="post" action=(action) {
                            (csrf(chrome.csrf))
                            input type="hidden" name="stage_id" value=(s.id);
                            button type="submit" { (s.name) }
                        }
                    }
                }
            }
        }
    }
}

fn task_row(chrome: &Chrome, t: &Record, back: &str) -> Markup {
    let done = t.str("status") == Some("done");
    html! {
        li.task.done[done] {
            @if !done {
                (complete_task_button(chrome, t, back))
            } @else { span.check.on aria-hidden="true" { "✓" } }
            a href=(record_href(&chrome.base, Entity::Task, t.id)) { (t.title()) }
            @if let Some(due) = t.str("due_at") { span.muted { " · " (chrome.w().due_colon) " " (super::due_time(chrome, due)) } }
        }
    }
}

pub fn show(chrome: &Chrome, m: &ShowPage) -> Markup {
    let r = m.record;
    let back = record_href(&chrome.base, r.entity, r.id);
    let target = Target {
        base: &chrome.base,
        link: r.entity.link_column(),
        id: r.id,
        back: &back,
        csrf: chrome.csrf,
        lang: chrome.lang,
    };
    let w = chrome.w();
    page(
        chrome,
        &r.title(),
        html! {
            (page_head(chrome, m, &back))
            @if let Some(p) = m.pipeline { (stage_bar(chrome, r, p)) }
            div.split {
                div.main-col {
                    (details(chrome, m))
                    @if let Some(p) = m.purchases { (purchases(chrome, p)) }
                    @if let Some(c) = m.conversations { (conversations(chrome, c)) }
                    @if let Some((visits, services)) = m.visits {
                        (super::appointments::panel(chrome, r.id, visits, &super::appointments::Names { services, users: &m.names.users }))
                    }
                    (related(chrome, m))
                    @if m.tasks_enabled {
                        section.panel aria-labelledby="tasks-h" {
                            h2 #tasks-h { (w.tasks) " " span.count { (m.tasks.total.show(chrome.lang)) } }
                            @if m.tasks.records.is_empty() { p.muted { (w.no_open_tasks) } }
                            ul.plain.tasks { @for t in &m.tasks.records { (task_row(chrome, t, &back)) } }
                            (show_all(chrome, m.tasks, &m.tasks_all))
                            (task_form(&target, m.users, m.me))
                        }
                    }
                    (notes_panel(chrome, m, &target))
                }
                div.side-col {
                    section.panel aria-labelledby="timeline-h" {
                        h2 #timeline-h { (w.timeline) " " span.count { (chrome.count(m.timeline_total)) } }
                        (log_activity_form(&target, &m.now_input))
                        (timeline(chrome, m.timeline, m.names))
                        (timeline_pager(chrome, m, &back))
                    }
                }
            }
        },
    )
}

/// The title with labels (a deal's amount and stage), and the record's buttons.
fn page_head(chrome: &Chrome, m: &ShowPage, back: &str) -> Markup {
    let r = m.record;
    let w = chrome.w();
    html! {
    div.page-head {
        div {
            p.crumb { a href={(chrome.base) "/" (r.entity.table())} { (w.records(r.entity)) } }
            h1 { (r.title()) }
            p { (label_chips(&r.labels, m.label_colors))
                @if r.entity == Entity::Deal {
                    " " (super::amount(chrome, r)) " "
                    @if let Some((name, kind)) = r.stage_id().and_then(|s| m.names.stages.get(&s)) { (stage_badge(name, kind)) }
                }
            }
        }
        div.actions {
            @if r.entity == Entity::Contact { a.button href={(chrome.base) "/deals/new?contact_id=" (r.id)} { (w.new_deal) } }
            @if r.entity == Entity::Contact { a.button href={(back) "/merge"} { (w.merge) } }
            a.button href={(back) "/edit"} { (w.edit) }
            a.button.danger href={(back) "/delete"} { (w.delete) }
        }
    }
    }
}

/// The record's fields and custom values that have a value.
fn details(chrome: &Chrome, m: &ShowPage) -> Markup {
    let r = m.record;
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="details-h" {
            h2 #details-h { (w.details) }
            dl.details {
                @for f in r.entity.fields().iter().filter(|f| !matches!(f.name, "first_name" | "last_name" | "title" | "name") || r.entity == Entity::Contact && f.name == "title") {
                    @if !r.values.get(f.name).is_none_or(|v| v.is_null()) {
                        dt { (w.field(r.entity, f.name)) } dd { (value(f, r, m.names, chrome)) }
                    }
                }
                @for f in m.custom_fields {
                    @if let Some(v) = r.custom.get(&f.key) {
                        dt { (f.label) } dd { (super::custom_text(w, v)) }
                    }
                }
                dt { (w.created) } dd { (chrome.time(&r.created_at)) }
            }
        }
    }
}

/// A company's contacts, a company's or contact's deals.
fn related(chrome: &Chrome, m: &ShowPage) -> Markup {
    let w = chrome.w();
    html! {
        @for rel in &m.related {
            section.panel {
                div.section-head {
                    h2 { (w.records(rel.entity)) " " span.count { (rel.part.total.show(chrome.lang)) } }
                    @if let Some(add) = &rel.add { a.button.small href=(add) { (w.add) } }
                }
                @if rel.part.records.is_empty() { p.muted { (w.none_yet_short) } }
                ul.plain { @for x in &rel.part.records { li {
                    a href=(record_href(&chrome.base, rel.entity, x.id)) { (x.title()) }
                    @if rel.entity == Entity::Deal { span.muted { " · " (super::amount(chrome, x)) " " } @if let Some((n, k)) = x.stage_id().and_then(|s| m.names.stages.get(&s)) { (stage_badge(n, k)) } }
                    @if rel.entity == Entity::Contact { @if let Some(e) = x.str("email") { span.muted { " · " (e) } } }
                } } }
                (show_all(chrome, rel.part, &rel.all))
            }
        }
    }
}

fn notes_panel(chrome: &Chrome, m: &ShowPage, target: &Target) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="notes-h" {
            h2 #notes-h { (w.notes) " " span.count { (m.notes.total.show(chrome.lang)) } }
            @if m.notes.records.is_empty() { p.muted { (w.no_notes_yet) } }
            @for n in &m.notes.records {
                article.note {
                    p.pre { (n.str("body").unwrap_or("")) }
                    p.meta.muted {
                        (chrome.time(&n.created_at))
                        @if let Some(name) = n.created_by.and_then(|id| m.names.users.get(&id)) { " · " (name) }
                        @if m.may_manage_notes || n.created_by == Some(m.me) {
                            " · " a href={(chrome.base) "/notes/" (n.id) "/edit"} { (w.edit) } " "
                            (post_button(&format!("{}/notes/{}/delete", chrome.base, n.id), chrome.csrf, w.delete, "link", Some(w.note_to_trash)))
                        }
                    }
                }
            }
            (show_all(chrome, m.notes, &m.notes_all))
            (note_form(target))
        }
    }
}

/// "Show all N" when a section shows only the newest.
pub(super) fn show_all(chrome: &Chrome, part: &ListPart, all: &str) -> Markup {
    let n = part.total.show(chrome.lang);
    html! {
        @if part.total.least() > part.records.len() as i64 {
            p { a href=(all) { (fill(chrome.w().show_all, &[("n", &n)])) } }
        }
    }
}

/// Newer and older pages of the timeline.
fn timeline_pager(chrome: &Chrome, m: &ShowPage, back: &str) -> Markup {
    let (offset, size, total) = (m.timeline_offset, m.timeline_page, m.timeline_total);
    let w = chrome.w();
    let place = fill(
        w.n_of_total,
        &[
            ("from", &chrome.count(offset + 1)),
            ("to", &chrome.count((offset + size).min(total))),
            ("total", &chrome.count(total)),
        ],
    );
    html! {
        @if offset > 0 || offset + size < total {
            nav.pager aria-label=(w.timeline_pages) {
                @if offset > 0 {
                    a.button href={(back) "?timeline=" ((offset - size).max(0)) "#timeline-h"} rel="prev" { (w.newer) }
                }
                span.muted { (place) }
                @if offset + size < total {
                    a.button href={(back) "?timeline=" (offset + size) "#timeline-h"} rel="next" { (w.older) }
                }
            }
        }
    }
}

/// A contact's last receipts and their gift cards.
/// A contact's latest conversations, each with its status.
fn conversations(chrome: &Chrome, all: &[crate::domain::inbox::Conversation]) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="conversations-h" {
            h2 #conversations-h { (w.inbox_conversations) }
            @if all.is_empty() { p.muted { (w.inbox_no_conversations) } }
            ul.plain {
                @for c in all {
                    li {
                        a href=(chrome.href(&format!("conversations/{}", c.id))) { "#" (c.number) " " (c.subject) }
                        " · " (crate::views::inbox::status_word(w, c.status)) " · " (chrome.day(&c.last_message_at))
                    }
                }
            }
        }
    }
}

fn purchases(chrome: &Chrome, p: &crate::domain::kassa::Purchases) -> Markup {
    let w = chrome.w();
    let currency = &p.currency;
    html! {
        section.panel aria-labelledby="purchases-h" {
            h2 #purchases-h { (w.kassa_purchases) }
            @if p.receipts.is_empty() { p.muted { (w.kassa_no_purchases) } }
            ul.plain {
                @for (id, code, at, total) in &p.receipts {
                    li { a href=(chrome.href(&format!("kassa/receipts/{id}"))) { (fill(w.kassa_code, &[("code", code)])) } " · " (chrome.day(at)) " · " (chrome.money(*total, currency)) }
                }
            }
            @for (code, balance) in &p.gift_cards {
                p { (fill(w.kassa_gift_balance, &[("code", code), ("balance", &chrome.money(*balance, currency))])) }
            }
        }
    }
}
