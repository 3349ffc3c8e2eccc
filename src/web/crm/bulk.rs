//! The bulk form of the list pages.

use crate::app::bulk::BulkAction;
use crate::app::records::TRASH_DAYS;
use crate::domain::crm::Entity;
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
            return Ok(ctx.redirect(&list, Some(Flash::error(refused.in_words()))));
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
            let flash = match outcome.failed.first() {
                None => Flash::success(format!(
                    "Done for {} {}.",
                    outcome.done,
                    if outcome.done == 1 {
                        entity.singular()
                    } else {
                        entity.table()
                    }
                )),
                Some((id, why)) => Flash::error(format!(
                    "Done for {}; {} refused (#{id}: {why}).",
                    outcome.done,
                    outcome.failed.len()
                )),
            };
            Ok(ctx.redirect(&list, Some(flash)))
        }
        Err(e @ Error::Invalid { .. }) => Ok(ctx.redirect(&list, Some(Flash::error(e.in_words())))),
        Err(e) => Err(e),
    }
}
