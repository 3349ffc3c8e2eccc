//! The list page of contacts, companies, deals or tasks: search, sortable columns, pages,
//! inline edit (the filter form, saved views and bulk bar are in `list_tools`).

use super::list_tools::{bulk_bar, toolbar};
use super::{Names, complete_task_button, label_chips, record_href, value};
use crate::domain::crm::{Entity, Field};
use crate::domain::fields::Kind;
use crate::domain::record::{Record, Total};
use crate::domain::words::{Words, fill};
use crate::views::components::{empty_state, icon};
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};
use std::collections::HashMap;

pub use crate::domain::record::{Facets, ViewEntry};

pub struct ListPage<'a> {
    pub entity: Entity,
    pub facets: &'a Facets,
    pub views: &'a [ViewEntry],
    pub csrf: &'a str,
    pub records: &'a [Record],
    pub names: &'a Names,
    pub label_colors: &'a HashMap<String, String>,
    pub total: Total,
    /// How many matches come before the first row.
    pub offset: i64,
    pub limit: i64,
    /// The cursors of the pages after and before this one.
    pub next: Option<&'a str>,
    pub prev: Option<&'a str>,
    /// The page looked through part of the list only (its matches are rare there): it may
    /// hold fewer rows than the limit, or none, and the next page looks on.
    pub short: bool,
    /// Records this list just moved to the trash, which it offers to bring back.
    pub trashed: &'a [i64],
    pub sort: &'a (String, bool),
    /// The query's parameters other than sort and cursor, kept in every link.
    pub params: &'a [(String, String)],
    pub q: &'a str,
}

impl ListPage<'_> {
    /// The sort as its parameter reads: `name`, or `-name` when descending.
    pub fn sort_param(&self) -> String {
        (if self.sort.1 { "-" } else { "" }).to_string() + &self.sort.0
    }
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

/// Every column a list can show, in order; the first is always shown.
pub fn available_columns(entity: Entity) -> Vec<&'static str> {
    let first = columns(entity)[0];
    let mut out = vec![first];
    out.extend(
        entity
            .fields()
            .iter()
            .filter(|f| {
                f.name != first && !matches!(f.kind, crate::domain::fields::Kind::LongText(_))
            })
            .map(|f| f.name),
    );
    out.extend(entity.derived().iter().copied());
    if entity.has_labels_and_custom() {
        out.push("labels");
    }
    out.extend(["created_at", "updated_at"]);
    out
}

/// The custom fields asked for as columns (`columns=custom.<key>`), in their own order.
pub fn custom_columns<'a>(m: &'a ListPage) -> Vec<&'a crate::domain::custom::CustomField> {
    m.facets
        .columns
        .iter()
        .filter(|f| {
            m.params
                .iter()
                .any(|(k, v)| k == "columns" && v.strip_prefix("custom.") == Some(f.key.as_str()))
        })
        .collect()
}

/// The columns asked for with `columns=` (known ones, in the list's order), or the defaults.
pub fn visible_columns(entity: Entity, params: &[(String, String)]) -> Vec<&'static str> {
    let asked: Vec<&str> = params
        .iter()
        .filter(|(k, _)| k == "columns")
        .map(|(_, v)| v.as_str())
        .collect();
    if asked.is_empty() {
        return columns(entity).to_vec();
    }
    let all = available_columns(entity);
    all.iter()
        .enumerate()
        .filter(|(i, c)| *i == 0 || asked.contains(c))
        .map(|(_, c)| *c)
        .collect()
}

/// What a sort is by, as its column's heading reads.
fn sort_heading(w: &Words, entity: Entity, sort: &str) -> String {
    match (sort, crate::domain::crm::link_of_sort(sort)) {
        ("id", _) => w.when_added.to_string(),
        (_, Some(link)) => heading(w, entity, link),
        (other, None) => heading(w, entity, other),
    }
}

pub(super) fn heading(w: &Words, entity: Entity, column: &str) -> String {
    match column {
        "labels" => w.col_labels.into(),
        "created_at" => w.col_created.into(),
        "updated_at" => w.col_changed.into(),
        "closed_at" => w.col_closed.into(),
        "completed_at" => w.col_completed.into(),
        c if entity.field(c).is_some() => w.field(entity, c),
        "name" => w.col_name.into(),
        "status" => w.col_status.into(),
        _ => String::new(),
    }
}

pub(super) fn href(path: &str, params: &[(String, String)], extra: &[(&str, String)]) -> String {
    let pairs: Vec<String> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .chain(extra.iter().map(|(k, v)| (*k, v.clone())))
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::domain::url::encode(k),
                crate::domain::url::encode(&v)
            )
        })
        .collect();
    if pairs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

pub(super) fn param<'p>(params: &'p [(String, String)], key: &str) -> &'p str {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

pub fn list(chrome: &Chrome, m: &ListPage) -> Markup {
    let path = format!("{}/{}", chrome.base, m.entity.table());
    let w = chrome.w();
    let kinds = w.records(m.entity).to_lowercase();
    page(
        chrome,
        w.records(m.entity),
        html! {
            (list_head(chrome, m, &path))
            (toolbar(chrome, &path, m))
            @if !m.trashed.is_empty() {
                div.flash.success role="status" {
                    form.inline method="post" action={(path) "/bulk"} {
                        (crate::views::components::csrf(chrome.csrf))
                        input type="hidden" name="action" value="restore";
                        @for id in m.trashed { input type="hidden" name="ids" value=(id); }
                        @if m.trashed.len() == 1 { (fill(w.moved_to_trash_one, &[("kind", w.record(m.entity))])) }
                        @else { (fill(w.moved_to_trash_many, &[("n", &chrome.count(m.trashed.len() as i64)), ("kinds", &kinds)])) }
                        " "
                        button.small type="submit" { (w.undo) }
                    }
                }
            }
            @if m.records.is_empty() && !m.short && m.prev.is_none() {
                @if m.q.is_empty() && m.params.is_empty() {
                    (empty_state(&fill(w.none_yet, &[("kinds", &kinds)]), &fill(w.create_first, &[("kind", w.record(m.entity))])))
                } @else {
                    (empty_state(w.nothing_matches, w.try_another_search))
                }
            } @else {
                @if !m.records.is_empty() {
                    (bulk_bar(chrome, &path, m))
                    (table(chrome, m, &path))
                }
                (pager(chrome, m, &path))
            }
        },
    )
}

/// The title and the list's buttons.
fn list_head(chrome: &Chrome, m: &ListPage, path: &str) -> Markup {
    let base = &chrome.base;
    let w = chrome.w();
    html! {
    div.page-head {
        h1 { (w.records(m.entity)) }
        div.actions {
            @if m.entity == Entity::Deal { a.button href={(base) "/deals/board"} { (icon(chrome.assets, "board")) (w.board) } }
            @if m.entity == Entity::Task { a.button href={(base) "/tasks/mine"} { (w.nav_my_tasks) } }
            a.button href=(href(&format!("{path}/export.csv"), m.params, &[("sort", m.sort_param())])) download { (icon(chrome.assets, "download")) (w.export_csv) }
            @if m.entity.importable() { a.button href={(path) "/import"} { (icon(chrome.assets, "upload")) (w.import_csv) } }
        a.button.primary href={(path) "/new"} { (icon(chrome.assets, "plus")) (w.new_record(m.entity)) }
        }
    }
    }
}

/// The rows, with sortable column headers and cells JavaScript may edit in place.
fn table(chrome: &Chrome, m: &ListPage, path: &str) -> Markup {
    let shown = visible_columns(m.entity, m.params);
    let custom = custom_columns(m);
    let base = &chrome.base;
    let w = chrome.w();
    let direction = if m.sort.1 { w.descending } else { w.ascending };
    let caption = fill(
        w.sorted_by,
        &[
            ("list", w.records(m.entity)),
            (
                "column",
                &sort_heading(w, m.entity, &m.sort.0).to_lowercase(),
            ),
            ("direction", direction),
        ],
    );
    let sort_param = |c: &str| {
        let desc = m.sort.0 == c && !m.sort.1;
        if desc { format!("-{c}") } else { c.to_string() }
    };
    html! {
    div.table-wrap tabindex="0" { table.list data-api={(base) "/api/v1/" (m.entity.table()) "/"} data-csrf=(chrome.csrf) {
        caption.visually-hidden { (caption) }
        thead { tr { th.pick scope="col" { input type="checkbox" data-select-all hidden aria-label=(w.select_all_page); } @for c in &shown {
            @let sort = m.entity.sort_for(c);
            @let sorted = sort.is_some_and(|s| m.sort.0 == s);
            th scope="col" aria-sort=[sorted.then_some(if m.sort.1 { "descending" } else { "ascending" })] {
                @if let Some(sort) = sort {
                    a href=(href(path, m.params, &[("sort", sort_param(sort))])) { (heading(w, m.entity, c)) @if sorted { span aria-hidden="true" { @if m.sort.1 { " ↓" } @else { " ↑" } } } }
                } @else { (heading(w, m.entity, c)) }
            }
        } @for f in &custom { th scope="col" { (f.label) } } } }
        tbody { @for r in m.records { tr data-id=(r.id) { td.pick { input type="checkbox" name="ids" value=(r.id) form="bulk" aria-label=(fill(w.select_named, &[("title", &r.title())])); } @for (i, c) in shown.iter().enumerate() {
            @let edit = (i > 0).then(|| m.entity.field(c)).flatten().and_then(|f| inline_edit(w, m.entity, f, r));
            td data-col=[(i > 0).then(|| heading(w, m.entity, c))] data-edit=[edit.as_ref().map(|e| e.field)] data-value=[edit.as_ref().map(|e| e.value.as_str())] data-options=[edit.as_ref().and_then(|e| e.options.clone())] data-label=[edit.as_ref().map(|e| e.label.as_str())] tabindex=[edit.as_ref().map(|_| "0")] {
                @if i == 0 {
                    @if m.entity == Entity::Task && r.str("status") == Some("open") {
                        (complete_task_button(chrome, r, path))
                        " "
                    }
                    a href=(record_href(base, m.entity, r.id)) { strong { (r.title()) } }
                } @else if *c == "labels" {
                    (label_chips(&r.labels, m.label_colors))
                } @else if let Some(field) = m.entity.field(c) {
                    (value(field, r, m.names, chrome))
                } @else if let Some(stamp) = r.str(c).or(matches!(*c, "created_at" | "updated_at").then_some(if *c == "created_at" { r.created_at.as_str() } else { r.updated_at.as_str() })) {
                    span.num { (chrome.time(stamp)) }
                }
            }
        } @for f in &custom { td data-col=(f.label) { (r.custom.get(&f.key).map(|v| super::custom_text(w, v)).unwrap_or_default()) } } } } }
    } }
    }
}

/// Where this page is in the list, the pages before and after, and the page sizes.
fn pager(chrome: &Chrome, m: &ListPage, path: &str) -> Markup {
    let w = chrome.w();
    let (from, to) = (
        chrome.count(m.offset + 1),
        chrome.count(m.offset + m.records.len() as i64),
    );
    html! {
    nav.pager aria-label=(w.pages) {
        span.muted role="status" {
            @if m.records.is_empty() { (w.none_in_part) }
            @else { (fill(w.showing, &[("from", &from), ("to", &to), ("total", &m.total.show(chrome.lang))])) }
            @if m.short && !m.records.is_empty() { " · " (w.rare_here) }
        }
        @let sort = m.sort_param();
        @if let Some(prev) = m.prev {
            a.button href=(href(path, m.params, &[("sort", sort.clone()), ("cursor", prev.to_string())])) rel="prev" { (w.previous) }
        }
        span.sizes {
        (w.show_n) " "
        @for size in [25, 50, 100] {
            @if size == m.limit { strong { (size) } " " } @else {
                a href=(href(path, &m.params.iter().filter(|(k, _)| k != "limit").cloned().collect::<Vec<_>>(), &[("sort", sort.clone()), ("limit", size.to_string())])) { (size) } " "
            }
        }
    }
    @if let Some(next) = m.next {
            a.button href=(href(path, m.params, &[("sort", sort.clone()), ("cursor", next.to_string())])) rel="next" { @if m.short { (w.look_further) } @else { (w.next) } }
        }
    }
    }
}

/// A list cell that JavaScript may turn into an input: plain values only, not links to other
/// records, users, stages or amounts.
struct InlineEdit {
    field: &'static str,
    label: String,
    value: String,
    /// A choice's options as JSON: `[["lead", "Lead"], …]` (value, words).
    options: Option<String>,
}

fn inline_edit(
    w: &Words,
    entity: Entity,
    field: &'static Field,
    record: &Record,
) -> Option<InlineEdit> {
    let options = match field.kind {
        Kind::Choice(options) => {
            let pairs: Vec<(&str, &str)> = options
                .iter()
                .map(|o| (*o, w.choice(field.name, o)))
                .collect();
            Some(serde_json::to_string(&pairs).unwrap_or_default())
        }
        Kind::Text(_) | Kind::Email | Kind::Phone | Kind::Url | Kind::Domain | Kind::Date => None,
        _ => return None,
    };
    Some(InlineEdit {
        field: field.name,
        label: w.field(entity, field.name),
        value: record.str(field.name).unwrap_or_default().to_string(),
        options,
    })
}
