//! The tenant registry in `DATA/system.sqlite`.

use crate::domain::slug::Slug;
pub use crate::domain::tenant::TenantEntry;
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

fn entry(row: &rusqlite::Row) -> rusqlite::Result<TenantEntry> {
    Ok(TenantEntry {
        slug: row.get(0)?,
        name: row.get(1)?,
        status: row.get(2)?,
        created_at: row.get(3)?,
    })
}

pub fn get(conn: &Connection, slug: &Slug) -> Result<Option<TenantEntry>> {
    Ok(conn
        .prepare_cached("SELECT slug, name, status, created_at FROM tenants WHERE slug = ?1")?
        .query_row([slug.as_str()], entry)
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<TenantEntry>> {
    let mut stmt =
        conn.prepare("SELECT slug, name, status, created_at FROM tenants ORDER BY slug")?;
    let rows = stmt
        .query_map([], entry)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn insert(conn: &Write, slug: &Slug, name: &str, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO tenants (slug, name, status, created_at) VALUES (?1, ?2, 'active', ?3)",
        params![slug.as_str(), name, now],
    )?;
    Ok(())
}

pub fn set_status(conn: &Write, slug: &Slug, active: bool) -> Result<()> {
    let status = if active { "active" } else { "disabled" };
    let n = conn.execute(
        "UPDATE tenants SET status = ?2 WHERE slug = ?1",
        params![slug.as_str(), status],
    )?;
    if n == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub fn set_name(conn: &Write, slug: &Slug, name: &str) -> Result<()> {
    conn.execute(
        "UPDATE tenants SET name = ?2 WHERE slug = ?1",
        params![slug.as_str(), name],
    )?;
    Ok(())
}

pub fn remove(conn: &Write, slug: &Slug) -> Result<()> {
    conn.execute("DELETE FROM tenants WHERE slug = ?1", [slug.as_str()])?;
    Ok(())
}

/// Marks that the tenant's outbox may hold mail due at `at` (keeps an earlier hint).
pub fn note_mail_due(conn: &Write, slug: &Slug, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE tenants SET mail_due_at = min(coalesce(mail_due_at, ?2), ?2) WHERE slug = ?1",
        params![slug.as_str(), at],
    )?;
    Ok(())
}

/// Clears the hint before the mailer looks at the tenant's outbox; anything queued meanwhile
/// sets it again.
pub fn clear_mail_due(conn: &Write, slug: &Slug) -> Result<()> {
    conn.execute(
        "UPDATE tenants SET mail_due_at = NULL WHERE slug = ?1",
        [slug.as_str()],
    )?;
    Ok(())
}

/// Records what the mailer left in the tenant's outbox: how much, and when it is next due.
pub fn set_mail_state(
    conn: &Write,
    slug: &Slug,
    next_due: Option<&str>,
    backlog: i64,
) -> Result<()> {
    conn.execute(
        "UPDATE tenants SET mail_due_at = CASE WHEN ?2 IS NULL THEN mail_due_at
           ELSE min(coalesce(mail_due_at, ?2), ?2) END, mail_backlog = ?3 WHERE slug = ?1",
        params![slug.as_str(), next_due, backlog],
    )?;
    Ok(())
}

/// At start: every tenant that had mail waiting is looked at once, whatever its hint says
/// (the SMTP settings may have changed while the server was down).
pub fn wake_all_mail(conn: &Write, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE tenants SET mail_due_at = ?1 WHERE mail_backlog > 0 OR mail_due_at IS NOT NULL",
        [now],
    )?;
    Ok(())
}

/// Active tenants whose outbox hint is due at `now`.
pub fn mail_due(conn: &Connection, now: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT slug FROM tenants WHERE mail_due_at <= ?1 AND status = 'active' ORDER BY mail_due_at",
    )?;
    let rows = stmt
        .query_map([now], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The earliest outbox hint of any active tenant: when the mailer must look next.
pub fn next_mail_due(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT min(mail_due_at) FROM tenants WHERE status = 'active'",
        [],
        |r| r.get(0),
    )?)
}

pub fn mail_backlog(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(mail_backlog), 0) FROM tenants",
        [],
        |r| r.get(0),
    )?)
}

/// Sets when the tenant next has timed automation work (`None`: nothing timed).
pub fn set_jobs_due(conn: &Write, slug: &Slug, at: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE tenants SET jobs_due_at = ?2 WHERE slug = ?1",
        params![slug.as_str(), at],
    )?;
    Ok(())
}

/// Brings the tenant's automation hint forward to `at` (for work that a process without an
/// automation worker, the CLI, leaves to the server's).
pub fn bring_jobs_due(conn: &Write, slug: &Slug, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE tenants SET jobs_due_at = min(coalesce(jobs_due_at, ?2), ?2) WHERE slug = ?1",
        params![slug.as_str(), at],
    )?;
    Ok(())
}

/// Active tenants whose automation hint is due at `now`.
pub fn jobs_due(conn: &Connection, now: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT slug FROM tenants WHERE jobs_due_at <= ?1 AND status = 'active' ORDER BY jobs_due_at",
    )?;
    let rows = stmt
        .query_map([now], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The earliest automation hint of any active tenant.
pub fn next_jobs_due(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT min(jobs_due_at) FROM tenants WHERE status = 'active'",
        [],
        |r| r.get(0),
    )?)
}

/// Active tenants whose daily upkeep last ran at `before` or earlier (or never), the longest waiting
/// first, at most `limit`.
pub fn upkeep_due(conn: &Connection, before: &str, limit: usize) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT slug FROM tenants WHERE status = 'active' AND (upkeep_at IS NULL OR upkeep_at <= ?1)
         ORDER BY upkeep_at IS NOT NULL, upkeep_at LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![before, limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn set_upkeep_done(conn: &Write, slug: &Slug, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE tenants SET upkeep_at = ?2 WHERE slug = ?1",
        params![slug.as_str(), at],
    )?;
    Ok(())
}
