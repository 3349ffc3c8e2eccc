//! The figures of the dashboard, for a period `[from, to)` and in the account's currency.

use crate::error::Result;
use rusqlite::{Connection, params};

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Figures {
    pub won: i64,
    pub lost: i64,
    pub won_value: i64,
    pub open_value: i64,
    /// Open value times each stage's probability.
    pub weighted_value: i64,
    pub new_contacts: i64,
    pub new_leads: i64,
    pub customers: i64,
    /// Open tasks due from now to a week ahead, and open tasks due before now.
    pub tasks_due: i64,
    pub tasks_overdue: i64,
}

impl Figures {
    /// Won / (won + lost), in percent; `None` when nothing closed.
    pub fn win_rate(&self) -> Option<f64> {
        let closed = self.won + self.lost;
        (closed > 0).then(|| self.won as f64 * 100.0 / closed as f64)
    }
}

pub fn figures(
    conn: &Connection,
    from: &str,
    to: &str,
    now: &str,
    week_ahead: &str,
    currency: &str,
) -> Result<Figures> {
    let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<i64> {
        conn.prepare_cached(sql)?.query_row(p, |r| r.get(0))
    };
    let closed = "SELECT count(*) FROM deals WHERE status = ?1 AND deleted_at IS NULL AND closed_at >= ?2 AND closed_at < ?3";
    Ok(Figures {
        won: one(closed, &[&"won", &from, &to])?,
        lost: one(closed, &[&"lost", &from, &to])?,
        won_value: one(
            "SELECT coalesce(sum(amount), 0) FROM deals WHERE status = 'won' AND deleted_at IS NULL AND closed_at >= ?1 AND closed_at < ?2 AND currency = ?3",
            &[&from, &to, &currency],
        )?,
        open_value: one("SELECT coalesce(sum(amount), 0) FROM deals WHERE status = 'open' AND deleted_at IS NULL AND currency = ?1", &[&currency])?,
        weighted_value: one(
            "SELECT coalesce(sum(d.amount * s.probability / 100), 0) FROM deals d JOIN stages s ON s.id = d.stage_id
             WHERE d.status = 'open' AND d.deleted_at IS NULL AND d.currency = ?1",
            &[&currency],
        )?,
        new_contacts: one("SELECT count(*) FROM contacts WHERE deleted_at IS NULL AND created_at >= ?1 AND created_at < ?2", &[&from, &to])?,
        new_leads: one(
            "SELECT count(*) FROM contacts WHERE deleted_at IS NULL AND created_at >= ?1 AND created_at < ?2 AND lifecycle = 'lead'",
            &[&from, &to],
        )?,
        customers: one("SELECT count(*) FROM contacts WHERE deleted_at IS NULL AND lifecycle = 'customer'", &[])?,
        tasks_due: one("SELECT count(*) FROM tasks WHERE status = 'open' AND deleted_at IS NULL AND due_at >= ?1 AND due_at < ?2", &[&now, &week_ahead])?,
        tasks_overdue: one("SELECT count(*) FROM tasks WHERE status = 'open' AND deleted_at IS NULL AND due_at < ?1", &[&now])?,
    })
}

/// Open deals per stage of a pipeline: (stage, count, value in the currency).
pub fn by_stage(
    conn: &Connection,
    pipeline: i64,
    currency: &str,
) -> Result<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.name, count(d.id), coalesce(sum(CASE WHEN d.currency = ?2 THEN d.amount END), 0)
         FROM stages s LEFT JOIN deals d ON d.stage_id = s.id AND d.deleted_at IS NULL AND d.status = 'open'
         WHERE s.pipeline_id = ?1 AND s.kind = 'open' GROUP BY s.id ORDER BY s.position",
    )?;
    let rows = stmt
        .query_map(params![pipeline, currency], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Won value per month (`YYYY-MM`) from `from`.
pub fn won_by_month(
    conn: &Connection,
    from: &str,
    to: &str,
    currency: &str,
) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT substr(closed_at, 1, 7), sum(amount) FROM deals
         WHERE status = 'won' AND deleted_at IS NULL AND closed_at >= ?1 AND closed_at < ?2 AND currency = ?3
         GROUP BY 1 ORDER BY 1",
    )?;
    let rows = stmt
        .query_map(params![from, to, currency], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OwnerFigures {
    pub owner_id: Option<i64>,
    pub won: i64,
    pub lost: i64,
    pub won_value: i64,
    pub open_value: i64,
}

/// Won, lost and open per owner, most won value first.
pub fn by_owner(
    conn: &Connection,
    from: &str,
    to: &str,
    currency: &str,
) -> Result<Vec<OwnerFigures>> {
    let mut stmt = conn.prepare_cached(
        "SELECT owner_id,
           sum(status = 'won' AND closed_at >= ?1 AND closed_at < ?2),
           sum(status = 'lost' AND closed_at >= ?1 AND closed_at < ?2),
           coalesce(sum(CASE WHEN status = 'won' AND closed_at >= ?1 AND closed_at < ?2 AND currency = ?3 THEN amount END), 0),
           coalesce(sum(CASE WHEN status = 'open' AND currency = ?3 THEN amount END), 0)
         FROM deals WHERE deleted_at IS NULL AND (status = 'open' OR closed_at >= ?1 AND closed_at < ?2)
         GROUP BY owner_id ORDER BY 4 DESC, 5 DESC",
    )?;
    let rows = stmt
        .query_map(params![from, to, currency], |r| {
            Ok(OwnerFigures {
                owner_id: r.get(0)?,
                won: r.get(1)?,
                lost: r.get(2)?,
                won_value: r.get(3)?,
                open_value: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
