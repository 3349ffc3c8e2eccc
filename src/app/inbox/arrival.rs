//! What a mail's arrival sets off, in the write that stores it: a new conversation goes to
//! the next member in the inbox's round (when it assigns), and mail from a person outside the
//! inbox's hours gets its away reply, once a day per conversation, never to automatic mail.

use crate::app::Tenant;
use crate::domain::ids::{ConversationId, UserId};
use crate::domain::inbox::mail::Incoming;
use crate::domain::inbox::routing::{is_open, next_assignee};
use crate::domain::inbox::{Conversation, Inbox};
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::conversation_work as work;
use crate::store::conversations as talk;
use crate::store::inbox as store;

/// How long an away reply holds for a conversation before another may go.
const AWAY_EVERY_HOURS: i64 = 24;

/// A mail came into conversation `id` (`new`: it made it): a new one goes to the inbox's team
/// and the member whose turn it is; rules hear of it.
pub(super) fn arrived(
    tx: &Write,
    inbox: &Inbox,
    (id, new): (ConversationId, bool),
    now: &str,
) -> Result<()> {
    if new {
        on_the_timeline(tx, inbox, id, now)?;
        assign_new(tx, inbox, id)?;
        if inbox.team_id.is_some() {
            crate::store::teams::set_conversation_team(tx, id, inbox.team_id)?;
        }
    }
    queue_events(tx, id, new, now)
}

/// Gives a new conversation to the member whose turn it is, if the inbox assigns.
fn assign_new(tx: &Write, inbox: &Inbox, id: ConversationId) -> Result<()> {
    if !inbox.auto_assign {
        return Ok(());
    }
    if let Some(user) = next_in_round(tx, inbox)? {
        work::set_assignee(tx, id, Some(user))?;
    }
    Ok(())
}

/// The member of the inbox whose turn it is (none when all are at the cap), the turn taken.
pub(super) fn next_in_round(tx: &Write, inbox: &Inbox) -> Result<Option<UserId>> {
    let members = store::members(tx, inbox.id)?;
    let cap = inbox.assign_cap;
    // The last turn as this write sees it: an earlier mail of the same fetch may have taken it.
    let last = store::inbox_by_id(tx, inbox.id)?.and_then(|i| i.last_assigned_id);
    let mut failed = None;
    let next = next_assignee(&members, last, cap, |u| {
        store::open_load(tx, u, cap.unwrap_or(i64::MAX)).unwrap_or_else(|e| {
            failed = Some(e);
            i64::MAX
        })
    });
    if let Some(e) = failed {
        return Err(e);
    }
    if let Some(user) = next {
        store::assigned_last(tx, inbox.id, user)?;
    }
    Ok(next)
}

/// The away reply this mail gets, if it gets one: stored as the conversation's outgoing
/// message, marked automatic, its mail queued (the conversation keeps waiting for a person).
/// The caller tells the mailer.
pub(super) fn away_reply(
    tenant: &Tenant,
    tx: &Write,
    (inbox, c): (&Inbox, &Conversation),
    mail: &Incoming,
    (now, at): (&str, chrono::DateTime<chrono::Utc>),
) -> Result<()> {
    let Some(hours) = inbox.hours.as_deref() else {
        return Ok(());
    };
    let (Some(from), None) = (&mail.from, &mail.automatic) else {
        return Ok(());
    };
    let text = inbox.away_reply.trim();
    let recent = crate::clock::stamp(at - chrono::Duration::hours(AWAY_EVERY_HOURS));
    if text.is_empty()
        || mail.is_bounce()
        || is_open(hours, at, tenant.zone_of(None))
        || store::is_bouncing(tx, &from.email)?
        || talk::automatic_reply_since(tx, c.id, &recent)?
    {
        return Ok(());
    }
    let away = super::reply::Outgoing {
        to: from.email.clone(),
        cc: Vec::new(),
        body: text,
        author: None,
        automatic: Some("auto-replied"),
        in_reply_to: mail.message_id.clone(),
        references: mail.message_id.iter().cloned().collect(),
    };
    super::reply::send_out(tx, (inbox, c), &away, now).map(drop)
}

/// The conversation as it is now in this write.
pub(super) fn current(tx: &Write, id: ConversationId) -> Result<Conversation> {
    talk::conversation_by_id(tx, id)?.ok_or(Error::NotFound)
}

/// The events of a mail's arrival, for rules that listen: a new conversation, a message in.
fn queue_events(tx: &Write, id: ConversationId, new: bool, now: &str) -> Result<()> {
    use crate::app::automations::events::{CONVERSATION, push_about};
    use crate::domain::automation::Event;
    if new {
        push_about(tx, Event::ConversationCreated, (CONVERSATION, id.0), now)?;
    }
    push_about(tx, Event::MessageReceived, (CONVERSATION, id.0), now)
}

/// A new conversation is on its contact's timeline: "Wrote to Support: …".
fn on_the_timeline(tx: &Write, inbox: &Inbox, id: ConversationId, now: &str) -> Result<()> {
    use crate::store::crm::activities::{self, NewActivity};
    let c = current(tx, id)?;
    let Some(contact) = c.contact_id else {
        return Ok(());
    };
    // Its company's timeline shows it too.
    let company =
        crate::store::crm::records::get(tx, crate::domain::crm::Entity::Contact, contact.0)?
            .and_then(|r| r.int("company_id"))
            .map(crate::domain::ids::CompanyId);
    let said = crate::domain::said::Said::new("tl_conversation")
        .text("inbox", &inbox.name)
        .text("subject", &c.subject);
    activities::insert(
        tx,
        &NewActivity {
            kind: "conversation",
            summary: said.read(crate::domain::words::Lang::En),
            said: Some(said.to_json()),
            contact_id: Some(contact),
            company_id: company,
            occurred_at: now.to_string(),
            ..NewActivity::default()
        },
        now,
    )?;
    Ok(())
}
