//! The inbox's rows: inboxes and their fetch state, contact identities, conversations and
//! their messages.

use crate::domain::ids::{ContactId, ConversationId, ConversationMessageId, InboxId};
use crate::domain::inbox::mail::Attachment;
use crate::domain::inbox::{Conversation, Health, Inbox, Message};
use crate::error::Result;
use crate::store::Write;
use crate::store::kassa::unique;
use rusqlite::{Connection, OptionalExtension, params};

pub struct NewInbox<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub imap: (&'a str, u16, &'a str, &'a str),
    pub mailbox: &'a str,
    pub ca: Option<&'a str>,
}

pub fn insert_inbox(conn: &Write, i: &NewInbox, now: &str) -> Result<InboxId> {
    let (host, port, user, password) = i.imap;
    let written = conn.execute(
        "INSERT INTO inboxes (name, address, imap_host, imap_port, imap_user, imap_password,
                              imap_mailbox, imap_ca, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            i.name, i.address, host, port, user, password, i.mailbox, i.ca, now
        ],
    );
    unique(written, "name", "is the name of another inbox")?;
    let id = InboxId(conn.last_insert_rowid());
    conn.execute(
        "INSERT INTO inbox_fetch (inbox_id, next_at) VALUES (?1, ?2)",
        params![id, now],
    )?;
    Ok(id)
}

const INBOX: &str =
    "id, name, address, imap_host, imap_port, imap_user, imap_password, imap_mailbox,
    signature, active, imap_ca";

fn inbox(r: &rusqlite::Row) -> rusqlite::Result<Inbox> {
    Ok(Inbox {
        id: r.get(0)?,
        name: r.get(1)?,
        address: r.get(2)?,
        imap_host: r.get(3)?,
        imap_port: r.get(4)?,
        imap_user: r.get(5)?,
        imap_password: r.get(6)?,
        imap_mailbox: r.get(7)?,
        signature: r.get(8)?,
        active: r.get(9)?,
        imap_ca: r.get(10)?,
    })
}

pub fn inboxes(conn: &Connection) -> Result<Vec<Inbox>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {INBOX} FROM inboxes ORDER BY name COLLATE NOCASE"
    ))?;
    let rows = stmt
        .query_map([], inbox)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn inbox_by_id(conn: &Connection, id: InboxId) -> Result<Option<Inbox>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {INBOX} FROM inboxes WHERE id = ?1"))?
        .query_row([id], inbox)
        .optional()?)
}

/// Whether the file has the inbox's tables (a file of an older schema has not).
pub fn has_inboxes(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'inbox_fetch')",
        [],
        |r| r.get(0),
    )?)
}

/// The active inboxes whose next fetch is due at `now`.
pub fn due(conn: &Connection, now: &str) -> Result<Vec<InboxId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id FROM inboxes i JOIN inbox_fetch f ON f.inbox_id = i.id
         WHERE i.active AND f.next_at <= ?1 ORDER BY i.id",
    )?;
    let rows = stmt
        .query_map([now], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn health(conn: &Connection, id: InboxId) -> Result<Health> {
    Ok(conn.query_row(
        "SELECT uid_validity, last_uid, last_success_at, last_error, last_error_at, failures, next_at
         FROM inbox_fetch WHERE inbox_id = ?1",
        [id],
        |r| {
            Ok(Health {
                uid_validity: r.get(0)?,
                last_uid: r.get(1)?,
                last_success_at: r.get(2)?,
                last_error: r.get(3)?,
                last_error_at: r.get(4)?,
                failures: r.get(5)?,
                next_at: r.get(6)?,
            })
        },
    )?)
}

/// A new UIDVALIDITY: the UIDs seen before mean nothing now, so fetching starts over (the
/// Message-IDs already stored keep what was taken from being taken twice).
pub fn reset_uids(conn: &Write, id: InboxId, uid_validity: u32) -> Result<()> {
    conn.execute(
        "UPDATE inbox_fetch SET uid_validity = ?2, last_uid = 0 WHERE inbox_id = ?1",
        params![id, uid_validity],
    )?;
    Ok(())
}

/// Fetching starts again from the mailbox's first message, now.
pub fn from_the_start(conn: &Write, id: InboxId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE inbox_fetch SET last_uid = 0, next_at = ?2 WHERE inbox_id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// The last UID taken: in the write that stored what it brought.
pub fn took_uid(conn: &Write, id: InboxId, uid: u32) -> Result<()> {
    conn.execute(
        "UPDATE inbox_fetch SET last_uid = max(last_uid, ?2) WHERE inbox_id = ?1",
        params![id, uid],
    )?;
    Ok(())
}

/// A fetch that went through: the next one is at `next`.
pub fn fetched(conn: &Write, id: InboxId, now: &str, next: &str) -> Result<()> {
    conn.execute(
        "UPDATE inbox_fetch SET last_success_at = ?2, failures = 0, next_at = ?3 WHERE inbox_id = ?1",
        params![id, now, next],
    )?;
    Ok(())
}

/// A fetch that failed with `error` (no secret in it): tried again at `next`.
pub fn failed(conn: &Write, id: InboxId, error: &str, (now, next): (&str, &str)) -> Result<()> {
    conn.execute(
        "UPDATE inbox_fetch SET last_error = ?2, last_error_at = ?3, failures = failures + 1,
                next_at = ?4
         WHERE inbox_id = ?1",
        params![id, error, now, next],
    )?;
    Ok(())
}

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
        .prepare_cached("SELECT id FROM conversations WHERE token = ?1 AND deleted_at IS NULL")?
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

pub fn contact_by_identity(conn: &Connection, address: &str) -> Result<Option<ContactId>> {
    Ok(conn
        .prepare_cached(
            "SELECT contact_id FROM contact_identities WHERE channel = 'email' AND address = ?1",
        )?
        .query_row([address], |r| r.get(0))
        .optional()?)
}

pub fn add_identity(conn: &Write, address: &str, contact: ContactId, now: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO contact_identities (channel, address, contact_id, created_at)
         VALUES ('email', ?1, ?2, ?3)",
        params![address, contact, now],
    )?;
    Ok(())
}

pub fn mark_bouncing(conn: &Write, address: &str) -> Result<()> {
    conn.execute(
        "UPDATE contact_identities SET bouncing = 1 WHERE channel = 'email' AND address = ?1",
        [address],
    )?;
    Ok(())
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
                message_id, subject, body_text, body_html, automatic, raw, size, refused, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![m.conversation, m.direction, m.from.0, m.from.1, m.message_id, m.subject, m.body.0,
                m.body.1, m.automatic, m.raw, m.size, m.refused, now],
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

const CONVERSATION: &str = "id, number, inbox_id, contact_id, subject, status, assignee_id, token,
    waiting_since, last_message_at, created_at";

fn conversation(r: &rusqlite::Row) -> rusqlite::Result<Conversation> {
    Ok(Conversation {
        id: r.get(0)?,
        number: r.get(1)?,
        inbox_id: r.get(2)?,
        contact_id: r.get(3)?,
        subject: r.get(4)?,
        status: r.get(5)?,
        assignee_id: r.get(6)?,
        token: r.get(7)?,
        waiting_since: r.get(8)?,
        last_message_at: r.get(9)?,
        created_at: r.get(10)?,
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

/// The conversations not in the trash, those waiting longest first, then the newest.
pub fn conversations(conn: &Connection, limit: i64) -> Result<Vec<Conversation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONVERSATION} FROM conversations WHERE deleted_at IS NULL
         ORDER BY waiting_since IS NULL, waiting_since, last_message_at DESC LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([limit], conversation)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn messages(conn: &Connection, id: ConversationId) -> Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, conversation_id, direction, from_address, from_name, message_id, subject,
                body_text, body_html, automatic, size, refused, created_at
         FROM conversation_messages WHERE conversation_id = ?1 ORDER BY id",
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
