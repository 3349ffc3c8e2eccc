//! Working a conversation: status, snooze, assignee, priority, labels, notes with mentions,
//! and merging two. Each change is one write that also puts an activity line in the thread
//! ("Mia assigned it to Bram"); a mention or an assignment notifies its person in the bell and
//! by mail in the same write. The `…_in` functions work on the caller's write, so the page's
//! forms, the API's PATCH and an automation's step take the same road.

use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::ids::{ConversationId, LabelId, UserId};
use crate::domain::inbox::{Priority, Status};
use crate::domain::outbox::NewMail;
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::conversation_work as work;
use crate::store::conversations::{self as talk, NewMessage};
use crate::store::users;
use crate::store::users::User;

/// The longest note taken, in characters.
const MAX_NOTE_CHARS: usize = 20_000;

/// A line in the thread saying what someone did: `code` (a status, `snoozed`, `assigned`,
/// `priority`, `labelled`, `unlabelled`, `team`, `merged`) and what it was set to.
pub(crate) fn activity(
    tx: &Write,
    id: ConversationId,
    actor: &User,
    (code, what): (&str, &str),
    now: &str,
) -> Result<()> {
    talk::insert_message(
        tx,
        &NewMessage {
            conversation: id,
            direction: "activity",
            from: ("", actor.display_name()),
            cc: &[],
            author: Some(actor.id),
            message_id: None,
            subject: code,
            body: (what, None),
            automatic: None,
            raw: None,
            size: 0,
            refused: None,
            attachments: &[],
        },
        now,
    )?;
    Ok(())
}

/// A new status in this write, with its activity line; resolving queues its event.
pub(crate) fn set_status_in(
    tx: &Write,
    actor: &User,
    id: ConversationId,
    (status, until): (Status, Option<&str>),
    now: &str,
) -> Result<()> {
    let c = talk::conversation_by_id(tx, id)?.ok_or(Error::NotFound)?;
    if c.status == status && c.snoozed_until.as_deref() == until {
        return Ok(());
    }
    work::set_status(tx, id, (status, until), now)?;
    if status == Status::Resolved {
        crate::app::automations::events::push_about(
            tx,
            crate::domain::automation::Event::ConversationResolved,
            (crate::app::automations::events::CONVERSATION, id.0),
            now,
        )?;
    }
    let what = until.unwrap_or(status.as_str());
    let code = if status == Status::Snoozed {
        "snoozed"
    } else {
        status.as_str()
    };
    activity(tx, id, actor, (code, what), now)
}

pub(crate) fn set_priority_in(
    tx: &Write,
    actor: &User,
    id: ConversationId,
    priority: Priority,
    now: &str,
) -> Result<()> {
    let c = talk::conversation_by_id(tx, id)?.ok_or(Error::NotFound)?;
    if c.priority == priority {
        return Ok(());
    }
    work::set_priority(tx, id, priority)?;
    activity(tx, id, actor, ("priority", priority.as_str()), now)
}

pub(crate) fn label_in(
    tx: &Write,
    actor: &User,
    id: ConversationId,
    (label, on): (LabelId, bool),
    now: &str,
) -> Result<()> {
    talk::conversation_by_id(tx, id)?.ok_or(Error::NotFound)?;
    let l = crate::store::crm::labels::get(tx, label)?
        .ok_or_else(|| Error::field("label", "is not a label here"))?;
    if work::set_label(tx, id, label, on)? {
        let code = if on { "labelled" } else { "unlabelled" };
        activity(tx, id, actor, (code, &l.name), now)?;
    }
    Ok(())
}

impl App {
    /// A new status; `until` is when a snoozed conversation opens again (in the future).
    pub fn set_conversation_status(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        (status, until): (Status, Option<chrono::DateTime<chrono::Utc>>),
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        let until = match (status, until) {
            (Status::Snoozed, Some(t)) if t > self.now() => Some(crate::clock::stamp(t)),
            (Status::Snoozed, _) => return Err(Error::field("until", "must be a time to come")),
            _ => None,
        };
        let now = self.stamp();
        tenant
            .db
            .write(|tx| set_status_in(tx, actor, id, (status, until.as_deref()), &now))?;
        if status == Status::Resolved {
            self.wake_jobs(tenant.slug());
        }
        Ok(())
    }

    /// Gives a conversation to `to` (an active user here), or to no one. The new assignee, if
    /// not the one assigning, is notified.
    pub fn assign_conversation(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        to: Option<UserId>,
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        let now = self.stamp();
        self.write_with_mail(&tenant.db, |tx| {
            Ok(((), self.assign_in(tx, tenant, actor, id, to, &now)?))
        })
    }

    /// Gives conversation `id` to `to` in this write; answers the mail telling them.
    pub(crate) fn assign_in(
        &self,
        tx: &Write,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        to: Option<UserId>,
        now: &str,
    ) -> Result<Vec<NewMail>> {
        let c = talk::conversation_by_id(tx, id)?.ok_or(Error::NotFound)?;
        let person = match to {
            Some(u) => Some(
                users::by_id(tx, u)?
                    .filter(|u| u.active)
                    .ok_or_else(|| Error::field("assignee", "is not a person here"))?,
            ),
            None => None,
        };
        if c.assignee_id == to {
            return Ok(Vec::new());
        }
        work::set_assignee(tx, id, to)?;
        let name = person.as_ref().map_or("", |p| p.display_name());
        activity(tx, id, actor, ("assigned", name), now)?;
        let mut mails = Vec::new();
        if let Some(p) = person.filter(|p| p.id != actor.id) {
            mails.push(self.notice(tx, tenant, (&p, actor), ("assigned", &c), now)?);
        }
        Ok(mails)
    }

    /// Notifies `person` in the bell and makes the mail that tells them.
    fn notice(
        &self,
        tx: &Write,
        tenant: &Tenant,
        (person, actor): (&User, &User),
        (kind, c): (&str, &crate::domain::inbox::Conversation),
        now: &str,
    ) -> Result<NewMail> {
        work::notify(tx, person.id, (kind, c.id), Some(actor.id), now)?;
        let url = self.tenant_url(tenant.slug(), &format!("conversations/{}", c.id));
        Ok(crate::mail::messages::conversation_notice(
            person.mail_lang(),
            &person.email,
            (kind == "mention", actor.display_name()),
            (c.number, &c.subject),
            &url,
        ))
    }

    pub fn set_conversation_priority(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        priority: Priority,
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        let now = self.stamp();
        tenant
            .db
            .write(|tx| set_priority_in(tx, actor, id, priority, &now))
    }

    /// Puts a label on a conversation (`on`) or takes it off.
    pub fn label_conversation(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        (label, on): (LabelId, bool),
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        let now = self.stamp();
        tenant
            .db
            .write(|tx| label_in(tx, actor, id, (label, on), &now))
    }

    /// A private note in the thread; everyone it mentions (`@mia`) is notified.
    pub fn add_note(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
        text: &str,
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_NOTE_CHARS {
            return Err(Error::field("text", "must be 1 to 20000 characters"));
        }
        let now = self.stamp();
        self.write_with_mail(&tenant.db, |tx| {
            let c = talk::conversation_by_id(tx, id)?.ok_or(Error::NotFound)?;
            talk::insert_message(
                tx,
                &NewMessage {
                    conversation: id,
                    direction: "note",
                    from: ("", actor.display_name()),
                    cc: &[],
                    author: Some(actor.id),
                    message_id: None,
                    subject: "",
                    body: (text, None),
                    automatic: None,
                    raw: None,
                    size: text.len() as i64,
                    refused: None,
                    attachments: &[],
                },
                &now,
            )?;
            let people: Vec<User> = users::list(tx)?.into_iter().filter(|u| u.active).collect();
            let handles: Vec<(UserId, &str, &str)> = people
                .iter()
                .map(|u| (u.id, u.email.as_str(), u.name.as_str()))
                .collect();
            let mut mails = Vec::new();
            for uid in crate::domain::inbox::typing::mentioned(text, &handles) {
                if let Some(p) = people.iter().find(|p| p.id == uid && p.id != actor.id) {
                    mails.push(self.notice(tx, tenant, (p, actor), ("mention", &c), &now)?);
                }
            }
            Ok(((), mails))
        })
    }

    /// `user` has seen a conversation: its notifications are read.
    pub fn seen_conversation(
        &self,
        tenant: &Tenant,
        user: &User,
        id: ConversationId,
    ) -> Result<()> {
        // Only a page with something unread about it writes.
        if !work::unread_about(&*tenant.db.conn()?, user.id, id)? {
            return Ok(());
        }
        let now = self.stamp();
        tenant
            .db
            .write(|tx| work::read_notifications(tx, user.id, id, &now).map(|_| ()))
    }

    /// Opens the snoozed conversations whose time has come; how many.
    pub fn wake_snoozed(&self, tenant: &Tenant) -> Result<usize> {
        if !tenant.caps.allows(Capability::Inbox) {
            return Ok(0);
        }
        let now = self.stamp();
        let due = work::snoozed_until_before(&*tenant.db.conn()?, &now, 500)?;
        if due.is_empty() {
            return Ok(0);
        }
        tenant.db.write(|tx| {
            for id in &due {
                work::set_status(tx, *id, (Status::Open, None), &now)?;
            }
            Ok(due.len())
        })
    }
}

impl App {
    /// Merges conversation `from` into the one numbered `into`: one thread from then on, and
    /// mail answering either lands in it. The merge is a line in the thread.
    pub fn merge_conversations(
        &self,
        tenant: &Tenant,
        actor: &User,
        from: ConversationId,
        into: i64,
    ) -> Result<ConversationId> {
        tenant.require(Capability::Inbox)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let gone = talk::conversation_by_id(tx, from)?.ok_or(Error::NotFound)?;
            let target = work::by_number(tx, into)?
                .filter(|id| *id != from)
                .ok_or_else(|| {
                    Error::field("into", format!("there is no other conversation #{into}"))
                })?;
            work::merge(tx, from, target, &now)?;
            activity(
                tx,
                target,
                actor,
                ("merged", &format!("#{} {}", gone.number, gone.subject)),
                &now,
            )?;
            crate::store::audit::record(
                tx,
                Some(actor.id),
                "conversation.merged",
                &format!("#{} into #{into}", gone.number),
                &now,
            )?;
            Ok(target)
        })
    }
}
