//! Lists of records: filters, search, sorting and pages, each page within a budget of work
//! whatever the list's size, its filters and the page's depth.

mod conditions;
mod walk;

use super::records::{Param, Record};
use crate::domain::crm::Entity;
use crate::domain::record::Total;
use crate::error::Result;
use conditions::conditions;
use rusqlite::{Connection, params_from_iter};
use serde_json::Value;
use std::time::Duration;
use walk::Walked;

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// A field equals a value (`Null` means "has none").
    Eq(&'static str, Value),
    /// Carries this label.
    Label(String),
    /// A text search over the entity's name-like fields.
    Search(String),
    /// `created_at`, `updated_at` or `due_at` on or after (`true`) or before (`false`) a
    /// moment.
    Since(&'static str, bool, String),
    /// `due_at` on or after a moment, or none.
    SinceOrNever(&'static str, String),
    /// A custom attribute (key checked by the caller) equals a value.
    Custom(String, Value),
    /// One of these records.
    Ids(Vec<i64>),
}

#[derive(Debug, Clone)]
pub struct ListQuery {
    pub filters: Vec<Filter>,
    /// A sortable column (see `Entity::sortable`) or `name` for contacts; then descending.
    pub sort: (String, bool),
    pub limit: i64,
    /// How many matches come before where the page starts: after `seek`'s row, or, without
    /// one, counted from the start.
    pub offset: i64,
    /// The trash instead of the live records.
    pub trash: bool,
    /// Start at a row (see `keyset`) instead of counting `offset` rows from the start.
    pub seek: Option<Seek>,
}

impl ListQuery {
    pub fn new(limit: i64, offset: i64) -> ListQuery {
        // Most recently changed first: what people look for, and what an index gives in order.
        ListQuery {
            filters: Vec::new(),
            sort: ("updated_at".into(), true),
            limit,
            offset,
            trash: false,
            seek: None,
        }
    }
}

/// Where a page starts: next to a row, by its sort key values and id.
#[derive(Debug, Clone, PartialEq)]
pub struct Seek {
    pub keys: Vec<Value>,
    /// The page before the row, not after it.
    pub back: bool,
    /// The row itself may be on the page (where a page found none to start from).
    pub inclusive: bool,
}

/// One page of a list.
#[derive(Debug)]
pub struct Page {
    pub records: Vec<Record>,
    pub total: Total,
    /// How many matches come before the first record.
    pub offset: i64,
    /// Where the pages after and before this one start, and their offsets.
    pub next: Option<(i64, Seek)>,
    pub prev: Option<(i64, Seek)>,
    /// The page ran out of its budget before it was full: it holds fewer records than asked
    /// for, and the page on (`next`, or `prev` going back) looks on from where it stopped.
    pub short: bool,
}

/// How long a page's SQL may take: to count its matches (all of them, then the first
/// `COUNTED` in half as long), and to walk its sort's index. SQLite is stopped by its progress
/// handler, so the budget holds however many records the list has.
struct Budget {
    count: Duration,
    walk: Duration,
}

const PAGE_BUDGET: Budget = Budget {
    count: Duration::from_micros(1_500),
    walk: Duration::from_millis(3),
};

/// As many matches as a count goes on to when counting all of them is over its budget.
const COUNTED: i64 = 1_000;

/// Rows a page may expect to walk in sort order before it is cheaper to start from the matches
/// (when they are counted) and sort them.
const SORT_WALK: i64 = 5_000;

/// How a list's filters are put to SQLite.
#[derive(Clone, Copy, PartialEq)]
enum Plan {
    /// From the label's records or the search's matches: best for counting and for rare ones.
    FromMatches,
    /// Along the sort order, looking each row up among them: a page of a common label or word
    /// in a few hundred steps, without sorting every match.
    AlongSort,
}

/// One page of records, how many match, and where the pages beside it start.
pub fn list(conn: &Connection, entity: Entity, query: &ListQuery) -> Result<Page> {
    list_within(conn, entity, query, &PAGE_BUDGET)
}

fn list_within(
    conn: &Connection,
    entity: Entity,
    query: &ListQuery,
    budget: &Budget,
) -> Result<Page> {
    let query = &by_id_within_one_link(query);
    let total = count(conn, entity, query, budget.count)?;
    let skip = if query.seek.is_none() {
        query.offset
    } else {
        0
    };
    let walked = match total {
        Total::Exact(0) => Walked {
            hits: Vec::new(),
            skipped: 0,
            stopped: None,
        },
        // Walking the sort order finds a page after about limit × rows / matches rows, if the
        // matches are spread along it; when that is long, the (counted, so few) matches are
        // read and sorted instead, unless that takes longer than the walk may.
        Total::Exact(matches)
            if (skip + query.limit) * super::totals::records(conn, entity, query.trash)?
                / matches
                > SORT_WALK =>
        {
            let started = std::time::Instant::now();
            match walk::matches(conn, entity, query, skip, budget.walk / 2)? {
                Some(hits) => Walked {
                    hits,
                    skipped: skip,
                    stopped: None,
                },
                None => {
                    let left = budget.walk.saturating_sub(started.elapsed());
                    walk::along_sort(conn, entity, query, skip, left)?
                }
            }
        }
        _ => walk::along_sort(conn, entity, query, skip, budget.walk)?,
    };
    let mut page = assemble(entity, query, total, walked);
    with_labels(conn, entity, &mut page.records)?;
    Ok(page)
}

/// How many records match: exactly when counting them takes at most `time`, else at least the
/// first `COUNTED` when those can be counted in half of it, else "some" (the page then says how
/// many it saw).
fn count(conn: &Connection, entity: Entity, query: &ListQuery, time: Duration) -> Result<Total> {
    if query.filters.is_empty() {
        return Ok(Total::Exact(super::totals::records(
            conn,
            entity,
            query.trash,
        )?));
    }
    if let Some(text) = only_words(query) {
        // The full-text index holds exactly the live records: it counts them alone.
        return Ok(Total::Exact(super::search::count(conn, text, entity)?));
    }
    let conds = conditions(entity, query, Plan::FromMatches)?;
    let (where_sql, params) = conds.all();
    let run = |sql: String| {
        let params = params.clone();
        move || {
            conn.prepare_cached(&sql)?
                .query_row(params_from_iter(params.iter().map(Param)), |r| {
                    r.get::<_, i64>(0)
                })
        }
    };
    let from = &conds.from;
    let all = run(format!("SELECT count(*) FROM {from} WHERE {where_sql}"));
    if let Some(n) = walk::within(conn, time, || true, all)? {
        return Ok(Total::Exact(n));
    }
    let first = run(format!(
        "SELECT count(*) FROM (SELECT 1 FROM {from} WHERE {where_sql} LIMIT {COUNTED})"
    ));
    Ok(match walk::within(conn, time / 2, || true, first)? {
        Some(n) if n < COUNTED => Total::Exact(n),
        Some(n) => Total::AtLeast(n),
        None => Total::AtLeast(0),
    })
}

/// The page from what the walk read: its records in the list's order, its offset, the
/// cursors of the pages beside it, and the total raised to what the walk saw.
fn assemble(entity: Entity, query: &ListQuery, total: Total, walked: Walked) -> Page {
    let back = query.seek.as_ref().is_some_and(|s| s.back);
    let Walked {
        mut hits,
        skipped,
        stopped,
    } = walked;
    let more = hits.len() as i64 > query.limit;
    hits.truncate(query.limit.max(0) as usize);
    let found = hits.len() as i64;
    let seek = |r: &Record, back: bool| Seek {
        keys: super::keyset::values_of(entity, &query.sort.0, r),
        back,
        inclusive: false,
    };
    // Where the walk started, in matches before it.
    let start = if query.seek.is_some() {
        query.offset
    } else {
        skipped
    };
    // On the way the walk went: after its last match when there are more, or after the last row
    // it read when its budget ran out.
    let onward_offset = if back { start - found } else { start + found };
    let onward = if more { hits.last() } else { stopped.as_ref() }
        .map(|r| (onward_offset.max(0), seek(r, back)));
    // The other way: from its first match, or from where it started when it found none.
    let behind = match (hits.first(), &query.seek) {
        (Some(first), _) => Some((start, seek(first, !back))),
        (None, Some(s)) => Some((
            start,
            Seek {
                keys: s.keys.clone(),
                back: !back,
                inclusive: true,
            },
        )),
        (None, None) => None,
    };
    let (offset, next, prev) = if back {
        hits.reverse();
        // Going back to the start, the page is the first whatever the offset said.
        let offset = if onward.is_some() {
            onward_offset.max(0)
        } else {
            0
        };
        (offset, behind, onward)
    } else {
        (start, onward, behind.filter(|_| start > 0))
    };
    let seen = offset + found + i64::from(more);
    Page {
        total: match total {
            Total::AtLeast(n) => Total::AtLeast(n.max(seen)),
            exact => exact,
        },
        records: hits,
        offset,
        next,
        prev,
        short: stopped.is_some() && !more,
    }
}

/// A sort by a link's name (company, owner, assignee, stage) of a list filtered to one linked
/// record is by id: every row has the same name. Read so, a page walks the id's index instead
/// of sorting all of that record's rows by a name they share. (Its cursors are the id order's,
/// and the same filters in the next address read them the same way.)
fn by_id_within_one_link(query: &ListQuery) -> std::borrow::Cow<'_, ListQuery> {
    let link = crate::domain::crm::link_of_sort(&query.sort.0);
    let held = query
        .filters
        .iter()
        .any(|f| matches!(f, Filter::Eq(c, v) if Some(*c) == link && !v.is_null()));
    if !held {
        return std::borrow::Cow::Borrowed(query);
    }
    let mut by_id = query.clone();
    by_id.sort.0 = "id".into();
    std::borrow::Cow::Owned(by_id)
}

/// The text of a list's search when it is the list's only filter and goes through the
/// full-text index.
fn only_words(query: &ListQuery) -> Option<&str> {
    match query.filters.as_slice() {
        [Filter::Search(text)]
            if !query.trash && super::search::match_expression(text).is_some() =>
        {
            Some(text)
        }
        _ => None,
    }
}

/// One page without counting the matches, for callers that know the total (the board) or show
/// a few (My tasks, pickers): every match is read and sorted, so it is for bounded ones.
pub fn page_only(conn: &Connection, entity: Entity, query: &ListQuery) -> Result<Vec<Record>> {
    let mut records =
        walk::matches(conn, entity, query, query.offset, Duration::MAX)?.unwrap_or_default();
    records.truncate(query.limit.max(0) as usize);
    with_labels(conn, entity, &mut records)?;
    Ok(records)
}

fn with_labels(conn: &Connection, entity: Entity, records: &mut [Record]) -> Result<()> {
    if entity.has_labels_and_custom() {
        let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
        let mut names = super::labels::names_of(conn, entity, &ids)?;
        for r in records {
            r.labels = names.remove(&r.id).unwrap_or_default();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
