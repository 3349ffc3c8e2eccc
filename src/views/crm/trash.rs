//! Deleting: the confirmation that says what stays linked, and the trash to restore from.

use super::record_href;
use crate::domain::crm::Entity;
use crate::domain::record::Record;
use crate::domain::words::fill;
use crate::views::components::{csrf, empty_state, post_button};
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

pub fn confirm_delete(
    chrome: &Chrome,
    record: &Record,
    linked: &[(Entity, i64)],
    days: i64,
) -> Markup {
    let href = record_href(&chrome.base, record.entity, record.id);
    let w = chrome.w();
    let kind = w.record(record.entity);
    let days = days.to_string();
    page(
        chrome,
        w.delete,
        html! {
            h1 { (fill(w.delete_title, &[("title", &record.title())])) }
            section.panel {
                p { (fill(w.delete_explain, &[("kind", kind), ("days", &days)])) }
                @if !linked.is_empty() {
                    p { (fill(w.delete_linked, &[("kind", kind)])) }
                    ul { @for (e, n) in linked { li { (chrome.count(*n)) " " (w.records(*e).to_lowercase()) } } }
                }
                form method="post" action={(href) "/delete"} {
                    (csrf(chrome.csrf))
                    div.form-actions {
                        button.primary.danger-fill type="submit" { (w.bulk_trash) }
                        a href=(href) { (w.cancel) }
                    }
                }
            }
        },
    )
}

pub fn trash(
    chrome: &Chrome,
    (items, conversations): (&[Record], &[(crate::domain::inbox::Conversation, String)]),
    days: i64,
) -> Markup {
    let w = chrome.w();
    page(
        chrome,
        w.nav_trash,
        html! {
            h1 { (w.nav_trash) }
            p.muted { (fill(w.trash_explain, &[("days", &days.to_string())])) }
            @if items.is_empty() { (empty_state(w.trash_empty, w.nothing_deleted)) } @else {
                div.table-wrap tabindex="0" { table {
                    thead { tr { th scope="col" { (w.what) } th scope="col" { (w.kind) } th scope="col" { (w.deleted) } th scope="col" { span.visually-hidden { (w.actions) } } } }
                    tbody { @for r in items { tr {
                        td { (r.title()) }
                        td { (w.record(r.entity)) }
                        td { (chrome.time(r.deleted_at.as_deref().unwrap_or(""))) }
                        td.actions { (post_button(&format!("{}/restore", record_href(&chrome.base, r.entity, r.id)), chrome.csrf, w.restore, "small", None)) }
                    } } }
                } }
            }
            @if !conversations.is_empty() {
                h2 { (w.inbox_conversations) }
                p.muted { (w.trash_conversations_explain) }
                ul.plain {
                    @for (c, at) in conversations {
                        li {
                            "#" (c.number) " " (c.subject) " " span.muted.small { (chrome.time(at)) } " "
                            (post_button(&chrome.href(&format!("conversations/{}/restore", c.id)), chrome.csrf, w.restore, "small", None))
                        }
                    }
                }
            }
        },
    )
}

/// The question before selected records go to the trash: how many, and for how long they can
/// be restored; the same form again, confirmed, or back to the list.
pub fn confirm_trash(chrome: &Chrome, entity: Entity, ids: &[i64], days: i64) -> Markup {
    let path = format!("{}/{}", chrome.base, entity.table());
    let w = chrome.w();
    let kind = if ids.len() == 1 {
        w.record(entity).to_string()
    } else {
        w.records(entity).to_lowercase()
    };
    let what = fill(
        w.n_kind,
        &[("n", &chrome.count(ids.len() as i64)), ("kind", &kind)],
    );
    page(
        chrome,
        w.trash_question,
        html! {
            div.page-head { h1 { (fill(w.trash_what, &[("what", &what)])) } }
            section.panel {
                p { (fill(w.trash_stay, &[("days", &days.to_string())])) }
                form method="post" action={(path) "/bulk"} {
                    (crate::views::components::csrf(chrome.csrf))
                    input type="hidden" name="action" value="trash";
                    input type="hidden" name="confirmed" value="yes";
                    @for id in ids { input type="hidden" name="ids" value=(id); }
                    div.actions {
                        button.danger type="submit" { (fill(w.trash_button, &[("what", &what)])) }
                        " "
                        a.button href=(path) { (w.cancel) }
                    }
                }
            }
        },
    )
}
