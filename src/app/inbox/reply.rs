//! Answering a conversation: the reply is stored as its outgoing message and queued in the
//! outbox in the same write, from the inbox's address, with our own Message-ID, `In-Reply-To`
//! the last incoming mail and `References` the thread, the copies of that mail kept, and a
//! Reply-To that carries the conversation's token so the answer comes back to it.

use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::ids::{ConversationId, ConversationMessageId};
use crate::domain::inbox::threading::{reply_address, reply_subject};
use crate::domain::inbox::{Conversation, Inbox};
use crate::domain::outbox::{NewMail, Thread};
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::conversations::{self as store, NewMessage};
use crate::store::inbox::inbox_by_id;
use crate::store::users::User;

/// The longest reply taken, in characters.
const MAX_REPLY_CHARS: usize = 100_000;

impl App {
    /// Sends a reply. With `seen`, the newest message the writer had in front of them, it is
    /// held back (`None`) when a mail came in after that one: they should read it first.
    pub fn reply(
        &self,
        tenant: &Tenant,
        actor: &User,
        (id, seen): (ConversationId, Option<ConversationMessageId>),
        text: &str,
    ) -> Result<Option<ConversationMessageId>> {
        tenant.require(Capability::Inbox)?;
        let now = self.stamp();
        self.write_with_mail(&tenant.db, |tx| {
            if let Some(seen) = seen
                && store::came_in_after(tx, id, seen)?
            {
                return Ok((None, Vec::new()));
            }
            // Queued by the reply itself (it keeps its mail's id); the mailer is told after.
            Ok((
                Some(reply_in(tx, (actor, None), id, text, &now)?),
                Vec::new(),
            ))
        })
    }
}

/// The reply written in this write: its message, with its mail queued in the outbox (the
/// message keeps the mail's id, to show how delivery goes). The caller tells the mailer.
/// `automatic` says why a reply nobody wrote goes (a rule's: `auto-replied`).
pub(crate) fn reply_in(
    tx: &Write,
    (actor, automatic): (&User, Option<&str>),
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
    let body = match inbox.signature.trim() {
        "" => text.to_string(),
        signature => format!("{text}\n\n-- \n{signature}"),
    };
    let written = send_out(
        tx,
        (&inbox, &c),
        &Outgoing {
            to: last.from,
            cc: last.cc,
            body: &body,
            author: Some(actor.id),
            automatic,
            in_reply_to: last.message_id,
            references: store::message_ids(tx, id, 20)?,
        },
        now,
    )?;
    store::answered(tx, id, now)?;
    Ok(written)
}

/// A mail Onebox sends in a conversation: to whom, its words, and the mail it answers.
pub(super) struct Outgoing<'a> {
    pub to: String,
    pub cc: Vec<String>,
    pub body: &'a str,
    /// The person who wrote it (or whose rule did); none: Onebox itself.
    pub author: Option<crate::domain::ids::UserId>,
    /// Why it went without a person writing it (an away reply, a rule's): `auto-replied`.
    pub automatic: Option<&'a str>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
}

/// Stores `o` as the conversation's outgoing message and queues its mail in the same write:
/// from the inbox, with our own Message-ID, a Reply-To carrying the conversation's token (so
/// the answer comes back to it), and `Auto-Submitted: auto-replied` when Onebox answers by
/// itself. The message keeps its mail's id, to show how delivery goes.
pub(super) fn send_out(
    tx: &Write,
    (inbox, c): (&Inbox, &Conversation),
    o: &Outgoing,
    now: &str,
) -> Result<ConversationMessageId> {
    let domain = inbox
        .address
        .rsplit_once('@')
        .map_or("onebox.invalid", |(_, d)| d);
    let message_id = format!("{}@{domain}", &crate::domain::secret::new_token()[..24]);
    let subject = reply_subject(&c.subject, c.number);
    let written = store::insert_message(
        tx,
        &NewMessage {
            conversation: c.id,
            direction: "out",
            from: (&inbox.address, &inbox.name),
            cc: &o.cc,
            author: o.author,
            message_id: Some(&message_id),
            subject: &subject,
            body: (o.body, None),
            automatic: o.automatic,
            raw: None,
            size: o.body.len() as i64,
            refused: None,
            attachments: &[],
        },
        now,
    )?;
    let mail = NewMail {
        to: o.to.clone(),
        subject,
        html: paragraphs(o.body),
        text: format!("{}\n", o.body.trim_end()),
        calendar: None,
        thread: Some(Thread {
            from: format!(
                "{} <{}>",
                inbox.name.replace(['<', '>', '"'], ""),
                inbox.address
            ),
            reply_to: reply_address(&inbox.address, &c.token),
            references: o.references.clone(),
            in_reply_to: o.in_reply_to.clone(),
            message_id,
            cc: o.cc.clone(),
            auto_replied: o.automatic.is_some(),
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
