//! Working a conversation: its status, assignee, priority and labels; canned replies; and the
//! notifications people get (a mention, an assignment).

use crate::domain::ids::{ConversationId, LabelId, UserId};
use crate::domain::inbox::{CannedReply, Notification, Priority, Status};
use crate::domain::label::Label;
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, params};

/// A new status. Resolving keeps its time; resolved, spam and pending leave nothing waiting;
/// snoozing keeps its wake-up time.
pub fn set_status(
    conn: &Write,
    id: ConversationId,
    (status, until): (Status, Option<&str>),
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE conversations SET status = ?2, snoozed_until = ?3,
                resolved_at = iif(?2 = 'resolved', ?4, resolved_at),
                waiting_since = iif(?2 IN ('resolved', 'spam', 'pending'), NULL, waiting_since)
         WHERE id = ?1",
        params![id, status, until, now],
    )?;
    Ok(())
}

pub fn set_assignee(conn: &Write, id: ConversationId, user: Option<UserId>) -> Result<()> {
    conn.execute(
        "UPDATE conversations SET assignee_id = ?2 WHERE id = ?1",
        params![id, user],
    )?;
    Ok(())
}

pub fn set_priority(conn: &Write, id: ConversationId, priority: Priority) -> Result<()> {
    conn.execute(
        "UPDATE conversations SET priority = ?2 WHERE id = ?1",
        params![id, priority],
    )?;
    Ok(())
}

/// Puts a label on or takes it off; whether anything changed.
pub fn set_label(conn: &Write, id: ConversationId, label: LabelId, on: bool) -> Result<bool> {
    let sql = if on {
        "INSERT OR IGNORE INTO conversation_labels (conversation_id, label_id) VALUES (?1, ?2)"
    } else {
        "DELETE FROM conversation_labels WHERE conversation_id = ?1 AND label_id = ?2"
    };
    Ok(conn.execute(sql, params![id, label])? > 0)
}

pub fn labels_of(conn: &Connection, id: ConversationId) -> Result<Vec<Label>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.name, l.color FROM conversation_labels cl
         JOIN labels l ON l.id = cl.label_id WHERE cl.conversation_id = ?1 ORDER BY l.name",
    )?;
    let rows = stmt
        .query_map([id], crate::store::crm::labels::label)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Snoozed conversations whose time has come (at most `limit`).
pub fn snoozed_until_before(
    conn: &Connection,
    now: &str,
    limit: i64,
) -> Result<Vec<ConversationId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM conversations
         WHERE status = 'snoozed' AND deleted_at IS NULL AND snoozed_until <= ?1
         ORDER BY snoozed_until LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![now, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn canned_replies(conn: &Connection) -> Result<Vec<CannedReply>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, shortcut, body FROM canned_replies ORDER BY shortcut")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(CannedReply {
                id: r.get(0)?,
                shortcut: r.get(1)?,
                body: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A new canned reply, or `None` when its shortcut is taken.
pub fn insert_canned_reply(
    conn: &Write,
    shortcut: &str,
    body: &str,
    now: &str,
) -> Result<Option<i64>> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO canned_replies (shortcut, body, created_at) VALUES (?1, ?2, ?3)",
        params![shortcut, body, now],
    )?;
    Ok((n > 0).then(|| conn.last_insert_rowid()))
}

pub fn delete_canned_reply(conn: &Write, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM canned_replies WHERE id = ?1", [id])? > 0)
}

pub fn notify(
    conn: &Write,
    user: UserId,
    (kind, conversation): (&str, ConversationId),
    actor: Option<UserId>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO notifications (user_id, kind, conversation_id, actor_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user, kind, conversation, actor, now],
    )?;
    Ok(())
}

/// How many notifications `user` has not read (up to 100).
pub fn unread(conn: &Connection, user: UserId) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM notifications
             WHERE user_id = ?1 AND read_at IS NULL LIMIT 100)",
        )?
        .query_row([user], |r| r.get(0))?)
}

/// A user's latest notifications (the newest `limit`), with the conversation's number and
/// subject and who caused them.
pub fn notifications(conn: &Connection, user: UserId, limit: i64) -> Result<Vec<Notification>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.kind, n.conversation_id, c.number, c.subject,
                coalesce(nullif(u.name, ''), u.email, ''), n.created_at, n.read_at IS NOT NULL
         FROM notifications n JOIN conversations c ON c.id = n.conversation_id
         LEFT JOIN users u ON u.id = n.actor_id
         WHERE n.user_id = ?1 ORDER BY n.id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![user, limit], |r| {
            Ok(Notification {
                id: r.get(0)?,
                kind: r.get(1)?,
                conversation_id: r.get(2)?,
                number: r.get(3)?,
                subject: r.get(4)?,
                actor: r.get(5)?,
                created_at: r.get(6)?,
                read: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Whether `user` has an unread notification about conversation `id`.
pub fn unread_about(conn: &Connection, user: UserId, id: ConversationId) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM notifications
             WHERE user_id = ?1 AND conversation_id = ?2 AND read_at IS NULL LIMIT 1)",
        )?
        .query_row(params![user, id], |r| r.get::<_, i64>(0))?
        > 0)
}

/// Marks `user`'s notifications about a conversation read.
pub fn read_notifications(
    conn: &Write,
    user: UserId,
    conversation: ConversationId,
    now: &str,
) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE notifications SET read_at = ?3
         WHERE user_id = ?1 AND conversation_id = ?2 AND read_at IS NULL",
        params![user, conversation, now],
    )?)
}

/// The conversation with display number `number` (not in the trash).
pub fn by_number(conn: &Connection, number: i64) -> Result<Option<ConversationId>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT id FROM conversations WHERE number = ?1 AND deleted_at IS NULL")?
        .query_row([number], |r| r.get(0))
        .optional()?)
}

/// Moves everything of `from` into `into`: its messages, labels and notifications, and
/// whatever was merged into it before; `from` is hidden and leads on to `into`.
pub fn merge(conn: &Write, from: ConversationId, into: ConversationId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE conversation_messages SET conversation_id = ?2 WHERE conversation_id = ?1",
        params![from, into],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO conversation_labels (conversation_id, label_id)
         SELECT ?2, label_id FROM conversation_labels WHERE conversation_id = ?1",
        params![from, into],
    )?;
    conn.execute(
        "UPDATE notifications SET conversation_id = ?2 WHERE conversation_id = ?1",
        params![from, into],
    )?;
    conn.execute(
        "UPDATE conversations SET merged_into = ?2 WHERE merged_into = ?1",
        params![from, into],
    )?;
    conn.execute(
        "UPDATE conversations SET
            waiting_since = (SELECT min(coalesce(a.waiting_since, '9'), coalesce(b.waiting_since, '9'))
                             FROM conversations a, conversations b WHERE a.id = ?1 AND b.id = ?2),
            last_message_at = max(last_message_at,
                                  (SELECT last_message_at FROM conversations WHERE id = ?1))
         WHERE id = ?2",
        params![from, into],
    )?;
    conn.execute(
        "UPDATE conversations SET waiting_since = NULL WHERE id = ?1 AND waiting_since = '9'",
        [into],
    )?;
    conn.execute(
        "UPDATE conversations SET deleted_at = ?3, merged_into = ?2 WHERE id = ?1",
        params![from, into, now],
    )?;
    Ok(())
}
