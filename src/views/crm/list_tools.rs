//! The tools above a list's table: one toolbar line (search, filters, columns, saved views)
//! and the bulk-action bar.

use super::list::{ListPage, available_columns, heading, visible_columns};
use crate::domain::crm::Entity;
use crate::domain::words::{Words, fill};
use crate::views::components::icon;
use crate::views::layout::Chrome;
use maud::{Markup, html};

/// One line above the table: the search, and menus for the filters, the columns and the saved
/// views (each a `details` that opens over the table, a plain form inside); the filters in
/// use as chips below it.
pub(super) fn toolbar(chrome: &Chrome, path: &str, m: &ListPage) -> Markup {
    let w = chrome.w();
    let p = m.params;
    let kinds = w.records(m.entity).to_lowercase();
    let active = p
        .iter()
        .filter(|(k, v)| {
            !v.is_empty() && !matches!(k.as_str(), "q" | "sort" | "limit" | "cursor" | "columns")
        })
        .count();
    // What each form keeps of the list's address besides what it sets itself.
    let keep = |skip: &[&str]| -> Vec<(String, String)> {
        p.iter()
            .filter(|(k, _)| k != "cursor" && !skip.contains(&k.as_str()))
            .cloned()
            .chain([("sort".to_string(), m.sort_param())])
            .collect()
    };
    let facet_keys: Vec<String> = super::list_facets::facets(w, m)
        .into_iter()
        .map(|f| f.key)
        .collect();
    let mut filter_keys: Vec<&str> = facet_keys.iter().map(String::as_str).collect();
    filter_keys.extend(super::list_facets::day_filters(w).map(|(k, _)| k));
    html! {
        div.list-toolbar {
            form.searchbar method="get" action=(path) role="search" {
                label.visually-hidden for="q" { (fill(w.search_in, &[("kinds", &kinds)])) }
                input #q type="search" name="q" value=(m.q) placeholder=(fill(w.search_in_hint, &[("kinds", &kinds)]));
                @for (k, v) in keep(&["q"]) { input type="hidden" name=(k) value=(v); }
                button type="submit" { (w.search) }
            }
            details.menu {
                summary { (icon(chrome.assets, "filter")) (w.filters) @if active > 0 { " " span.count { (active) } } }
                div.menu-panel {
                    form.facets method="get" action=(path) {
                        @for (k, v) in keep(&filter_keys) { input type="hidden" name=(k) value=(v); }
                        (super::list_facets::facet_grid(w, m))
                        div.form-actions {
                            button.primary type="submit" { (w.apply_filters) }
                            a href=(path) { (w.clear_all) }
                        }
                    }
                }
            }
            details.menu {
                summary { (icon(chrome.assets, "columns")) (w.columns) }
                div.menu-panel {
                    form method="get" action=(path) {
                        @for (k, v) in keep(&["columns"]) { input type="hidden" name=(k) value=(v); }
                        (column_choice(w, m))
                        button.primary type="submit" { (w.apply) }
                    }
                }
            }
            details.menu.end {
                summary { (icon(chrome.assets, "views")) (w.saved_views) @if !m.views.is_empty() { " " span.count { (m.views.len()) } } }
                div.menu-panel { (saved_views(w, path, m)) }
            }
        }
        (super::list_facets::chips(chrome, path, m))
    }
}

/// Which columns the list shows; the first (the record's name) always.
fn column_choice(w: &Words, m: &ListPage) -> Markup {
    html! {
        fieldset.columns {
            legend.visually-hidden { (w.columns) }
            @let shown = visible_columns(m.entity, m.params);
            @for (i, c) in available_columns(m.entity).into_iter().enumerate() {
                div.check-field {
                    input type="checkbox" id={"col-" (c)} name="columns" value=(c) checked[shown.contains(&c)] disabled[i == 0];
                    label for={"col-" (c)} { (heading(w, m.entity, c)) }
                }
            }
            @let custom = super::list::custom_columns(m);
            @for f in &m.facets.columns {
                @let value = format!("custom.{}", f.key);
                div.check-field {
                    input type="checkbox" id={"col-" (value)} name="columns" value=(value) checked[custom.iter().any(|c| c.key == f.key)];
                    label for={"col-" (value)} { (f.label) }
                }
            }
        }
    }
}

/// The list's query as its address has it (filters, search and sort; not the page).
fn query_string(m: &ListPage) -> String {
    let query: Vec<String> = m
        .params
        .iter()
        .filter(|(k, _)| k != "cursor")
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::domain::url::encode(k),
                crate::domain::url::encode(v)
            )
        })
        .chain(
            (!m.params.iter().any(|(k, _)| k == "sort"))
                .then(|| format!("sort={}", m.sort_param())),
        )
        .collect();
    query.join("&")
}

/// This list's saved views, and saving the current one.
fn saved_views(w: &Words, path: &str, m: &ListPage) -> Markup {
    let base = path.rsplit_once('/').map_or(path, |(b, _)| b);
    html! {
        div.views-panel {
            @if !m.views.is_empty() {
                h3.visually-hidden { (w.saved_views) }
                ul.plain { @for (id, name, shared, removable) in m.views { li {
                    (name) @if *shared { " " span.badge.neutral { (w.shared) } } " "
                    @if *removable {
                        form.inline method="post" action={(base) "/views/" (id) "/delete"} {
                            (crate::views::components::csrf(m.csrf))
                            input type="hidden" name="return_to" value=(path);
                            button.link.small type="submit" { (w.remove) }
                        }
                    }
                } } }
            }
            form.row method="post" action={(base) "/views"} {
                (crate::views::components::csrf(m.csrf))
                input type="hidden" name="entity" value=(m.entity.singular());
                input type="hidden" name="query" value=(query_string(m));
                div.field { label for="view-name" { (w.save_view_as) } input #view-name type="text" name="name" required maxlength="60"; }
                div.check-field { input #view-shared type="checkbox" name="shared" value="1"; label for="view-shared" { (w.for_everyone) } }
                button.small type="submit" { (w.save_view) }
            }
        }
    }
}

/// Acting on the ticked rows: the boxes belong to this form through their `form` attribute.
pub(super) fn bulk_bar(chrome: &Chrome, path: &str, m: &ListPage) -> Markup {
    let (f, csrf, w) = (m.facets, chrome.csrf, chrome.w());
    let task = m.entity == Entity::Task;
    let (set, field, nobody) = if task {
        (
            w.bulk_assignee,
            w.bulk_assignee_field,
            w.bulk_assignee_nobody,
        )
    } else {
        (w.bulk_owner, w.bulk_owner_field, w.bulk_owner_nobody)
    };
    html! {
        form #bulk.bulk method="post" action={(path) "/bulk"} aria-label=(w.with_selected) {
            (crate::views::components::csrf(csrf))
            label for="bulk-action" { (w.with_selected_colon) }
            select #bulk-action name="action" required {
                option value="" selected { (w.choose_action) }
                option value="trash" { (w.bulk_trash) }
                option value="owner" { (set) }
                @if m.entity.has_labels_and_custom() { option value="add_label" { (w.bulk_add_label) } option value="remove_label" { (w.bulk_remove_label) } }
                @if m.entity == Entity::Deal { option value="stage" { (w.bulk_stage) } }
                option value="export" { (w.bulk_export) }
            }
            label.visually-hidden for="bulk-owner" { (field) }
            select #bulk-owner name="owner_id" { option value="" { (nobody) } @for (id, n) in &f.users { option value=(id) { (n) } } }
            @if m.entity.has_labels_and_custom() {
                label.visually-hidden for="bulk-label" { (w.label) }
                select #bulk-label name="label" { option value="" { (w.bulk_label_none) } @for l in &f.labels { option value=(l) { (l) } } }
            }
            @if m.entity == Entity::Deal {
                label.visually-hidden for="bulk-stage" { (w.field(Entity::Deal, "stage_id")) }
                select #bulk-stage name="stage_id" { option value="" { (w.bulk_stage_none) } @for p in &f.pipelines { @for s in &p.stages { option value=(s.id) { (p.name) " · " (s.name) } } } }
                label.visually-hidden for="bulk-reason" { (w.reason_if_lost) }
                input #bulk-reason type="text" name="lost_reason" placeholder=(w.reason_if_lost_hint);
            }
            @if m.records.len() as i64 > 0 && m.total.least() > m.records.len() as i64 {
                div.check-field.all-matching {
                    input #bulk-all type="checkbox" name="all" value="1";
                    label for="bulk-all" { (fill(w.all_matching, &[("n", &m.total.show(chrome.lang))])) }
                }
                input type="hidden" name="query" value=(query_string(m));
            }
            button.small type="submit" { (w.apply) }
        }
    }
}
