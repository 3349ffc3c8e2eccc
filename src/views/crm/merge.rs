//! Merging a contact into another: find the other by name or email, then merge into it.

use crate::domain::record::Record;
use crate::domain::search::Hit;
use crate::domain::words::fill;
use crate::views::components::csrf;
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

pub fn merge(chrome: &Chrome, r: &Record, q: &str, hits: &[Hit]) -> Markup {
    let w = chrome.w();
    let here = chrome.href(&format!("contacts/{}/merge", r.id));
    let title = fill(w.merge_title, &[("name", &r.title())]);
    page(
        chrome,
        &title,
        html! {
            div.page-head { div {
                p.crumb { a href=(chrome.href(&format!("contacts/{}", r.id))) { (r.title()) } }
                h1 { (title) }
            } }
            section.panel {
                p { (w.merge_explain) }
                form.narrowing method="get" action=(here) role="search" {
                    label for="merge-q" { (w.merge_find) }
                    input #merge-q type="search" name="q" value=(q) autocomplete="off";
                    button type="submit" { (w.search) }
                }
                @if !q.is_empty() && hits.iter().all(|h| h.id == r.id) { p.muted { (w.merge_none) } }
                ul.plain {
                    @for h in hits.iter().filter(|h| h.id != r.id) {
                        li {
                            form.inline method="post" action=(here) {
                                (csrf(chrome.csrf))
                                input type="hidden" name="into" value=(h.id);
                                a href=(chrome.href(&format!("contacts/{}", h.id))) { (h.title) }
                                @if !h.detail.is_empty() { " " span.muted.small { (h.detail) } }
                                " " button.small type="submit" { (w.merge_into_this) }
                            }
                        }
                    }
                }
            }
        },
    )
}
