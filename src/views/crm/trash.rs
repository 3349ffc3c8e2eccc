//! Deleting: the confirmation that says what stays linked, and the trash to restore from.

use super::{record_href, when};
use crate::domain::crm::Entity;
use crate::domain::record::Record;
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
    page(
        chrome,
        "Delete",
        html! {
            h1 { "Delete " (record.title()) "?" }
            section.panel {
                p { "The " (record.entity.singular()) " moves to the trash. You can restore it there for " (days) " days; after that it is gone for good." }
                @if !linked.is_empty() {
                    p { "These stay as they are and keep their history; only their link to this " (record.entity.singular()) " is cleared if it is purged:" }
                    ul { @for (e, n) in linked { li { (n) " " (e.label().to_lowercase()) } } }
                }
                form method="post" action={(href) "/delete"} {
                    (csrf(chrome.csrf))
                    div.form-actions {
                        button.primary.danger-fill type="submit" { "Move to the trash" }
                        a href=(href) { "Cancel" }
                    }
                }
            }
        },
    )
}

pub fn trash(chrome: &Chrome, items: &[Record], days: i64) -> Markup {
    page(
        chrome,
        "Trash",
        html! {
            h1 { "Trash" }
            p.muted { "Deleted contacts, companies, deals, tasks and notes stay here for " (days) " days." }
            @if items.is_empty() { (empty_state("The trash is empty", "Nothing was deleted lately.")) } @else {
                div.table-wrap tabindex="0" { table {
                    thead { tr { th scope="col" { "What" } th scope="col" { "Kind" } th scope="col" { "Deleted" } th scope="col" { span.visually-hidden { "Actions" } } } }
                    tbody { @for r in items { tr {
                        td { (r.title()) }
                        td { (r.entity.singular()) }
                        td { (when(r.deleted_at.as_deref().unwrap_or(""), chrome.zone)) }
                        td.actions { (post_button(&format!("{}/restore", record_href(&chrome.base, r.entity, r.id)), chrome.csrf, "Restore", "small", None)) }
                    } } }
                } }
            }
        },
    )
}

/// The question before selected records go to the trash: how many, and for how long they can
/// be restored; the same form again, confirmed, or back to the list.
pub fn confirm_trash(chrome: &Chrome, entity: Entity, ids: &[i64], days: i64) -> Markup {
    let path = format!("{}/{}", chrome.base, entity.table());
    let what = if ids.len() == 1 {
        format!("1 {}", entity.singular())
    } else {
        format!("{} {}", ids.len(), entity.label().to_lowercase())
    };
    page(
        chrome,
        "Move to the trash?",
        html! {
            div.page-head { h1 { "Move " (what) " to the trash?" } }
            section.panel {
                p { "They stay in the trash for " (days) " days and can be restored from there until then." }
                form method="post" action={(path) "/bulk"} {
                    (crate::views::components::csrf(chrome.csrf))
                    input type="hidden" name="action" value="trash";
                    input type="hidden" name="confirmed" value="yes";
                    @for id in ids { input type="hidden" name="ids" value=(id); }
                    div.actions {
                        button.danger type="submit" { "Move " (what) " to the trash" }
                        " "
                        a.button href=(path) { "Cancel" }
                    }
                }
            }
        },
    )
}
