//! The conversations inbox: inboxes (an email channel, fetched over IMAP by `fetch`), the
//! conversations their mail makes, and their messages.

mod canned;
pub mod fetch;
pub mod presence;
mod read;
mod reply;
mod work;

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

impl App {
    /// A new email inbox (owners and admins); its mail is fetched from the next pass on.
    pub fn create_inbox(&self, tenant: &Tenant, actor: &User, i: &InboxInput) -> Result<InboxId> {
        tenant.require(Capability::Inbox)?;
        if actor.role < Role::Admin {
            return Err(Error::Forbidden(
                "Only owners and admins set up inboxes.".into(),
            ));
        }
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

    /// Fetches the inbox's mailbox again from its first message (owners and admins), for
    /// recovery: mail already taken is known by its Message-ID and not taken twice.
    pub fn fetch_again(&self, tenant: &Tenant, actor: &User, id: InboxId) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        if actor.role < Role::Admin {
            return Err(Error::Forbidden(
                "Only owners and admins set up inboxes.".into(),
            ));
        }
        let now = self.stamp();
        tenant.db.write(|tx| {
            store::inbox_by_id(tx, id)?.ok_or(Error::NotFound)?;
            store::from_the_start(tx, id, &now)?;
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
        let messages = talk::messages(&conn, id)?;
        Ok((c, messages))
    }

    /// Moves a conversation to the trash. Its messages stay, so the mail it holds is known
    /// and never fetched into a conversation again.
    pub fn trash_conversation(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ConversationId,
    ) -> Result<()> {
        tenant.require(Capability::Inbox)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            if !talk::trash_conversation(tx, id, &now)? {
                return Err(Error::NotFound);
            }
            crate::store::audit::record(
                tx,
                Some(actor.id),
                "conversation.trashed",
                &id.to_string(),
                &now,
            )
        })
    }
}
