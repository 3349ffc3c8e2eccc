//! The deal board: a column per stage with its count and total; cards move by drag and drop
//! or from the keyboard (JS, `assets/app.js`) or by each card's own "move to" form (without
//! JS, and what the JS posts).

use super::{Names, record_href};
use crate::domain::pipeline::Pipeline;
use crate::domain::record::Record;
use crate::views::components::csrf;
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

pub struct Column<'a> {
    pub stage: &'a crate::domain::pipeline::Stage,
    pub cards: Vec<&'a Record>,
    pub count: i64,
    /// Total per currency.
    pub totals: Vec<(String, i64)>,
}

pub struct BoardPage<'a> {
    pub pipelines: &'a [(Pipeline, i64)],
    pub current: &'a Pipeline,
    pub columns: Vec<Column<'a>>,
    pub names: &'a Names,
    /// Whose deals the board may show, and whose it shows (`me`, an id, or everyone's: "").
    pub owners: &'a [(i64, String)],
    pub owner: &'a str,
}

fn totals(list: &[(String, i64)]) -> String {
    if list.is_empty() {
        return "0".into();
    }
    list.iter()
        .map(|(c, a)| crate::domain::format::money(*a, c))
        .collect::<Vec<_>>()
        .join(" + ")
}

pub fn board(chrome: &Chrome, m: &BoardPage) -> Markup {
    let base = &chrome.base;
    page(
        chrome,
        "Deal board",
        html! {
            div.page-head {
                h1 { "Deals: " (m.current.name) }
                div.actions {
                    a.button href={(base) "/deals"} { "List" }
                    a.button.primary href={(base) "/deals/new?pipeline_id=" (m.current.id)} { "New deal" }
                }
            }
            nav.tabs aria-label="Pipelines" {
                @for (p, open) in m.pipelines {
                    a href={(base) "/deals/board?pipeline=" (p.id)} aria-current=[(p.id == m.current.id).then_some("page")] { (p.name) " " span.count { (open) } }
                }
            }
            form.period.board-owner method="get" action={(base) "/deals/board"} {
                input type="hidden" name="pipeline" value=(m.current.id);
                label for="board-owner" { "Deals of" }
                select #board-owner name="owner" {
                    option value="" selected[m.owner.is_empty()] { "everyone" }
                    option value="me" selected[m.owner == "me"] { "me" }
                    @for (id, name) in m.owners { option value=(id) selected[m.owner == id.to_string()] { (name) } }
                }
                button type="submit" { "Show" }
            }
            p #board-keys hidden { "To move this deal, press Space, choose a stage with the arrow keys, then press Space again; Escape cancels." }
            p #board-status .visually-hidden role="status" aria-live="polite" {}
            (lost_dialog())
            // On a phone the board shows a column at a time: these jump between them.
            nav.stage-switch aria-label="Stages" {
                @for col in &m.columns { a href={"#column-" (col.stage.id)} { (col.stage.name) } }
            }
            div.board data-csrf=(chrome.csrf) {
                @for col in &m.columns {
                    @if col.stage.kind != "open" { (drop_zone(base, col)) } @else {
                    section.column id={"column-" (col.stage.id)} data-stage=(col.stage.id) data-kind=(col.stage.kind) aria-labelledby={"stage-" (col.stage.id)} {
                        header {
                            h2 id={"stage-" (col.stage.id)} { (col.stage.name) }
                            p.muted { (col.count) " · " (totals(&col.totals)) }
                        }
                        ol.cards {
                            @for d in &col.cards {
                                li.card draggable="true" data-deal=(d.id) {
                                    a href=(record_href(base, crate::domain::crm::Entity::Deal, d.id)) { strong { (d.title()) } }
                                    p.muted { (super::amount(d))
                                        @if let Some(c) = d.int("contact_id") { " · " (m.names.record(crate::domain::crm::Entity::Contact, c)) } }
                                    form.move method="post" action={(base) "/deals/" (d.id) "/stage"} {
                                        (csrf(chrome.csrf))
                                        input type="hidden" name="return_to" value={(base) "/deals/board?pipeline=" (m.current.id) @if !m.owner.is_empty() { "&owner=" (m.owner) }};
                                        label.visually-hidden for={"move-" (d.id)} { "Move " (d.title()) " to" }
                                        select id={"move-" (d.id)} name="stage_id" {
                                            @for s in &m.current.stages { option value=(s.id) selected[s.id == col.stage.id] { (s.name) } }
                                        }
                                        label.visually-hidden for={"why-" (d.id)} { "Reason, if lost" }
                                        input id={"why-" (d.id)} type="text" name="lost_reason" placeholder="Reason if lost";
                                        button.small type="submit" { "Move" }
                                    }
                                }
                            }
                            @if col.count > col.cards.len() as i64 {
                                li.more.muted { (col.count - col.cards.len() as i64) " more in the " a href={(base) "/deals?stage_id=" (col.stage.id)} { "list" } }
                            }
                        }
                    }
                    }
                }
            }
        },
    )
}

/// What a move to a lost stage asks first (with JS; the Move form has its own field).
fn lost_dialog() -> Markup {
    html! {
        dialog #lost-dialog aria-labelledby="lost-title" {
            form method="dialog" {
                h2 #lost-title { "Why was this deal lost?" }
                label for="lost-reason" { "Reason lost" }
                input #lost-reason type="text" name="lost_reason" autocomplete="off";
                // Move first: Enter in the field chooses it (the CSS shows it last).
                div.actions {
                    button.primary value="move" { "Move" }
                    button value="cancel" formnovalidate { "Cancel" }
                }
            }
        }
    }
}

/// A won or lost stage: a place to drop a deal, with its count and total, its deals in the list.
fn drop_zone(base: &str, col: &Column) -> Markup {
    html! {
        section.column.zone id={"column-" (col.stage.id)} data-stage=(col.stage.id) data-kind=(col.stage.kind) aria-labelledby={"stage-" (col.stage.id)} {
            header {
                h2 id={"stage-" (col.stage.id)} { (col.stage.name) }
                p.muted { (col.count) " · " (totals(&col.totals)) }
            }
            p.muted.small { "Drop a deal here, or use its Move form." }
            p { a href={(base) "/deals?stage_id=" (col.stage.id)} { "All " (col.count) " in the list" } }
            ol.cards {}
        }
    }
}
