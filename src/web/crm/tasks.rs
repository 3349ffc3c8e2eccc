//! My tasks, and completing a task with one click from wherever it is shown.

use super::{names, return_to};
use crate::app::records::Input;
use crate::domain::crm::Entity;
use crate::error::Result;
use crate::store::crm::records::{self, Filter, ListQuery, Record};
use crate::views::crm::tasks::{MyTasks, my_tasks};
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

pub fn mine(ctx: &mut Ctx) -> Result<Response> {
    let me = ctx.user()?.id.0;
    ctx.tenant.require_entity(Entity::Task)?;
    let conn = ctx.tenant.db.conn()?;
    let of = |status: &str, sort: (&str, bool), limit: i64| -> Result<Vec<Record>> {
        let mut q = ListQuery::new(limit, 0);
        q.filters = vec![
            Filter::Eq("assignee_id", me.into()),
            Filter::Eq("status", status.into()),
        ];
        q.sort = (sort.0.into(), sort.1);
        Ok(records::list(&conn, Entity::Task, &q)?.0)
    };
    let open = of("open", ("due_at", false), 500)?;
    let done = of("done", ("completed_at", true), 20)?;
    let every: Vec<&Record> = open.iter().chain(&done).collect();
    let names = names(&conn, &every)?;
    drop(conn);
    // Days are UTC days, like the times shown.
    let today = ctx.app.now().format("%Y-%m-%d").to_string();
    let now = ctx.app.stamp();
    let (mut overdue, mut due_today, mut upcoming) = (Vec::new(), Vec::new(), Vec::new());
    for t in open {
        match t.str("due_at") {
            Some(due) if due < now.as_str() => overdue.push(t),
            Some(due) if due.starts_with(&today) => due_today.push(t),
            _ => upcoming.push(t),
        }
    }
    let page = MyTasks {
        overdue: &overdue,
        today: &due_today,
        upcoming: &upcoming,
        done: &done,
        names: &names,
    };
    Ok(respond::html(my_tasks(
        &ctx.chrome(Section::MyTasks),
        &page,
    )))
}

pub fn complete(ctx: &mut Ctx, id: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let task = ctx.app.save_record(
        &ctx.tenant,
        &user,
        Entity::Task,
        Some(id),
        Input::field("status", "done"),
    )?;
    let back = return_to(ctx, "tasks/mine");
    Ok(ctx.redirect(
        &back,
        Some(Flash::success(format!("Done: {}.", task.title()))),
    ))
}
