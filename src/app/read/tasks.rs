//! Reading My tasks: a user's open tasks by when they are due, and their latest done ones.

use crate::app::lookups::names;
use crate::app::{Tenant, listing};
use crate::domain::crm::Entity;
use crate::domain::record::{ListPart, Names, Record};
use crate::domain::user::User;
use crate::error::Result;
use crate::store::crm::records::{self, Filter, ListQuery};
use chrono::{DateTime, Utc};

/// A user's open tasks by when they are due, each part from its own bounded query in due
/// order, and their latest done ones.
pub struct MyTasksData {
    pub overdue: ListPart,
    pub today: ListPart,
    /// Due after today, then those without a due date.
    pub later: ListPart,
    pub done: Vec<Record>,
    pub names: Names,
}

pub fn my_tasks(tenant: &Tenant, me: &User, now: DateTime<Utc>, shown: i64) -> Result<MyTasksData> {
    let conn = tenant.db.conn()?;
    // "Today" is the user's day.
    let zone = tenant.zone_of(Some(me));
    let part = |due: &str, limit: i64| -> Result<ListPart> {
        let mut q = ListQuery::new(limit, 0);
        q.filters = vec![
            Filter::Eq("assignee_id", me.id.0.into()),
            Filter::Eq("status", "open".into()),
        ];
        q.filters.extend(listing::due(due, now, zone)?);
        q.sort = ("due_at".into(), false);
        let page = records::list(&conn, Entity::Task, &q)?;
        Ok(ListPart {
            records: page.records,
            total: page.total,
        })
    };
    let (overdue, today) = (part("overdue", shown)?, part("today", shown)?);
    // Dated ones first: `later` in due order would put the undated first.
    let mut later = part("later", 0)?;
    let dated = {
        let mut q = ListQuery::new(shown, 0);
        q.filters = vec![
            Filter::Eq("assignee_id", me.id.0.into()),
            Filter::Eq("status", "open".into()),
            Filter::Since("due_at", true, listing::start_of_tomorrow(now, zone)),
        ];
        q.sort = ("due_at".into(), false);
        records::page_only(&conn, Entity::Task, &q)?
    };
    let room = shown - dated.len() as i64;
    later.records = dated;
    if room > 0 {
        later.records.extend(part("none", room)?.records);
    }
    let mut q = ListQuery::new(shown, 0);
    q.filters = vec![
        Filter::Eq("assignee_id", me.id.0.into()),
        Filter::Eq("status", "done".into()),
    ];
    q.sort = ("completed_at".into(), true);
    let done = records::page_only(&conn, Entity::Task, &q)?;
    let every: Vec<&Record> = [&overdue.records, &today.records, &later.records, &done]
        .into_iter()
        .flatten()
        .collect();
    Ok(MyTasksData {
        names: names(&conn, &every)?,
        overdue,
        today,
        later,
        done,
    })
}
