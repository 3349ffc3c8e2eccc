//! A message's files: its raw mail (`.eml`) and its attachments, downloaded as files.

use crate::domain::ids::{ConversationId, ConversationMessageId};
use crate::error::{Error, Result};
use crate::web::context::Ctx;
use rouille::Response;

/// The raw mail as it arrived.
pub(super) fn raw(ctx: &mut Ctx, id: ConversationId, m: ConversationMessageId) -> Result<Response> {
    ctx.user()?;
    let raw = ctx.app.raw_message(&ctx.tenant, id, m)?;
    Ok(
        Response::from_data("message/rfc822", raw).with_additional_header(
            "Content-Disposition",
            format!("attachment; filename=\"message-{m}.eml\""),
        ),
    )
}

/// An attachment to download. Always as a file of bytes, never shown on our own pages: what
/// a sender attached must not run here.
pub(super) fn attachment(
    ctx: &mut Ctx,
    id: ConversationId,
    m: ConversationMessageId,
    position: i64,
) -> Result<Response> {
    ctx.user()?;
    let position = usize::try_from(position).map_err(|_| Error::NotFound)?;
    let (a, bytes) = ctx.app.attachment(&ctx.tenant, id, (m, position))?;
    let name: String = a
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(
        Response::from_data("application/octet-stream", bytes).with_additional_header(
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ),
    )
}
