//! The tools above a list's table: the filter form, saved views and the bulk-action bar.

use super::list::{ListPage, available_columns, heading, param, visible_columns};
use crate::domain::crm::Entity;
use crate::domain::words::{Words, fill};
use crate::views::layout::Chrome;
use maud::{Markup, html};

fn facet(w: &Words, id: &str, label: &str, current: &str, choices: &[(String, String)]) -> Markup {
    html! {
        div.field {
            label for={"facet-" (id)} { (label) }
            select id={"facet-" (id)} name=(id) {
                option value="" { (w.any) }
                @for (v, l) in choices { option value=(v) selected[v == current] { (l) } }
            }
        }
    }
}

/// The facets of a list as a GET form: filters live in the address, so a view can be bookmarked.
pub(super) fn filters(w: &Words, path: &str, m: &ListPage) -> Markup {
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
            summary { (w.filters) @if active > 0 { " " span.count { (active) } } }
            form.facets method="get" action=(path) {
                @for key in ["q", "sort", "limit"] { @if !param(p, key).is_empty() { input type="hidden" name=(key) value=(param(p, key)); } }
                (facet_grid(w, m))
                (column_choice(w, m))
                div.form-actions {
                    button.primary type="submit" { (w.apply_filters) }
                    a href=(path) { (w.clear_all) }
                }
            }
            (saved_views(w, path, m))
        }
    }
}

/// A select per facet the list offers, and the time bounds.
fn facet_grid(w: &Words, m: &ListPage) -> Markup {
    let p = m.params;
    let f = m.facets;
    let choices = |field: &str, items: &[&str]| {
        items
            .iter()
            .map(|v| (v.to_string(), w.choice(field, v).to_string()))
            .collect::<Vec<_>>()
    };
    let label = |field: &str| w.field(m.entity, field);
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
        ("overdue", w.due_overdue),
        ("today", w.due_today),
        ("later", w.due_later),
        ("none", w.due_none),
    ]
    .map(|(v, l)| (v.to_string(), l.to_string()))
    .to_vec();
    html! {
        div.facet-grid {
            (facet(w, owner_key, &label(owner_key), param(p, owner_key), &users))
            @if m.entity == Entity::Contact { (facet(w, "lifecycle", &label("lifecycle"), param(p, "lifecycle"), &choices("lifecycle", crate::domain::crm::LIFECYCLES))) }
            @if m.entity == Entity::Deal {
                (facet(w, "pipeline_id", &label("pipeline_id"), param(p, "pipeline_id"), &pipelines))
                (facet(w, "stage_id", &label("stage_id"), param(p, "stage_id"), &stages))
                (facet(w, "status", w.col_status, param(p, "status"), &choices("status", crate::domain::crm::STAGE_KINDS)))
            }
            @if m.entity == Entity::Task {
                (facet(w, "status", &label("status"), param(p, "status"), &choices("status", crate::domain::crm::TASK_STATUSES)))
                (facet(w, "priority", &label("priority"), param(p, "priority"), &choices("priority", crate::domain::crm::PRIORITIES)))
                (facet(w, "due", &label("due_at"), param(p, "due"), &due_choices))
            }
            @if m.entity.has_labels_and_custom() { (facet(w, "label", w.label, param(p, "label"), &labels)) }
            @for c in &f.custom {
                @let key = format!("custom.{}", c.key);
                @let choices: Vec<(String, String)> = if c.kind == crate::domain::custom::CustomKind::Boolean {
                    vec![("true".into(), w.yes.into()), ("false".into(), w.no.into())]
                } else { c.options.iter().map(|o| (o.clone(), o.clone())).collect() };
                (facet(w, &key, &c.label, param(p, &key), &choices))
            }
            div.field { label for="facet-created_from" { (w.created_from) } input #facet-created_from type="date" name="created_from" value=(param(p, "created_from")); }
            div.field { label for="facet-created_to" { (w.created_to) } input #facet-created_to type="date" name="created_to" value=(param(p, "created_to")); }
            div.field { label for="facet-updated_from" { (w.changed_since) } input #facet-updated_from type="date" name="updated_from" value=(param(p, "updated_from")); }
        }
    }
}

/// Which columns the list shows; the first (the record's name) always.
fn column_choice(w: &Words, m: &ListPage) -> Markup {
    html! {
        fieldset.columns {
            legend { (w.columns) }
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
                .then(|| format!("sort={}{}", if m.sort.1 { "-" } else { "" }, m.sort.0)),
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
                h3 { (w.saved_views) }
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
