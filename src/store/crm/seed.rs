//! Bulk inserts for demo data: prepared statements in the caller's one transaction, bypassing
//! the per-record write path (which would take minutes for a hundred thousand contacts). The
//! caller makes the rows consistent with the rules.

use crate::error::Result;
use rusqlite::{Connection, params};

pub struct Company<'a> {
    pub name: &'a str,
    pub domain: &'a str,
    pub industry: &'a str,
    pub size: &'a str,
    pub phone: &'a str,
    pub owner_id: Option<i64>,
    pub at: &'a str,
}

pub struct Contact<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub title: &'a str,
    pub company_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub lifecycle: &'a str,
    pub source: &'a str,
    pub at: &'a str,
}

pub struct Deal<'a> {
    pub title: &'a str,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub status: &'a str,
    pub lost_reason: Option<&'a str>,
    pub amount: i64,
    pub currency: &'a str,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub expected_close_date: &'a str,
    pub closed_at: Option<&'a str>,
    pub at: &'a str,
}

pub struct Task<'a> {
    pub title: &'a str,
    pub due_at: &'a str,
    pub priority: &'a str,
    pub status: &'a str,
    pub completed_at: Option<&'a str>,
    pub assignee_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub at: &'a str,
}

pub struct Activity<'a> {
    pub kind: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub at: &'a str,
}

pub fn company(tx: &Connection, c: &Company) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO companies (name, domain, industry, size, phone, owner_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![c.name, c.domain, c.industry, c.size, c.phone, c.owner_id, c.at])?;
    Ok(tx.last_insert_rowid())
}

pub fn contact(tx: &Connection, c: &Contact) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO contacts (first_name, last_name, email, phone, title, company_id, owner_id, lifecycle, source, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![c.first_name, c.last_name, c.email, c.phone, c.title, c.company_id, c.owner_id, c.lifecycle, c.source, c.at])?;
    Ok(tx.last_insert_rowid())
}

pub fn deal(tx: &Connection, d: &Deal) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO deals (title, pipeline_id, stage_id, status, lost_reason, amount, currency, contact_id, company_id, owner_id,
           expected_close_date, closed_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?
    .execute(params![
        d.title, d.pipeline_id, d.stage_id, d.status, d.lost_reason, d.amount, d.currency, d.contact_id, d.company_id, d.owner_id,
        d.expected_close_date, d.closed_at, d.at
    ])?;
    Ok(tx.last_insert_rowid())
}

pub fn task(tx: &Connection, t: &Task) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO tasks (title, due_at, priority, status, completed_at, assignee_id, contact_id, deal_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![t.title, t.due_at, t.priority, t.status, t.completed_at, t.assignee_id, t.contact_id, t.deal_id, t.at])?;
    Ok(tx.last_insert_rowid())
}

pub fn note(
    tx: &Connection,
    body: &str,
    contact_id: i64,
    author: Option<i64>,
    at: &str,
) -> Result<()> {
    tx.prepare_cached("INSERT INTO notes (body, contact_id, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)")?
        .execute(params![body, contact_id, author, at])?;
    Ok(())
}

pub fn activity(tx: &Connection, a: &Activity) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO activities (kind, summary, body, contact_id, company_id, deal_id, actor_id, occurred_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![a.kind, a.summary, a.body, a.contact_id, a.company_id, a.deal_id, a.actor_id, a.at])?;
    Ok(())
}

pub fn label_contact(tx: &Connection, contact: i64, label: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO contact_labels (contact_id, label_id) VALUES (?1, ?2)",
    )?
    .execute([contact, label])?;
    Ok(())
}
