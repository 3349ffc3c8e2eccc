//! Totals the triggers keep, so lists, the board and the dashboard read a few rows instead of
//! adding up every record: `record_counts` (live and trashed records per table, 0004),
//! `deal_totals` (live deals per stage, status, currency and owner, 0 for none) and
//! `contact_lifecycles` (live contacts per lifecycle), both 0006.

use crate::domain::crm::Entity;
use crate::domain::ids::{PipelineId, StageId};
use crate::error::Result;
use rusqlite::Connection;

/// How many live (or trashed) records the table holds.
pub fn records(conn: &Connection, entity: Entity, trashed: bool) -> Result<i64> {
    let column = if trashed { "trashed" } else { "live" };
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {column} FROM record_counts WHERE entity = ?1"
        ))?
        .query_row([entity.table()], |r| r.get(0))?)
}

/// Live deals per stage of a pipeline (of one owner, when given): (stage, currency, count,
/// total amount).
pub fn by_stage(
    conn: &Connection,
    pipeline: PipelineId,
    owner: Option<i64>,
) -> Result<Vec<(StageId, String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.stage_id, t.currency, sum(t.deals), sum(t.amount) FROM deal_totals t
         JOIN stages s ON s.id = t.stage_id
         WHERE s.pipeline_id = ?1 AND t.deals > 0 AND (?2 IS NULL OR t.owner_id = ?2)
         GROUP BY t.stage_id, t.currency",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![pipeline, owner], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Live open deals per pipeline, for the pipeline switcher.
pub fn open_by_pipeline(conn: &Connection) -> Result<Vec<(PipelineId, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.pipeline_id, sum(t.deals) FROM deal_totals t JOIN stages s ON s.id = t.stage_id
         WHERE t.status = 'open' GROUP BY s.pipeline_id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One group of open deals: stage, owner, count and total amount.
pub type OpenDeals = (StageId, Option<i64>, i64, i64);

/// Live open deals in `currency` per stage and owner.
pub fn open_deals(conn: &Connection, currency: &str) -> Result<Vec<OpenDeals>> {
    let mut stmt = conn.prepare_cached(
        "SELECT stage_id, nullif(owner_id, 0), deals, amount FROM deal_totals
         WHERE status = 'open' AND currency = ?1 AND deals > 0",
    )?;
    let rows = stmt
        .query_map([currency], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Live contacts in a lifecycle stage.
pub fn contacts_in_lifecycle(conn: &Connection, lifecycle: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(contacts), 0) FROM contact_lifecycles WHERE lifecycle = ?1",
        )?
        .query_row([lifecycle], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use crate::store::scratch::Scratch;

    /// The totals the triggers keep equal a count of the live deals after every kind of change.
    #[test]
    fn kept_deal_totals_match_a_recount() {
        let scratch = Scratch::new();
        let conn = scratch.conn();
        let kept = || -> Vec<(i64, String, String, i64, i64, i64)> {
            conn.prepare(
                "SELECT stage_id, status, currency, owner_id, deals, amount FROM deal_totals
                 WHERE deals > 0 ORDER BY 1, 2, 3, 4",
            )
            .expect("prepare")
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
        };
        let counted =
            || -> Vec<(i64, String, String, i64, i64, i64)> {
                conn.prepare(
                "SELECT stage_id, status, currency, coalesce(owner_id, 0), count(*), sum(amount)
                 FROM deals WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
            )
            .expect("prepare")
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
            };
        conn.execute_batch(
            "INSERT INTO pipelines (id, name, position, created_at, updated_at) VALUES (90, 'P', 9, '', '');
             INSERT INTO stages (id, pipeline_id, name, position, probability, kind, created_at, updated_at) VALUES
                (91, 90, 'New', 1, 10, 'open', '', ''), (92, 90, 'Won', 2, 100, 'won', '', '');",
        )
        .expect("pipeline");
        let steps = [
            "INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, created_at, updated_at) VALUES
                (1, 'a', 90, 91, 100, 'EUR', '', ''), (2, 'b', 90, 91, 250, 'EUR', '', ''),
                (3, 'c', 90, 91, 70, 'USD', '', ''), (4, 'd', 90, 91, 5, 'EUR', '', '')",
            "UPDATE deals SET amount = 300 WHERE id = 2",
            "UPDATE deals SET stage_id = 92, status = 'won' WHERE id = 1",
            "UPDATE deals SET currency = 'EUR' WHERE id = 3",
            "INSERT INTO users (id, email, role, created_at, updated_at) VALUES (7, 'o@x.test', 'member', '', '')",
            "UPDATE deals SET owner_id = 7 WHERE id IN (1, 3)",
            "UPDATE deals SET deleted_at = 'x' WHERE id = 2",
            "UPDATE deals SET title = 'renamed' WHERE id = 2",
            "UPDATE deals SET deleted_at = NULL WHERE id = 2",
            "UPDATE deals SET deleted_at = 'x' WHERE id = 4",
            "DELETE FROM deals WHERE id IN (3, 4)",
        ];
        for step in steps {
            conn.execute_batch(step).expect(step);
            assert_eq!(kept(), counted(), "after {step}");
        }
        assert_eq!(
            kept(),
            [
                (91, "open".into(), "EUR".into(), 0, 1, 300),
                (92, "won".into(), "EUR".into(), 7, 1, 100)
            ]
        );
    }

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

    /// The count of activities the triggers keep equals a recount, also when purging a
    /// contact deletes its timeline by cascade.
    #[test]
    fn kept_activity_count_matches_a_recount() {
        let scratch = Scratch::new();
        let conn = scratch.conn();
        let kept_and_counted = || -> (i64, i64) {
            conn.query_row(
                "SELECT (SELECT live FROM record_counts WHERE entity = 'activities'),
                        (SELECT count(*) FROM activities)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("counts")
        };
        let calls = || -> (i64, i64) {
            conn.query_row(
                "SELECT (SELECT coalesce(max(live), 0) FROM record_counts WHERE entity = 'activities.call'),
                        (SELECT count(*) FROM activities WHERE kind = 'call')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("calls")
        };
        let steps = [
            "INSERT INTO contacts (id, first_name, created_at, updated_at) VALUES (1, 'a', '', ''), (2, 'b', '', '')",
            "INSERT INTO activities (kind, summary, body, contact_id, occurred_at, created_at) VALUES
                ('call', 's', '', 1, 't', 't'), ('email', 's', '', 1, 't', 't'), ('call', 's', '', 2, 't', 't')",
            "DELETE FROM activities WHERE kind = 'email'",
            "UPDATE activities SET kind = 'meeting' WHERE contact_id = 2",
            "DELETE FROM contacts WHERE id = 1",
        ];
        for step in steps {
            conn.execute_batch(step).expect(step);
            let (kept, counted) = kept_and_counted();
            assert_eq!(kept, counted, "after {step}");
            let (kept, counted) = calls();
            assert_eq!(kept, counted, "calls after {step}");
        }
        assert_eq!(kept_and_counted(), (1, 1));
    }
}
