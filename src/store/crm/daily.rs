//! The dashboard's figures for a period, from the daily rollups the triggers keep (0007):
//! `contacts_per_day` (live contacts per UTC day created and lifecycle) and
//! `deals_closed_per_day` (live won and lost deals per UTC day closed, status, owner and
//! currency).
//!
//! A period is cut at UTC midnights (`Cut`). Its whole days are summed from the rollups, a few
//! thousand rows a year at most, and only the instants before its first and after its last
//! whole day are counted from the records. So every figure is exact for any period boundary,
//! and a year costs about as much as a month.

use crate::clock::parse_stamp;
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, ToSql};

/// The period `[from, to)` cut at UTC midnights: the whole days `[first_day, end_day)` and the
/// parts around them, `[from, head_end)` and `[tail_from, to)`.
#[derive(Debug)]
pub struct Cut {
    from: String,
    to: String,
    first_day: String,
    end_day: String,
    head_end: String,
    tail_from: String,
}

impl Cut {
    /// Cuts `[from, to)`, two stamps. A period without a whole day in it (or with a stamp that
    /// does not parse) is counted from the records alone.
    pub fn new(from: &str, to: &str) -> Cut {
        let midnight = |day: NaiveDate| format!("{day}T00:00:00Z");
        let whole_days = parse_stamp(from).zip(parse_stamp(to)).and_then(|(f, t)| {
            let first = match midnight(f.date_naive()) == from {
                true => f.date_naive(),
                false => f.date_naive().succ_opt()?,
            };
            let end = t.date_naive();
            (first < end).then_some((first, end))
        });
        match whole_days {
            Some((first, end)) => Cut {
                from: from.to_string(),
                to: to.to_string(),
                first_day: first.to_string(),
                end_day: end.to_string(),
                head_end: midnight(first),
                tail_from: midnight(end),
            },
            None => Cut {
                from: from.to_string(),
                to: to.to_string(),
                first_day: String::new(),
                end_day: String::new(),
                head_end: to.to_string(),
                tail_from: to.to_string(),
            },
        }
    }

    /// A statement's rows for the whole period: `whole_days` reads the rollup, with `{days}`
    /// standing for the whole days; `records` reads the records twice, for the part-days at the
    /// start and at the end, with `{from}` and `{to}` standing for each part's bounds. Bind
    /// `params` to it.
    fn union(whole_days: &str, records: &str) -> String {
        let part = |from, to| records.replace("{from}", from).replace("{to}", to);
        format!(
            "{} UNION ALL {} UNION ALL {}",
            whole_days.replace("{days}", "day >= :first_day AND day < :end_day"),
            part(":from", ":head_end"),
            part(":tail_from", ":to")
        )
    }

    /// The cut as named parameters.
    fn params(&self) -> Vec<(&str, &dyn ToSql)> {
        vec![
            (":from", &self.from),
            (":to", &self.to),
            (":first_day", &self.first_day),
            (":end_day", &self.end_day),
            (":head_end", &self.head_end),
            (":tail_from", &self.tail_from),
        ]
    }
}

/// Live contacts created in the period, and how many of those are leads.
pub fn contacts_created(conn: &Connection, cut: &Cut) -> Result<(i64, i64)> {
    let parts = Cut::union(
        "SELECT sum(contacts) AS n, sum(contacts) FILTER (WHERE lifecycle = 'lead') AS leads
         FROM contacts_per_day WHERE {days}",
        "SELECT count(*), count(*) FILTER (WHERE lifecycle = 'lead') FROM contacts
         WHERE deleted_at IS NULL AND created_at >= {from} AND created_at < {to}",
    );
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT coalesce(sum(n), 0), coalesce(sum(leads), 0) FROM ({parts})"
    ))?;
    Ok(stmt.query_row(cut.params().as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// One group of deals closed in a period: status, owner, count, and value in the currency.
pub type Closed = (String, Option<i64>, i64, i64);

/// Live deals won or lost in the period per status and owner; value counts `currency` only.
pub fn deals_closed(conn: &Connection, cut: &Cut, currency: &str) -> Result<Vec<Closed>> {
    let parts = Cut::union(
        "SELECT status, owner_id, deals, CASE WHEN currency = :currency THEN amount ELSE 0 END AS value
         FROM deals_closed_per_day WHERE {days}",
        "SELECT status, coalesce(owner_id, 0), 1, CASE WHEN currency = :currency THEN amount ELSE 0 END
         FROM deals WHERE status IN ('won', 'lost') AND deleted_at IS NULL
           AND closed_at >= {from} AND closed_at < {to}",
    );
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT status, nullif(owner_id, 0), sum(deals), sum(value) FROM ({parts})
         GROUP BY status, owner_id HAVING sum(deals) > 0"
    ))?;
    let mut params = cut.params();
    params.push((":currency", &currency));
    let rows = stmt
        .query_map(params.as_slice(), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Value of the live deals won in the period in `currency`.
pub fn won_in(conn: &Connection, cut: &Cut, currency: &str) -> Result<i64> {
    let parts = Cut::union(
        "SELECT amount FROM deals_closed_per_day
         WHERE {days} AND status = 'won' AND currency = :currency AND deals > 0",
        "SELECT amount FROM deals
         WHERE status = 'won' AND deleted_at IS NULL AND currency = :currency
           AND closed_at >= {from} AND closed_at < {to}",
    );
    let mut stmt =
        conn.prepare_cached(&format!("SELECT coalesce(sum(amount), 0) FROM ({parts})"))?;
    let mut params = cut.params();
    params.push((":currency", &currency));
    Ok(stmt.query_row(params.as_slice(), |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::scratch::Scratch;

    #[test]
    fn a_period_is_cut_at_utc_midnights() {
        let cut = Cut::new("2026-10-22T09:30:00Z", "2026-11-21T09:30:01Z");
        assert_eq!(
            (cut.first_day.as_str(), cut.end_day.as_str()),
            ("2026-10-23", "2026-11-21")
        );
        assert_eq!(cut.head_end, "2026-10-23T00:00:00Z");
        assert_eq!(cut.tail_from, "2026-11-21T00:00:00Z");
        // A period starting at midnight has its first day whole.
        let cut = Cut::new("2025-12-01T00:00:00Z", "2026-11-21T09:30:01Z");
        assert_eq!(cut.first_day, "2025-12-01");
        assert_eq!(cut.head_end, "2025-12-01T00:00:00Z");
        // Within one day, or from 23:00 to 01:00: no whole day, all from the records.
        for (from, to) in [
            ("2026-11-21T01:00:00Z", "2026-11-21T09:00:00Z"),
            ("2026-11-20T23:00:00Z", "2026-11-21T01:00:00Z"),
            ("not a stamp", "2026-11-21T01:00:00Z"),
        ] {
            let cut = Cut::new(from, to);
            assert_eq!((cut.first_day.as_str(), cut.end_day.as_str()), ("", ""));
            assert_eq!((cut.head_end.as_str(), cut.tail_from.as_str()), (to, to));
        }
    }

    fn rows<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> Vec<Vec<T>> {
        let mut stmt = conn.prepare(sql).expect("prepare");
        let width = stmt.column_count();
        stmt.query_map([], |r| (0..width).map(|i| r.get(i)).collect())
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    }

    /// The rollups the triggers keep equal a recount after every kind of change.
    #[test]
    fn kept_rollups_match_a_recount() {
        let scratch = Scratch::new();
        let conn = scratch.conn();
        let contacts_kept = "SELECT day, lifecycle, contacts FROM contacts_per_day
                             WHERE contacts > 0 ORDER BY 1, 2";
        let contacts_counted = "SELECT substr(created_at, 1, 10), lifecycle, count(*) FROM contacts
                                WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2";
        let deals_kept = "SELECT day, status, owner_id, currency, deals, amount
                          FROM deals_closed_per_day WHERE deals > 0 ORDER BY 1, 2, 3, 4";
        let deals_counted =
            "SELECT substr(closed_at, 1, 10), status, coalesce(owner_id, 0), currency,
                                    count(*), sum(amount)
                             FROM deals WHERE deleted_at IS NULL AND status IN ('won', 'lost')
                               AND closed_at IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4";
        let steps = [
            "INSERT INTO users (id, email, role, created_at, updated_at) VALUES (7, 'o@x.test', 'member', '', '')",
            "INSERT INTO contacts (id, first_name, lifecycle, created_at, updated_at) VALUES
                (1, 'a', 'lead', '2026-11-01T10:00:00Z', ''), (2, 'b', 'lead', '2026-11-01T23:59:59Z', ''),
                (3, 'c', 'customer', '2026-11-02T00:00:00Z', '')",
            "UPDATE contacts SET lifecycle = 'customer' WHERE id = 1",
            "UPDATE contacts SET deleted_at = 'x' WHERE id = 2",
            "UPDATE contacts SET first_name = 'renamed' WHERE id = 2",
            "UPDATE contacts SET deleted_at = NULL, lifecycle = 'former' WHERE id = 2",
            "UPDATE contacts SET created_at = '2026-10-31T08:00:00Z' WHERE id = 3",
            "DELETE FROM contacts WHERE id = 1",
            "INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, created_at, updated_at) VALUES
                (1, 'a', 1, 1, 100, 'EUR', '', ''), (2, 'b', 1, 1, 250, 'EUR', '', ''), (3, 'c', 1, 1, 70, 'USD', '', '')",
            "UPDATE deals SET stage_id = 5, status = 'won', closed_at = '2026-11-03T12:00:00Z' WHERE id IN (1, 3)",
            "UPDATE deals SET stage_id = 6, status = 'lost', closed_at = '2026-11-04T00:00:00Z' WHERE id = 2",
            "UPDATE deals SET amount = 120 WHERE id = 1",
            "UPDATE deals SET owner_id = 7 WHERE id IN (1, 2)",
            "UPDATE deals SET currency = 'EUR' WHERE id = 3",
            "UPDATE deals SET closed_at = '2026-11-05T09:00:00Z' WHERE id = 3",
            "UPDATE deals SET deleted_at = 'x' WHERE id = 2",
            "UPDATE deals SET deleted_at = NULL WHERE id = 2",
            "DELETE FROM users WHERE id = 7",
            "UPDATE deals SET stage_id = 1, status = 'open', closed_at = NULL WHERE id = 1",
            "DELETE FROM deals WHERE id = 3",
        ];
        for step in steps {
            conn.execute_batch(step).expect(step);
            assert_eq!(
                rows::<rusqlite::types::Value>(&conn, contacts_kept),
                rows(&conn, contacts_counted),
                "after {step}"
            );
            assert_eq!(
                rows::<rusqlite::types::Value>(&conn, deals_kept),
                rows(&conn, deals_counted),
                "after {step}"
            );
        }
        assert_eq!(rows::<rusqlite::types::Value>(&conn, deals_kept).len(), 1);
    }

    /// Every figure read through a cut equals a plain count over the records, for periods
    /// that start and end at midnight, inside a day, or across days and months.
    #[test]
    fn cut_figures_equal_a_plain_count() {
        let scratch = Scratch::new();
        let mut conn = scratch.conn();
        crate::store::write(&mut conn, |tx| {
            tx.execute_batch(
                "INSERT INTO users (id, email, role, created_at, updated_at) VALUES (7, 'o@x.test', 'member', '', '')",
            )?;
            // Every 7 hours and 13 minutes over about 80 days, so records fall at all times of
            // day; every 7th at the midnight before, where a cut falls.
            let start = crate::clock::parse_stamp("2026-09-01T00:00:00Z").expect("stamp");
            for n in 0..270_i64 {
                let mut at = start + chrono::Duration::minutes(n * 433);
                if n % 7 == 0 {
                    at = at.date_naive().and_hms_opt(0, 0, 0).expect("midnight").and_utc();
                }
                let at = crate::clock::stamp(at);
                let lifecycle = ["lead", "customer", "prospect"][n as usize % 3];
                tx.execute(
                    "INSERT INTO contacts (first_name, lifecycle, created_at, updated_at, deleted_at)
                     VALUES ('c', ?1, ?2, '', CASE WHEN ?3 % 11 = 0 THEN 'x' END)",
                    rusqlite::params![lifecycle, at, n],
                )?;
                let (stage, status) = [(5, "won"), (6, "lost"), (1, "open")][n as usize % 3];
                tx.execute(
                    "INSERT INTO deals (title, pipeline_id, stage_id, status, amount, currency, owner_id,
                                        closed_at, created_at, updated_at, deleted_at)
                     VALUES ('d', 1, ?1, ?2, ?3 * 10, CASE WHEN ?3 % 5 = 0 THEN 'USD' ELSE 'EUR' END,
                             CASE WHEN ?3 % 2 = 0 THEN 7 END, CASE WHEN ?2 <> 'open' THEN ?4 END, '', '',
                             CASE WHEN ?3 % 13 = 0 THEN 'x' END)",
                    rusqlite::params![stage, status, n, at],
                )?;
            }
            Ok(())
        })
        .expect("records");
        let eur = "EUR";
        let mut seen = 0;
        for (from, to) in [
            ("2026-09-01T00:00:00Z", "2026-11-21T00:00:00Z"),
            ("2026-09-10T07:13:00Z", "2026-10-02T19:00:01Z"),
            // Deals closed at 2026-09-09 and 2026-09-15 midnight, where this cut falls.
            ("2026-09-08T12:00:00Z", "2026-09-15T06:00:00Z"),
            ("2026-10-05T03:00:00Z", "2026-10-05T22:00:00Z"),
            ("2026-10-05T23:00:00Z", "2026-10-06T02:00:00Z"),
            ("2026-09-30T00:00:00Z", "2026-10-01T00:00:00Z"),
            ("2026-08-01T00:00:00Z", "2026-12-31T23:59:59Z"),
        ] {
            let cut = Cut::new(from, to);
            let live_in = |column: &str| {
                format!("deleted_at IS NULL AND {column} >= '{from}' AND {column} < '{to}'")
            };
            let (new, leads) = contacts_created(&conn, &cut).expect("contacts");
            let counted: Vec<Vec<i64>> = rows(
                &conn,
                &format!(
                    "SELECT count(*), count(*) FILTER (WHERE lifecycle = 'lead') FROM contacts WHERE {}",
                    live_in("created_at")
                ),
            );
            assert_eq!(vec![new, leads], counted[0], "{from} – {to}");
            seen += new;

            let mut closed = deals_closed(&conn, &cut, eur).expect("closed");
            closed.sort();
            let counted: Vec<Closed> = conn
                .prepare(&format!(
                    "SELECT status, owner_id, count(*), coalesce(sum(CASE WHEN currency = 'EUR' THEN amount END), 0)
                     FROM deals WHERE status IN ('won', 'lost') AND {} GROUP BY 1, 2 ORDER BY 1, 2",
                    live_in("closed_at")
                ))
                .expect("prepare")
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .expect("query")
                .collect::<rusqlite::Result<_>>()
                .expect("rows");
            assert_eq!(closed, counted, "{from} – {to}");

            let won = won_in(&conn, &cut, eur).expect("won");
            let counted: Vec<Vec<i64>> = rows(
                &conn,
                &format!(
                    "SELECT coalesce(sum(amount), 0) FROM deals
                     WHERE status = 'won' AND currency = 'EUR' AND {}",
                    live_in("closed_at")
                ),
            );
            assert_eq!(won, counted[0][0], "{from} – {to}");
        }
        assert!(seen > 250, "the periods hold contacts: {seen}");
    }
}
