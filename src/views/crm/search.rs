//! Search results, grouped by type, with the matched words highlighted.

use super::record_href;
use crate::domain::crm::Entity;
use crate::domain::search::{Hit, MARK_END, MARK_START};
use crate::domain::words::fill;
use crate::views::components::empty_state;
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

/// A snippet with its marked words in `<mark>`; everything else is escaped text.
pub fn highlighted(snippet: &str) -> Markup {
    let mut parts = Vec::new();
    let mut marked = false;
    for piece in snippet.split([MARK_START, MARK_END]) {
        parts.push((piece.to_string(), marked));
        marked = !marked;
    }
    html! { @for (text, mark) in parts { @if mark { mark { (text) } } @else { (text) } } }
}

/// The hits, grouped by kind; `totals` says how many of each kind match in all.
pub fn results(chrome: &Chrome, q: &str, hits: &[Hit], totals: &[(Entity, i64)]) -> Markup {
    let w = chrome.w();
    page(
        chrome,
        w.search,
        html! {
            h1 { (w.search) }
            form.searchbar method="get" action={(chrome.base) "/search"} role="search" {
                label.visually-hidden for="search-q" { (w.search_everything) }
                input #search-q type="search" name="q" value=(q) placeholder=(w.search_page_hint) autofocus;
                button type="submit" { (w.search) }
            }
            @if !q.trim().is_empty() && hits.is_empty() {
                (empty_state(w.nothing_found, w.search_tip))
            }
            @for entity in Entity::ALL {
                @let group: Vec<&Hit> = hits.iter().filter(|h| h.entity == entity).collect();
                @let total = totals.iter().find(|(e, _)| *e == entity).map_or(group.len() as i64, |t| t.1);
                @if !group.is_empty() {
                    section.panel aria-labelledby={"found-" (entity.table())} {
                        h2 id={"found-" (entity.table())} { (w.records(entity)) " " span.count { (chrome.count(total)) } }
                        ul.plain.results { @for h in &group { li {
                            a href=(record_href(&chrome.base, h.entity, h.id)) { strong { (h.title) } }
                            @if !h.detail.is_empty() { " " span.muted.small { (h.detail) } }
                            @if !h.snippet.is_empty() { p.muted.small { (highlighted(&h.snippet)) } }
                        } } }
                        @if total > group.len() as i64 {
                            p { a href={(chrome.base) "/" (entity.table()) "?q=" (crate::domain::url::encode(q))} { (fill(w.see_all, &[("n", &chrome.count(total)), ("kinds", &w.records(entity).to_lowercase())])) } }
                        }
                    }
                }
            }
        },
    )
}
