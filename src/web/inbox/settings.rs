//! `inbox/settings`: the inboxes with how their fetching goes, a form for a new one and
//! "fetch again" (owners and admins), and the canned replies.

use crate::app::inbox::InboxInput;
use crate::domain::ids::{InboxId, TeamId, UserId};
use crate::domain::words::fill;
use crate::error::{Error, Result};
use crate::views::layout::Section;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

const HERE: &str = "inbox/settings";

pub fn route(ctx: &mut Ctx, method: &str, rest: &[&str]) -> Result<Response> {
    let id = |raw: &str| raw.parse::<i64>().map_err(|_| Error::NotFound);
    match (method, rest) {
        ("GET", []) => page(ctx),
        ("POST", ["inboxes"]) => create_inbox(ctx),
        ("POST", ["inboxes", n, "fetch_again"]) => id(n).and_then(|n| fetch_again(ctx, InboxId(n))),
        ("POST", ["inboxes", n, "work"]) => id(n).and_then(|n| save_work(ctx, InboxId(n))),
        ("POST", ["canned"]) => add_canned(ctx),
        ("POST", ["teams"]) => add_team(ctx),
        ("POST", ["teams", n, what]) => id(n).and_then(|n| team_form(ctx, TeamId(n), what)),
        ("POST", ["canned", n, "delete"]) => id(n).and_then(|n| delete_canned(ctx, n)),
        _ => Err(Error::NotFound),
    }
}

fn page(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let mut inboxes = Vec::new();
    for inbox in ctx.app.inboxes(&ctx.tenant)? {
        inboxes.push(crate::views::inbox::settings::InboxRow {
            health: ctx.app.inbox_health(&ctx.tenant, inbox.id)?,
            members: ctx.app.inbox_members(&ctx.tenant, inbox.id)?,
            inbox,
        });
    }
    let canned = ctx.app.canned_replies(&ctx.tenant)?;
    let people = ctx.app.inbox_people(&ctx.tenant)?;
    let teams = ctx.app.teams(&ctx.tenant)?;
    Ok(respond::html(crate::views::inbox::settings::settings(
        &ctx.chrome(Section::Inbox),
        &inboxes,
        (&people, &teams),
        &canned,
        user.role >= crate::domain::user::Role::Admin,
    )))
}

fn create_inbox(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let get = |k: &str| ctx.form.get(k).to_string();
    let outcome = get("imap_port")
        .trim()
        .parse::<u16>()
        .map_err(|_| Error::field("imap_port", "must be from 1 to 65535"))
        .and_then(|port| {
            let input = InboxInput {
                name: get("name"),
                address: get("address"),
                imap_host: get("imap_host").trim().to_string(),
                imap_port: port,
                imap_user: get("imap_user"),
                imap_password: get("imap_password"),
                imap_mailbox: match get("imap_mailbox").trim() {
                    "" => "INBOX".into(),
                    m => m.into(),
                },
                imap_ca: Some(get("imap_ca")).filter(|c| !c.trim().is_empty()),
            };
            ctx.app.create_inbox(&ctx.tenant, &user, &input)?;
            Ok(fill(ctx.w().inbox_created, &[("name", input.name.trim())]))
        });
    ctx.back(HERE, outcome)
}

fn fetch_again(ctx: &mut Ctx, id: InboxId) -> Result<Response> {
    let user = ctx.user()?.clone();
    let since = match ctx.form.get("since").trim() {
        "" => Ok(None),
        day => chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| Error::field("since", "must be a date")),
    };
    let outcome = since
        .and_then(|since| ctx.app.fetch_again(&ctx.tenant, &user, id, since))
        .map(|()| ctx.w().inbox_fetching_again.to_string());
    ctx.back(HERE, outcome)
}

fn add_canned(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let (short, body) = (
        ctx.form.get("shortcut").to_string(),
        ctx.form.get("body").to_string(),
    );
    let outcome = ctx
        .app
        .add_canned_reply(&ctx.tenant, &user, (&short, &body))
        .map(|_| ctx.w().inbox_canned_saved.to_string());
    ctx.back(HERE, outcome)
}

fn delete_canned(ctx: &mut Ctx, id: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let outcome = ctx
        .app
        .delete_canned_reply(&ctx.tenant, &user, id)
        .map(|()| ctx.w().inbox_canned_deleted.to_string());
    ctx.back(HERE, outcome)
}

/// `POST inbox/settings/inboxes/{id}/work`: members, the round, hours, away reply, signature.
fn save_work(ctx: &mut Ctx, id: InboxId) -> Result<Response> {
    let user = ctx.user()?.clone();
    let outcome = work_input(ctx).and_then(|input| {
        ctx.app.save_inbox_work(&ctx.tenant, &user, id, &input)?;
        Ok(ctx.w().set_saved.to_string())
    });
    ctx.back(HERE, outcome)
}

fn work_input(ctx: &Ctx) -> Result<crate::app::inbox::WorkInput> {
    let f = &ctx.form;
    let members = f
        .all("members")
        .into_iter()
        .map(|m| m.parse().map(crate::domain::ids::UserId))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| Error::field("members", "must be people here"))?;
    let assign_cap = match f.get("assign_cap").trim() {
        "" => None,
        n => Some(
            n.parse()
                .map_err(|_| Error::field("assign_cap", "must be from 1 to 1000"))?,
        ),
    };
    let hours: Vec<String> = (0..7)
        .map(|d| f.get(&format!("hours{d}")).trim().to_string())
        .collect();
    Ok(crate::app::inbox::WorkInput {
        signature: f.get("signature").to_string(),
        members,
        auto_assign: f.get("auto_assign") == "1",
        assign_cap,
        hours: hours.iter().any(|h| !h.is_empty()).then_some(hours),
        away_reply: f.get("away_reply").to_string(),
        team: match f.get("team") {
            "" => None,
            t => Some(crate::domain::ids::TeamId(
                t.parse()
                    .map_err(|_| Error::field("team", "is not a team here"))?,
            )),
        },
    })
}

fn add_team(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let name = ctx.form.get("name").to_string();
    let outcome = ctx
        .app
        .add_team(&ctx.tenant, &user, &name)
        .map(|_| ctx.w().set_saved.to_string());
    ctx.back(HERE, outcome)
}

/// `POST inbox/settings/teams/{id}/members` (its `members`) or `…/delete`.
fn team_form(ctx: &mut Ctx, id: TeamId, what: &str) -> Result<Response> {
    let user = ctx.user()?.clone();
    let outcome = match what {
        "members" => ctx
            .form
            .all("members")
            .into_iter()
            .map(|m| m.parse().map(UserId))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|_| Error::field("members", "must be people here"))
            .and_then(|members| ctx.app.set_team_members(&ctx.tenant, &user, id, &members)),
        "delete" => ctx.app.delete_team(&ctx.tenant, &user, id),
        _ => return Err(Error::NotFound),
    };
    let outcome = outcome.map(|()| ctx.w().set_saved.to_string());
    ctx.back(HERE, outcome)
}
