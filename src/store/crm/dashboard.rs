//! The figures of the dashboard, for a period `[from, to)` and in the account's currency.
//!
//! Open deals come from the totals the triggers keep per stage and owner (deal_totals); deals
//! closed in the period are read in grouped passes over covering indexes (by status and owner;
//! won per month), and the figures are put together from those groups, instead of one query
//! per figure.

use crate::error::Result;
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

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

/// Won / (won + lost), in percent; `None` when nothing closed.
fn win_rate(won: i64, lost: i64) -> Option<f64> {
    let closed = won + lost;
    (closed > 0).then(|| won as f64 * 100.0 / closed as f64)
}

impl Figures {
    pub fn win_rate(&self) -> Option<f64> {
        win_rate(self.won, self.lost)
    }
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct OwnerFigures {
    pub owner_id: Option<i64>,
    pub won: i64,
    pub lost: i64,
    pub won_value: i64,
    pub open_value: i64,
}

impl OwnerFigures {
    pub fn win_rate(&self) -> Option<f64> {
        win_rate(self.won, self.lost)
    }
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    pub figures: Figures,
    /// Open deals per open stage of the pipeline: (stage, count, value).
    pub by_stage: Vec<(String, i64, i64)>,
    /// Won value per month, `YYYY-MM`.
    pub by_month: Vec<(String, i64)>,
    /// Most won value first.
    pub by_owner: Vec<OwnerFigures>,
}

/// The period `[from, to)`; `now` and `week_ahead` for tasks; `months_from` for the monthly chart.
pub struct Window<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub now: &'a str,
    pub week_ahead: &'a str,
    pub months_from: &'a str,
}

pub fn dashboard(
    conn: &Connection,
    w: &Window,
    currency: &str,
    pipeline: &super::pipelines::Pipeline,
) -> Result<Dashboard> {
    let mut d = Dashboard::default();
    let mut owners: BTreeMap<Option<i64>, OwnerFigures> = BTreeMap::new();
    // Every pipeline's stages: open deals of all pipelines count in the weighted value.
    let probability: BTreeMap<i64, i64> = conn
        .prepare_cached("SELECT id, probability FROM stages")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;

    let mut open_by_stage: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    // deal_totals is kept by triggers (migrations/0006_import_and_lists.sql).
    let mut stmt = conn.prepare_cached(
        "SELECT stage_id, nullif(owner_id, 0), deals, amount FROM deal_totals
         WHERE status = 'open' AND currency = ?1 AND deals > 0",
    )?;
    let rows = stmt.query_map([currency], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (stage, owner, count, value) = row?;
        d.figures.open_value += value;
        let chance = probability.get(&stage).copied().unwrap_or(0);
        d.figures.weighted_value += value * chance / 100;
        let e = open_by_stage.entry(stage).or_default();
        e.0 += count;
        e.1 += value;
        owners
            .entry(owner)
            .or_insert_with(|| OwnerFigures {
                owner_id: owner,
                ..Default::default()
            })
            .open_value += value;
    }
    d.by_stage = pipeline
        .stages
        .iter()
        .filter(|s| s.kind == "open")
        .map(|s| {
            let (count, value) = open_by_stage.get(&s.id).copied().unwrap_or_default();
            (s.name.clone(), count, value)
        })
        .collect();

    let mut stmt = conn.prepare_cached(
        "SELECT status, owner_id, count(*), coalesce(sum(CASE WHEN currency = ?3 THEN amount END), 0) FROM deals
         WHERE status IN ('won', 'lost') AND deleted_at IS NULL AND closed_at >= ?1 AND closed_at < ?2 GROUP BY status, owner_id",
    )?;
    let rows = stmt.query_map(params![w.from, w.to, currency], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (status, owner, count, value) = row?;
        let o = owners.entry(owner).or_insert_with(|| OwnerFigures {
            owner_id: owner,
            ..Default::default()
        });
        if status == "won" {
            d.figures.won += count;
            d.figures.won_value += value;
            o.won += count;
            o.won_value += value;
        } else {
            d.figures.lost += count;
            o.lost += count;
        }
    }
    d.by_owner = owners.into_values().collect();
    d.by_owner.sort_by(|a, b| {
        b.won_value
            .cmp(&a.won_value)
            .then(b.open_value.cmp(&a.open_value))
    });

    let mut stmt = conn.prepare_cached(
        "SELECT substr(closed_at, 1, 7), sum(amount) FROM deals
         WHERE status = 'won' AND deleted_at IS NULL AND closed_at >= ?1 AND closed_at < ?2 AND currency = ?3 GROUP BY 1 ORDER BY 1",
    )?;
    d.by_month = stmt
        .query_map(params![w.months_from, w.to, currency], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;

    let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<i64> {
        conn.prepare_cached(sql)?.query_row(p, |r| r.get(0))
    };
    // New contacts and new leads in one pass over the period's index entries.
    (d.figures.new_contacts, d.figures.new_leads) = conn
        .prepare_cached(
            "SELECT count(*), count(*) FILTER (WHERE lifecycle = 'lead') FROM contacts
             WHERE deleted_at IS NULL AND created_at >= ?1 AND created_at < ?2",
        )?
        .query_row(params![w.from, w.to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    // Kept by triggers (migrations/0006_import_and_lists.sql).
    d.figures.customers = one(
        "SELECT coalesce(sum(contacts), 0) FROM contact_lifecycles WHERE lifecycle = 'customer'",
        &[],
    )?;
    d.figures.tasks_due = one(
        "SELECT count(*) FROM tasks WHERE status = 'open' AND deleted_at IS NULL AND due_at >= ?1 AND due_at < ?2",
        &[&w.now, &w.week_ahead],
    )?;
    d.figures.tasks_overdue = one(
        "SELECT count(*) FROM tasks WHERE status = 'open' AND deleted_at IS NULL AND due_at < ?1",
        &[&w.now],
    )?;
    Ok(d)
}

#[cfg(test)]
mod tests {
    use crate::store::scratch::Scratch;

    /// The live contacts per lifecycle the triggers keep equal a recount after every change.
    #[test]
    fn kept_lifecycle_counts_match_a_recount() {
        let scratch = Scratch::new();
        let conn = scratch.conn();
        let rows = |sql: &str| -> Vec<(String, i64)> {
            conn.prepare(sql)
                .expect("prepare")
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("query")
                .collect::<rusqlite::Result<_>>()
                .expect("rows")
        };
        let steps = [
            "INSERT INTO contacts (id, first_name, lifecycle, created_at, updated_at) VALUES
                (1, 'a', 'lead', '', ''), (2, 'b', 'customer', '', ''), (3, 'c', 'customer', '', '')",
            "UPDATE contacts SET lifecycle = 'customer' WHERE id = 1",
            "UPDATE contacts SET deleted_at = 'x' WHERE id = 2",
            "UPDATE contacts SET first_name = 'renamed' WHERE id = 2",
            "UPDATE contacts SET lifecycle = 'former', deleted_at = NULL WHERE id = 2",
            "UPDATE contacts SET deleted_at = 'x' WHERE id = 3",
            "DELETE FROM contacts WHERE id IN (1, 3)",
        ];
        for step in steps {
            conn.execute_batch(step).expect(step);
            assert_eq!(
                rows(
                    "SELECT lifecycle, contacts FROM contact_lifecycles WHERE contacts > 0 ORDER BY 1"
                ),
                rows(
                    "SELECT lifecycle, count(*) FROM contacts WHERE deleted_at IS NULL GROUP BY 1 ORDER BY 1"
                ),
                "after {step}"
            );
        }
        assert_eq!(
            rows("SELECT lifecycle, contacts FROM contact_lifecycles WHERE contacts > 0"),
            [("former".to_string(), 1)]
        );
    }
}
