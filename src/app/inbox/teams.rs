//! Teams: made, given members and removed by owners and admins; a conversation belongs to at
//! most one (each team has its queue).

use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::ids::{ConversationId, TeamId, UserId};
use crate::domain::inbox::Team;
use crate::domain::user::Role;
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::teams as store;
use crate::store::users::User;

fn admin(actor: &User) -> Result<()> {
    match actor.role >= Role::Admin {
        true => Ok(()),
        false => Err(Error::Forbidden(
            "Only owners and admins keep teams.".into(),
        )),
    }
}

impl App {
    pub fn teams(&self, tenant: &Tenant) -> Result<Vec<Team>> {
        tenant.require(Capability::Inbox)?;
        store::teams(&*tenant.db.conn()?)
    }

    pub fn add_team(&self, tenant: &Tenant, actor: &User, name: &str) -> Result<TeamId> {
        tenant.require(Capability::Inbox)?;
        admin(actor)?;
        let name = name.trim();
        if !(1..=60).contains(&name.chars().count()) {
            return Err(Error::field("name", "must be 1 to 60 characters"));
        }
        let now = self.stamp();
        tenant.db.write(|tx| {
            store::insert(tx, name, &now)?
                .ok_or_else(|| Error::field("name", format!("a team is named {name} already")))
        })
    }

    pub fn delete_team(&self, tenant: &Tenant, actor: &User, id: TeamId) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        admin(actor)?;
        match tenant.db.write(|tx| store::delete(tx, id))? {
            true => Ok(()),
            false => Err(Error::NotFound),
        }
    }

    pub fn set_team_members(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: TeamId,
        members: &[UserId],
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        admin(actor)?;
        tenant.db.write(|tx| {
            if store::name(tx, id)?.is_none() {
                return Err(Error::NotFound);
            }
            for m in members {
                if !crate::store::users::by_id(tx, *m)?.is_some_and(|u| u.active) {
                    return Err(Error::field("members", "must be people here"));
                }
            }
            store::set_members(tx, id, members)
        })
    }

    /// Puts a conversation in a team's queue (or in none).
    pub fn set_conversation_team(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        team: Option<TeamId>,
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        let now = self.stamp();
        tenant.db.write(|tx| set_team_in(tx, actor, id, team, &now))
    }
}

pub(crate) fn set_team_in(
    tx: &Write,
    actor: &User,
    id: ConversationId,
    team: Option<TeamId>,
    now: &str,
) -> Result<()> {
    let c = crate::store::conversations::conversation_by_id(tx, id)?.ok_or(Error::NotFound)?;
    if c.team_id == team {
        return Ok(());
    }
    let name = match team {
        Some(t) => store::name(tx, t)?.ok_or_else(|| Error::field("team", "is not a team here"))?,
        None => String::new(),
    };
    store::set_conversation_team(tx, id, team)?;
    super::work::activity(tx, id, actor, ("team", &name), now)
}
