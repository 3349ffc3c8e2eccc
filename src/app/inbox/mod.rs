//! The conversations inbox: inboxes (an email channel, fetched over IMAP by `fetch`), the
//! conversations their mail makes, and their messages.

mod arrival;
mod automation;
mod canned;
pub mod fetch;
pub mod idle;
pub mod presence;
mod read;
pub(crate) mod reply;
pub(crate) mod teams;
mod update;
pub(crate) mod work;

pub use update::Update;

use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::ids::{ConversationId, InboxId};
use crate::domain::inbox::{Conversation, Health, Inbox, Message};
use crate::domain::user::Role;
use crate::error::{Error, Result};
use crate::store::conversations as talk;
use crate::store::inbox::{self as store, NewInbox};
use crate::store::users::User;

/// An email inbox to create: its name and address, and the IMAP mailbox it is fetched from.
#[derive(Debug, Clone, Default)]
pub struct InboxInput {
    pub name: String,
    pub address: String,
    pub imap_host: String,
    pub imap_port: u16,
    pub imap_user: String,
    pub imap_password: String,
    pub imap_mailbox: String,
    pub imap_ca: Option<String>,
}

fn checked(i: &InboxInput) -> Result<()> {
    let mut errors = Vec::new();
    let mut need = |field: &str, ok: bool, message: &str| {
        if !ok {
            errors.push(crate::error::FieldError::new(field, message));
        }
    };
    need(
        "name",
        (1..=60).contains(&i.name.trim().chars().count()),
        "must be 1 to 60 characters",
    );
    need(
        "address",
        crate::domain::user::normalize_email(&i.address).is_ok(),
        "must be an email address",
    );
    let host_ok = !i.imap_host.is_empty()
        && i.imap_host.len() <= 253
        && i.imap_host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c));
    need("imap_host", host_ok, "must be a host name or address");
    need("imap_port", i.imap_port != 0, "must be from 1 to 65535");
    for (field, value) in [
        ("imap_user", &i.imap_user),
        ("imap_password", &i.imap_password),
    ] {
        need(
            field,
            !value.is_empty() && value.len() <= 200 && !value.contains(['\r', '\n', '\0']),
            "must be 1 to 200 characters on one line",
        );
    }
    need(
        "imap_mailbox",
        !i.imap_mailbox.trim().is_empty() && !i.imap_mailbox.contains(['\r', '\n', '\0']),
        "must be a mailbox name",
    );
    if let Some(ca) = i.imap_ca.as_deref().filter(|c| !c.trim().is_empty()) {
        need(
            "imap_ca",
            crate::mail::imap::roots(Some(ca)).is_ok(),
            "must be a certificate in PEM form",
        );
    }
    match Error::fields(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// How an inbox's work is shared and answered: its signature, its members and whether new
/// conversations go to them in turn (with a cap of open ones each), its hours (Monday first;
/// none: always open) and the reply to mail outside them.
#[derive(Debug, Clone, Default)]
pub struct WorkInput {
    pub signature: String,
    pub members: Vec<crate::domain::ids::UserId>,
    pub auto_assign: bool,
    pub assign_cap: Option<i64>,
    pub hours: Option<Vec<String>>,
    pub away_reply: String,
    /// The team the inbox's new conversations belong to.
    pub team: Option<crate::domain::ids::TeamId>,
}

fn checked_work(w: &WorkInput, people: &[crate::domain::ids::UserId]) -> Result<()> {
    let mut errors = Vec::new();
    if w.signature.chars().count() > 2000 {
        errors.push(crate::error::FieldError::new(
            "signature",
            "must be at most 2000 characters",
        ));
    }
    if w.away_reply.chars().count() > 5000 {
        errors.push(crate::error::FieldError::new(
            "away_reply",
            "must be at most 5000 characters",
        ));
    }
    if w.assign_cap.is_some_and(|c| !(1..=1000).contains(&c)) {
        errors.push(crate::error::FieldError::new(
            "assign_cap",
            "must be from 1 to 1000",
        ));
    }
    if w.members.iter().any(|m| !people.contains(m)) {
        errors.push(crate::error::FieldError::new(
            "members",
            "must be people here",
        ));
    }
    for (i, day) in w.hours.iter().flatten().enumerate() {
        if crate::domain::scheduling::parse_spans(day).is_none() {
            errors.push(crate::error::FieldError::new(
                &format!("hours{i}"),
                "is not like 09:00–12:00, 13:00–17:00",
            ));
        }
    }
    match Error::fields(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Inboxes are set up by owners and admins.
fn may_set_up(actor: &User) -> Result<()> {
    match actor.role >= Role::Admin {
        true => Ok(()),
        false => Err(Error::Forbidden(
            "Only owners and admins set up inboxes.".into(),
        )),
    }
}

impl App {
    /// Saves how inbox `id`'s work is shared and answered (owners and admins).
    pub fn save_inbox_work(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: InboxId,
        w: &WorkInput,
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        may_set_up(actor)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let inbox = store::inbox_by_id(tx, id)?.ok_or(Error::NotFound)?;
            let people: Vec<_> = crate::store::users::list(tx)?
                .into_iter()
                .filter(|u| u.active)
                .map(|u| u.id)
                .collect();
            checked_work(w, &people)?;
            let work = store::InboxWork {
                signature: w.signature.trim(),
                members: &w.members,
                auto_assign: w.auto_assign,
                assign_cap: w.assign_cap,
                hours: w.hours.as_deref(),
                away_reply: w.away_reply.trim(),
                team: w.team,
            };
            if let Some(team) = w.team
                && crate::store::teams::name(tx, team)?.is_none()
            {
                return Err(Error::field("team", "is not a team here"));
            }
            store::save_work(tx, id, &work)?;
            crate::store::audit::record(tx, Some(actor.id), "inbox.work_saved", &inbox.name, &now)
        })
    }

    /// An inbox's active members.
    pub fn inbox_members(
        &self,
        tenant: &Tenant,
        id: InboxId,
    ) -> Result<Vec<crate::domain::ids::UserId>> {
        tenant.require(Capability::Inbox)?;
        store::members(&*tenant.db.conn()?, id)
    }

    /// A new email inbox (owners and admins); its mail is fetched from the next pass on.
    pub fn create_inbox(&self, tenant: &Tenant, actor: &User, i: &InboxInput) -> Result<InboxId> {
        tenant.require(Capability::Inbox)?;
        may_set_up(actor)?;
        checked(i)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let id = store::insert_inbox(
                tx,
                &NewInbox {
                    name: i.name.trim(),
                    address: &i.address.trim().to_ascii_lowercase(),
                    imap: (&i.imap_host, i.imap_port, &i.imap_user, &i.imap_password),
                    mailbox: i.imap_mailbox.trim(),
                    ca: i.imap_ca.as_deref().filter(|c| !c.trim().is_empty()),
                },
                &now,
            )?;
            crate::store::audit::record(tx, Some(actor.id), "inbox.created", i.name.trim(), &now)?;
            Ok(id)
        })
    }

    pub fn inboxes(&self, tenant: &Tenant) -> Result<Vec<Inbox>> {
        tenant.require(Capability::Inbox)?;
        store::inboxes(&*tenant.db.conn()?)
    }

    pub fn inbox(&self, tenant: &Tenant, id: InboxId) -> Result<Inbox> {
        tenant.require(Capability::Inbox)?;
        store::inbox_by_id(&*tenant.db.conn()?, id)?.ok_or(Error::NotFound)
    }

    /// How an inbox's fetching goes: its last success and error, and when it tries next.
    pub fn inbox_health(&self, tenant: &Tenant, id: InboxId) -> Result<Health> {
        tenant.require(Capability::Inbox)?;
        let conn = tenant.db.conn()?;
        store::inbox_by_id(&conn, id)?.ok_or(Error::NotFound)?;
        store::health(&conn, id)
    }

    /// Fetches the inbox's mailbox again from its first message, or from its first since a
    /// day (owners and admins), for recovery: mail already taken is known by its Message-ID and
    /// not taken twice, and a conversation in the trash stays there.
    pub fn fetch_again(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: InboxId,
        since: Option<chrono::NaiveDate>,
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        may_set_up(actor)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            store::inbox_by_id(tx, id)?.ok_or(Error::NotFound)?;
            match since {
                Some(day) => store::again_since(tx, id, &day.format("%Y-%m-%d").to_string(), &now)?,
                None => store::from_the_start(tx, id, &now)?,
            }
            crate::store::audit::record(
                tx,
                Some(actor.id),
                "inbox.fetch_again",
                &id.to_string(),
                &now,
            )
        })
    }

    /// The newest conversations, whatever their status (the first `limit`).
    pub fn conversations(&self, tenant: &Tenant, limit: i64) -> Result<Vec<Conversation>> {
        tenant.require(Capability::Inbox)?;
        talk::newest(&*tenant.db.conn()?, limit)
    }

    pub fn conversation(
        &self,
        tenant: &Tenant,
        id: ConversationId,
    ) -> Result<(Conversation, Vec<Message>)> {
        tenant.require(Capability::Inbox)?;
        let conn = tenant.db.conn()?;
        let c = talk::conversation_by_id(&conn, id)?.ok_or(Error::NotFound)?;
        let mut messages = talk::messages(&conn, id)?;
        for (message, a) in talk::attachments(&conn, id)? {
            if let Some(m) = messages.iter_mut().find(|m| m.id == message) {
                m.attachments.push(a);
            }
        }
        Ok((c, messages))
    }

    /// The conversations in the trash (the latest 50) and when each went there; none where the
    /// workspace has no inbox.
    pub fn trashed_conversations(&self, tenant: &Tenant) -> Result<Vec<(Conversation, String)>> {
        if !tenant.caps.allows(Capability::Inbox) {
            return Ok(Vec::new());
        }
        talk::trashed(&*tenant.db.conn()?, 50)
    }

    /// Takes a conversation out of the trash, as it was.
    pub fn restore_conversation(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
    ) -> Result<()> {
        self.trashed(tenant, actor, (id, false))
    }

    /// Moves a conversation to the trash. Its messages stay, so the mail it holds is known
    /// and never fetched into a conversation again.
    pub fn trash_conversation(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
    ) -> Result<()> {
        self.trashed(tenant, actor, (id, true))
    }

    /// Into the trash (`to_trash`) or out of it, with its audit row.
    fn trashed(
        &self,
        tenant: &Tenant,
        actor: &User,
        (id, to_trash): (ConversationId, bool),
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let (done, what) = match to_trash {
                true => (
                    talk::trash_conversation(tx, id, &now)?,
                    "conversation.trashed",
                ),
                false => (talk::restore(tx, id)?, "conversation.restored"),
            };
            if !done {
                return Err(Error::NotFound);
            }
            crate::store::audit::record(tx, Some(actor.id), what, &id.to_string(), &now)
        })
    }
}
