//! My tasks, and completing a task with one click from wherever it is shown.

use super::return_to;
use crate::app::read::records as read;
use crate::app::records::Input;
use crate::domain::crm::Entity;
use crate::error::Result;
use crate::views::crm::tasks::{MyTasks, my_tasks};
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

/// My tasks shows up to this many open tasks, and the latest done ones.
const OPEN_SHOWN: i64 = 500;
const DONE_SHOWN: i64 = 20;

pub fn mine(ctx: &mut Ctx) -> Result<Response> {
    ctx.user()?;
    ctx.tenant.require_entity(Entity::Task)?;
    let data = read::my_tasks(&ctx.tenant, ctx.user()?, OPEN_SHOWN, DONE_SHOWN)?;
    // Days are UTC days, like the times shown.
    let today = ctx.app.now().format("%Y-%m-%d").to_string();
    let now = ctx.app.stamp();
    let (mut overdue, mut due_today, mut upcoming) = (Vec::new(), Vec::new(), Vec::new());
    for t in data.open {
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
        done: &data.done,
        names: &data.names,
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
