//! The mail outbox of a tenant: what to send, and what became of it.

use crate::domain::ids::MailId;
pub use crate::domain::outbox::{MailStatus, NewMail};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, params};

#[derive(Debug, Clone)]
pub struct QueuedMail {
    pub id: MailId,
    pub mail: NewMail,
    pub attempts: i64,
}

pub fn enqueue(conn: &Write, mail: &NewMail, now: &str) -> Result<MailId> {
    conn.execute(
        "INSERT INTO outbox (to_address, subject, body_text, body_html, next_attempt_at, created_at, calendar,
                             thread)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)",
        params![mail.to, mail.subject, mail.text, mail.html, now, mail.calendar,
                mail.thread.as_ref().and_then(|t| serde_json::to_string(t).ok())],
    )?;
    Ok(MailId(conn.last_insert_rowid()))
}

pub fn due(conn: &Connection, now: &str, limit: i64) -> Result<Vec<QueuedMail>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, to_address, subject, body_text, body_html, attempts, calendar, thread FROM outbox
         WHERE status = 'queued' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![now, limit], |r| {
            Ok(QueuedMail {
                id: r.get(0)?,
                mail: NewMail {
                    to: r.get(1)?,
                    subject: r.get(2)?,
                    text: r.get(3)?,
                    html: r.get(4)?,
                    calendar: r.get(6)?,
                    thread: r
                        .get::<_, Option<String>>(7)?
                        .and_then(|t| serde_json::from_str(&t).ok()),
                },
                attempts: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn mark_sent(conn: &Write, id: MailId, smtp_response: &str, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'sent', attempts = attempts + 1, smtp_response = ?2, last_error = NULL, sent_at = ?3
         WHERE id = ?1",
        params![id, smtp_response, now],
    )?;
    Ok(())
}

/// Records a failed attempt: queued again for `retry_at`, or failed for good with `None`.
pub fn mark_attempt_failed(
    conn: &Write,
    id: MailId,
    error: &str,
    retry_at: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2,
           status = CASE WHEN ?3 IS NULL THEN 'failed' ELSE 'queued' END,
           next_attempt_at = coalesce(?3, next_attempt_at)
         WHERE id = ?1",
        params![id, error, retry_at],
    )?;
    Ok(())
}

/// Leaves a message queued without counting an attempt (nothing was tried).
pub fn postpone(conn: &Write, id: MailId, reason: &str, until: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET last_error = ?2, next_attempt_at = ?3 WHERE id = ?1",
        params![id, reason, until],
    )?;
    Ok(())
}

/// How much mail waits, and when the next of it is due.
pub fn backlog(conn: &Connection) -> Result<(i64, Option<String>)> {
    Ok(conn.query_row(
        "SELECT count(*), min(next_attempt_at) FROM outbox WHERE status = 'queued'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

pub fn recent(conn: &Connection, limit: i64) -> Result<Vec<MailStatus>> {
    let mut stmt = conn.prepare(
        "SELECT id, to_address, subject, status, attempts, last_error, created_at, sent_at
         FROM outbox ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok(MailStatus {
                id: r.get(0)?,
                to: r.get(1)?,
                subject: r.get(2)?,
                status: r.get(3)?,
                attempts: r.get(4)?,
                last_error: r.get(5)?,
                created_at: r.get(6)?,
                sent_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
