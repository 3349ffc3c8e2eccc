//! A conversation: its thread (quoted history folded, mail HTML sanitized with remote images
//! left out until asked for), the reply and note editors, and beside them what can be done to
//! it (status, snooze, assignee, priority, labels) and the contact's 360.

use super::{priority_word, status_word};
use crate::domain::activity::Activity;
use crate::domain::ids::UserId;
use crate::domain::inbox::{CannedReply, Conversation, Message, Names, Priority, Status};
use crate::domain::label::Label;
use crate::domain::record::Record;
use crate::domain::words::fill;
use crate::views::components::{badge, csrf};
use crate::views::crm::chip;
use crate::views::layout::{Chrome, page};
use maud::{Markup, PreEscaped, html};

/// The contact's 360 beside the thread.
pub struct ContactPanel<'a> {
    pub record: &'a Record,
    pub deals: &'a [Record],
    pub tasks: &'a [Record],
    pub timeline: &'a [Activity],
    pub names: &'a crate::domain::record::Names,
}

pub struct ConversationView<'a> {
    pub c: &'a Conversation,
    pub messages: &'a [Message],
    pub names: &'a Names,
    pub labels: &'a [Label],
    pub all_labels: &'a [Label],
    pub people: &'a [(UserId, String)],
    pub teams: &'a [crate::domain::inbox::Team],
    pub contact: Option<ContactPanel<'a>>,
    pub canned: &'a [CannedReply],
    /// The reply editor's text (a canned reply written out, when asked without script).
    pub draft: &'a str,
    pub show_images: bool,
    /// Who else has it open, and whether they are typing.
    pub others: &'a [(String, bool)],
    /// The id of the last message when the page was made: a reply sent after a newer one
    /// came in is held back.
    pub last_seen: i64,
}

pub fn conversation(chrome: &Chrome, v: &ConversationView) -> Markup {
    let w = chrome.w();
    let c = v.c;
    let here = chrome.href(&format!("conversations/{}", c.id));
    page(
        chrome,
        &format!("#{} {}", c.number, c.subject),
        html! {
            div.page-head {
                div {
                    p.crumb { a href=(chrome.href("inbox")) { (w.nav_inbox) } }
                    h1 { span.muted { "#" (c.number) } " " (c.subject) }
                    p {
                        (badge(status_word(w, c.status), "")) " " (super::priority_badge(w, c.priority))
                        @for l in v.labels { " " (chip(&l.name, Some(&l.color))) }
                    }
                }
            }
            div #presence.presence aria-live="polite" data-presence=(format!("{here}/presence")) {
                @for (name, typing) in v.others {
                    p.muted.small { (fill(if *typing { w.inbox_other_typing } else { w.inbox_other_viewing }, &[("name", name)])) }
                }
            }
            div.split {
                div.main-col {
                    section.thread aria-label=(w.inbox_thread) {
                        @for m in v.messages { (message(chrome, v, m, &here)) }
                    }
                    (editors(chrome, v, &here))
                }
                div.side-col {
                    (actions(chrome, v, &here))
                    @if let Some(p) = &v.contact { (contact_panel(chrome, p)) }
                }
            }
        },
    )
}

fn message(chrome: &Chrome, v: &ConversationView, m: &Message, here: &str) -> Markup {
    let w = chrome.w();
    let author = m
        .author_id
        .and_then(|id| v.names.users.get(&id))
        .map_or(m.from_name.as_str(), String::as_str);
    if m.direction == "activity" {
        return html! { p.activity-line.muted.small { (activity_text(chrome, m, author)) " · " (chrome.time(&m.created_at)) } };
    }
    let who = match (m.direction.as_str(), m.from_name.is_empty()) {
        ("in", false) => format!("{} <{}>", m.from_name, m.from_address),
        ("in", true) => m.from_address.clone(),
        _ => author.to_string(),
    };
    let kind = match m.direction.as_str() {
        "in" => w.inbox_incoming,
        "out" => w.inbox_replied,
        _ => w.inbox_note,
    };
    html! {
        article class={"message " (m.direction)} id={"m" (m.id)} {
            header {
                strong { (who) } " " span.muted.small { (kind) " · " time datetime=(m.created_at) { (chrome.time(&m.created_at)) } }
                @if let Some(a) = &m.automatic { " " (badge(w.inbox_automatic, "")) span.visually-hidden { (a) } }
                @match m.delivery.as_deref() {
                    Some("sent") => { " " (badge(w.inbox_delivered, "ok")) }
                    Some("failed") => { " " (badge(w.inbox_not_delivered, "danger")) }
                    Some(_) => { " " (badge(w.inbox_sending, "")) }
                    None => {}
                }
                @if m.direction == "in" && m.size > 0 { " " a.small href={(here) "/messages/" (m.id) "/raw"} { (w.inbox_raw) } }
            }
            @if let (Some("failed"), Some(why)) = (m.delivery.as_deref(), &m.delivery_error) { p.small.danger-text { (why) } }
            @if let Some(why) = &m.refused { p.flash.error { (fill(w.inbox_refused, &[("size", &chrome.count(m.size / 1024)), ("why", why)])) } }
            (body(chrome, v, m, here))
            @if !m.attachments.is_empty() {
                ul.plain.attachments aria-label=(w.inbox_attachments) {
                    @for (k, a) in m.attachments.iter().enumerate() {
                        li { a href={(here) "/messages/" (m.id) "/attachments/" (k)} download { (a.name) } " " span.muted.small { (chrome.count(a.size.div_ceil(1024) as i64)) " KB" } }
                    }
                }
            }
        }
    }
}

/// The message's words: its sanitized HTML when it has some, else its text with the quoted
/// history folded away.
fn body(chrome: &Chrome, v: &ConversationView, m: &Message, here: &str) -> Markup {
    let w = chrome.w();
    if let Some(raw) = &m.body_html {
        let clean = crate::domain::inbox::html::clean(raw, v.show_images);
        // Sanitized by the allowlist above: no script, handler, style or frame survives.
        return html! {
            div.mail-html { (PreEscaped(clean.html)) }
            @if clean.images_blocked {
                p.small.muted { (w.inbox_images_blocked) " " a href={(here) "?images=1#m" (m.id)} { (w.inbox_show_images) } }
            }
        };
    }
    let split = crate::domain::inbox::quote::split(&m.body_text);
    html! {
        div.mail-text { (split.new) }
        @if !split.quoted.trim().is_empty() {
            details.quoted { summary { (w.inbox_show_quoted) } div.mail-text { (split.quoted) } }
        }
    }
}

fn activity_text(chrome: &Chrome, m: &Message, author: &str) -> String {
    let w = chrome.w();
    let what = m.body_text.as_str();
    let (text, value) = match m.subject.as_str() {
        "assigned" if what.is_empty() => (w.inbox_did_unassign, String::new()),
        "assigned" => (w.inbox_did_assign, what.to_string()),
        "priority" => (
            w.inbox_did_priority,
            Priority::parse(what).map_or(what.into(), |p| priority_word(w, p).into()),
        ),
        "labelled" => (w.inbox_did_label, what.to_string()),
        "unlabelled" => (w.inbox_did_unlabel, what.to_string()),
        "snoozed" => (w.inbox_did_snooze, chrome.time(what)),
        "merged" => (w.inbox_did_merge, what.to_string()),
        "team" if what.is_empty() => (w.inbox_did_unteam, String::new()),
        "team" => (w.inbox_did_team, what.to_string()),
        code => (
            w.inbox_did_status,
            Status::parse(code).map_or(code.into(), |s| status_word(w, s).into()),
        ),
    };
    fill(text, &[("actor", author), ("what", &value)])
}

fn editors(chrome: &Chrome, v: &ConversationView, here: &str) -> Markup {
    let w = chrome.w();
    html! {
        section.panel.editors aria-labelledby="reply-h" {
            h2 #reply-h { (w.inbox_reply) }
            form method="post" action={(here) "/reply"} data-canned=(serde_json::to_string(&v.canned.iter().map(|r| (&r.shortcut, &r.body)).collect::<Vec<_>>()).unwrap_or_default()) {
                (csrf(chrome.csrf))
                input type="hidden" name="last_seen" value=(v.last_seen);
                label for="f-reply" { (w.inbox_reply_label) }
                textarea #f-reply name="text" rows="6" data-key="r" { (v.draft) }
                @if !v.canned.is_empty() { p.hint { (w.inbox_canned_hint) } }
                div.row-between {
                    button.primary type="submit" { (w.inbox_send) }
                    @if !v.canned.is_empty() {
                        span {
                            label.visually-hidden for="f-canned" { (w.inbox_canned) }
                            select #f-canned name="canned" {
                                option value="" { (w.inbox_canned) }
                                @for r in v.canned { option value=(r.shortcut) { "/" (r.shortcut) } }
                            }
                            " " button.small type="submit" name="insert" value="1" formnovalidate { (w.inbox_insert) }
                        }
                    }
                }
            }
            h2 #note-h { (w.inbox_note_heading) }
            form method="post" action={(here) "/note"} {
                (csrf(chrome.csrf))
                label for="f-note" { (w.inbox_note_label) }
                textarea #f-note name="text" rows="3" data-key="n" required {}
                p.hint { (w.inbox_mention_hint) }
                button type="submit" { (w.inbox_add_note) }
            }
        }
    }
}

fn actions(chrome: &Chrome, v: &ConversationView, here: &str) -> Markup {
    let w = chrome.w();
    let c = v.c;
    let status_button = |s: Status, label: &str, key: Option<&str>| {
        html! {
            form.inline method="post" action={(here) "/status"} {
                (csrf(chrome.csrf)) input type="hidden" name="status" value=(s.as_str());
                button.small type="submit" data-key=[key] { (label) }
            }
        }
    };
    html! {
        section.panel aria-labelledby="work-h" {
            h2 #work-h { (w.inbox_work) }
            (times(chrome, c))
            div.actions {
                @if c.status == Status::Resolved || c.status == Status::Spam {
                    (status_button(Status::Open, w.inbox_reopen, None))
                } @else {
                    (status_button(Status::Resolved, w.inbox_resolve, Some("e")))
                    @if c.status != Status::Pending { (status_button(Status::Pending, w.status_pending, None)) }
                    (status_button(Status::Spam, w.inbox_mark_spam, None))
                }
            }
            form method="post" action={(here) "/status"} {
                (csrf(chrome.csrf)) input type="hidden" name="status" value="snoozed";
                label for="f-until" { (w.inbox_snooze_until) }
                div.row { input #f-until type="datetime-local" name="until" required; button.small type="submit" { (w.inbox_snooze) } }
            }
            form method="post" action={(here) "/assign"} {
                (csrf(chrome.csrf))
                label for="f-assignee" { (w.inbox_assignee) }
                div.row {
                    select #f-assignee name="assignee" {
                        option value="" { (w.inbox_unassigned_short) }
                        @for (id, name) in v.people { option value=(id) selected[c.assignee_id == Some(*id)] { (name) } }
                    }
                    button.small type="submit" { (w.inbox_assign) }
                }
            }
            @if !v.teams.is_empty() {
                form method="post" action={(here) "/team"} {
                    (csrf(chrome.csrf))
                    label for="f-team" { (w.inbox_team) }
                    div.row {
                        select #f-team name="team" {
                            option value="" { (w.inbox_no_team) }
                            @for t in v.teams { option value=(t.id) selected[c.team_id == Some(t.id)] { (t.name) } }
                        }
                        button.small type="submit" { (w.save) }
                    }
                }
            }
            form method="post" action={(here) "/priority"} {
                (csrf(chrome.csrf))
                label for="f-priority" { (w.priority) }
                div.row {
                    select #f-priority name="priority" {
                        @for p in Priority::ALL { option value=(p.as_str()) selected[c.priority == p] { (priority_word(w, p)) } }
                    }
                    button.small type="submit" { (w.save) }
                }
            }
            (labels(chrome, v, here))
            @let everyone = Conversation::participants(v.messages);
            @if !everyone.is_empty() {
                h3 { (w.inbox_participants) }
                ul.plain.small { @for a in &everyone { li { (a) } } }
            }
            (merge_form(chrome, here))
            form method="post" action={(here) "/delete"} {
                (csrf(chrome.csrf)) button.small.danger type="submit" { (w.inbox_to_trash) }
            }
        }
    }
}

/// When it started, and since when it waits, was answered, resolved or sleeps.
fn times(chrome: &Chrome, c: &Conversation) -> Markup {
    let w = chrome.w();
    html! {
        dl.meta {
                dt { (w.inbox_started) } dd { (chrome.time(&c.created_at)) }
                @if let Some(t) = &c.waiting_since { dt { (w.inbox_waiting_since) } dd { (chrome.time(t)) } }
                @if let Some(t) = &c.first_reply_at { dt { (w.inbox_first_reply) } dd { (chrome.time(t)) } }
                @if let Some(t) = &c.resolved_at { dt { (w.inbox_resolved_at) } dd { (chrome.time(t)) } }
                @if let Some(t) = &c.snoozed_until { dt { (w.inbox_snoozed_until) } dd { (chrome.time(t)) } }
            }
    }
}

fn labels(chrome: &Chrome, v: &ConversationView, here: &str) -> Markup {
    let w = chrome.w();
    let free: Vec<&Label> = v
        .all_labels
        .iter()
        .filter(|l| v.labels.iter().all(|on| on.id != l.id))
        .collect();
    html! {
        @if !v.labels.is_empty() {
            ul.plain.chips aria-label=(w.labels) {
                @for l in v.labels {
                    li { form.inline method="post" action={(here) "/labels"} {
                        (csrf(chrome.csrf)) input type="hidden" name="label" value=(l.id); input type="hidden" name="on" value="0";
                        (chip(&l.name, Some(&l.color)))
                        button.link.small type="submit" aria-label=(fill(w.inbox_remove_label, &[("label", &l.name)])) { "×" }
                    } }
                }
            }
        }
        @if !free.is_empty() {
            form method="post" action={(here) "/labels"} {
                (csrf(chrome.csrf)) input type="hidden" name="on" value="1";
                label for="f-add-label" { (w.inbox_add_label) }
                div.row {
                    select #f-add-label name="label" { @for l in &free { option value=(l.id) { (l.name) } } }
                    button.small type="submit" { (w.add) }
                }
            }
        }
    }
}

fn merge_form(chrome: &Chrome, here: &str) -> Markup {
    let w = chrome.w();
    html! {
        form method="post" action={(here) "/merge"} {
            (csrf(chrome.csrf))
            label for="f-merge" { (w.inbox_merge_into) }
            div.row {
                input #f-merge type="text" name="into" inputmode="numeric" required size="6" placeholder="#123";
                button.small type="submit" { (w.inbox_merge) }
            }
            p.hint { (w.inbox_merge_hint) }
        }
    }
}

fn contact_panel(chrome: &Chrome, p: &ContactPanel) -> Markup {
    let w = chrome.w();
    let r = p.record;
    let text = |k: &str| {
        r.values
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let company = r.int("company_id").and_then(|id| {
        p.names
            .records
            .get(&(crate::domain::crm::Entity::Company, id))
    });
    html! {
        section.panel aria-labelledby="contact-h" {
            h2 #contact-h { a href=(chrome.href(&format!("contacts/{}", r.id))) { (r.title()) } }
            dl.meta {
                @if !text("email").is_empty() { dt { (w.inbox_email) } dd { (text("email")) } }
                @if !text("phone").is_empty() { dt { (w.inbox_phone) } dd { (text("phone")) } }
                @if let Some(name) = company { dt { (w.inbox_company) } dd { a href=(chrome.href(&format!("companies/{}", r.int("company_id").unwrap_or(0)))) { (name) } } }
            }
            h3 { (w.deals) }
            @if p.deals.is_empty() { p.muted.small { (w.inbox_no_deals) } }
            ul.plain { @for d in p.deals { li { a href=(chrome.href(&format!("deals/{}", d.id))) { (d.title()) } } } }
            h3 { (w.tasks) }
            @if p.tasks.is_empty() { p.muted.small { (w.no_open_tasks) } }
            ul.plain { @for t in p.tasks { li { a href=(chrome.href(&format!("tasks/{}", t.id))) { (t.title()) } } } }
            div.actions {
                a.button.small href=(chrome.href(&format!("deals/new?contact_id={}", r.id))) { (w.new_deal) }
                a.button.small href=(chrome.href(&format!("tasks/new?contact_id={}", r.id))) { (w.inbox_new_task) }
            }
            h3 { (w.timeline) }
            (crate::views::crm::timeline::timeline(chrome, &p.timeline[..p.timeline.len().min(5)], p.names))
        }
    }
}
