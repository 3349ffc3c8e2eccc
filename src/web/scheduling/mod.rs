//! Scheduling's pages: the calendar (`calendar`), appointments (`appointments`), their
//! settings (`settings`), the public booking page (`booking`) and the private calendar
//! feed (`feed`).

pub mod appointments;
pub mod booking;
pub mod calendar;
pub mod feed;
pub mod settings;

use crate::domain::ids::UserId;
use crate::domain::scheduling::Status;
use crate::error::{Error, Result};
use crate::web::context::Ctx;
use rouille::Response;

/// The routes below a workspace that scheduling answers; `None` for any other path.
pub fn route(ctx: &mut Ctx, method: &str, rest: &[&str]) -> Option<Result<Response>> {
    let id = |raw: &str| raw.parse::<i64>().map_err(|_| Error::NotFound);
    Some(match (method, rest) {
        ("GET", ["calendar"]) => calendar::show(ctx),
        ("GET", ["calendar", file]) if file.ends_with(".ics") => feed::feed(ctx, file),
        ("GET", ["appointments", "new"]) => appointments::new(ctx),
        ("POST", ["appointments"]) => appointments::create(ctx),
        ("GET", ["appointments", n]) => id(n).and_then(|n| appointments::show(ctx, n)),
        ("POST", ["appointments", n, "status"]) => {
            id(n).and_then(|n| appointments::set_status(ctx, n))
        }
        ("POST", ["appointments", n, "move"]) => id(n).and_then(|n| appointments::move_to(ctx, n)),
        ("GET", ["settings", "scheduling"]) => settings::show(ctx),
        ("POST", ["settings", "scheduling", "hours", n]) => {
            id(n).and_then(|n| settings::save_hours(ctx, n))
        }
        ("POST", ["settings", "scheduling", "exceptions", n]) => {
            id(n).and_then(|n| settings::save_exception(ctx, n))
        }
        ("POST", ["settings", "scheduling", "services"]) => settings::add_service(ctx),
        ("GET", ["settings", "scheduling", "services", n]) => {
            id(n).and_then(|n| settings::edit_service(ctx, n))
        }
        ("POST", ["settings", "scheduling", "services", n]) => {
            id(n).and_then(|n| settings::save_service(ctx, n))
        }
        ("POST", ["settings", "scheduling", "resources"]) => settings::add_resource(ctx),
        ("POST", ["settings", "scheduling", "policy"]) => settings::save_policy(ctx),
        ("POST", ["settings", "scheduling", "feed"]) => settings::new_feed(ctx),
        ("POST", ["settings", "scheduling", "feed", "revoke"]) => settings::revoke_feed(ctx),
        ("GET", ["book"]) => booking::choose(ctx),
        ("POST", ["book", "hold"]) => booking::hold(ctx),
        ("POST", ["book", "waitlist"]) => booking::join_waitlist(ctx),
        ("GET", ["book", "details", token]) => booking::details(ctx, token),
        ("POST", ["book", "details", token]) => booking::book(ctx, token),
        ("GET", ["book", "manage", token]) => booking::manage(ctx, token),
        ("POST", ["book", "manage", token, "cancel"]) => booking::cancel(ctx, token),
        ("POST", ["book", "manage", token, "move"]) => booking::move_to(ctx, token),
        _ => return None,
    })
}

/// An optional id parameter (`staff_id=2`); empty is none, anything else not an id refused.
/// An optional id from a form or address: none when empty, else a number or `refused`.
fn id_param(value: &str, field: &str, refused: &str) -> Result<Option<i64>> {
    match value.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| Error::field(field, refused)),
    }
}

fn user_param(value: &str, field: &str) -> Result<Option<UserId>> {
    Ok(id_param(value, field, "is not a person here")?.map(UserId))
}

fn service_param(value: &str) -> Result<Option<crate::domain::ids::ServiceId>> {
    Ok(id_param(value, "service_id", "is not a service")?.map(crate::domain::ids::ServiceId))
}

fn status_param(value: &str) -> Result<Option<Status>> {
    match value.trim() {
        "" => Ok(None),
        v => Status::parse(v)
            .map(Some)
            .ok_or_else(|| Error::field("status", "is not a status")),
    }
}

/// A link or form token: 64 hex characters, else not found (no lookup is made).
fn token_of(raw: &str) -> Result<&str> {
    if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(raw)
    } else {
        Err(Error::NotFound)
    }
}
