//! The inbox's pages: a queue of conversations (here), a conversation with its thread and
//! what can be done to it (`conversation`), and the user's notifications (`notifications`).

pub mod conversation;
pub mod notifications;
pub mod settings;

use crate::domain::inbox::{
    Conversation, ListFilter, ListPage, Names, Priority, Queue, QueueCounts, Status, waited,
};
use crate::domain::label::Label;
use crate::domain::words::{Words, fill};
use crate::views::components::{badge, empty_state};
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

pub fn status_word(w: &Words, s: Status) -> &'static str {
    match s {
        Status::Open => w.status_open,
        Status::Pending => w.status_pending,
        Status::Snoozed => w.status_snoozed,
        Status::Resolved => w.status_resolved,
        Status::Spam => w.status_spam,
    }
}

pub fn priority_word(w: &Words, p: Priority) -> &'static str {
    match p {
        Priority::None => w.priority_none,
        Priority::Low => w.priority_low,
        Priority::Medium => w.priority_medium,
        Priority::High => w.priority_high,
        Priority::Urgent => w.priority_urgent,
    }
}

/// A priority's badge; none for no priority.
pub fn priority_badge(w: &Words, p: Priority) -> Markup {
    let tone = match p {
        Priority::None => return html! {},
        Priority::Low => "",
        Priority::Medium => "",
        Priority::High => "warn",
        Priority::Urgent => "danger",
    };
    badge(priority_word(w, p), tone)
}

/// What a list page shows.
pub struct ListView<'a> {
    pub filter: &'a ListFilter,
    pub page: &'a ListPage,
    pub counts: &'a QueueCounts,
    pub names: &'a Names,
    pub labels: &'a [Label],
}

/// The address of a list: `filter` with its queue, status and narrowing changed by `change`,
/// from its first page.
fn list_href(chrome: &Chrome, f: &ListFilter, change: impl FnOnce(&mut ListFilter)) -> String {
    let mut f = f.clone();
    change(&mut f);
    let mut href = chrome.href(&format!(
        "inbox?queue={}&status={}",
        f.queue.key(),
        f.status.as_str()
    ));
    if let Some(p) = f.priority {
        href.push_str(&format!("&priority={}", p.as_str()));
    }
    if let Some(l) = f.label {
        href.push_str(&format!("&label={l}"));
    }
    if let Some((key, id)) = &f.after {
        href.push_str(&format!(
            "&after={id}&key={}",
            crate::domain::url::encode(key)
        ));
    }
    href
}

pub fn list(chrome: &Chrome, v: &ListView) -> Markup {
    let w = chrome.w();
    let f = v.filter;
    let queues: Vec<(Queue, String, i64)> = [
        (Queue::Mine, w.inbox_mine.to_string(), v.counts.mine),
        (
            Queue::Unassigned,
            w.inbox_unassigned.to_string(),
            v.counts.unassigned,
        ),
        (Queue::All, w.inbox_all.to_string(), v.counts.all),
    ]
    .into_iter()
    .chain(
        v.counts
            .inboxes
            .iter()
            .map(|(id, name, n)| (Queue::Inbox(*id), name.clone(), *n)),
    )
    .chain(
        v.counts
            .teams
            .iter()
            .map(|(id, name, n)| (Queue::Team(*id), name.clone(), *n)),
    )
    .collect();
    let people: Vec<(Queue, String, i64)> = v
        .counts
        .people
        .iter()
        .map(|(id, name, n)| (Queue::Person(*id), name.clone(), *n))
        .collect();
    let count = |n: i64| match n >= crate::domain::inbox::COUNT_CAP {
        true => format!("{}+", chrome.count(n)),
        false => chrome.count(n),
    };
    page(
        chrome,
        w.nav_inbox,
        html! {
            div.page-head {
                h1 { (w.nav_inbox) }
                div.actions { a.button href=(chrome.href("inbox/settings")) { (w.inbox_settings) } }
            }
            div.inbox-layout {
                nav.queues aria-label=(w.inbox_queues) {
                    @for (heading, list) in [(None, &queues), (Some(w.inbox_people), &people)] {
                        @if let Some(h) = heading { p.nav-heading { (h) } }
                        ul {
                            @for (q, name, n) in list {
                                li { a href=(list_href(chrome, f, |f| { f.queue = *q; f.after = None; })) aria-current=[(*q == f.queue).then_some("page")] {
                                    span { (name) } span.count { (count(*n)) }
                                } }
                            }
                        }
                    }
                }
                div.queue {
                    nav.tabs aria-label=(w.inbox_by_status) {
                        @for s in Status::ALL {
                            a href=(list_href(chrome, f, |f| { f.status = s; f.after = None; })) aria-current=[(s == f.status).then_some("page")] { (status_word(w, s)) }
                        }
                    }
                    (narrowing(chrome, v))
                    @if v.page.rows.is_empty() && v.page.stopped_after.is_none() {
                        (empty_state(w.inbox_empty_title, w.inbox_empty))
                    } @else {
                        ul.conversations data-keys="list" {
                            @for c in &v.page.rows { (row(chrome, c, v.names)) }
                        }
                        p.muted.small.js-only { (w.inbox_keys) }
                    }
                    (pager(chrome, v))
                }
            }
        },
    )
}

/// Narrowing by priority and label: a form that works without script.
fn narrowing(chrome: &Chrome, v: &ListView) -> Markup {
    let w = chrome.w();
    let f = v.filter;
    html! {
        form.narrowing method="get" action=(chrome.href("inbox")) {
            input type="hidden" name="queue" value=(f.queue.key());
            input type="hidden" name="status" value=(f.status.as_str());
            label for="f-priority" { (w.priority) }
            select #f-priority name="priority" {
                option value="" { (w.any_priority) }
                @for p in Priority::ALL {
                    option value=(p.as_str()) selected[f.priority == Some(p)] { (priority_word(w, p)) }
                }
            }
            label for="f-label" { (w.label) }
            select #f-label name="label" {
                option value="" { (w.any_label) }
                @for l in v.labels {
                    option value=(l.id) selected[f.label == Some(l.id)] { (l.name) }
                }
            }
            button type="submit" { (w.filter) }
        }
    }
}

fn row(chrome: &Chrome, c: &Conversation, names: &Names) -> Markup {
    let w = chrome.w();
    let contact = c
        .contact_id
        .and_then(|id| names.contacts.get(&id))
        .map_or(w.inbox_no_contact, String::as_str);
    let inbox = names.inboxes.get(&c.inbox_id).map_or("", String::as_str);
    let assignee = c
        .assignee_id
        .and_then(|id| names.users.get(&id))
        .map_or(w.inbox_unassigned_short, String::as_str);
    html! {
        li.conversation {
            a href=(chrome.href(&format!("conversations/{}", c.id))) {
                span.subject { span.muted { "#" (c.number) } " " strong { (c.subject) } }
                span.meta {
                    (contact) " · " (inbox) " · " (assignee)
                    " " (priority_badge(w, c.priority))
                }
                span.when {
                    @match &c.waiting_since {
                        Some(since) => { span.waiting { (fill(w.inbox_waiting, &[("time", &waited(since, chrome.now, chrome.lang))])) } }
                        None => { time datetime=(c.last_message_at) { (chrome.time(&c.last_message_at)) } }
                    }
                }
            }
        }
    }
}

fn pager(chrome: &Chrome, v: &ListView) -> Markup {
    let w = chrome.w();
    let f = v.filter;
    html! {
        @if let Some(n) = v.page.stopped_after {
            p.muted { (fill(w.inbox_searched, &[("n", &chrome.count(n))])) }
        }
        @if f.after.is_some() || v.page.next.is_some() {
            nav.pager aria-label=(w.inbox_next) {
                span {}
                @if f.after.is_some() { a.button href=(list_href(chrome, f, |f| f.after = None)) { (w.inbox_first) } }
                @if let Some(next) = &v.page.next {
                    a.button rel="next" href=(list_href(chrome, f, |f| f.after = Some(next.clone()))) { (w.inbox_next) }
                }
            }
        }
    }
}
