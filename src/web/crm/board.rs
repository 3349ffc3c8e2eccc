//! The deal board and moving a deal to another stage.

use super::names;
use crate::app::records::Input;
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::store::crm::records::{self, Filter, ListQuery, Record};
use crate::store::crm::{pipelines, totals};
use crate::views::crm::board::{BoardPage, Column, board as board_view};
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::crm::return_to;
use crate::web::respond;
use rouille::Response;

/// Cards shown per column; the rest are counted and reachable through the list.
const CARDS_PER_COLUMN: i64 = 20;

pub fn board(ctx: &mut Ctx) -> Result<Response> {
    ctx.user()?;
    ctx.tenant.require_entity(Entity::Deal)?;
    let conn = ctx.tenant.db.conn()?;
    let all = pipelines::list(&conn)?;
    let wanted = ctx
        .req
        .get_param("pipeline")
        .and_then(|p| p.parse::<i64>().ok());
    let current = match wanted {
        Some(id) => all.iter().find(|p| p.id == id).ok_or(Error::NotFound)?,
        None => all.first().ok_or(Error::NotFound)?,
    };
    let counts = totals::open_by_pipeline(&conn)?;
    let switcher: Vec<(pipelines::Pipeline, i64)> = all
        .iter()
        .map(|p| {
            (
                p.clone(),
                counts
                    .iter()
                    .find(|(id, _)| *id == p.id)
                    .map_or(0, |(_, n)| *n),
            )
        })
        .collect();
    let totals = totals::by_stage(&conn, current.id)?;
    let mut cards: Vec<(i64, Vec<Record>)> = Vec::new();
    for stage in &current.stages {
        let mut q = ListQuery::new(CARDS_PER_COLUMN, 0);
        q.filters.push(Filter::Eq("stage_id", stage.id.into()));
        q.sort = ("updated_at".into(), true);
        cards.push((stage.id, records::page_only(&conn, Entity::Deal, &q)?));
    }
    let every: Vec<&Record> = cards.iter().flat_map(|(_, c)| c).collect();
    let names = names(&conn, &every)?;
    drop(conn);
    let columns = current
        .stages
        .iter()
        .zip(&cards)
        .map(|(stage, (_, deals))| Column {
            stage,
            cards: deals.iter().collect(),
            count: totals.iter().filter(|t| t.0 == stage.id).map(|t| t.2).sum(),
            totals: totals
                .iter()
                .filter(|t| t.0 == stage.id)
                .map(|t| (t.1.clone(), t.3))
                .collect(),
        })
        .collect();
    let page = BoardPage {
        pipelines: &switcher,
        current,
        columns,
        names: &names,
    };
    Ok(respond::html(board_view(
        &ctx.chrome(Section::Record(Entity::Deal)),
        &page,
    )))
}

/// From the board (drag and drop or the card's form) or the deal's stage bar.
pub fn move_stage(ctx: &mut Ctx, id: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let mut input = Input::field("stage_id", ctx.form.get("stage_id"));
    if !ctx.form.get("lost_reason").trim().is_empty() {
        input
            .fields
            .insert("lost_reason".into(), ctx.form.get("lost_reason").into());
    }
    let back = return_to(ctx, &format!("deals/{id}"));
    match ctx
        .app
        .save_record(&ctx.tenant, &user, Entity::Deal, Some(id), input)
    {
        Ok(deal) => {
            let stage = deal.int("stage_id").and_then(|s| {
                pipelines::stage_by_id(&*ctx.tenant.db.conn().ok()?, s)
                    .ok()
                    .flatten()
            });
            let message = format!(
                "{} is now in {}.",
                deal.title(),
                stage.map_or("its new stage".into(), |s| s.name)
            );
            Ok(ctx.redirect(&back, Some(Flash::success(message))))
        }
        Err(Error::Invalid { message, .. }) => Ok(ctx.redirect(&back, Some(Flash::error(message)))),
        Err(e) => Err(e),
    }
}
