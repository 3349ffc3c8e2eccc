//! Settings → Pipelines, Labels and Custom fields.

use crate::domain::crm::{Entity, STAGE_KINDS};
use crate::domain::custom::{CustomField, CustomKind};
use crate::domain::label::LABEL_COLORS;
use crate::domain::label::Label;
use crate::domain::pipeline::{Pipeline, Stage};
use crate::domain::words::{Words, fill};
use crate::error::FieldError;
use crate::views::components::{Field, csrf, error_for, form_error, post_button};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

fn kind_select(w: &Words, id: &str, current: &str) -> Markup {
    html! { select id=(id) name="kind" { @for k in STAGE_KINDS { option value=(k) selected[*k == current] { (w.choice("status", k)) } } } }
}

fn stage_row(chrome: &Chrome, s: &Stage, first: bool, last: bool) -> Markup {
    let act = |what: &str| format!("{}/settings/stages/{}/{what}", chrome.base, s.id);
    let w = chrome.w();
    html! {
        tr data-stage=(s.id) {
            // Only the handle drags, so typing in the row's fields stays as it is.
            td.handle draggable="true" aria-hidden="true" title=(w.drag_to_reorder) { "⠿" }
            td colspan="4" {
                form.row method="post" action=(format!("{}/settings/stages/{}", chrome.base, s.id)) {
                    (csrf(chrome.csrf))
                    div.field { label for={"sn-" (s.id)} { (w.stage) } input id={"sn-" (s.id)} type="text" name="name" value=(s.name) required; }
                    div.field.narrow { label for={"sp-" (s.id)} { (w.probability) } input id={"sp-" (s.id)} type="number" min="0" max="100" name="probability" value=(s.probability); }
                    div.field.narrow { label for={"sk-" (s.id)} { (w.kind) } (kind_select(w, &format!("sk-{}", s.id), &s.kind)) }
                    button.small type="submit" { (w.save) }
                }
            }
            td.actions {
                @if !first { (post_button(&act("up"), chrome.csrf, "↑", "small", None)) }
                @if !last { (post_button(&act("down"), chrome.csrf, "↓", "small", None)) }
                a.button.small.danger href=(act("delete")) { (w.delete) }
            }
        }
    }
}

pub fn pipelines(chrome: &Chrome, list: &[Pipeline], error: Option<&str>) -> Markup {
    let (lang, w) = (chrome.lang, chrome.w());
    settings_page(
        chrome,
        Tab::Pipelines,
        w.tab_pipelines,
        html! {
            (form_error(error.map(|e| w.said(e)).as_deref()))
            @for p in list {
                section.panel aria-labelledby={"p-" (p.id)} {
                    div.section-head {
                        h2 id={"p-" (p.id)} { (p.name) @if p.is_default { " " span.badge.ok { (w.default_badge) } } }
                        div.actions {
                            @if !p.is_default {
                                (post_button(&format!("{}/settings/pipelines/{}/default", chrome.base, p.id), chrome.csrf, w.make_default, "small", None))
                                (post_button(&format!("{}/settings/pipelines/{}/delete", chrome.base, p.id), chrome.csrf, w.delete, "small danger", Some(w.delete_pipeline_confirm)))
                            }
                        }
                    }
                    form.row method="post" action={(chrome.base) "/settings/pipelines/" (p.id)} {
                        (csrf(chrome.csrf))
                        div.field { label for={"pn-" (p.id)} { (w.col_name) } input id={"pn-" (p.id)} type="text" name="name" value=(p.name) required; }
                        button.small type="submit" { (w.rename) }
                    }
                    div.table-wrap tabindex="0" { table.stages data-order={(chrome.base) "/settings/pipelines/" (p.id) "/order"} data-csrf=(chrome.csrf) { tbody {
                        @for (i, s) in p.stages.iter().enumerate() { (stage_row(chrome, s, i == 0, i + 1 == p.stages.len())) }
                    } } }
                    form.row method="post" action={(chrome.base) "/settings/pipelines/" (p.id) "/stages"} {
                        (csrf(chrome.csrf))
                        div.field { label for={"new-stage-" (p.id)} { (w.new_stage) } input id={"new-stage-" (p.id)} type="text" name="name" required; }
                        div.field.narrow { label for={"new-prob-" (p.id)} { (w.probability) } input id={"new-prob-" (p.id)} type="number" min="0" max="100" name="probability" value="50"; }
                        div.field.narrow { label for={"new-kind-" (p.id)} { (w.kind) } (kind_select(w, &format!("new-kind-{}", p.id), "open")) }
                        button type="submit" { (w.add_stage) }
                    }
                }
            }
            section.panel aria-labelledby="newp-h" {
                h2 #newp-h { (w.add_pipeline_title) }
                form.row method="post" action={(chrome.base) "/settings/pipelines"} {
                    (csrf(chrome.csrf))
                    (Field::new(w.col_name, "name").hint(w.pipeline_name_hint).required().render(lang, &[]))
                    button.primary type="submit" { (w.add_pipeline) }
                }
            }
        },
    )
}

pub fn delete_stage(chrome: &Chrome, stage: &Stage, pipeline: &Pipeline, deals: usize) -> Markup {
    let w = chrome.w();
    settings_page(
        chrome,
        Tab::Pipelines,
        w.delete_stage,
        html! {
            section.panel {
                h2 { (fill(w.delete_stage_title, &[("name", &stage.name)])) }
                form method="post" action={(chrome.base) "/settings/stages/" (stage.id) "/delete"} {
                    (csrf(chrome.csrf))
                    @if deals > 0 {
                        p { (fill(w.deals_in_stage, &[("n", &chrome.count(deals as i64))])) }
                        div.field {
                            label for="move_to" { (w.move_them_to) }
                            select #move_to name="move_to" required {
                                @for s in pipeline.stages.iter().filter(|s| s.id != stage.id) { option value=(s.id) { (s.name) " (" (w.choice("status", &s.kind)) ")" } }
                            }
                        }
                    } @else { p { (w.no_deal_in_stage) } }
                    div.form-actions {
                        button.primary type="submit" { (w.delete_stage) }
                        a href={(chrome.base) "/settings/pipelines"} { (w.cancel) }
                    }
                }
            }
        },
    )
}

pub fn labels(
    chrome: &Chrome,
    list: &[Label],
    errors: &[FieldError],
    typed: (&str, &str),
) -> Markup {
    let (lang, w) = (chrome.lang, chrome.w());
    settings_page(
        chrome,
        Tab::Labels,
        w.tab_labels,
        html! {
            section.panel aria-labelledby="labels-h" {
                h2 #labels-h { (w.labels) }
                @if list.is_empty() { p.muted { (w.no_labels) } }
                ul.plain { @for l in list { li.row {
                    form.row method="post" action={(chrome.base) "/settings/labels/" (l.id)} {
                        (csrf(chrome.csrf))
                        label.visually-hidden for={"ln-" (l.id)} { (w.col_name) }
                        input id={"ln-" (l.id)} type="text" name="name" value=(l.name) required;
                        label.visually-hidden for={"lc-" (l.id)} { (w.colour) }
                        input id={"lc-" (l.id)} type="color" name="color" value=(l.color);
                        (crate::views::crm::chip(&l.name, Some(&l.color)))
                        button.small type="submit" { (w.save) }
                    }
                    (post_button(&format!("{}/settings/labels/{}/delete", chrome.base, l.id), chrome.csrf, w.delete, "small danger", Some(w.delete_label_confirm)))
                } } }
            }
            section.panel aria-labelledby="newl-h" {
                h2 #newl-h { (w.add_label_title) }
                form.row method="post" action={(chrome.base) "/settings/labels"} {
                    (csrf(chrome.csrf))
                    (Field::new(w.col_name, "name").value(typed.0).required().render(lang, errors))
                    div.field {
                        label for="f-color" { (w.colour) }
                        select #f-color name="color" { @for (name, hex) in LABEL_COLORS { option value=(hex) selected[*hex == typed.1] { (name) } } }
                    }
                    button.primary type="submit" { (w.add_label) }
                }
            }
        },
    )
}

pub fn fields(chrome: &Chrome, list: &[CustomField], errors: &[FieldError]) -> Markup {
    let (lang, w) = (chrome.lang, chrome.w());
    let general = (!errors.is_empty()).then_some(w.correct_fields);
    settings_page(
        chrome,
        Tab::Fields,
        w.tab_fields,
        html! {
            @for entity in [Entity::Contact, Entity::Company, Entity::Deal] {
                section.panel {
                    h2 { (w.records(entity)) }
                    @let own: Vec<&CustomField> = list.iter().filter(|f| f.entity == entity).collect();
                    @if own.is_empty() { p.muted { (w.no_custom_fields) } }
                    ul.plain { @for f in own { li {
                        strong { (f.label) } " " code { (f.key) } " · " (f.kind.as_str())
                        @if !f.options.is_empty() { " (" (f.options.join(", ")) ")" }
                        @if f.required { " · " (w.required_mark) } " "
                        (post_button(&format!("{}/settings/fields/{}/delete", chrome.base, f.id), chrome.csrf, w.delete, "small danger", Some(w.delete_field_confirm)))
                    } } }
                }
            }
            section.panel aria-labelledby="newf-h" {
                h2 #newf-h { (w.add_field_title) }
                (form_error(general))
                form method="post" action={(chrome.base) "/settings/fields"} {
                    (csrf(chrome.csrf))
                    div.grid2 {
                        div.field { label for="f-entity" { (w.task_for) } select #f-entity name="entity" {
                            @for e in [Entity::Contact, Entity::Company, Entity::Deal] { option value=(e.singular()) { (w.records(e)) } } } }
                        (Field::new(w.label, "label").required().render(lang, errors))
                        (Field::new(w.key, "key").hint(w.key_hint).required().render(lang, errors))
                        div.field { label for="f-kind" { (w.field_type) } select #f-kind name="kind" {
                            @for k in CustomKind::ALL { option value=(k.as_str()) { (k.as_str()) } } } }
                        div.field.invalid[error_for(errors, "options").is_some()] {
                            label for="f-options" { (w.options_select) }
                            input #f-options type="text" name="options" placeholder=(w.options_hint);
                            @if let Some(m) = error_for(errors, "options") { p.error { (w.options) " " (w.said(m)) } }
                        }
                        div.check-field { input #f-required type="checkbox" name="required" value="1"; label for="f-required" { (w.required) } }
                    }
                    button.primary type="submit" { (w.add_field) }
                }
            }
        },
    )
}
