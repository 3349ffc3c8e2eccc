//! The deal board: a column per stage with its count and total; cards move by drag and drop
//! or from the keyboard (JS, `assets/app.js`) or by each card's own "move to" form (without
//! JS, and what the JS posts).

use super::{Names, record_href};
use crate::domain::pipeline::Pipeline;
use crate::domain::record::Record;
use crate::domain::words::{Words, fill};
use crate::views::components::{csrf, icon};
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

fn totals(chrome: &Chrome, list: &[(String, i64)]) -> String {
    if list.is_empty() {
        return "0".into();
    }
    list.iter()
        .map(|(c, a)| chrome.money(*a, c))
        .collect::<Vec<_>>()
        .join(" + ")
}

pub fn board(chrome: &Chrome, m: &BoardPage) -> Markup {
    let base = &chrome.base;
    let w = chrome.w();
    page(
        chrome,
        w.deal_board,
        html! {
            div.page-head {
                h1 { (fill(w.deals_in, &[("pipeline", &m.current.name)])) }
                div.actions {
                    a.button href={(base) "/deals"} { (icon(chrome.assets, "list")) (w.list) }
                    a.button.primary href={(base) "/deals/new?pipeline_id=" (m.current.id)} { (icon(chrome.assets, "plus")) (w.new_deal) }
                }
            }
            nav.tabs aria-label=(w.pipelines) {
                @for (p, open) in m.pipelines {
                    a href={(base) "/deals/board?pipeline=" (p.id)} aria-current=[(p.id == m.current.id).then_some("page")] { (p.name) " " span.count { (chrome.count(*open)) } }
                }
            }
            form.period.board-owner method="get" action={(base) "/deals/board"} {
                input type="hidden" name="pipeline" value=(m.current.id);
                label for="board-owner" { (w.deals_of) }
                select #board-owner name="owner" {
                    option value="" selected[m.owner.is_empty()] { (w.everyone) }
                    option value="me" selected[m.owner == "me"] { (w.me) }
                    @for (id, name) in m.owners { option value=(id) selected[m.owner == id.to_string()] { (name) } }
                }
                button type="submit" { (w.show) }
            }
            p #board-keys hidden { (w.board_keys) }
            p #board-status .visually-hidden role="status" aria-live="polite" {}
            (lost_dialog(w))
            // On a phone the board shows a column at a time: these jump between them.
            nav.stage-switch aria-label=(w.stages) {
                @for col in &m.columns { a href={"#column-" (col.stage.id)} { (col.stage.name) } }
            }
            div.board data-csrf=(chrome.csrf) {
                @for col in &m.columns {
                    @if col.stage.kind != "open" { (drop_zone(chrome, col)) } @else {
                    section.column id={"column-" (col.stage.id)} data-stage=(col.stage.id) data-kind=(col.stage.kind) aria-labelledby={"stage-" (col.stage.id)} {
                        header {
                            h2 id={"stage-" (col.stage.id)} { (col.stage.name) }
                            p.muted { (chrome.count(col.count)) " · " (totals(chrome, &col.totals)) }
                        }
                        ol.cards {
                            @for d in &col.cards {
                                li.card draggable="true" data-deal=(d.id) {
                                    a href=(record_href(base, crate::domain::crm::Entity::Deal, d.id)) { strong { (d.title()) } }
                                    p.muted { (super::amount(chrome, d))
                                        @if let Some(c) = d.int("contact_id") { " · " (m.names.record(crate::domain::crm::Entity::Contact, c)) } }
                                    form.move method="post" action={(base) "/deals/" (d.id) "/stage"} {
                                        (csrf(chrome.csrf))
                                        input type="hidden" name="return_to" value={(base) "/deals/board?pipeline=" (m.current.id) @if !m.owner.is_empty() { "&owner=" (m.owner) }};
                                        label.visually-hidden for={"move-" (d.id)} { (fill(w.move_to, &[("title", &d.title())])) }
                                        select id={"move-" (d.id)} name="stage_id" {
                                            @for s in &m.current.stages { option value=(s.id) selected[s.id == col.stage.id] { (s.name) } }
                                        }
                                        label.visually-hidden for={"why-" (d.id)} { (w.reason_if_lost) }
                                        input id={"why-" (d.id)} type="text" name="lost_reason" placeholder=(w.reason_if_lost_hint);
                                        button.small type="submit" { (w.move_deal) }
                                    }
                                }
                            }
                            @if col.count > col.cards.len() as i64 {
                                li.more.muted { (fill(w.more_in_list, &[("n", &chrome.count(col.count - col.cards.len() as i64))])) " " a href={(base) "/deals?stage_id=" (col.stage.id)} { (w.list_lower) } }
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
fn lost_dialog(w: &Words) -> Markup {
    html! {
        dialog #lost-dialog aria-labelledby="lost-title" {
            form method="dialog" {
                h2 #lost-title { (w.why_lost) }
                label for="lost-reason" { (w.deal_lost_reason) }
                input #lost-reason type="text" name="lost_reason" autocomplete="off";
                // Move first: Enter in the field chooses it (the CSS shows it last).
                div.actions {
                    button.primary value="move" { (w.move_deal) }
                    button value="cancel" formnovalidate { (w.cancel) }
                }
            }
        }
    }
}

/// A won or lost stage: a place to drop a deal, with its count and total, its deals in the list.
fn drop_zone(chrome: &Chrome, col: &Column) -> Markup {
    let (base, w) = (&chrome.base, chrome.w());
    let n = chrome.count(col.count);
    html! {
        section.column.zone id={"column-" (col.stage.id)} data-stage=(col.stage.id) data-kind=(col.stage.kind) aria-labelledby={"stage-" (col.stage.id)} {
            header {
                h2 id={"stage-" (col.stage.id)} { (col.stage.name) }
                p.muted { (n) " · " (totals(chrome, &col.totals)) }
            }
            p.muted.small { (w.drop_here) }
            p { a href={(base) "/deals?stage_id=" (col.stage.id)} { (fill(w.all_in_list, &[("n", &n)])) } }
            ol.cards {}
        }
    }
}
