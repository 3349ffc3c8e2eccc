//! My tasks, and completing a task with one click from wherever it is shown.

use super::return_to;
use crate::app::read::tasks as read;
use crate::app::records::Input;
use crate::domain::crm::Entity;
use crate::domain::words::fill;
use crate::error::Result;
use crate::views::crm::tasks::{MyTasks, Part, my_tasks};
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

/// Each part of My tasks shows this many tasks; "show all" lists the rest.
const SHOWN: i64 = 20;

pub fn mine(ctx: &mut Ctx) -> Result<Response> {
    let me = ctx.user()?;
    ctx.tenant.require_entity(Entity::Task)?;
    let data = read::my_tasks(&ctx.tenant, me, ctx.app.now(), SHOWN)?;
    let all = |due: &str| {
        ctx.path(&format!(
            "tasks?assignee_id={}&status=open&due={due}&sort=due_at",
            me.id
        ))
    };
    let page = MyTasks {
        overdue: Part::of(&data.overdue, all("overdue")),
        today: Part::of(&data.today, all("today")),
        later: Part::of(&data.later, all("later")),
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
        Some(Flash::success(fill(
            ctx.w().task_done,
            &[("title", &task.title())],
        ))),
    ))
}
