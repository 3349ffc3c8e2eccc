//! The inbox's pages: `inbox` (a queue), `conversations/{id}` (a conversation and the forms it
//! posts), `notifications` (the bell), and the inbox settings (`settings`). Every form works
//! without JavaScript; a refusal comes back as the page's message, in words.

mod files;
mod settings;

use crate::domain::capability::Capability;
use crate::domain::ids::{ConversationId, ConversationMessageId, LabelId, UserId};
use crate::domain::inbox::{ListFilter, Priority, Queue, Status};
use crate::error::{Error, Result};
use crate::views::inbox::conversation::{ContactPanel, ConversationView};
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

/// The routes the inbox answers; `None` for any other path.
pub fn route(ctx: &mut Ctx, method: &str, rest: &[&str]) -> Option<Result<Response>> {
    if !matches!(
        rest.first(),
        Some(&("inbox" | "notifications" | "conversations"))
    ) {
        return None;
    }
    if let Err(e) = ctx.tenant.require(Capability::Inbox) {
        return Some(Err(e));
    }
    let id = |raw: &str| raw.parse::<i64>().map_err(|_| Error::NotFound);
    Some(match (method, rest) {
        ("GET", ["inbox"]) => list(ctx),
        ("GET", ["notifications"]) => notifications(ctx),
        (_, ["inbox", "settings", more @ ..]) => settings::route(ctx, method, more),
        ("GET", ["conversations", n]) => id(n).and_then(|n| {
            let flash = ctx.flash.take();
            show(ctx, ConversationId(n), None, flash)
        }),
        ("GET", ["conversations", n, "messages", m, "raw"]) => id(n)
            .and_then(|n| id(m).map(|m| (n, m)))
            .and_then(|(n, m)| files::raw(ctx, ConversationId(n), ConversationMessageId(m))),
        ("GET", ["conversations", n, "messages", m, "attachments", k]) => id(n)
            .and_then(|n| Ok((n, id(m)?, id(k)?)))
            .and_then(|(n, m, k)| {
                files::attachment(ctx, ConversationId(n), ConversationMessageId(m), k)
            }),
        ("POST", ["conversations", n, what]) => {
            id(n).and_then(|n| form(ctx, ConversationId(n), what))
        }
        _ => Err(Error::NotFound),
    })
}

/// A list's filter from a query's values (`get` answers "" for a missing one): `queue`
/// (default `all`), `status` (`open`), `priority`, `label`; from the start, 25 rows.
pub fn read_filter(get: impl Fn(&str) -> String) -> Result<ListFilter> {
    let queue = match get("queue").as_str() {
        "" => Queue::All,
        q => Queue::parse(q).ok_or_else(|| Error::field("queue", "is not a queue"))?,
    };
    let status = match get("status").as_str() {
        "" => Status::Open,
        s => Status::parse(s).ok_or_else(|| Error::field("status", "is not a status"))?,
    };
    let priority = match get("priority").as_str() {
        "" => None,
        p => Some(Priority::parse(p).ok_or_else(|| Error::field("priority", "is not a priority"))?),
    };
    let label = match get("label").as_str() {
        "" => None,
        l => Some(LabelId(
            l.parse()
                .map_err(|_| Error::field("label", "is not a label"))?,
        )),
    };
    Ok(ListFilter {
        queue,
        status,
        priority,
        label,
        after: None,
        limit: 25,
    })
}

/// A page's filter from the page's address: the list's, and the row it starts after
/// (`after` and `key`).
fn filter(ctx: &Ctx) -> Result<ListFilter> {
    let get = |k: &str| ctx.req.get_param(k).unwrap_or_default();
    let mut f = read_filter(get)?;
    f.after = match (get("after").as_str(), get("key")) {
        ("", _) => None,
        (n, key) => Some((
            key,
            ConversationId(
                n.parse()
                    .map_err(|_| Error::field("after", "is not a place in this list"))?,
            ),
        )),
    };
    Ok(f)
}

fn list(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let f = filter(ctx)?;
    let page = ctx.app.conversation_list(&ctx.tenant, &user, &f)?;
    let counts = ctx.app.queue_counts(&ctx.tenant, &user, f.status)?;
    let names = ctx.app.conversation_names(&ctx.tenant, &page.rows)?;
    let labels = crate::app::read::settings::labels(&ctx.tenant)?;
    let view = crate::views::inbox::ListView {
        filter: &f,
        page: &page,
        counts: &counts,
        names: &names,
        labels: &labels,
    };
    Ok(respond::html(crate::views::inbox::list(
        &ctx.chrome(Section::Inbox),
        &view,
    )))
}

fn notifications(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let (all, _) = ctx.app.notifications(&ctx.tenant, &user)?;
    Ok(respond::html(
        crate::views::inbox::notifications::notifications(
            &ctx.chrome(Section::Notifications),
            &all,
        ),
    ))
}

/// The conversation page; `draft` is the reply editor's text when the page answers a reply
/// that was held back (or a canned reply inserted without script).
fn show(
    ctx: &mut Ctx,
    id: ConversationId,
    draft: Option<String>,
    flash: Option<Flash>,
) -> Result<Response> {
    let user = ctx.user()?.clone();
    let (c, messages) = ctx.app.conversation(&ctx.tenant, id)?;
    ctx.app.seen_conversation(&ctx.tenant, &user, id)?;
    let names = ctx
        .app
        .conversation_names(&ctx.tenant, std::slice::from_ref(&c))?;
    let labels = ctx.app.conversation_labels(&ctx.tenant, id)?;
    let all_labels = crate::app::read::settings::labels(&ctx.tenant)?;
    let people = ctx.app.inbox_people(&ctx.tenant)?;
    let teams = ctx.app.teams(&ctx.tenant)?;
    let canned = ctx.app.canned_replies_for(&ctx.tenant, &user, id)?;
    let contact = match c.contact_id {
        Some(cid) => match crate::app::read::records::show(
            &ctx.tenant,
            crate::domain::crm::Entity::Contact,
            cid.0,
            0,
        ) {
            Ok(data) => Some(data),
            Err(Error::NotFound) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let others = ctx.app.presence.tell(
        (ctx.tenant.slug(), id),
        (user.id, user.display_name(), false),
        ctx.app.now(),
    );
    let show_images = ctx.req.get_param("images").as_deref() == Some("1");
    let draft = draft.unwrap_or_default();
    let view = ConversationView {
        c: &c,
        messages: &messages,
        names: &names,
        labels: &labels,
        all_labels: &all_labels,
        people: &people,
        teams: &teams,
        contact: contact.as_ref().map(|d| ContactPanel {
            record: &d.record,
            deals: &d.deals.records,
            tasks: &d.open_tasks.records,
            timeline: &d.timeline,
            names: &d.names,
        }),
        canned: &canned,
        draft: &draft,
        show_images,
        others: &others,
        last_seen: messages.last().map_or(0, |m| m.id.0),
    };
    let mut chrome = ctx.chrome(Section::Inbox);
    chrome.flash = flash.as_ref();
    let page = respond::html(crate::views::inbox::conversation::conversation(
        &chrome, &view,
    ));
    Ok(match show_images {
        true => respond::allowing_remote_images(page),
        false => page,
    })
}

/// The forms a conversation page posts.
fn form(ctx: &mut Ctx, id: ConversationId, what: &str) -> Result<Response> {
    let user = ctx.user()?.clone();
    let here = format!("conversations/{id}");
    let w = ctx.w();
    let get = |k: &str| ctx.form.get(k).to_string();
    let outcome: Result<String> = match what {
        "reply" => return reply(ctx, id),
        "presence" => return presence(ctx, id),
        "note" => ctx
            .app
            .add_note(&ctx.tenant, &user, id, &get("text"))
            .map(|()| w.inbox_noted.to_string()),
        "status" => status(ctx, id).map(|()| w.inbox_updated.to_string()),
        "assign" => optional_id(&get("assignee"), "assignee", "is not a person here")
            .and_then(|to| {
                let to = to.map(UserId);
                ctx.app.assign_conversation(&ctx.tenant, &user, id, to)
            })
            .map(|()| w.inbox_updated.to_string()),
        "team" => optional_id(&get("team"), "team", "is not a team here")
            .and_then(|team| {
                let team = team.map(crate::domain::ids::TeamId);
                ctx.app.set_conversation_team(&ctx.tenant, &user, id, team)
            })
            .map(|()| w.inbox_updated.to_string()),
        "priority" => Priority::parse(&get("priority"))
            .ok_or_else(|| Error::field("priority", "is not a priority"))
            .and_then(|p| ctx.app.set_conversation_priority(&ctx.tenant, &user, id, p))
            .map(|()| w.inbox_updated.to_string()),
        "labels" => get("label")
            .parse()
            .map_err(|_| Error::field("label", "is not a label here"))
            .and_then(|l| {
                let on = get("on") == "1";
                ctx.app
                    .label_conversation(&ctx.tenant, &user, id, (LabelId(l), on))
            })
            .map(|()| w.inbox_updated.to_string()),
        "merge" => {
            let into = get("into");
            let n = into
                .trim()
                .trim_start_matches('#')
                .parse()
                .map_err(|_| Error::field("into", "must be a conversation number, like 123"));
            match n.and_then(|n| ctx.app.merge_conversations(&ctx.tenant, &user, id, n)) {
                Ok(target) => {
                    let done = Flash::success(w.inbox_merged);
                    return Ok(ctx.redirect(&format!("conversations/{target}"), Some(done)));
                }
                Err(e) => Err(e),
            }
        }
        "restore" => match ctx.app.restore_conversation(&ctx.tenant, &user, id) {
            Ok(()) => {
                let done = Flash::success(w.inbox_restored);
                return Ok(ctx.redirect(&here, Some(done)));
            }
            Err(e) => Err(e),
        },
        "delete" => match ctx.app.trash_conversation(&ctx.tenant, &user, id) {
            Ok(()) => {
                let done = Flash::success(w.inbox_trashed);
                return Ok(ctx.redirect("inbox", Some(done)));
            }
            Err(e) => Err(e),
        },
        _ => return Err(Error::NotFound),
    };
    ctx.back(&here, outcome)
}

/// An id a select box posts: none when empty, else a number (refused in words otherwise).
fn optional_id(text: &str, field: &str, refusal: &str) -> Result<Option<i64>> {
    match text {
        "" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| Error::field(field, refusal)),
    }
}

/// `POST …/status`: a status, or `snoozed` with the local time it opens again (`until`).
fn status(ctx: &mut Ctx, id: ConversationId) -> Result<()> {
    let user = ctx.user()?.clone();
    let status = Status::parse(ctx.form.get("status"))
        .ok_or_else(|| Error::field("status", "is not a status"))?;
    let until = match status {
        Status::Snoozed => {
            let typed = crate::domain::local_time::from_input(ctx.form.get("until"), ctx.zone());
            Some(
                crate::clock::parse_stamp(&typed)
                    .ok_or_else(|| Error::field("until", "must be a date and time"))?,
            )
        }
        _ => None,
    };
    ctx.app
        .set_conversation_status(&ctx.tenant, &user, id, (status, until))
}

/// `POST …/reply`: sends the reply, unless a message came in after the page was made (then
/// the page comes back with the reply kept, to read the new message first). With `insert`,
/// the chosen canned reply is added to the text instead (the path without script).
fn reply(ctx: &mut Ctx, id: ConversationId) -> Result<Response> {
    let user = ctx.user()?.clone();
    let text = ctx.form.get("text").to_string();
    let w = ctx.w();
    if ctx.form.has("insert") {
        let canned = ctx.form.get("canned").to_string();
        let draft = match ctx.app.canned_reply_for(&ctx.tenant, &user, id, &canned) {
            Ok(body) if text.trim().is_empty() => body,
            Ok(body) => format!("{}\n\n{body}", text.trim_end()),
            Err(e @ Error::Invalid { .. }) => {
                let flash = Flash::error(w.error(&e, None));
                return show(ctx, id, Some(text), Some(flash));
            }
            Err(e) => return Err(e),
        };
        return show(ctx, id, Some(draft), None);
    }
    // The page says what it showed; a post without it (not from the page) is not guarded.
    let seen = ctx
        .form
        .get("last_seen")
        .parse()
        .ok()
        .map(ConversationMessageId);
    match ctx.app.reply(&ctx.tenant, &user, (id, seen), &text) {
        Ok(None) => {
            let flash = Flash::error(w.inbox_newer_came_in);
            show(ctx, id, Some(text), Some(flash))
        }
        Ok(Some(_)) => Ok(ctx.redirect(
            &format!("conversations/{id}"),
            Some(Flash::success(w.inbox_sent)),
        )),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let flash = Flash::error(w.error(&e, None));
            show(ctx, id, Some(text), Some(flash))
        }
        Err(e) => Err(e),
    }
}

/// `POST …/presence` (from the page's script, every few seconds): who else has it open and
/// whether they type, and the newest message's id, as JSON.
fn presence(ctx: &mut Ctx, id: ConversationId) -> Result<Response> {
    let user = ctx.user()?.clone();
    let typing = ctx.form.get("typing") == "1";
    let (_, messages) = ctx.app.conversation(&ctx.tenant, id)?;
    let others = ctx.app.presence.tell(
        (ctx.tenant.slug(), id),
        (user.id, user.display_name(), typing),
        ctx.app.now(),
    );
    let w = ctx.w();
    let lines: Vec<String> = others
        .iter()
        .map(|(name, typing)| {
            let text = if *typing {
                w.inbox_other_typing
            } else {
                w.inbox_other_viewing
            };
            crate::domain::words::fill(text, &[("name", name)])
        })
        .collect();
    let newest_in = messages
        .iter()
        .filter(|m| m.direction == "in")
        .map(|m| m.id.0)
        .max()
        .unwrap_or(0);
    Ok(respond::json(
        &serde_json::json!({"others": lines, "newest_in": newest_in}),
    ))
}
