//! The inbox's rows: inboxes and their fetch state, and the addresses contacts write from
//! (`conversations` has the conversations and their messages).

use crate::domain::ids::{ContactId, InboxId, TeamId, UserId};
use crate::domain::inbox::{Health, Inbox};
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
    signature, active, imap_ca, auto_assign, assign_cap, last_assigned_id, hours, away_reply, team_id";

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
        auto_assign: r.get(11)?,
        assign_cap: r.get(12)?,
        last_assigned_id: r.get(13)?,
        hours: r
            .get::<_, Option<String>>(14)?
            .and_then(|h| serde_json::from_str(&h).ok()),
        away_reply: r.get(15)?,
        team_id: r.get(16)?,
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
        "SELECT uid_validity, last_uid, last_success_at, last_error, last_error_at, failures, next_at,
                refetch_since
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
                refetch_since: r.get(7)?,
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
        "UPDATE inbox_fetch SET last_uid = 0, refetch_since = NULL, next_at = ?2 WHERE inbox_id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// The next fetch starts again at the mailbox's first message since `day` (`YYYY-MM-DD`).
pub fn again_since(conn: &Write, id: InboxId, day: &str, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE inbox_fetch SET refetch_since = ?2, next_at = ?3 WHERE inbox_id = ?1",
        params![id, day, now],
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
        "UPDATE inbox_fetch SET last_success_at = ?2, failures = 0, next_at = ?3, refetch_since = NULL
         WHERE inbox_id = ?1",
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

/// How an inbox's work is shared and answered, as its settings save it.
pub struct InboxWork<'a> {
    pub signature: &'a str,
    pub members: &'a [UserId],
    pub auto_assign: bool,
    pub assign_cap: Option<i64>,
    pub hours: Option<&'a [String]>,
    pub away_reply: &'a str,
    pub team: Option<TeamId>,
}

pub fn save_work(conn: &Write, id: InboxId, w: &InboxWork) -> Result<()> {
    let hours = w
        .hours
        .map(|h| serde_json::to_string(h).unwrap_or_default());
    conn.execute(
        "UPDATE inboxes SET signature = ?2, auto_assign = ?3, assign_cap = ?4, hours = ?5,
                away_reply = ?6, team_id = ?7 WHERE id = ?1",
        params![
            id,
            w.signature,
            w.auto_assign,
            w.assign_cap,
            hours,
            w.away_reply,
            w.team
        ],
    )?;
    conn.execute("DELETE FROM inbox_members WHERE inbox_id = ?1", [id])?;
    let mut add = conn.prepare_cached(
        "INSERT OR IGNORE INTO inbox_members (inbox_id, user_id) VALUES (?1, ?2)",
    )?;
    for m in w.members {
        add.execute(params![id, m])?;
    }
    Ok(())
}

/// An inbox's active members, in the order of their ids (the round's order).
pub fn members(conn: &Connection, id: InboxId) -> Result<Vec<UserId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.user_id FROM inbox_members m JOIN users u ON u.id = m.user_id
         WHERE m.inbox_id = ?1 AND u.active ORDER BY m.user_id",
    )?;
    let rows = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// How many open conversations `user` has, counted up to `cap`.
pub fn open_load(conn: &Connection, user: UserId, cap: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM conversations
             WHERE status = 'open' AND assignee_id = ?1 AND deleted_at IS NULL LIMIT ?2)",
        )?
        .query_row(params![user, cap], |r| r.get(0))?)
}

pub fn assigned_last(conn: &Write, id: InboxId, user: UserId) -> Result<()> {
    conn.execute(
        "UPDATE inboxes SET last_assigned_id = ?2 WHERE id = ?1",
        params![id, user],
    )?;
    Ok(())
}

/// Whether mail to `address` has bounced.
pub fn is_bouncing(conn: &Connection, address: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM contact_identities
             WHERE channel = 'email' AND address = lower(?1) AND bouncing",
        )?
        .query_row([address], |_| Ok(()))
        .optional()?
        .is_some())
}

/// How much whole mail the workspace keeps, in bytes.
pub fn mail_usage(conn: &Connection) -> Result<u64> {
    Ok(conn
        .prepare_cached("SELECT bytes FROM mail_usage WHERE id = 1")?
        .query_row([], |r| r.get::<_, i64>(0))
        .optional()?
        .unwrap_or(0)
        .max(0) as u64)
}

pub fn add_mail_usage(conn: &Write, bytes: u64) -> Result<()> {
    conn.execute(
        "INSERT INTO mail_usage (id, bytes) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET bytes = bytes + ?1",
        [bytes as i64],
    )?;
    Ok(())
}
