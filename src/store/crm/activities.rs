//! The activity timeline.

pub use crate::domain::activity::{Activity, Scope};
use crate::domain::ids::{ActivityId, CompanyId, ContactId, DealId, TaskId};
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

#[derive(Debug, Clone, Default)]
pub struct NewActivity<'a> {
    pub kind: &'a str,
    pub summary: String,
    /// The summary as a catalogue key and blanks (`domain::said`), for readers of any language.
    pub said: Option<String>,
    pub body: String,
    pub outcome: Option<String>,
    pub contact_id: Option<ContactId>,
    pub company_id: Option<CompanyId>,
    pub deal_id: Option<DealId>,
    pub task_id: Option<TaskId>,
    pub actor_id: Option<i64>,
    pub occurred_at: String,
}

pub fn insert(conn: &Write, a: &NewActivity, now: &str) -> Result<ActivityId> {
    conn.prepare_cached(
        "INSERT INTO activities (kind, summary, body, outcome, contact_id, company_id, deal_id, task_id, actor_id, occurred_at, created_at, said)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![a.kind, a.summary, a.body, a.outcome, a.contact_id, a.company_id, a.deal_id, a.task_id, a.actor_id, a.occurred_at, now, a.said],
    )?;
    Ok(ActivityId(conn.last_insert_rowid()))
}

const COLUMNS: &str = "id, kind, summary, body, outcome, contact_id, company_id, deal_id, task_id, actor_id, occurred_at, created_at, said";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Activity> {
    Ok(Activity {
        id: r.get(0)?,
        kind: r.get(1)?,
        summary: r.get(2)?,
        body: r.get(3)?,
        outcome: r.get(4)?,
        contact_id: r.get(5)?,
        company_id: r.get(6)?,
        deal_id: r.get(7)?,
        task_id: r.get(8)?,
        actor_id: r.get(9)?,
        occurred_at: r.get(10)?,
        created_at: r.get(11)?,
        said: r.get(12)?,
    })
}

/// Newest first: a page and the total. The page starts after the entry `after` (its time and
/// id) when given, else at `offset`.
pub fn list(
    conn: &Connection,
    scope: Scope,
    kind: Option<&str>,
    (limit, offset): (i64, i64),
    after: Option<(&str, i64)>,
) -> Result<(Vec<Activity>, i64)> {
    // Only the conditions asked for, so that SQLite can read along the index that has them.
    let mut wheres = Vec::new();
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    if let Some((column, id)) = scope.on {
        wheres.push(format!("{column} = ?"));
        values.push(id.into());
    }
    if let Some(kind) = kind {
        wheres.push("kind = ?".to_string());
        values.push(kind.to_string().into());
    }
    let filter = if wheres.is_empty() {
        "1".to_string()
    } else {
        wheres.join(" AND ")
    };
    let kept = match (scope.on, kind) {
        (None, None) => Some("activities".to_string()),
        (None, Some(kind)) => Some(format!("activities.{kind}")),
        _ => None,
    };
    let total: i64 = if let Some(entity) = kept {
        conn.prepare_cached("SELECT coalesce(max(live), 0) FROM record_counts WHERE entity = ?1")?
            .query_row([entity], |r| r.get(0))?
    } else {
        conn.prepare_cached(&format!("SELECT count(*) FROM activities WHERE {filter}"))?
            .query_row(params_from_iter(values.iter()), |r| r.get(0))?
    };
    let (mut filter, mut offset) = (filter, offset);
    if let Some((at, id)) = after {
        filter = format!("{filter} AND occurred_at <= ? AND (occurred_at < ? OR id < ?)");
        values.extend([at.to_string().into(), at.to_string().into(), id.into()]);
        offset = 0;
    }
    values.extend([limit.into(), offset.into()]);
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM activities WHERE {filter} ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?"))?;
    let rows = stmt
        .query_map(params_from_iter(values.iter()), from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok((rows, total))
}

pub fn get(conn: &Connection, id: ActivityId) -> Result<Option<Activity>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM activities WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

pub fn update_logged(
    conn: &Write,
    id: i64,
    summary: &str,
    body: &str,
    outcome: Option<&str>,
    occurred_at: &str,
) -> Result<()> {
    conn.execute("UPDATE activities SET summary = ?2, body = ?3, outcome = ?4, occurred_at = ?5 WHERE id = ?1", params![id, summary, body, outcome, occurred_at])?;
    Ok(())
}

pub fn delete(conn: &Write, id: ActivityId) -> Result<()> {
    if conn.execute("DELETE FROM activities WHERE id = ?1", [id])? == 0 {
        Err(Error::NotFound)
    } else {
        Ok(())
    }
}
