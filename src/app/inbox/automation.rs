//! A rule's change to the conversation its run is about, in the step's write and through the
//! same functions as a person's (activity lines, notices and mail included), the rule's owner
//! as the one who did it.

use crate::app::{App, Tenant};
use crate::domain::automation::action::ConversationChange;
use crate::domain::ids::ConversationId;
use crate::domain::inbox::Status;
use crate::domain::outbox::NewMail;
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::users::User;

impl App {
    /// Carries out `change` on conversation `id`; answers a line for the runs log and the
    /// mail it queues.
    pub(crate) fn change_conversation(
        &self,
        tx: &Write,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        (change, now): (ConversationChange, chrono::DateTime<chrono::Utc>),
    ) -> Result<(String, Vec<NewMail>)> {
        let stamp = crate::clock::stamp(now);
        let c = crate::store::conversations::conversation_by_id(tx, id)?.ok_or(Error::NotFound)?;
        let n = c.number;
        match change {
            ConversationChange::Assign(email) => {
                let to = match email {
                    Some(e) => Some(
                        crate::store::users::by_email(tx, &e)?
                            .filter(|u| u.active)
                            .ok_or_else(|| {
                                Error::field("user", format!("{e} is not an active user"))
                            })?,
                    ),
                    None => {
                        let inbox = crate::store::inbox::inbox_by_id(tx, c.inbox_id)?
                            .ok_or(Error::NotFound)?;
                        match super::arrival::next_in_round(tx, &inbox)? {
                            Some(u) => crate::store::users::by_id(tx, u)?,
                            None => {
                                return Ok((
                                    format!("#{n}: everyone in the inbox's round is at the cap"),
                                    Vec::new(),
                                ));
                            }
                        }
                    }
                };
                let name = to.as_ref().map_or(String::new(), |u| u.email.clone());
                let mails = self.assign_in(tx, tenant, actor, id, to.map(|u| u.id), &stamp)?;
                Ok((format!("#{n} assigned to {name}"), mails))
            }
            ConversationChange::Label(name) => {
                let ids = crate::store::crm::labels::ids_for(tx, std::slice::from_ref(&name))?
                    .map_err(|_| Error::field("label", format!("there is no label {name}")))?;
                for label in ids {
                    super::work::label_in(tx, actor, id, (label, true), &stamp)?;
                }
                Ok((format!("#{n} labelled {name}"), Vec::new()))
            }
            ConversationChange::Priority(p) => {
                super::work::set_priority_in(tx, actor, id, p, &stamp)?;
                Ok((format!("#{n} priority {}", p.as_str()), Vec::new()))
            }
            ConversationChange::Reply(text) => {
                // A rule never answers a robot (an out-of-office reply, a list, a bounce) or an
                // address that bounces: two robots answering each other never stop.
                let last = crate::store::conversations::last_incoming(tx, id)?;
                let robot = last.as_ref().is_none_or(|l| l.automatic.is_some());
                let bouncing = match &last {
                    Some(l) => crate::store::inbox::is_bouncing(tx, &l.from)?,
                    None => false,
                };
                if robot || bouncing {
                    return Ok((
                        format!("#{n} not answered: its last mail is automatic or bounces"),
                        Vec::new(),
                    ));
                }
                super::reply::reply_in(tx, (actor, Some("auto-replied")), id, &text, &stamp)?;
                Ok((format!("#{n} answered"), Vec::new()))
            }
            ConversationChange::SnoozeHours(h) => {
                let until = crate::clock::stamp(now + chrono::Duration::hours(h));
                super::work::set_status_in(tx, actor, id, (Status::Snoozed, Some(&until)), &stamp)?;
                Ok((format!("#{n} snoozed until {until}"), Vec::new()))
            }
        }
    }
}
