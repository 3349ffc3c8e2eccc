//! Several changes to a conversation in one write, as the API's PATCH takes them.

use super::work::{set_priority_in, set_status_in};
use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::ids::{ConversationId, UserId};
use crate::domain::inbox::{Priority, Status};
use crate::error::{Error, Result};
use crate::store::conversations as talk;
use crate::store::users::User;

/// Several changes to a conversation at once, as the API takes them: each `None` is left as
/// it is (`assignee: Some(None)` gives it to no one).
#[derive(Debug, Clone, Default)]
pub struct Update {
    pub status: Option<(Status, Option<chrono::DateTime<chrono::Utc>>)>,
    pub assignee: Option<Option<UserId>>,
    pub priority: Option<Priority>,
    pub team: Option<Option<crate::domain::ids::TeamId>>,
}

impl App {
    /// Applies `u` to conversation `id` in one write: all of it, or (refused) none of it.
    pub fn update_conversation(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        u: &Update,
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        let status = match u.status {
            Some((Status::Snoozed, Some(t))) if t > self.now() => {
                Some((Status::Snoozed, Some(crate::clock::stamp(t))))
            }
            Some((Status::Snoozed, _)) => {
                return Err(Error::field("snoozed_until", "must be a time to come"));
            }
            Some((s, _)) => Some((s, None)),
            None => None,
        };
        let now = self.stamp();
        self.write_with_mail(&tenant.db, |tx| {
            talk::conversation_by_id(tx, id)?.ok_or(Error::NotFound)?;
            if let Some((s, until)) = &status {
                set_status_in(tx, actor, id, (*s, until.as_deref()), &now)?;
            }
            let mails = match u.assignee {
                Some(to) => self.assign_in(tx, tenant, actor, id, to, &now)?,
                None => Vec::new(),
            };
            if let Some(p) = u.priority {
                set_priority_in(tx, actor, id, p, &now)?;
            }
            if let Some(team) = u.team {
                super::teams::set_team_in(tx, actor, id, team, &now)?;
            }
            Ok(((), mails))
        })?;
        self.wake_jobs(tenant.slug());
        Ok(())
    }
}
