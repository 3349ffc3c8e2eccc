//! Settings → Pipelines, Labels and Custom fields.

use crate::domain::crm::{Entity, STAGE_KINDS};
use crate::domain::custom::{CustomField, CustomKind};
use crate::domain::label::LABEL_COLORS;
use crate::domain::label::Label;
use crate::domain::pipeline::{Pipeline, Stage};
use crate::error::FieldError;
use crate::views::components::{Field, csrf, error_for, form_error, post_button};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

fn kind_select(id: &str, current: &str) -> Markup {
    html! { select id=(id) name="kind" { @for k in STAGE_KINDS { option value=(k) selected[*k == current] { (k) } } } }
}

fn stage_row(chrome: &Chrome, s: &Stage, first: bool, last: bool) -> Markup {
    let act = |what: &str| format!("{}/settings/stages/{}/{what}", chrome.base, s.id);
    html! {
        tr {
            td colspan="4" {
                form.row method="post" action=(format!("{}/settings/stages/{}", chrome.base, s.id)) {
                    (csrf(chrome.csrf))
                    div.field { label for={"sn-" (s.id)} { "Stage" } input id={"sn-" (s.id)} type="text" name="name" value=(s.name) required; }
                    div.field.narrow { label for={"sp-" (s.id)} { "Probability %" } input id={"sp-" (s.id)} type="number" min="0" max="100" name="probability" value=(s.probability); }
                    div.field.narrow { label for={"sk-" (s.id)} { "Kind" } (kind_select(&format!("sk-{}", s.id), &s.kind)) }
                    button.small type="submit" { "Save" }
                }
            }
            td.actions {
                @if !first { (post_button(&act("up"), chrome.csrf, "↑", "small", None)) }
                @if !last { (post_button(&act("down"), chrome.csrf, "↓", "small", None)) }
                a.button.small.danger href=(act("delete")) { "Delete" }
            }
        }
    }
}

pub fn pipelines(chrome: &Chrome, list: &[Pipeline], error: Option<&str>) -> Markup {
    settings_page(
        chrome,
        Tab::Pipelines,
        "Pipelines",
        html! {
            (form_error(error))
            @for p in list {
                section.panel aria-labelledby={"p-" (p.id)} {
                    div.section-head {
                        h2 id={"p-" (p.id)} { (p.name) @if p.is_default { " " span.badge.ok { "default" } } }
                        div.actions {
                            @if !p.is_default {
                                (post_button(&format!("{}/settings/pipelines/{}/default", chrome.base, p.id), chrome.csrf, "Make default", "small", None))
                                (post_button(&format!("{}/settings/pipelines/{}/delete", chrome.base, p.id), chrome.csrf, "Delete", "small danger", Some("Delete this pipeline? Only an empty pipeline can go.")))
                            }
                        }
                    }
                    form.row method="post" action={(chrome.base) "/settings/pipelines/" (p.id)} {
                        (csrf(chrome.csrf))
                        div.field { label for={"pn-" (p.id)} { "Name" } input id={"pn-" (p.id)} type="text" name="name" value=(p.name) required; }
                        button.small type="submit" { "Rename" }
                    }
                    div.table-wrap tabindex="0" { table.stages { tbody {
                        @for (i, s) in p.stages.iter().enumerate() { (stage_row(chrome, s, i == 0, i + 1 == p.stages.len())) }
                    } } }
                    form.row method="post" action={(chrome.base) "/settings/pipelines/" (p.id) "/stages"} {
                        (csrf(chrome.csrf))
                        div.field { label for={"new-stage-" (p.id)} { "New stage" } input id={"new-stage-" (p.id)} type="text" name="name" required; }
                        div.field.narrow { label for={"new-prob-" (p.id)} { "Probability %" } input id={"new-prob-" (p.id)} type="number" min="0" max="100" name="probability" value="50"; }
                        div.field.narrow { label for={"new-kind-" (p.id)} { "Kind" } (kind_select(&format!("new-kind-{}", p.id), "open")) }
                        button type="submit" { "Add stage" }
                    }
                }
            }
            section.panel aria-labelledby="newp-h" {
                h2 #newp-h { "Add a pipeline" }
                form.row method="post" action={(chrome.base) "/settings/pipelines"} {
                    (csrf(chrome.csrf))
                    (Field::new("Name", "name").hint("e.g. Onboarding or Renewals").required().render(&[]))
                    button.primary type="submit" { "Add pipeline" }
                }
            }
        },
    )
}

pub fn delete_stage(chrome: &Chrome, stage: &Stage, pipeline: &Pipeline, deals: usize) -> Markup {
    settings_page(
        chrome,
        Tab::Pipelines,
        "Delete stage",
        html! {
            section.panel {
                h2 { "Delete the stage " (stage.name) "?" }
                form method="post" action={(chrome.base) "/settings/stages/" (stage.id) "/delete"} {
                    (csrf(chrome.csrf))
                    @if deals > 0 {
                        p { (deals) " deals are in this stage. Where should they go?" }
                        div.field {
                            label for="move_to" { "Move them to" }
                            select #move_to name="move_to" required {
                                @for s in pipeline.stages.iter().filter(|s| s.id != stage.id) { option value=(s.id) { (s.name) " (" (s.kind) ")" } }
                            }
                        }
                    } @else { p { "No deal is in this stage." } }
                    div.form-actions {
                        button.primary type="submit" { "Delete stage" }
                        a href={(chrome.base) "/settings/pipelines"} { "Cancel" }
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
    settings_page(
        chrome,
        Tab::Labels,
        "Labels",
        html! {
            section.panel aria-labelledby="labels-h" {
                h2 #labels-h { "Labels" }
                @if list.is_empty() { p.muted { "No labels yet." } }
                ul.plain { @for l in list { li.row {
                    form.row method="post" action={(chrome.base) "/settings/labels/" (l.id)} {
                        (csrf(chrome.csrf))
                        label.visually-hidden for={"ln-" (l.id)} { "Name" }
                        input id={"ln-" (l.id)} type="text" name="name" value=(l.name) required;
                        label.visually-hidden for={"lc-" (l.id)} { "Colour" }
                        input id={"lc-" (l.id)} type="color" name="color" value=(l.color);
                        (crate::views::crm::chip(&l.name, Some(&l.color)))
                        button.small type="submit" { "Save" }
                    }
                    (post_button(&format!("{}/settings/labels/{}/delete", chrome.base, l.id), chrome.csrf, "Delete", "small danger", Some("Delete this label? Records just lose it.")))
                } } }
            }
            section.panel aria-labelledby="newl-h" {
                h2 #newl-h { "Add a label" }
                form.row method="post" action={(chrome.base) "/settings/labels"} {
                    (csrf(chrome.csrf))
                    (Field::new("Name", "name").value(typed.0).required().render(errors))
                    div.field {
                        label for="f-color" { "Colour" }
                        select #f-color name="color" { @for (name, hex) in LABEL_COLORS { option value=(hex) selected[*hex == typed.1] { (name) } } }
                    }
                    button.primary type="submit" { "Add label" }
                }
            }
        },
    )
}

pub fn fields(chrome: &Chrome, list: &[CustomField], errors: &[FieldError]) -> Markup {
    let general = (!errors.is_empty()).then_some("Please correct the fields marked below.");
    settings_page(
        chrome,
        Tab::Fields,
        "Custom fields",
        html! {
            @for entity in [Entity::Contact, Entity::Company, Entity::Deal] {
                section.panel {
                    h2 { (entity.label()) }
                    @let own: Vec<&CustomField> = list.iter().filter(|f| f.entity == entity).collect();
                    @if own.is_empty() { p.muted { "No custom fields." } }
                    ul.plain { @for f in own { li {
                        strong { (f.label) } " " code { (f.key) } " · " (f.kind.as_str())
                        @if !f.options.is_empty() { " (" (f.options.join(", ")) ")" }
                        @if f.required { " · required" } " "
                        (post_button(&format!("{}/settings/fields/{}/delete", chrome.base, f.id), chrome.csrf, "Delete", "small danger", Some("Delete this field and its values on every record?")))
                    } } }
                }
            }
            section.panel aria-labelledby="newf-h" {
                h2 #newf-h { "Add a custom field" }
                (form_error(general))
                form method="post" action={(chrome.base) "/settings/fields"} {
                    (csrf(chrome.csrf))
                    div.grid2 {
                        div.field { label for="f-entity" { "For" } select #f-entity name="entity" {
                            @for e in [Entity::Contact, Entity::Company, Entity::Deal] { option value=(e.singular()) { (e.label()) } } } }
                        (Field::new("Label", "label").required().render(errors))
                        (Field::new("Key", "key").hint("For the API, e.g. contract_end").required().render(errors))
                        div.field { label for="f-kind" { "Type" } select #f-kind name="kind" {
                            @for k in CustomKind::ALL { option value=(k.as_str()) { (k.as_str()) } } } }
                        div.field.invalid[error_for(errors, "options").is_some()] {
                            label for="f-options" { "Options (select only)" }
                            input #f-options type="text" name="options" placeholder="gold, silver, bronze";
                            @if let Some(m) = error_for(errors, "options") { p.error { "Options " (m) } }
                        }
                        div.check-field { input #f-required type="checkbox" name="required" value="1"; label for="f-required" { "Required" } }
                    }
                    button.primary type="submit" { "Add field" }
                }
            }
        },
    )
}
