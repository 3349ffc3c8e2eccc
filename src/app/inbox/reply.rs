//! Answering a conversation: the reply is stored as its outgoing message and queued in the
//! outbox in the same write, from the inbox's address, with our own Message-ID, `In-Reply-To`
//! the last incoming mail and `References` the thread, the copies of that mail kept, and a
//! Reply-To that carries the conversation's token so the answer comes back to it.

use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::ids::{ConversationId, ConversationMessageId};
use crate::domain::inbox::threading::{reply_address, reply_subject};
use crate::domain::outbox::{NewMail, Thread};
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::conversations::{self as store, NewMessage};
use crate::store::inbox::inbox_by_id;
use crate::store::users::User;

/// The longest reply taken, in characters.
const MAX_REPLY_CHARS: usize = 100_000;

impl App {
    pub fn reply(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        text: &str,
    ) -> Result<ConversationMessageId> {
        tenant.require(Capability::Inbox)?;
        let now = self.stamp();
        self.write_with_mail(&tenant.db, |tx| {
            // Queued by the reply itself (it keeps its mail's id); the mailer is told after.
            Ok((reply_in(tx, actor, id, text, &now)?, Vec::new()))
        })
    }
}

/// The reply written in this write: its message, with its mail queued in the outbox (the
/// message keeps the mail's id, to show how delivery goes). The caller tells the mailer.
pub(crate) fn reply_in(
    tx: &Write,
    actor: &User,
    id: ConversationId,
    text: &str,
    now: &str,
) -> Result<ConversationMessageId> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_REPLY_CHARS {
        return Err(Error::field("text", "must be 1 to 100000 characters"));
    }
    let c = store::conversation_by_id(tx, id)?.ok_or(Error::NotFound)?;
    let inbox = inbox_by_id(tx, c.inbox_id)?.ok_or(Error::NotFound)?;
    let last = store::last_incoming(tx, id)?
        .filter(|l| !l.from.is_empty())
        .ok_or_else(|| Error::Conflict("This conversation has no sender to answer.".into()))?;
    let (last_id, to, cc) = (last.message_id, last.from, last.cc);
    let domain = inbox
        .address
        .rsplit_once('@')
        .map_or("onebox.invalid", |(_, d)| d);
    let message_id = format!("{}@{domain}", &crate::domain::secret::new_token()[..24]);
    let body = match inbox.signature.trim() {
        "" => text.to_string(),
        signature => format!("{text}\n\n-- \n{signature}"),
    };
    let subject = reply_subject(&c.subject, c.number);
    let written = store::insert_message(
        tx,
        &NewMessage {
            conversation: id,
            direction: "out",
            from: (&inbox.address, &inbox.name),
            cc: &cc,
            author: Some(actor.id),
            message_id: Some(&message_id),
            subject: &subject,
            body: (&body, None),
            automatic: None,
            raw: None,
            size: body.len() as i64,
            refused: None,
            attachments: &[],
        },
        now,
    )?;
    store::answered(tx, id, now)?;
    let mail = NewMail {
        to,
        subject,
        html: paragraphs(&body),
        text: body,
        calendar: None,
        thread: Some(Thread {
            from: format!(
                "{} <{}>",
                inbox.name.replace(['<', '>', '"'], ""),
                inbox.address
            ),
            reply_to: reply_address(&inbox.address, &c.token),
            references: store::message_ids(tx, id, 20)?
                .into_iter()
                .filter(|m| *m != message_id)
                .collect(),
            in_reply_to: last_id,
            message_id,
            cc,
            auto_replied: false,
        }),
    };
    let mail_id = crate::store::outbox::enqueue(tx, &mail, now)?;
    store::set_mail(tx, written, mail_id)?;
    Ok(written)
}

/// Plain text as HTML paragraphs, escaped.
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| {
            let escaped = crate::domain::automation::template::escape_html(p);
            format!("<p>{}</p>", escaped.replace('\n', "<br>"))
        })
        .collect()
}
