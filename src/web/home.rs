//! The start page of a signed-in user.

use crate::domain::capability::Capability;
use crate::error::Result;
use crate::store::{account, tokens, users};
use crate::views::home::{Home, home};
use crate::views::layout::Section;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

pub fn show(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?;
    let conn = ctx.tenant.db.conn()?;
    let team = users::list(&conn)?.len();
    let has_token = !tokens::list(&conn, Some(user.id))?.is_empty();
    let mail_ready =
        ctx.app.config.smtp.is_configured() || account::mail_settings(&conn, 0)?.is_some();
    drop(conn);
    let caps = &ctx.tenant.caps;
    let model = Home {
        user_name: user.display_name(),
        profile_label: caps.profile.label(),
        enabled: Capability::ALL
            .into_iter()
            .filter(|c| caps.allows(*c))
            .map(Capability::label)
            .collect(),
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
            ("Invite your team", ctx.path("settings/users"), team > 1),
            (
                "Connect other tools with an API token",
                ctx.path("settings/tokens"),
                has_token,
            ),
        ],
    };
    Ok(respond::html(home(&ctx.chrome(Section::Home), &model)))
}
