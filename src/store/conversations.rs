//! Conversations and their messages.

use crate::domain::ids::{ContactId, ConversationId, ConversationMessageId, InboxId};
use crate::domain::inbox::mail::Attachment;
use crate::domain::inbox::{Conversation, LastIncoming, Message};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

/// The conversation a Message-ID we stored or sent belongs to (in the trash too).
pub fn conversation_of_message(
    conn: &Connection,
    message_id: &str,
) -> Result<Option<(ConversationId, bool)>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.deleted_at IS NOT NULL FROM conversation_messages m
             JOIN conversations c ON c.id = m.conversation_id WHERE m.message_id = ?1",
        )?
        .query_row([message_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn conversation_by_token(conn: &Connection, token: &str) -> Result<Option<ConversationId>> {
    Ok(conn
        .prepare_cached(
            "SELECT t.id FROM conversations c JOIN conversations t ON t.id = coalesce(c.merged_into, c.id)
             WHERE c.token = ?1 AND t.deleted_at IS NULL",
        )?
        .query_row([token], |r| r.get(0))
        .optional()?)
}

/// Conversation `number`, if `address` wrote in it before.
pub fn conversation_by_number_from(
    conn: &Connection,
    number: i64,
    address: &str,
) -> Result<Option<ConversationId>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id FROM conversations c
             WHERE c.number = ?1 AND c.deleted_at IS NULL
               AND EXISTS (SELECT 1 FROM conversation_messages m
                           WHERE m.conversation_id = c.id AND m.direction = 'in' AND m.from_address = ?2)",
        )?
        .query_row(params![number, address], |r| r.get(0))
        .optional()?)
}

/// The display number the next conversation gets.
pub fn next_number(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(number), 0) + 1 FROM conversations",
        [],
        |r| r.get(0),
    )?)
}

pub fn insert_conversation(
    conn: &Write,
    (inbox, contact): (InboxId, Option<ContactId>),
    (subject, token): (&str, &str),
    now: &str,
) -> Result<ConversationId> {
    conn.execute(
        "INSERT INTO conversations (number, inbox_id, contact_id, subject, token, last_message_at,
                                    created_at)
         VALUES ((SELECT coalesce(max(number), 0) + 1 FROM conversations), ?1, ?2, ?3, ?4, ?5, ?5)",
        params![inbox, contact, subject, token, now],
    )?;
    Ok(ConversationId(conn.last_insert_rowid()))
}

/// A message came in: the conversation waits for an answer (from the first unanswered one on)
/// and opens again if it was resolved or snoozed (spam stays spam).
pub fn message_came_in(conn: &Write, id: ConversationId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE conversations SET last_message_at = ?2, waiting_since = coalesce(waiting_since, ?2),
                status = iif(status IN ('resolved', 'snoozed', 'pending'), 'open', status),
                snoozed_until = iif(status = 'spam', snoozed_until, NULL)
         WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

pub struct NewMessage<'a> {
    pub conversation: ConversationId,
    pub direction: &'a str,
    pub from: (&'a str, &'a str),
    pub cc: &'a [String],
    pub author: Option<crate::domain::ids::UserId>,
    pub message_id: Option<&'a str>,
    pub subject: &'a str,
    pub body: (&'a str, Option<&'a str>),
    pub automatic: Option<&'a str>,
    pub raw: Option<&'a [u8]>,
    pub size: i64,
    pub refused: Option<&'a str>,
    pub attachments: &'a [Attachment],
}

pub fn insert_message(conn: &Write, m: &NewMessage, now: &str) -> Result<ConversationMessageId> {
    conn.execute(
        "INSERT INTO conversation_messages (conversation_id, direction, from_address, from_name,
                message_id, subject, body_text, body_html, automatic, raw, size, refused, created_at,
                cc, author_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![m.conversation, m.direction, m.from.0, m.from.1, m.message_id, m.subject, m.body.0,
                m.body.1, m.automatic, m.raw, m.size, m.refused, now,
                serde_json::to_string(m.cc).unwrap_or_else(|_| "[]".into()), m.author],
    )?;
    let id = ConversationMessageId(conn.last_insert_rowid());
    let mut stmt = conn.prepare_cached(
        "INSERT INTO message_attachments (message_id, position, name, content_type, size)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, a) in m.attachments.iter().enumerate() {
        stmt.execute(params![id, i as i64, a.name, a.content_type, a.size as i64])?;
    }
    Ok(id)
}

pub(crate) const CONVERSATION: &str = "id, number, inbox_id, contact_id, subject, status, priority,
    snoozed_until, assignee_id, token, waiting_since, first_reply_at, resolved_at,
    last_message_at, created_at, team_id";

pub(crate) fn conversation(r: &rusqlite::Row) -> rusqlite::Result<Conversation> {
    Ok(Conversation {
        id: r.get(0)?,
        number: r.get(1)?,
        inbox_id: r.get(2)?,
        contact_id: r.get(3)?,
        subject: r.get(4)?,
        status: r.get(5)?,
        priority: r.get(6)?,
        snoozed_until: r.get(7)?,
        assignee_id: r.get(8)?,
        token: r.get(9)?,
        waiting_since: r.get(10)?,
        first_reply_at: r.get(11)?,
        resolved_at: r.get(12)?,
        last_message_at: r.get(13)?,
        created_at: r.get(14)?,
        team_id: r.get(15)?,
    })
}

pub fn conversation_by_id(conn: &Connection, id: ConversationId) -> Result<Option<Conversation>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CONVERSATION} FROM conversations WHERE id = ?1 AND deleted_at IS NULL"
        ))?
        .query_row([id], conversation)
        .optional()?)
}

/// The newest conversations not in the trash, whatever their status (the first `limit`).
pub fn newest(conn: &Connection, limit: i64) -> Result<Vec<Conversation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONVERSATION} FROM conversations WHERE deleted_at IS NULL ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([limit], conversation)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn messages(conn: &Connection, id: ConversationId) -> Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, conversation_id, direction, from_address, from_name, message_id, subject,
                body_text, body_html, automatic, size, refused, created_at, author_id,
                (SELECT o.status FROM outbox o WHERE o.id = m.mail_id),
                (SELECT o.last_error FROM outbox o WHERE o.id = m.mail_id), cc
         FROM conversation_messages m
         WHERE id IN (SELECT id FROM conversation_messages WHERE conversation_id = ?1
                      ORDER BY id DESC LIMIT 300)
         ORDER BY id",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(Message {
                id: r.get(0)?,
                conversation_id: r.get(1)?,
                direction: r.get(2)?,
                from_address: r.get(3)?,
                from_name: r.get(4)?,
                message_id: r.get(5)?,
                subject: r.get(6)?,
                body_text: r.get(7)?,
                body_html: r.get(8)?,
                automatic: r.get(9)?,
                size: r.get(10)?,
                refused: r.get(11)?,
                created_at: r.get(12)?,
                author_id: r.get(13)?,
                delivery: r.get(14)?,
                delivery_error: r.get(15)?,
                attachments: Vec::new(),
                cc: serde_json::from_str(&r.get::<_, String>(16)?).unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Into the trash: hidden, its messages kept (their Message-IDs keep it from coming back).
pub fn trash_conversation(conn: &Write, id: ConversationId, now: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE conversations SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
        params![id, now],
    )? > 0)
}

/// The last incoming message of a conversation: its Message-ID, sender and copies.
pub fn last_incoming(conn: &Connection, id: ConversationId) -> Result<Option<LastIncoming>> {
    Ok(conn
        .prepare_cached(
            "SELECT message_id, from_address, cc, automatic FROM conversation_messages
             WHERE conversation_id = ?1 AND direction = 'in' ORDER BY id DESC LIMIT 1",
        )?
        .query_row([id], |r| {
            let cc: String = r.get(2)?;
            Ok(LastIncoming {
                message_id: r.get(0)?,
                from: r.get(1)?,
                cc: serde_json::from_str(&cc).unwrap_or_default(),
                automatic: r.get(3)?,
            })
        })
        .optional()?)
}

/// The Message-IDs of a conversation's mail, oldest first (the last `limit`).
pub fn message_ids(conn: &Connection, id: ConversationId, limit: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT message_id FROM (SELECT id, message_id FROM conversation_messages
          WHERE conversation_id = ?1 AND message_id IS NOT NULL AND direction IN ('in', 'out')
          ORDER BY id DESC LIMIT ?2) ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![id, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// We answered: nothing waits now, and the first answer's time is kept.
pub fn answered(conn: &Write, id: ConversationId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE conversations SET waiting_since = NULL, last_message_at = ?2,
                first_reply_at = coalesce(first_reply_at, ?2)
         WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// The raw mail of a message of a conversation, if it kept one.
pub fn raw(
    conn: &Connection,
    id: ConversationId,
    message: ConversationMessageId,
) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached(
            "SELECT raw FROM conversation_messages
             WHERE id = ?1 AND conversation_id = ?2 AND raw IS NOT NULL",
        )?
        .query_row(params![message, id], |r| r.get(0))
        .optional()?)
}

/// Whether Onebox answered in this conversation by itself (an away reply) since `since`.
pub fn automatic_reply_since(conn: &Connection, id: ConversationId, since: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM conversation_messages
             WHERE conversation_id = ?1 AND direction = 'out' AND automatic IS NOT NULL
               AND created_at >= ?2 LIMIT 1",
        )?
        .query_row(params![id, since], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The text of a conversation's last incoming message (its first 2,000 characters).
pub fn last_incoming_text(conn: &Connection, id: ConversationId) -> Result<String> {
    Ok(conn
        .prepare_cached(
            "SELECT substr(body_text, 1, 2000) FROM conversation_messages
             WHERE conversation_id = ?1 AND direction = 'in' ORDER BY id DESC LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// A contact's latest conversations (the newest `limit`), not in the trash.
pub fn of_contact(conn: &Connection, contact: ContactId, limit: i64) -> Result<Vec<Conversation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONVERSATION} FROM conversations
         WHERE contact_id = ?1 AND deleted_at IS NULL ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![contact, limit], conversation)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The outbox mail that carries an outgoing message.
pub fn set_mail(
    conn: &Write,
    message: ConversationMessageId,
    mail: crate::domain::ids::MailId,
) -> Result<()> {
    conn.execute(
        "UPDATE conversation_messages SET mail_id = ?2 WHERE id = ?1",
        params![message, mail],
    )?;
    Ok(())
}

/// The attachments of a conversation's messages: (message, its attachment), in order.
pub fn attachments(
    conn: &Connection,
    id: ConversationId,
) -> Result<Vec<(ConversationMessageId, Attachment)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.message_id, a.name, a.content_type, a.size FROM message_attachments a
         JOIN conversation_messages m ON m.id = a.message_id
         WHERE m.conversation_id = ?1 ORDER BY a.message_id, a.position",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                Attachment {
                    name: r.get(1)?,
                    content_type: r.get(2)?,
                    size: r.get::<_, i64>(3)? as usize,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Conversations in the trash (not those merged into another), the latest first.
pub fn trashed(conn: &Connection, limit: i64) -> Result<Vec<(Conversation, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONVERSATION}, deleted_at FROM conversations
         WHERE deleted_at IS NOT NULL AND merged_into IS NULL ORDER BY deleted_at DESC LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([limit], |r| Ok((conversation(r)?, r.get(16)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Out of the trash (a merged conversation stays merged).
pub fn restore(conn: &Write, id: ConversationId) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE conversations SET deleted_at = NULL
         WHERE id = ?1 AND deleted_at IS NOT NULL AND merged_into IS NULL",
        [id],
    )? > 0)
}

/// Whether a mail came into conversation `id` after message `seen`.
pub fn came_in_after(
    conn: &Connection,
    id: ConversationId,
    seen: ConversationMessageId,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM conversation_messages
             WHERE conversation_id = ?1 AND id > ?2 AND direction = 'in' LIMIT 1)",
        )?
        .query_row(params![id, seen], |r| r.get::<_, i64>(0))?
        > 0)
}
