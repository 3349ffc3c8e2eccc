//! Private calendar feeds: a secret address per person that a calendar app subscribes to,
//! and one of the whole workspace that owners and admins can make.

use crate::app::catalog::admin;
use crate::app::{App, Tenant};
use crate::clock::{parse_stamp, stamp};
use crate::domain::capability::Capability;
use crate::domain::scheduling::FeedScope;
use crate::domain::scheduling::ics::{Event, Method, calendar};
use crate::domain::secret::{hash_token, new_token};
use crate::error::{Error, Result};
use crate::store::audit;
use crate::store::calendar_feeds as feeds;
use crate::store::users::User;
use chrono::Duration;

/// A feed shows from this long ago to this far ahead.
const FEED_PAST_DAYS: i64 = 60;
const FEED_AHEAD_DAYS: i64 = 400;

/// Anyone may have a feed of their own; one of everyone's is for owners and admins.
fn may_have(tenant: &Tenant, actor: &User, scope: FeedScope) -> Result<()> {
    tenant.require(Capability::Scheduling)?;
    if scope == FeedScope::Workspace {
        admin(actor)?;
    }
    Ok(())
}

impl App {
    /// A new private feed of `actor`'s appointments (or, `Workspace`, everyone's); the token
    /// is shown once, only its hash is kept. Their older feeds of that scope stop working.
    pub fn create_calendar_feed(
        &self,
        tenant: &Tenant,
        actor: &User,
        scope: FeedScope,
    ) -> Result<String> {
        may_have(tenant, actor, scope)?;
        let token = new_token();
        let hash = hash_token(&token);
        let now = self.stamp();
        tenant.db.write(|tx| {
            feeds::revoke_feeds(tx, actor.id, scope, &now)?;
            feeds::insert_feed(tx, actor.id, scope, &hash, &now)?;
            audit::record(
                tx,
                Some(actor.id),
                "calendar_feed.created",
                scope.as_str(),
                &now,
            )
        })?;
        Ok(token)
    }

    /// Ends `actor`'s feeds of `scope`: their addresses answer 404 from now on.
    pub fn revoke_calendar_feeds(
        &self,
        tenant: &Tenant,
        actor: &User,
        scope: FeedScope,
    ) -> Result<()> {
        may_have(tenant, actor, scope)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            feeds::revoke_feeds(tx, actor.id, scope, &now)?;
            audit::record(
                tx,
                Some(actor.id),
                "calendar_feed.revoked",
                scope.as_str(),
                &now,
            )
        })
    }

    /// The calendar a feed's token opens (RFC 5545, `PUBLISH`); `NotFound` for a token that is
    /// unknown or revoked.
    pub fn calendar_feed(&self, tenant: &Tenant, token: &str) -> Result<String> {
        tenant.require(Capability::Scheduling)?;
        let conn = tenant.db.conn()?;
        let (maker, scope) =
            feeds::feed_owner(&conn, &hash_token(token))?.ok_or(Error::NotFound)?;
        let staff = (scope == FeedScope::Own).then_some(maker);
        let now = self.now();
        let (from, to) = (
            now - Duration::days(FEED_PAST_DAYS),
            now + Duration::days(FEED_AHEAD_DAYS),
        );
        let events: Vec<Event> = feeds::feed_entries(&conn, staff, &stamp(from), &stamp(to))?
            .into_iter()
            .filter_map(|e| {
                let (start, end) = (parse_stamp(&e.starts_at)?, parse_stamp(&e.ends_at)?);
                Some(Event {
                    uid: format!("appointment-{}@{}.onebox", e.id, tenant.slug()),
                    sequence: e.sequence,
                    start,
                    end,
                    summary: match staff {
                        Some(_) => format!("{} · {}", e.services, e.contact),
                        None => format!("{} · {} ({})", e.services, e.contact, e.staff),
                    },
                    description: String::new(),
                    location: String::new(),
                    cancelled: matches!(e.status.as_str(), "cancelled" | "no_show"),
                    organizer: String::new(),
                    attendee: String::new(),
                })
            })
            .collect();
        Ok(calendar(
            &events,
            tenant.zone_of(None),
            Method::Publish,
            now,
        ))
    }
}
