//! The inbox's lists: a page of a queue in queue order, and how many each queue holds.
//!
//! A queue in one status is read along its index (`conversations_queue_by_…`, all in
//! `queue_key` order), so a page costs the same at any depth. A narrowing no index serves
//! (a priority within someone's queue, a label) reads at most `SCAN` rows along that index
//! and says where it stopped, so the next page searches on from there.

use crate::domain::ids::{ConversationId, UserId};
use crate::domain::inbox::{COUNT_CAP, Conversation, ListFilter, ListPage, Queue, Status};
use crate::error::Result;
use crate::store::conversations::{CONVERSATION, conversation};
use rusqlite::Connection;
use rusqlite::types::Value;

/// The most rows a page narrowed past its index reads before it stops.
pub const SCAN: i64 = 1000;

/// The condition (after `status = ?1`) that the queue's index serves, and its value.
fn lead(queue: Queue, me: UserId, f: Option<&ListFilter>) -> (&'static str, Option<Value>) {
    match queue {
        Queue::Mine => ("assignee_id = ?2", Some(Value::Integer(me.0))),
        Queue::Unassigned => ("assignee_id IS NULL", None),
        Queue::Inbox(id) => ("inbox_id = ?2", Some(Value::Integer(id.0))),
        Queue::Team(id) => ("team_id = ?2", Some(Value::Integer(id.0))),
        Queue::Person(id) => ("assignee_id = ?2", Some(Value::Integer(id.0))),
        Queue::All => match f.and_then(|f| f.priority) {
            Some(p) => ("priority = ?2", Some(Value::Text(p.as_str().into()))),
            None => ("1", None),
        },
    }
}

/// A page of `f`'s list as `me` sees it.
pub fn page(conn: &Connection, f: &ListFilter, me: UserId) -> Result<ListPage> {
    let (lead_sql, lead_value) = lead(f.queue, me, Some(f));
    let priority_in_lead = f.queue == Queue::All;
    let narrowed = (f.priority.is_some() && !priority_in_lead) || f.label.is_some();
    let mut params = vec![Value::Text(f.status.as_str().into())];
    params.extend(lead_value);
    let seek = match &f.after {
        Some((key, id)) => {
            params.push(Value::Text(key.clone()));
            params.push(Value::Integer(id.0));
            let n = params.len();
            format!("AND (queue_key, id) > (?{}, ?{n})", n - 1)
        }
        None => String::new(),
    };
    let label = match f.label {
        Some(l) => {
            params.push(Value::Integer(l.0));
            format!(
                "EXISTS (SELECT 1 FROM conversation_labels cl
                         WHERE cl.conversation_id = c.id AND cl.label_id = ?{})",
                params.len()
            )
        }
        None => "1".into(),
    };
    let bound = if narrowed { SCAN } else { f.limit + 1 };
    let sql = format!(
        "SELECT id, queue_key, priority, {label} FROM conversations c
         WHERE deleted_at IS NULL AND status = ?1 AND {lead_sql} {seek}
         ORDER BY queue_key, id LIMIT {bound}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let scanned: Vec<(ConversationId, String, crate::domain::inbox::Priority, bool)> = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let wanted = |p: crate::domain::inbox::Priority| f.priority.is_none_or(|w| w == p);
    let matching: Vec<&(ConversationId, String, _, bool)> = scanned
        .iter()
        .filter(|(_, _, p, labelled)| *labelled && wanted(*p))
        .collect();
    let limit = f.limit as usize;
    let (chosen, next, stopped_after) = if matching.len() > limit {
        let last = matching[limit - 1];
        (&matching[..limit], Some((last.1.clone(), last.0)), None)
    } else if narrowed && scanned.len() as i64 == SCAN {
        let last = scanned.last().map(|s| (s.1.clone(), s.0));
        (&matching[..], last, Some(SCAN))
    } else {
        (&matching[..], None, None)
    };
    let ids: Vec<ConversationId> = chosen.iter().map(|m| m.0).collect();
    Ok(ListPage {
        rows: by_ids(conn, &ids)?,
        next,
        stopped_after,
    })
}

/// The conversations with these ids, in the order given.
fn by_ids(conn: &Connection, ids: &[ConversationId]) -> Result<Vec<Conversation>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids
        .iter()
        .map(|id| id.0.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let mut stmt = conn.prepare(&format!(
        "SELECT {CONVERSATION} FROM conversations WHERE id IN ({list})"
    ))?;
    let mut rows: Vec<Conversation> = stmt
        .query_map([], conversation)?
        .collect::<rusqlite::Result<_>>()?;
    rows.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
    Ok(rows)
}

/// How many conversations in `status` a queue holds, up to `COUNT_CAP`.
pub fn count(conn: &Connection, queue: Queue, status: Status, me: UserId) -> Result<i64> {
    let (lead_sql, lead_value) = lead(queue, me, None);
    let mut params = vec![Value::Text(status.as_str().into())];
    params.extend(lead_value);
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM conversations
         WHERE deleted_at IS NULL AND status = ?1 AND {lead_sql} LIMIT {COUNT_CAP})"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(params), |r| r.get(0))?)
}
