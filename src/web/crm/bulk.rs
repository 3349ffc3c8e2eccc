//! The bulk form of the list pages.

use crate::app::bulk::{BulkAction, MAX_IDS};
use crate::app::read::records as read;
use crate::app::records::TRASH_DAYS;
use crate::domain::crm::Entity;
use crate::domain::words::fill;
use crate::error::{Error, Result};
use crate::views::crm::trash::confirm_trash;
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

/// An undo link names the records in the list's address; beyond this many the flash points
/// to the trash instead.
const UNDO_IDS: usize = 100;

/// The records a bulk change is for: the ticked ones, or (with `all=1`) every record the
/// list's query matches (`query`, as in the list's address), at most `MAX_IDS` of them.
fn chosen_ids(ctx: &Ctx, entity: Entity) -> Result<Vec<i64>> {
    if ctx.form.get("all") != "1" {
        return ctx
            .form
            .all("ids")
            .into_iter()
            .map(|s| {
                s.parse::<i64>()
                    .map_err(|_| Error::field("ids", "must be record ids"))
            })
            .collect();
    }
    let params: Vec<(String, String)> = form_urlencoded::parse(ctx.form.get("query").as_bytes())
        .into_owned()
        .filter(|(k, _)| !matches!(k.as_str(), "limit" | "cursor" | "trashed"))
        .collect();
    let mut query = ctx.list_query(entity, &params)?;
    query.limit = MAX_IDS as i64 + 1;
    let ids = read::matching_ids(&ctx.tenant, entity, &query)?;
    if ids.len() > MAX_IDS {
        return Err(Error::refused(fill(
            crate::domain::words::Lang::En.words().msg_too_many_matching,
            &[("max", &MAX_IDS.to_string())],
        )));
    }
    Ok(ids)
}

pub fn apply(ctx: &mut Ctx, entity: Entity) -> Result<Response> {
    let user = ctx.user()?.clone();
    let list = entity.table().to_string();
    if ctx.form.get("action") == "export" && ctx.form.get("all") == "1" {
        return Ok(export_all(ctx, &list));
    }
    let ids = match chosen_ids(ctx, entity) {
        Ok(ids) => ids,
        Err(e @ Error::Invalid { .. }) => {
            let flash = Flash::error(ctx.w().error(&e, Some(entity)));
            return Ok(ctx.redirect(&list, Some(flash)));
        }
        Err(e) => return Err(e),
    };
    if ctx.form.get("action") == "export" {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        return Ok(ctx.redirect(&format!("{list}/export.csv?ids={}", ids.join(",")), None));
    }
    let Some(action) = action_of(ctx)? else {
        let refused = Error::refused("Choose what to do with the selected records.");
        let flash = Flash::error(ctx.w().error(&refused, Some(entity)));
        return Ok(ctx.redirect(&list, Some(flash)));
    };
    // Moving to the trash is asked once more, with the count, on a page of its own.
    if action == BulkAction::Trash && !ids.is_empty() && ctx.form.get("confirmed") != "yes" {
        let chrome = ctx.chrome(Section::Record(entity));
        return Ok(respond::html(confirm_trash(
            &chrome, entity, &ids, TRASH_DAYS,
        )));
    }
    match ctx.app.bulk(&ctx.tenant, &user, entity, &ids, &action) {
        // The list then offers to undo it, for the records that went.
        Ok(outcome)
            if action == BulkAction::Trash
                && outcome.failed.is_empty()
                && ids.len() <= UNDO_IDS =>
        {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            Ok(ctx.redirect(&format!("{list}?trashed={}", ids.join(",")), None))
        }
        Ok(outcome) => {
            let trashed = action == BulkAction::Trash;
            let flash = outcome_flash(ctx.lang(), entity, &outcome, trashed);
            Ok(ctx.redirect(&list, Some(flash)))
        }
        Err(e @ Error::Invalid { .. }) => {
            Ok(ctx.redirect(&list, Some(Flash::error(ctx.w().error(&e, Some(entity))))))
        }
        Err(e) => Err(e),
    }
}

/// A download of all that match is the list's own download, with the list's query (read and
/// written again, so nothing but its pairs reaches the address).
fn export_all(ctx: &mut Ctx, list: &str) -> Response {
    let query: Vec<String> = form_urlencoded::parse(ctx.form.get("query").as_bytes())
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::domain::url::encode(&k),
                crate::domain::url::encode(&v)
            )
        })
        .collect();
    ctx.redirect(&format!("{list}/export.csv?{}", query.join("&")), None)
}

/// The change the form asks for; `None` when it chose none.
fn action_of(ctx: &Ctx) -> Result<Option<BulkAction>> {
    let text = |name: &str| ctx.form.get(name).trim().to_string();
    Ok(Some(match ctx.form.get("action") {
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
        _ => return Ok(None),
    }))
}

/// What a bulk change did, in words: how many it was done for (and, for the trash, where to
/// restore them), and the first refusal.
fn outcome_flash(
    lang: crate::domain::words::Lang,
    entity: Entity,
    outcome: &crate::app::bulk::BulkOutcome,
    trashed: bool,
) -> Flash {
    let w = lang.words();
    let n = crate::domain::format::count(lang, outcome.done as i64);
    let kinds = w.records(entity).to_lowercase();
    match outcome.failed.first() {
        None if trashed => Flash::success(fill(
            w.moved_many_to_trash,
            &[
                ("n", &n),
                ("kinds", &kinds),
                ("days", &TRASH_DAYS.to_string()),
            ],
        )),
        None => {
            let kind = if outcome.done == 1 {
                w.record(entity).to_string()
            } else {
                kinds
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
