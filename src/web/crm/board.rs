//! The deal board and moving a deal to another stage.

use crate::app::read::board as read;
use crate::app::records::Input;
use crate::domain::crm::Entity;
use crate::domain::ids::{PipelineId, UserId};
use crate::domain::words::fill;
use crate::error::{Error, Result};
use crate::views::crm::board::{BoardPage, Column, board as board_view};
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::crm::return_to;
use crate::web::respond;
use rouille::Response;

/// Cards shown per column; the rest are counted and reachable through the list.
const CARDS_PER_COLUMN: i64 = 20;

pub fn board(ctx: &mut Ctx) -> Result<Response> {
    let me = ctx.user()?.id;
    ctx.tenant.require_entity(Entity::Deal)?;
    let wanted = ctx
        .req
        .get_param("pipeline")
        .and_then(|p| p.parse::<PipelineId>().ok());
    // `owner=me` is the signed-in user's deals, `owner=<id>` someone's, nothing everyone's.
    let owner_param = ctx.req.get_param("owner").unwrap_or_default();
    let owner = match owner_param.as_str() {
        "" => None,
        "me" => Some(me),
        id => Some(
            id.parse::<UserId>()
                .map_err(|_| Error::field("owner", "is not a user of this workspace"))?,
        ),
    };
    let data = read::board(&ctx.tenant, wanted, owner, CARDS_PER_COLUMN)?;
    let columns = data
        .current
        .stages
        .iter()
        .zip(&data.columns)
        .map(|(stage, column)| Column {
            stage,
            cards: column.cards.iter().collect(),
            count: column.count,
            totals: column.totals.clone(),
        })
        .collect();
    let page = BoardPage {
        pipelines: &data.pipelines,
        current: &data.current,
        columns,
        names: &data.names,
        owners: &data.owners,
        owner: &owner_param,
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
            let stage = match deal.stage_id() {
                Some(s) => read::stage(&ctx.tenant, s)?,
                None => None,
            };
            let w = ctx.w();
            let stage = stage.map_or(w.its_new_stage.into(), |s| s.name);
            let message = fill(
                w.deal_now_in,
                &[("title", &deal.title()), ("stage", &stage)],
            );
            Ok(ctx.redirect(&back, Some(Flash::success(message))))
        }
        Err(e @ Error::Invalid { .. }) => {
            let message = ctx.w().error(&e, Some(Entity::Deal));
            Ok(ctx.redirect(&back, Some(Flash::error(message))))
        }
        Err(e) => Err(e),
    }
}
