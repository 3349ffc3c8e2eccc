//! The bulk form of the list pages.

use crate::app::bulk::BulkAction;
use crate::app::records::TRASH_DAYS;
use crate::domain::crm::Entity;
use crate::domain::words::fill;
use crate::error::{Error, Result};
use crate::views::crm::trash::confirm_trash;
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

pub fn apply(ctx: &mut Ctx, entity: Entity) -> Result<Response> {
    let user = ctx.user()?.clone();
    let ids = ctx
        .form
        .all("ids")
        .into_iter()
        .map(|s| {
            s.parse::<i64>()
                .map_err(|_| Error::field("ids", "must be record ids"))
        })
        .collect::<Result<Vec<_>>>()?;
    let list = entity.table().to_string();
    let text = |name: &str| ctx.form.get(name).trim().to_string();
    let action = match ctx.form.get("action") {
        "export" => {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            return Ok(ctx.redirect(&format!("{list}/export.csv?ids={}", ids.join(",")), None));
        }
        "trash" => BulkAction::Trash,
        "restore" => BulkAction::Restore,
        "owner" => BulkAction::AssignOwner(text("owner_id").parse().ok()),
        "add_label" | "remove_label" if text("label").is_empty() => {
            return Err(Error::field("label", "choose a label"));
        }
        "add_label" => BulkAction::AddLabel(text("label")),
        "remove_label" => BulkAction::RemoveLabel(text("label")),
        "stage" => {
            let stage = text("stage_id")
                .parse()
                .map_err(|_| Error::field("stage_id", "choose a stage"))?;
            let reason = Some(text("lost_reason")).filter(|r| !r.is_empty());
            BulkAction::MoveStage(stage, reason)
        }
        _ => {
            let refused = Error::refused("Choose what to do with the selected records.");
            return Ok(ctx.redirect(
                &list,
                Some(Flash::error(ctx.w().error(&refused, Some(entity)))),
            ));
        }
    };
    // Moving to the trash is asked once more, with the count, on a page of its own.
    if action == BulkAction::Trash && !ids.is_empty() && ctx.form.get("confirmed") != "yes" {
        let page = confirm_trash(
            &ctx.chrome(Section::Record(entity)),
            entity,
            &ids,
            TRASH_DAYS,
        );
        return Ok(respond::html(page));
    }
    match ctx.app.bulk(&ctx.tenant, &user, entity, &ids, &action) {
        // The list then offers to undo it, for the records that went.
        Ok(outcome) if action == BulkAction::Trash && outcome.failed.is_empty() => {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            Ok(ctx.redirect(&format!("{list}?trashed={}", ids.join(",")), None))
        }
        Ok(outcome) => {
            let flash = outcome_flash(ctx.w(), entity, &outcome);
            Ok(ctx.redirect(&list, Some(flash)))
        }
        Err(e @ Error::Invalid { .. }) => {
            Ok(ctx.redirect(&list, Some(Flash::error(ctx.w().error(&e, Some(entity))))))
        }
        Err(e) => Err(e),
    }
}

/// What a bulk change did, in words: how many it was done for, and the first refusal.
fn outcome_flash(
    w: &crate::domain::words::Words,
    entity: Entity,
    outcome: &crate::app::bulk::BulkOutcome,
) -> Flash {
    let n = outcome.done.to_string();
    match outcome.failed.first() {
        None => {
            let kind = if outcome.done == 1 {
                w.record(entity).to_string()
            } else {
                w.records(entity).to_lowercase()
            };
            Flash::success(fill(w.done_for, &[("n", &n), ("kind", &kind)]))
        }
        Some((id, why)) => Flash::error(fill(
            w.done_for_refused,
            &[
                ("n", &n),
                ("refused", &outcome.failed.len().to_string()),
                ("id", &id.to_string()),
                ("why", &w.said(why)),
            ],
        )),
    }
}
