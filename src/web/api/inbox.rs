//! `/inboxes` and `/conversations`: email inboxes with their fetch health, and the
//! conversations their mail made (404 while the workspace's `inbox` capability is off).

use super::catalog::{int, object, text};
use super::{ApiCtx, created, no_content, page};
use crate::app::inbox::InboxInput;
use crate::domain::ids::{ConversationId, InboxId, UserId};
use crate::domain::inbox::{Priority, Status};
use crate::domain::record::Total;
use crate::error::{Error, Result};
use crate::web::respond;
use rouille::Response;
use serde_json::Value;
use serde_json::json;

pub fn list_inboxes(ctx: &ApiCtx) -> Result<Response> {
    let all = ctx.app.inboxes(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

/// `POST /inboxes`: an email inbox fetched over IMAP with TLS.
pub fn create_inbox(ctx: &ApiCtx) -> Result<Response> {
    let body = object(
        ctx,
        &[
            "name",
            "address",
            "imap_host",
            "imap_port",
            "imap_user",
            "imap_password",
            "imap_mailbox",
            "imap_ca",
        ],
    )?;
    let port = int(&body, "imap_port")?.unwrap_or(993);
    let port =
        u16::try_from(port).map_err(|_| Error::field("imap_port", "must be from 1 to 65535"))?;
    let given =
        |key: &str| -> Result<String> { Ok(text(&body, key)?.unwrap_or_default().to_string()) };
    let input = InboxInput {
        name: given("name")?,
        address: given("address")?,
        imap_host: given("imap_host")?,
        imap_port: port,
        imap_user: given("imap_user")?,
        imap_password: given("imap_password")?,
        imap_mailbox: text(&body, "imap_mailbox")?.unwrap_or("INBOX").to_string(),
        imap_ca: text(&body, "imap_ca")?.map(str::to_string),
    };
    let id = ctx.app.create_inbox(ctx.tenant, &ctx.user, &input)?;
    let saved = ctx.app.inbox(ctx.tenant, id)?;
    let location = format!("/t/{}/api/v1/inboxes/{id}", ctx.tenant.slug());
    Ok(created(&json!(saved), location))
}

pub fn health(ctx: &ApiCtx, id: i64) -> Result<Response> {
    Ok(respond::json(
        &ctx.app.inbox_health(ctx.tenant, InboxId(id))?,
    ))
}

/// `POST /inboxes/{id}/fetch_again {"since": "2026-12-01"}`: from the mailbox's first message
/// (or its first since that day); nothing is taken twice.
pub fn fetch_again(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["since"])?;
    let since = match text(&body, "since")? {
        Some(day) => Some(
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|_| Error::field("since", "must be a date (YYYY-MM-DD)"))?,
        ),
        None => None,
    };
    ctx.app
        .fetch_again(ctx.tenant, &ctx.user, InboxId(id), since)?;
    health(ctx, id)
}

/// `GET /conversations?queue=…&status=…&priority=…&label=…&limit=…&cursor=…`: a queue in
/// queue order (those waiting longest first), as the inbox shows it; `cursor` is the `next` of
/// the page before.
pub fn list_conversations(ctx: &ApiCtx) -> Result<Response> {
    let query = ctx.query();
    let mut f = crate::web::inbox::read_filter(|k| ctx.req.get_param(k).unwrap_or_default())?;
    // The lists' own paging: `limit`, and a cursor after a row (its queue key and id).
    let (limit, offset) = crate::app::listing::paging(&query)?;
    f.limit = limit;
    f.after = match crate::app::listing::after(&query)?.as_deref() {
        None if offset == 0 => None,
        Some([Value::String(key), Value::Number(id)]) => {
            Some((key.clone(), ConversationId(id.as_i64().unwrap_or(0))))
        }
        _ => return Err(Error::field("cursor", "is not a cursor of this list")),
    };
    let page_of = ctx.app.conversation_list(ctx.tenant, &ctx.user, &f)?;
    let counted = match (f.priority, f.label) {
        (None, None) => {
            let n = ctx
                .app
                .queue_count(ctx.tenant, &ctx.user, f.queue, f.status)?;
            match n >= crate::domain::inbox::COUNT_CAP {
                true => Total::AtLeast(n),
                false => Total::Exact(n),
            }
        }
        // Narrowed past the queue's index: as many as this page shows, at least.
        _ => Total::AtLeast(page_of.rows.len() as i64),
    };
    let next = page_of
        .next
        .map(|(key, id)| crate::app::listing::cursor_after(0, &[key.into(), id.0.into()]));
    Ok(super::paged(page_of.rows, counted, next, None))
}

/// A conversation with its messages, oldest first, their HTML sanitized.
pub fn get_conversation(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let (c, mut messages) = ctx.app.conversation(ctx.tenant, ConversationId(id))?;
    for m in &mut messages {
        m.body_html = m
            .body_html
            .take()
            .map(|h| crate::domain::inbox::html::clean(&h, true).html);
    }
    let mut out = json!(c);
    out["messages"] = json!(messages);
    Ok(respond::json(&out))
}

pub fn trash_conversation(ctx: &ApiCtx, id: i64) -> Result<Response> {
    ctx.app
        .trash_conversation(ctx.tenant, &ctx.user, ConversationId(id))?;
    Ok(no_content())
}

/// `POST /conversations/{id}/messages {"text": "…"}`: a reply, sent to the last sender.
pub fn reply(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["text"])?;
    let text = text(&body, "text")?.unwrap_or_default().to_string();
    let written = ctx
        .app
        .reply(ctx.tenant, &ctx.user, (ConversationId(id), None), &text)?
        .ok_or(Error::NotFound)?;
    let (_, messages) = ctx.app.conversation(ctx.tenant, ConversationId(id))?;
    let sent = messages
        .iter()
        .find(|m| m.id == written)
        .ok_or(Error::NotFound)?;
    let location = format!("/t/{}/api/v1/conversations/{id}", ctx.tenant.slug());
    Ok(created(&json!(sent), location))
}

/// `PATCH /conversations/{id}`: any of `status` (with `snoozed_until` for `snoozed`),
/// `assignee_id` (null: no one) and `priority`; answers the conversation.
pub fn update_conversation(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(
        ctx,
        &[
            "status",
            "snoozed_until",
            "assignee_id",
            "priority",
            "team_id",
        ],
    )?;
    let id = ConversationId(id);
    let status = match text(&body, "status")? {
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            Error::field("status", "must be open, pending, snoozed, resolved or spam")
        })?),
        None => None,
    };
    let until = match text(&body, "snoozed_until")? {
        Some(t) => Some(
            crate::clock::parse_stamp(t)
                .ok_or_else(|| Error::field("snoozed_until", "must be a date-time"))?,
        ),
        None => None,
    };
    let priority = match text(&body, "priority")? {
        Some(p) => Some(Priority::parse(p).ok_or_else(|| {
            Error::field("priority", "must be none, low, medium, high or urgent")
        })?),
        None => None,
    };
    let assignee = match body.get("assignee_id") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(_) => Some(Some(UserId(
            int(&body, "assignee_id")?
                .ok_or_else(|| Error::field("assignee_id", "must be a user's id"))?,
        ))),
    };
    let team = match body.get("team_id") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(_) => Some(Some(crate::domain::ids::TeamId(
            int(&body, "team_id")?.ok_or_else(|| Error::field("team_id", "must be a team's id"))?,
        ))),
    };
    if status.is_none() && until.is_some() {
        return Err(Error::field("snoozed_until", "goes with status snoozed"));
    }
    let update = crate::app::inbox::Update {
        status: status.map(|s| (s, until)),
        assignee,
        priority,
        team,
    };
    ctx.app
        .update_conversation(ctx.tenant, &ctx.user, id, &update)?;
    let (c, _) = ctx.app.conversation(ctx.tenant, id)?;
    Ok(respond::json(&c))
}

/// `GET /conversations/{id}/messages`: its messages, oldest first (the latest 300), their
/// HTML sanitized.
pub fn list_messages(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let (_, mut messages) = ctx.app.conversation(ctx.tenant, ConversationId(id))?;
    for m in &mut messages {
        m.body_html = m
            .body_html
            .take()
            .map(|h| crate::domain::inbox::html::clean(&h, true).html);
    }
    let n = messages.len() as i64;
    Ok(page(messages, n, None))
}

/// `POST /conversations/{id}/notes {"text": "…"}`: a private note; its @mentions are told.
pub fn add_note(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["text"])?;
    let note = text(&body, "text")?.unwrap_or_default().to_string();
    ctx.app
        .add_note(ctx.tenant, &ctx.user, ConversationId(id), &note)?;
    let (_, messages) = ctx.app.conversation(ctx.tenant, ConversationId(id))?;
    let made = messages
        .iter()
        .rev()
        .find(|m| m.direction == "note")
        .ok_or(Error::NotFound)?;
    let location = format!(
        "/t/{}/api/v1/conversations/{id}/messages",
        ctx.tenant.slug()
    );
    Ok(created(&json!(made), location))
}

pub fn list_canned(ctx: &ApiCtx) -> Result<Response> {
    let all = ctx.app.canned_replies(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

/// `POST /canned_replies {"shortcut": "thanks", "body": "…"}` (owners and admins).
pub fn create_canned(ctx: &ApiCtx) -> Result<Response> {
    let body = object(ctx, &["shortcut", "body"])?;
    let short = text(&body, "shortcut")?.unwrap_or_default();
    let words = text(&body, "body")?.unwrap_or_default();
    let id = ctx
        .app
        .add_canned_reply(ctx.tenant, &ctx.user, (short, words))?;
    let made = ctx
        .app
        .canned_replies(ctx.tenant)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(Error::NotFound)?;
    let location = format!("/t/{}/api/v1/canned_replies", ctx.tenant.slug());
    Ok(created(&json!(made), location))
}

pub fn delete_canned(ctx: &ApiCtx, id: i64) -> Result<Response> {
    ctx.app.delete_canned_reply(ctx.tenant, &ctx.user, id)?;
    Ok(no_content())
}

/// `GET /notifications`: the token user's latest notifications, and how many are unread.
pub fn list_notifications(ctx: &ApiCtx) -> Result<Response> {
    ctx.tenant
        .require(crate::domain::capability::Capability::Inbox)?;
    let (all, _) = ctx.app.notifications(ctx.tenant, &ctx.user)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}
