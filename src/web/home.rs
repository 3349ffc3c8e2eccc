//! The start page of a signed-in user: the dashboard.

use crate::clock::stamp;
use crate::domain::capability::Capability;
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::store::crm::{dashboard, pipelines};
use crate::store::{account, tokens, users};
use crate::views::home::{Home, home};
use crate::views::layout::Section;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

pub fn show(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?;
    let period = match ctx.req.get_param("period") {
        None => Period::Last30Days,
        Some(key) => Period::parse(&key)
            .ok_or_else(|| Error::field("period", "is not a period this page knows"))?,
    };
    let now = ctx.app.now();
    let (from, to) = period.range(now);
    // Up to and including this second.
    let (from, to, now) = (
        stamp(from),
        stamp(to + chrono::Duration::seconds(1)),
        stamp(now),
    );
    let week_ahead = stamp(ctx.app.now() + chrono::Duration::days(7));
    let currency = ctx.tenant.account.currency.clone();
    let caps = &ctx.tenant.caps;
    let conn = ctx.tenant.db.conn()?;
    let team = users::list(&conn)?;
    let has_token = !tokens::list(&conn, Some(user.id))?.is_empty();
    let mail_ready =
        ctx.app.config.smtp.is_configured() || account::mail_settings(&conn, 0)?.is_some();
    let deals = caps.allows(Capability::Deals);
    let pipeline = pipelines::default(&conn)?;
    let months_from = stamp(Period::Last12Months.range(ctx.app.now()).0);
    let window = dashboard::Window {
        from: &from,
        to: &to,
        now: &now,
        week_ahead: &week_ahead,
        months_from: &months_from,
    };
    let data = dashboard::dashboard(&conn, &window, &currency, &pipeline)?;
    let owners: Vec<(String, dashboard::OwnerFigures)> = data
        .by_owner
        .iter()
        .map(|o| {
            let name = o
                .owner_id
                .and_then(|id| team.iter().find(|u| u.id.0 == id))
                .map_or("Nobody".to_string(), |u| u.display_name().to_string());
            (name, o.clone())
        })
        .collect();
    drop(conn);
    let model = Home {
        user_name: user.display_name(),
        steps: vec![
            (
                "Review your profile and features",
                ctx.path("settings/account"),
                caps.all().any(|(c, _)| caps.is_overridden(c)),
            ),
            (
                "Set up outgoing mail",
                ctx.path("settings/mail"),
                mail_ready,
            ),
            (
                "Invite your team",
                ctx.path("settings/users"),
                team.len() > 1,
            ),
            (
                "Connect other tools with an API token",
                ctx.path("settings/tokens"),
                has_token,
            ),
        ],
        period,
        figures: &data.figures,
        deals,
        tasks: caps.allows(Capability::Tasks),
        currency: &currency,
        by_stage: &data.by_stage,
        by_month: &data.by_month,
        owners: &owners,
    };
    Ok(respond::html(home(&ctx.chrome(Section::Home), &model)))
}
