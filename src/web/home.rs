//! The start page of a signed-in user: the dashboard.

use crate::app::read::home as read;
use crate::clock::stamp;
use crate::domain::capability::Capability;
use crate::domain::dashboard::Window;
use crate::domain::period::Period;
use crate::error::{Error, Result};
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
    let zone = ctx.zone();
    let (from, to) = period.range(now, zone);
    // Up to and including this second.
    let (from, to, now) = (
        stamp(from),
        stamp(to + chrono::Duration::seconds(1)),
        stamp(now),
    );
    let week_ahead = stamp(ctx.app.now() + chrono::Duration::days(7));
    let currency = ctx.tenant.account.currency.clone();
    let caps = &ctx.tenant.caps;
    let months: Vec<(String, String, String)> =
        crate::domain::local_time::months(ctx.app.now(), zone, 12)
            .into_iter()
            .map(|(month, from, to)| (month, stamp(from), stamp(to)))
            .collect();
    let window = Window {
        from: &from,
        to: &to,
        now: &now,
        week_ahead: &week_ahead,
        months: &months,
    };
    let data = read::home(&ctx.tenant, user, &window)?;
    let mail_ready = ctx.app.config.smtp.is_configured() || data.own_mail;
    let deals = caps.allows(Capability::Deals);
    let model = Home {
        user_name: &user.name,
        steps: if user.checklist_hidden {
            Vec::new()
        } else {
            let w = ctx.w();
            let deal = (w.step_deal, ctx.path("deals/new"), data.deals > 0);
            [
                Some((
                    w.step_contacts,
                    ctx.path("contacts/import"),
                    data.contacts > 0,
                )),
                deals.then_some(deal),
                Some((
                    w.step_profile,
                    ctx.path("settings/account"),
                    caps.all().any(|(c, _)| caps.is_overridden(c)),
                )),
                Some((w.step_mail, ctx.path("settings/mail"), mail_ready)),
                Some((w.step_team, ctx.path("settings/users"), data.team_size > 1)),
                Some((w.step_token, ctx.path("settings/tokens"), data.has_token)),
            ]
            .into_iter()
            .flatten()
            .collect()
        },
        period,
        figures: &data.dashboard.figures,
        deals,
        tasks: caps.allows(Capability::Tasks),
        currency: &currency,
        by_stage: &data.dashboard.by_stage,
        by_month: &data.dashboard.by_month,
        owners: &data.owners,
    };
    Ok(respond::html(home(&ctx.chrome(Section::Home), &model)))
}

/// Hides the first-steps checklist from this user's home page.
pub fn hide_checklist(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    ctx.app.hide_checklist(&ctx.tenant.db, &user)?;
    Ok(ctx.redirect(
        "",
        Some(crate::views::layout::Flash::success(
            ctx.w().checklist_hidden,
        )),
    ))
}
