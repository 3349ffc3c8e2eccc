//! The list page of contacts, companies, deals or tasks: search, sortable columns, pages.

use super::{Names, complete_task_button, label_chips, record_href, value};
use crate::domain::crm::{Entity, Field};
use crate::domain::fields::Kind;
use crate::store::crm::records::Record;
use crate::views::components::empty_state;
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};
use std::collections::HashMap;

/// What the filter bar offers.
#[derive(Default)]
pub struct Facets {
    pub users: Vec<(i64, String)>,
    pub labels: Vec<String>,
    pub pipelines: Vec<crate::store::crm::pipelines::Pipeline>,
    /// Custom fields with a fixed set of values (select, boolean).
    pub custom: Vec<crate::domain::custom::CustomField>,
}

/// A saved view of this list: id, name, shared with everyone, may be removed by this user.
pub type ViewEntry = (i64, String, bool, bool);

pub struct ListPage<'a> {
    pub entity: Entity,
    pub facets: &'a Facets,
    pub views: &'a [ViewEntry],
    pub csrf: &'a str,
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

fn heading(entity: Entity, column: &str) -> &'static str {
    match column {
        "name" => "Name",
        "labels" => "Labels",
        "created_at" => "Created",
        "updated_at" => "Changed",
        "status" => "Status",
        "closed_at" => "Closed",
        "completed_at" => "Completed",
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

fn param<'p>(params: &'p [(String, String)], key: &str) -> &'p str {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

fn facet(id: &str, label: &str, current: &str, choices: &[(String, String)]) -> Markup {
    html! {
        div.field {
            label for={"facet-" (id)} { (label) }
            select id={"facet-" (id)} name=(id) {
                option value="" { "Any" }
                @for (v, l) in choices { option value=(v) selected[v == current] { (l) } }
            }
        }
    }
}

/// The facets of a list as a GET form: filters live in the address, so a view can be bookmarked.
fn filters(path: &str, m: &ListPage) -> Markup {
    let p = m.params;
    let f = m.facets;
    let strings = |items: &[&str]| {
        items
            .iter()
            .map(|v| (v.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    let users: Vec<(String, String)> = f
        .users
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    let labels: Vec<(String, String)> = f.labels.iter().map(|l| (l.clone(), l.clone())).collect();
    let owner_key = if m.entity == Entity::Task {
        "assignee_id"
    } else {
        "owner_id"
    };
    let active = p
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "q" | "sort" | "limit" | "cursor"))
        .count();
    let pipelines: Vec<(String, String)> = f
        .pipelines
        .iter()
        .map(|x| (x.id.to_string(), x.name.clone()))
        .collect();
    let stages: Vec<(String, String)> = f
        .pipelines
        .iter()
        .flat_map(|x| {
            x.stages
                .iter()
                .map(move |s| (s.id.to_string(), format!("{} · {}", x.name, s.name)))
        })
        .collect();
    html! {
        details.filters open[active > 0] {
            summary { "Filters" @if active > 0 { " " span.count { (active) } } }
            form.facets method="get" action=(path) {
                @for key in ["q", "sort", "limit"] { @if !param(p, key).is_empty() { input type="hidden" name=(key) value=(param(p, key)); } }
                div.facet-grid {
                    (facet(owner_key, if m.entity == Entity::Task { "Assignee" } else { "Owner" }, param(p, owner_key), &users))
                    @if m.entity == Entity::Contact { (facet("lifecycle", "Lifecycle", param(p, "lifecycle"), &strings(crate::domain::crm::LIFECYCLES))) }
                    @if m.entity == Entity::Deal {
                        (facet("pipeline_id", "Pipeline", param(p, "pipeline_id"), &pipelines))
                        (facet("stage_id", "Stage", param(p, "stage_id"), &stages))
                        (facet("status", "Status", param(p, "status"), &strings(crate::domain::crm::STAGE_KINDS)))
                    }
                    @if m.entity == Entity::Task {
                        (facet("status", "Status", param(p, "status"), &strings(crate::domain::crm::TASK_STATUSES)))
                        (facet("priority", "Priority", param(p, "priority"), &strings(crate::domain::crm::PRIORITIES)))
                    }
                    @if m.entity.has_labels_and_custom() { (facet("label", "Label", param(p, "label"), &labels)) }
                    @for c in &f.custom {
                        @let key = format!("custom.{}", c.key);
                        @let choices: Vec<(String, String)> = if c.kind == crate::domain::custom::CustomKind::Boolean {
                            vec![("true".into(), "Yes".into()), ("false".into(), "No".into())]
                        } else { c.options.iter().map(|o| (o.clone(), o.clone())).collect() };
                        (facet(&key, &c.label, param(p, &key), &choices))
                    }
                    div.field { label for="facet-created_from" { "Created from" } input #facet-created_from type="date" name="created_from" value=(param(p, "created_from")); }
                    div.field { label for="facet-created_to" { "Created to" } input #facet-created_to type="date" name="created_to" value=(param(p, "created_to")); }
                    div.field { label for="facet-updated_from" { "Changed since" } input #facet-updated_from type="date" name="updated_from" value=(param(p, "updated_from")); }
                }
                fieldset.columns {
                    legend { "Columns" }
                    @let shown = visible_columns(m.entity, p);
                    @for (i, c) in available_columns(m.entity).into_iter().enumerate() {
                        div.check-field {
                            input type="checkbox" id={"col-" (c)} name="columns" value=(c) checked[shown.contains(&c)] disabled[i == 0];
                            label for={"col-" (c)} { (heading(m.entity, c)) }
                        }
                    }
                }
                div.form-actions {
                    button.primary type="submit" { "Apply filters" }
                    a href=(path) { "Clear all" }
                }
            }
            (saved_views(path, m))
        }
    }
}

/// This list's saved views, and saving the current one.
fn saved_views(path: &str, m: &ListPage) -> Markup {
    let query: Vec<String> = m
        .params
        .iter()
        .filter(|(k, _)| k != "cursor")
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::web::cookie::encode(k),
                crate::web::cookie::encode(v)
            )
        })
        .chain(
            (!m.params.iter().any(|(k, _)| k == "sort"))
                .then(|| format!("sort={}{}", if m.sort.1 { "-" } else { "" }, m.sort.0)),
        )
        .collect();
    let base = path.rsplit_once('/').map_or(path, |(b, _)| b);
    html! {
        div.views-panel {
            @if !m.views.is_empty() {
                h3 { "Saved views" }
                ul.plain { @for (id, name, shared, removable) in m.views { li {
                    (name) @if *shared { " " span.badge.neutral { "shared" } } " "
                    @if *removable {
                        form.inline method="post" action={(base) "/views/" (id) "/delete"} {
                            (crate::views::components::csrf(m.csrf))
                            input type="hidden" name="return_to" value=(path);
                            button.link.small type="submit" { "Remove" }
                        }
                    }
                } } }
            }
            form.row method="post" action={(base) "/views"} {
                (crate::views::components::csrf(m.csrf))
                input type="hidden" name="entity" value=(m.entity.singular());
                input type="hidden" name="query" value=(query.join("&"));
                div.field { label for="view-name" { "Save this view as" } input #view-name type="text" name="name" required maxlength="60"; }
                div.check-field { input #view-shared type="checkbox" name="shared" value="1"; label for="view-shared" { "For everyone" } }
                button.small type="submit" { "Save view" }
            }
        }
    }
}

/// Acting on the ticked rows: the boxes belong to this form through their `form` attribute.
fn bulk_bar(path: &str, csrf: &str, m: &ListPage) -> Markup {
    let f = m.facets;
    let owner = if m.entity == Entity::Task {
        "assignee"
    } else {
        "owner"
    };
    html! {
        form #bulk.bulk method="post" action={(path) "/bulk"} aria-label="With the selected" {
            (crate::views::components::csrf(csrf))
            label for="bulk-action" { "With the selected:" }
            select #bulk-action name="action" {
                option value="trash" { "Move to the trash" }
                option value="owner" { "Set the " (owner) }
                @if m.entity.has_labels_and_custom() { option value="add_label" { "Add a label" } option value="remove_label" { "Remove a label" } }
                @if m.entity == Entity::Deal { option value="stage" { "Move to a stage" } }
                option value="export" { "Export as CSV" }
            }
            label.visually-hidden for="bulk-owner" { "The " (owner) }
            select #bulk-owner name="owner_id" { option value="" { "(" (owner) ": nobody)" } @for (id, n) in &f.users { option value=(id) { (n) } } }
            @if m.entity.has_labels_and_custom() {
                label.visually-hidden for="bulk-label" { "Label" }
                select #bulk-label name="label" { option value="" { "(label)" } @for l in &f.labels { option value=(l) { (l) } } }
            }
            @if m.entity == Entity::Deal {
                label.visually-hidden for="bulk-stage" { "Stage" }
                select #bulk-stage name="stage_id" { option value="" { "(stage)" } @for p in &f.pipelines { @for s in &p.stages { option value=(s.id) { (p.name) " · " (s.name) } } } }
                label.visually-hidden for="bulk-reason" { "Reason, if lost" }
                input #bulk-reason type="text" name="lost_reason" placeholder="Reason if lost";
            }
            button.small type="submit" { "Apply" }
        }
    }
}

pub fn list(chrome: &Chrome, m: &ListPage) -> Markup {
    let shown = visible_columns(m.entity, m.params);
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
                    @if m.entity.importable() { a.button href={(path) "/import"} { "Import CSV" } }
                a.button.primary href={(path) "/new"} { "New " (m.entity.singular()) }
                }
            }
            form.searchbar method="get" action=(path) role="search" {
                label.visually-hidden for="q" { "Search " (m.entity.label().to_lowercase()) }
                input #q type="search" name="q" value=(m.q) placeholder={"Search " (m.entity.label().to_lowercase()) "…"};
                @for (k, v) in m.params.iter().filter(|(k, _)| k != "q") { input type="hidden" name=(k) value=(v); }
                button type="submit" { "Search" }
            }
            (filters(&path, m))
            @if m.records.is_empty() {
                @if m.q.is_empty() && m.params.is_empty() {
                    (empty_state(&format!("No {} yet", m.entity.label().to_lowercase()), &format!("Create the first {} to get started.", m.entity.singular())))
                } @else {
                    (empty_state("Nothing matches", "Try another search."))
                }
            } @else {
                (bulk_bar(&path, chrome.csrf, m))
                div.table-wrap { table.list data-api={(base) "/api/v1/" (m.entity.table()) "/"} data-csrf=(chrome.csrf) {
                    caption.visually-hidden { (m.entity.label()) ", sorted by " (m.sort.0) }
                    thead { tr { th.pick scope="col" { input type="checkbox" data-select-all hidden aria-label="Select all on this page"; } @for c in &shown {
                        @let sortable = *c != "labels";
                        th scope="col" aria-sort=[(m.sort.0 == *c).then_some(if m.sort.1 { "descending" } else { "ascending" })] {
                            @if sortable {
                                a href=(href(&path, m.params, &[("sort", sort_param(c))])) { (heading(m.entity, c)) @if m.sort.0 == *c { span aria-hidden="true" { @if m.sort.1 { " ↓" } @else { " ↑" } } } }
                            } @else { (heading(m.entity, c)) }
                        }
                    } } }
                    tbody { @for r in m.records { tr data-id=(r.id) { td.pick { input type="checkbox" name="ids" value=(r.id) form="bulk" aria-label={"Select " (r.title())}; } @for (i, c) in shown.iter().enumerate() {
                        @let edit = (i > 0).then(|| m.entity.field(c)).flatten().and_then(|f| inline_edit(f, r));
                        td data-edit=[edit.as_ref().map(|e| e.field)] data-value=[edit.as_ref().map(|e| e.value.as_str())] data-options=[edit.as_ref().and_then(|e| e.options.clone())] data-label=[edit.as_ref().map(|e| e.label)] tabindex=[edit.as_ref().map(|_| "0")] {
                            @if i == 0 {
                                @if m.entity == Entity::Task && r.str("status") == Some("open") {
                                    (complete_task_button(base, chrome.csrf, r, &path))
                                    " "
                                }
                                a href=(record_href(base, m.entity, r.id)) { strong { (r.title()) } }
                            } @else if *c == "labels" {
                                (label_chips(&r.labels, m.label_colors))
                            } @else if let Some(field) = m.entity.field(c) {
                                (value(field, r, m.names, base))
                            } @else if let Some(stamp) = r.str(c).or(matches!(*c, "created_at" | "updated_at").then_some(if *c == "created_at" { r.created_at.as_str() } else { r.updated_at.as_str() })) {
                                span.num { (super::when(stamp)) }
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

/// A list cell that JavaScript may turn into an input: plain values only, not links to other
/// records, users, stages or amounts.
struct InlineEdit {
    field: &'static str,
    label: &'static str,
    value: String,
    /// A choice's options, separated by `|`.
    options: Option<String>,
}

fn inline_edit(field: &'static Field, record: &Record) -> Option<InlineEdit> {
    let options = match field.kind {
        Kind::Choice(options) => Some(options.join("|")),
        Kind::Text(_) | Kind::Email | Kind::Phone | Kind::Url | Kind::Domain | Kind::Date => None,
        _ => return None,
    };
    Some(InlineEdit {
        field: field.name,
        label: field.label,
        value: record.str(field.name).unwrap_or_default().to_string(),
        options,
    })
}
