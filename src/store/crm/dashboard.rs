//! The figures of the dashboard, for a period `[from, to)` and in the account's currency.
//!
//! Open deals and customers come from the totals the triggers keep (`totals`); new contacts
//! and deals closed in the period from the daily rollups (`daily`), grouped by status and owner
//! and per month, and the figures are put together from those groups, instead of one query
//! per figure.

use super::{daily, totals};
use crate::domain::ids::StageId;
use crate::error::Result;
use rusqlite::Connection;
use std::collections::BTreeMap;

pub use crate::domain::dashboard::{Dashboard, Figures, OwnerFigures, Window};

pub fn dashboard(
    conn: &Connection,
    w: &Window,
    currency: &str,
    pipeline: &super::pipelines::Pipeline,
) -> Result<Dashboard> {
    let mut d = Dashboard::default();
    let mut owners: BTreeMap<Option<i64>, OwnerFigures> = BTreeMap::new();
    open_deals(conn, &mut d, &mut owners, currency, pipeline)?;
    let period = daily::Cut::new(w.from, w.to);
    for (status, owner, count, value) in daily::deals_closed(conn, &period, currency)? {
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

    // Each month of the chart is the viewer's month, cut at their midnights like the period.
    d.by_month = w
        .months
        .iter()
        .map(|(month, from, to)| {
            let won = daily::won_in(conn, &daily::Cut::new(from, to), currency)?;
            Ok((month.clone(), won))
        })
        .collect::<Result<_>>()?;
    if d.by_month.iter().all(|(_, won)| *won == 0) {
        d.by_month.clear();
    }

    let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<i64> {
        conn.prepare_cached(sql)?.query_row(p, |r| r.get(0))
    };
    (d.figures.new_contacts, d.figures.new_leads) = daily::contacts_created(conn, &period)?;
    d.figures.customers = totals::contacts_in_lifecycle(conn, "customer")?;
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

/// The open and weighted value, per stage of `pipeline` and per owner.
fn open_deals(
    conn: &Connection,
    d: &mut Dashboard,
    owners: &mut BTreeMap<Option<i64>, OwnerFigures>,
    currency: &str,
    pipeline: &super::pipelines::Pipeline,
) -> Result<()> {
    // Every pipeline's stages: open deals of all pipelines count in the weighted value.
    let probability: BTreeMap<StageId, i64> = conn
        .prepare_cached("SELECT id, probability FROM stages")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;

    let mut open_by_stage: BTreeMap<StageId, (i64, i64)> = BTreeMap::new();
    for (stage, owner, count, value) in totals::open_deals(conn, currency)? {
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
    Ok(())
}
