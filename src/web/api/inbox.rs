//! `/inboxes` and `/conversations`: email inboxes with their fetch health, and the
//! conversations their mail made (404 while the workspace's `inbox` capability is off).

use super::catalog::{int, object, text};
use super::{ApiCtx, created, no_content, page};
use crate::app::inbox::InboxInput;
use crate::domain::ids::{ConversationId, InboxId};
use crate::error::{Error, Result};
use crate::web::respond;
use rouille::Response;
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

/// `POST /inboxes/{id}/fetch_again`: from the mailbox's first message (nothing is taken twice).
pub fn fetch_again(ctx: &ApiCtx, id: i64) -> Result<Response> {
    object(ctx, &[])?;
    ctx.app.fetch_again(ctx.tenant, &ctx.user, InboxId(id))?;
    health(ctx, id)
}

pub fn list_conversations(ctx: &ApiCtx) -> Result<Response> {
    let all = ctx.app.conversations(ctx.tenant, 100)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
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
    ctx.app
        .reply(ctx.tenant, &ctx.user, ConversationId(id), &text)?;
    let (_, messages) = ctx.app.conversation(ctx.tenant, ConversationId(id))?;
    let sent = messages.last().ok_or(Error::NotFound)?;
    let location = format!("/t/{}/api/v1/conversations/{id}", ctx.tenant.slug());
    Ok(created(&json!(sent), location))
}
