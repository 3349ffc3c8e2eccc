//! Reading a page's rows in the order the list shows (or its reverse, for the page before a
//! row), either from the matches sorted (`matches`) or along the sort's index within a budget
//! of work (`along_sort`), and counting within one (`within`).

use super::conditions::{Sql, conditions};
use super::{ListQuery, Plan};
use crate::domain::crm::Entity;
use crate::error::Result;
use crate::store::crm::keyset;
use crate::store::crm::records::{Param, Record, from_row, select_list};
use rusqlite::{Connection, ErrorCode, params_from_iter};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often a budget is looked at: every this many of SQLite's virtual machine steps.
const EVERY: i32 = 100;

/// Runs `f`, stopping SQLite once it has taken `time` and `may_stop` says it may: `None` if
/// it was stopped.
pub(super) fn within<T>(
    conn: &Connection,
    time: Duration,
    may_stop: impl Fn() -> bool + Send + 'static,
    f: impl FnOnce() -> rusqlite::Result<T>,
) -> Result<Option<T>> {
    let started = Instant::now();
    conn.progress_handler(EVERY, Some(move || started.elapsed() >= time && may_stop()))?;
    let out = f();
    conn.progress_handler(0, None::<fn() -> bool>)?;
    match out {
        Ok(v) => Ok(Some(v)),
        Err(e) if stopped(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn stopped(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::OperationInterrupted)
}

/// The rows a page read, in the order it read them.
pub(super) struct Walked {
    /// The matches after the skipped ones: at most `limit + 1`.
    pub hits: Vec<Record>,
    /// Matches passed over for the query's offset.
    pub skipped: i64,
    /// The last row read when the budget ran out before the end of the list or `limit + 1`
    /// matches: where the next look goes on from.
    pub stopped: Option<Record>,
}

/// Whether the page reads backwards from its cursor (the page before a row).
fn back(query: &ListQuery) -> bool {
    query.seek.as_ref().is_some_and(|s| s.back)
}

/// The sort keys and, after a cursor, the segments of rows after it (see `keyset::segments`),
/// each with how many leading keys it holds equal; one unbounded segment without a cursor.
fn segments(entity: Entity, query: &ListQuery) -> Result<Vec<(usize, String, Vec<Value>)>> {
    let keys = keyset::keys(entity, &query.sort.0)?;
    let desc = query.sort.1 != back(query);
    Ok(match &query.seek {
        None => vec![(0, String::new(), Vec::new())],
        Some(seek) => keyset::segments(&keys, desc, &seek.keys, seek.inclusive)?
            .into_iter()
            .map(|(equal, sql, values)| (equal, format!(" AND {sql}"), values))
            .collect(),
    })
}

/// The ORDER BY of the walk's direction, without its first `skip` keys (held equal by a seek).
fn order_by(entity: Entity, query: &ListQuery, skip: usize) -> Result<String> {
    // SQLite's own order for empty values (first going up, last going down), so that an index
    // on the key can give the order without sorting; reversed, it is exactly the reverse.
    let dir = if query.sort.1 != back(query) {
        "DESC"
    } else {
        "ASC"
    };
    let mut terms: Vec<String> = keyset::keys(entity, &query.sort.0)?
        .into_iter()
        .skip(skip)
        .map(|k| format!("{k} {dir}"))
        .collect();
    terms.push(format!("r.id {dir}"));
    Ok(terms.join(", "))
}

/// The first `limit + 1` matches after `skip` (or after the cursor), read from the matches and
/// sorted: for rare ones, and for callers that want them whatever the cost. `None` if that
/// took longer than `time` (SQLite may read them along the sort after all).
pub(super) fn matches(
    conn: &Connection,
    entity: Entity,
    query: &ListQuery,
    skip: i64,
    time: Duration,
) -> Result<Option<Vec<Record>>> {
    let conds = conditions(entity, query, Plan::FromMatches)?;
    let (where_sql, params) = conds.all();
    let mut statements = Vec::new();
    for (equal, segment, values) in segments(entity, query)? {
        let sql = format!(
            "SELECT {} FROM {} WHERE {where_sql}{segment} ORDER BY {} LIMIT ? OFFSET ?",
            select_list(entity, "r"),
            conds.from,
            order_by(entity, query, equal)?,
        );
        let mut all = params.clone();
        all.extend(values);
        statements.push((sql, all));
    }
    within(
        conn,
        time,
        || true,
        || {
            let mut rows = Vec::new();
            for (sql, params) in &statements {
                let room = query.limit + 1 - rows.len() as i64;
                if room <= 0 {
                    break;
                }
                let mut all = params.clone();
                all.extend([room.into(), skip.into()]);
                let mut stmt = conn.prepare_cached(sql)?;
                let found = stmt.query_map(params_from_iter(all.iter().map(Param)), |row| {
                    from_row(entity, row)
                })?;
                rows.extend(found.collect::<rusqlite::Result<Vec<_>>>()?);
            }
            Ok(rows)
        },
    )
}

/// Walks the sort's index from the cursor (a range of it where a filter is on the sorted key),
/// testing each row against the other filters, until `limit + 1` matches past `skip`, the end,
/// or `time` has passed: a page of common matches in a few hundred rows, and of rare ones (or
/// of a rare combination) in bounded time, going on from where it stopped.
pub(super) fn along_sort(
    conn: &Connection,
    entity: Entity,
    query: &ListQuery,
    skip: i64,
    time: Duration,
) -> Result<Walked> {
    let conds = conditions(entity, query, Plan::AlongSort)?;
    let ((bound, bound_params), rest): (Sql, Option<Sql>) = conds.split();
    let (hit, hit_params) = match rest {
        Some((sql, params)) => (format!("CASE WHEN {sql} THEN 1 ELSE 0 END"), params),
        None => ("1".to_string(), Vec::new()),
    };
    let (mut hits, mut skipped, mut last, mut ran_out) = (Vec::new(), 0, None, false);
    // A walk is stopped only after its first row, so that every look moves on.
    let started = Arc::new(AtomicBool::new(false));
    let may_stop = {
        let started = started.clone();
        move || started.load(Ordering::Relaxed)
    };
    let mut statements = Vec::new();
    for (equal, segment, values) in segments(entity, query)? {
        let sql = format!(
            "SELECT r.id, {hit} FROM {} WHERE {bound}{segment} ORDER BY {}",
            conds.from,
            order_by(entity, query, equal)?,
        );
        let mut all = hit_params.clone();
        all.extend(bound_params.iter().cloned());
        all.extend(values);
        statements.push((sql, all));
    }
    let limit = query.limit as usize;
    let finished = within(conn, time, may_stop, || {
        'segments: for (sql, params) in &statements {
            let mut stmt = conn.prepare_cached(sql)?;
            let mut rows = stmt.query(params_from_iter(params.iter().map(Param)))?;
            loop {
                let row = match rows.next() {
                    Ok(Some(row)) => row,
                    Ok(None) => break,
                    Err(e) if stopped(&e) => {
                        ran_out = true;
                        break 'segments;
                    }
                    Err(e) => return Err(e),
                };
                let (id, hit): (i64, bool) = (row.get(0)?, row.get(1)?);
                started.store(true, Ordering::Relaxed);
                last = Some(id);
                if !hit {
                    continue;
                }
                if skipped < skip {
                    skipped += 1;
                    continue;
                }
                hits.push(id);
                if hits.len() > limit {
                    break 'segments;
                }
            }
        }
        Ok(())
    })?;
    ran_out |= finished.is_none();
    let stopped_at = last.filter(|_| ran_out);
    let wanted: Vec<i64> = hits.iter().copied().chain(stopped_at).collect();
    let mut found = by_ids(conn, entity, &wanted)?;
    // The last row read may be the last match too.
    let stopped = stopped_at.and_then(|id| found.get(&id).cloned());
    Ok(Walked {
        hits: hits.iter().filter_map(|id| found.remove(id)).collect(),
        skipped,
        stopped,
    })
}

/// These records (live or not), by id.
fn by_ids(conn: &Connection, entity: Entity, ids: &[i64]) -> Result<HashMap<i64, Record>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT {} FROM {} r WHERE r.id IN ({})",
        select_list(entity, "r"),
        entity.table(),
        list.join(", ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |row| from_row(entity, row))?;
    let mut out = HashMap::new();
    for r in rows {
        let r = r?;
        out.insert(r.id, r);
    }
    Ok(out)
}
