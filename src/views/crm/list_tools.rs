//! The tools above a list's table: the filter form, saved views and the bulk-action bar.

use super::list::{ListPage, available_columns, heading, param, visible_columns};
use crate::domain::crm::Entity;
use maud::{Markup, html};

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
pub(super) fn filters(path: &str, m: &ListPage) -> Markup {
    let p = m.params;
    // The form sends every facet, the empty ones too: those filter nothing.
    let active = p
        .iter()
        .filter(|(k, v)| {
            !v.is_empty() && !matches!(k.as_str(), "q" | "sort" | "limit" | "cursor" | "columns")
        })
        .count();
    html! {
        details.filters open[active > 0] {
            summary { "Filters" @if active > 0 { " " span.count { (active) } } }
            form.facets method="get" action=(path) {
                @for key in ["q", "sort", "limit"] { @if !param(p, key).is_empty() { input type="hidden" name=(key) value=(param(p, key)); } }
                (facet_grid(m))
                (column_choice(m))
                div.form-actions {
                    button.primary type="submit" { "Apply filters" }
                    a href=(path) { "Clear all" }
                }
            }
            (saved_views(path, m))
        }
    }
}

/// A select per facet the list offers, and the time bounds.
fn facet_grid(m: &ListPage) -> Markup {
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
    let due_choices: Vec<(String, String)> = [
        ("overdue", "Overdue"),
        ("today", "Today"),
        ("later", "Later or never"),
        ("none", "No due date"),
    ]
    .map(|(v, l)| (v.to_string(), l.to_string()))
    .to_vec();
    html! {
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
                (facet("due", "Due", param(p, "due"), &due_choices))
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
    }
}

/// Which columns the list shows; the first (the record's name) always.
fn column_choice(m: &ListPage) -> Markup {
    html! {
        fieldset.columns {
            legend { "Columns" }
            @let shown = visible_columns(m.entity, m.params);
            @for (i, c) in available_columns(m.entity).into_iter().enumerate() {
                div.check-field {
                    input type="checkbox" id={"col-" (c)} name="columns" value=(c) checked[shown.contains(&c)] disabled[i == 0];
                    label for={"col-" (c)} { (heading(m.entity, c)) }
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

/// This list's saved views, and saving the current one.
fn saved_views(path: &str, m: &ListPage) -> Markup {
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
pub(super) fn bulk_bar(path: &str, csrf: &str, m: &ListPage) -> Markup {
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
            select #bulk-action name="action" required {
                option value="" selected { "Choose an action…" }
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
