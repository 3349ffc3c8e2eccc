//! Canned replies: texts kept for reuse, typed in the reply editor as `/shortcut`, with
//! `{{contact.first_name}}` (any field of the contact), `{{user.name}}` and
//! `{{conversation.number}}` filled in for the conversation at hand.

use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::crm::Entity;
use crate::domain::ids::ConversationId;
use crate::domain::inbox::CannedReply;
use crate::domain::inbox::typing::{fill_variables, shortcut};
use crate::domain::user::Role;
use crate::error::{Error, Result};
use crate::store::conversation_work as work;
use crate::store::users::User;

fn admin(actor: &User) -> Result<()> {
    match actor.role >= Role::Admin {
        true => Ok(()),
        false => Err(Error::Forbidden(
            "Only owners and admins keep canned replies.".into(),
        )),
    }
}

impl App {
    pub fn canned_replies(&self, tenant: &Tenant) -> Result<Vec<CannedReply>> {
        tenant.require(Capability::Inbox)?;
        work::canned_replies(&*tenant.db.conn()?)
    }

    /// A new canned reply (owners and admins).
    pub fn add_canned_reply(
        &self,
        tenant: &Tenant,
        actor: &User,
        (short, body): (&str, &str),
    ) -> Result<i64> {
        tenant.require(Capability::Inbox)?;
        admin(actor)?;
        let short = shortcut(short)
            .ok_or_else(|| Error::field("shortcut", "must be 1 to 30 letters, digits, - or _"))?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 10_000 {
            return Err(Error::field("body", "must be 1 to 10000 characters"));
        }
        let now = self.stamp();
        tenant.db.write(|tx| {
            work::insert_canned_reply(tx, &short, body, &now)?
                .ok_or_else(|| Error::field("shortcut", format!("/{short} is taken already")))
        })
    }

    pub fn delete_canned_reply(&self, tenant: &Tenant, actor: &User, id: i64) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        admin(actor)?;
        match tenant.db.write(|tx| work::delete_canned_reply(tx, id))? {
            true => Ok(()),
            false => Err(Error::NotFound),
        }
    }

    /// Every canned reply written out for conversation `id` as `actor` sends it: the
    /// contact's fields, the sender's name and the conversation's number filled in.
    pub fn canned_replies_for(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
    ) -> Result<Vec<CannedReply>> {
        let (c, _) = self.conversation(tenant, id)?;
        let contact = match c.contact_id {
            Some(cid) => crate::app::read::records::record(tenant, Entity::Contact, cid.0)?,
            None => None,
        };
        let value = |name: &str| match name {
            "user.name" => Some(actor.display_name().to_string()),
            "conversation.number" => Some(c.number.to_string()),
            _ => {
                let field = name.strip_prefix("contact.")?;
                let v = contact.as_ref()?.values.get(field)?;
                match v {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(s.clone()),
                    other => Some(other.to_string()),
                }
            }
        };
        let mut all = self.canned_replies(tenant)?;
        for r in &mut all {
            r.body = fill_variables(&r.body, value);
        }
        Ok(all)
    }

    /// The canned reply `/short` written out for conversation `id`.
    pub fn canned_reply_for(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        short: &str,
    ) -> Result<String> {
        let wanted = shortcut(short).unwrap_or_default();
        self.canned_replies_for(tenant, actor, id)?
            .into_iter()
            .find(|r| r.shortcut == wanted)
            .map(|r| r.body)
            .ok_or_else(|| Error::field("canned", format!("there is no /{wanted}")))
    }
}
