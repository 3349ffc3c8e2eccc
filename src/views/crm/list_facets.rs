//! The filters a list offers, each with its label and choices in the reader's words: the
//! filter menu's selects and the chips of the filters in use are made from the same list.

use super::list::{ListPage, param};
use crate::domain::crm::{Entity, LIFECYCLES, PRIORITIES, STAGE_KINDS, TASK_STATUSES};
use crate::domain::custom::CustomKind;
use crate::domain::words::{Words, fill};
use crate::views::layout::Chrome;
use maud::{Markup, html};

/// A filter chosen from a list of values: its parameter, label and (value, words) choices.
pub(super) struct Facet {
    pub key: String,
    pub label: String,
    pub choices: Vec<(String, String)>,
}

/// The filters by a day: parameter and label.
pub(super) fn day_filters(w: &Words) -> [(&'static str, &'static str); 3] {
    [
        ("created_from", w.created_from),
        ("created_to", w.created_to),
        ("updated_from", w.changed_since),
    ]
}

fn pairs<'a>(items: impl IntoIterator<Item = (String, String)> + 'a) -> Vec<(String, String)> {
    items.into_iter().collect()
}

/// Every choice filter of the list, in the order the menu shows them.
pub(super) fn facets(w: &Words, m: &ListPage) -> Vec<Facet> {
    let f = m.facets;
    let facet = |key: &str, label: String, choices: Vec<(String, String)>| Facet {
        key: key.to_string(),
        label,
        choices,
    };
    let choices = |field: &str, items: &[&str]| {
        pairs(
            items
                .iter()
                .map(|v| (v.to_string(), w.choice(field, v).to_string())),
        )
    };
    let label = |field: &str| w.field(m.entity, field);
    let owner = if m.entity == Entity::Task {
        "assignee_id"
    } else {
        "owner_id"
    };
    let users = pairs(f.users.iter().map(|(id, n)| (id.to_string(), n.clone())));
    let mut out = vec![facet(owner, label(owner), users)];
    match m.entity {
        Entity::Contact => {
            out.push(facet(
                "lifecycle",
                label("lifecycle"),
                choices("lifecycle", LIFECYCLES),
            ));
        }
        Entity::Deal => {
            let pipelines = pairs(
                f.pipelines
                    .iter()
                    .map(|p| (p.id.to_string(), p.name.clone())),
            );
            let stages = pairs(f.pipelines.iter().flat_map(|p| {
                p.stages
                    .iter()
                    .map(move |s| (s.id.to_string(), format!("{} · {}", p.name, s.name)))
            }));
            out.push(facet("pipeline_id", label("pipeline_id"), pipelines));
            out.push(facet("stage_id", label("stage_id"), stages));
            let status = w.col_status.to_string();
            out.push(facet("status", status, choices("status", STAGE_KINDS)));
        }
        Entity::Task => {
            out.push(facet(
                "status",
                label("status"),
                choices("status", TASK_STATUSES),
            ));
            out.push(facet(
                "priority",
                label("priority"),
                choices("priority", PRIORITIES),
            ));
            let due = [
                ("overdue", w.due_overdue),
                ("today", w.due_today),
                ("later", w.due_later),
                ("none", w.due_none),
            ];
            let due = pairs(due.map(|(v, l)| (v.to_string(), l.to_string())));
            out.push(facet("due", label("due_at"), due));
        }
        Entity::Company | Entity::Note => {}
    }
    out.extend(labels_and_custom(w, m));
    out
}

/// The filters by label and by custom field, for the kinds that have them.
fn labels_and_custom(w: &Words, m: &ListPage) -> Vec<Facet> {
    let f = m.facets;
    let mut out = Vec::new();
    if m.entity.has_labels_and_custom() {
        out.push(Facet {
            key: "label".into(),
            label: w.label.into(),
            choices: pairs(f.labels.iter().map(|l| (l.clone(), l.clone()))),
        });
    }
    for c in &f.custom {
        let choices = if c.kind == CustomKind::Boolean {
            vec![("true".into(), w.yes.into()), ("false".into(), w.no.into())]
        } else {
            pairs(c.options.iter().map(|o| (o.clone(), o.clone())))
        };
        out.push(Facet {
            key: format!("custom.{}", c.key),
            label: c.label.clone(),
            choices,
        });
    }
    out
}

/// The filter menu's fields: a select per facet, a date field per day filter.
pub(super) fn facet_grid(w: &Words, m: &ListPage) -> Markup {
    let p = m.params;
    html! {
        div.facet-grid {
            @for f in facets(w, m) {
                div.field {
                    label for={"facet-" (f.key)} { (f.label) }
                    select id={"facet-" (f.key)} name=(f.key) {
                        option value="" { (w.any) }
                        @for (v, l) in &f.choices { option value=(v) selected[v == param(p, &f.key)] { (l) } }
                    }
                }
            }
            @for (key, label) in day_filters(w) {
                div.field { label for={"facet-" (key)} { (label) } input id={"facet-" (key)} type="date" name=(key) value=(param(p, key)); }
            }
        }
    }
}

/// The filters in use as chips ("Lifecycle: Customer ✕"), each a link to the list without it.
pub(super) fn chips(chrome: &Chrome, path: &str, m: &ListPage) -> Markup {
    let w = chrome.w();
    let facets = facets(w, m);
    let active: Vec<(&str, String, String)> = m
        .params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(k, v)| {
            if let Some(f) = facets.iter().find(|f| f.key == *k) {
                let shown = f
                    .choices
                    .iter()
                    .find(|(c, _)| c == v)
                    .map_or(v.clone(), |c| c.1.clone());
                Some((k.as_str(), f.label.clone(), shown))
            } else {
                day_filters(w)
                    .into_iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, label)| (k.as_str(), label.to_string(), chrome.day(v)))
            }
        })
        .collect();
    let without = |key: &str| {
        let rest: Vec<(String, String)> = m
            .params
            .iter()
            .filter(|(k, _)| k != key && k != "cursor")
            .cloned()
            .collect();
        super::list::href(path, &rest, &[("sort", m.sort_param())])
    };
    html! {
        @if !active.is_empty() {
            ul.chips aria-label=(w.filters) {
                @for (key, label, value) in &active {
                    li { a.chip.filter href=(without(key)) aria-label=(fill(w.remove_filter, &[("filter", &format!("{label}: {value}"))])) {
                        span.muted { (label) ": " } (value) span aria-hidden="true" { " ✕" }
                    } }
                }
                li { a.small href=(path) { (w.clear_all) } }
            }
        }
    }
}
