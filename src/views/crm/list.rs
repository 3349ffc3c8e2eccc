//! The list page of contacts, companies, deals or tasks: search, sortable columns, pages.

use super::{Names, label_chips, record_href, value};
use crate::domain::crm::Entity;
use crate::store::crm::records::Record;
use crate::views::components::empty_state;
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};
use std::collections::HashMap;

pub struct ListPage<'a> {
    pub entity: Entity,
    pub records: &'a [Record],
    pub names: &'a Names,
    pub label_colors: &'a HashMap<String, String>,
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    pub sort: &'a (String, bool),
    /// The query's parameters other than sort and cursor, kept in every link.
    pub params: &'a [(String, String)],
    pub q: &'a str,
}

/// The columns each list shows; the first links to the record.
pub fn columns(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Contact => &[
            "name",
            "email",
            "company_id",
            "owner_id",
            "lifecycle",
            "labels",
        ],
        Entity::Company => &["name", "domain", "industry", "owner_id", "labels"],
        Entity::Deal => &[
            "title",
            "stage_id",
            "amount",
            "contact_id",
            "company_id",
            "owner_id",
            "expected_close_date",
        ],
        Entity::Task => &[
            "title",
            "due_at",
            "priority",
            "status",
            "assignee_id",
            "contact_id",
            "deal_id",
        ],
        Entity::Note => &["body", "contact_id", "company_id", "deal_id"],
    }
}

fn heading(entity: Entity, column: &str) -> &'static str {
    match column {
        "name" => "Name",
        "labels" => "Labels",
        c => entity.field(c).map_or("", |f| f.label),
    }
}

fn href(path: &str, params: &[(String, String)], extra: &[(&str, String)]) -> String {
    let pairs: Vec<String> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .chain(extra.iter().map(|(k, v)| (*k, v.clone())))
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::web::cookie::encode(k),
                crate::web::cookie::encode(&v)
            )
        })
        .collect();
    if pairs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

pub fn list(chrome: &Chrome, m: &ListPage) -> Markup {
    let base = &chrome.base;
    let path = format!("{base}/{}", m.entity.table());
    let sort_param = |c: &str| {
        let desc = m.sort.0 == c && !m.sort.1;
        if desc { format!("-{c}") } else { c.to_string() }
    };
    page(
        chrome,
        m.entity.label(),
        html! {
            div.page-head {
                h1 { (m.entity.label()) }
                div.actions {
                    @if m.entity == Entity::Deal { a.button href={(base) "/deals/board"} { "Board" } }
                    @if m.entity == Entity::Task { a.button href={(base) "/tasks/mine"} { "My tasks" } }
                    a.button href=(href(&format!("{path}/export.csv"), m.params, &[("sort", (if m.sort.1 { "-" } else { "" }).to_string() + &m.sort.0)])) download { "Export CSV" }
                a.button.primary href={(path) "/new"} { "New " (m.entity.singular()) }
                }
            }
            form.searchbar method="get" action=(path) role="search" {
                label.visually-hidden for="q" { "Search " (m.entity.label().to_lowercase()) }
                input #q type="search" name="q" value=(m.q) placeholder={"Search " (m.entity.label().to_lowercase()) "…"};
                @for (k, v) in m.params.iter().filter(|(k, _)| k != "q") { input type="hidden" name=(k) value=(v); }
                button type="submit" { "Search" }
            }
            @if m.records.is_empty() {
                @if m.q.is_empty() && m.params.is_empty() {
                    (empty_state(&format!("No {} yet", m.entity.label().to_lowercase()), &format!("Create the first {} to get started.", m.entity.singular())))
                } @else {
                    (empty_state("Nothing matches", "Try another search."))
                }
            } @else {
                div.table-wrap { table.list {
                    caption.visually-hidden { (m.entity.label()) ", sorted by " (m.sort.0) }
                    thead { tr { @for c in columns(m.entity) {
                        @let sortable = *c != "labels";
                        th scope="col" aria-sort=[(m.sort.0 == *c).then_some(if m.sort.1 { "descending" } else { "ascending" })] {
                            @if sortable {
                                a href=(href(&path, m.params, &[("sort", sort_param(c))])) { (heading(m.entity, c)) @if m.sort.0 == *c { span aria-hidden="true" { @if m.sort.1 { " ↓" } @else { " ↑" } } } }
                            } @else { (heading(m.entity, c)) }
                        }
                    } } }
                    tbody { @for r in m.records { tr { @for (i, c) in columns(m.entity).iter().enumerate() {
                        td {
                            @if i == 0 {
                                @if m.entity == Entity::Task && r.str("status") == Some("open") {
                                    form.inline method="post" action={(base) "/tasks/" (r.id) "/complete"} {
                                        (crate::views::components::csrf(chrome.csrf))
                                        input type="hidden" name="return_to" value=(path);
                                        button.check type="submit" title="Mark as done" { span.visually-hidden { "Complete " (r.title()) } }
                                    }
                                    " "
                                }
                                a href=(record_href(base, m.entity, r.id)) { strong { (r.title()) } }
                            } @else if *c == "labels" {
                                (label_chips(&r.labels, m.label_colors))
                            } @else if let Some(field) = m.entity.field(c) {
                                (value(field, r, m.names, base))
                            }
                        }
                    } } } }
                } }
                nav.pager aria-label="Pages" {
                    span.muted { "Showing " (m.offset + 1) "–" (m.offset + m.records.len() as i64) " of " (m.total) }
                    @let sort = (if m.sort.1 { "-" } else { "" }).to_string() + &m.sort.0;
                    @if m.offset > 0 {
                        a.button href=(href(&path, m.params, &[("sort", sort.clone()), ("cursor", (m.offset - m.limit).max(0).to_string())])) rel="prev" { "← Previous" }
                    }
                    span.sizes {
                    "Show "
                    @for size in [25, 50, 100] {
                        @if size == m.limit { strong { (size) } " " } @else {
                            a href=(href(&path, &m.params.iter().filter(|(k, _)| k != "limit").cloned().collect::<Vec<_>>(), &[("sort", sort.clone()), ("limit", size.to_string())])) { (size) } " "
                        }
                    }
                }
                @if m.offset + m.limit < m.total {
                        a.button href=(href(&path, m.params, &[("sort", sort.clone()), ("cursor", (m.offset + m.limit).to_string())])) rel="next" { "Next →" }
                    }
                }
            }
        },
    )
}
