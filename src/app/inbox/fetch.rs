//! Fetching an email inbox over IMAP. Per mailbox it keeps UIDVALIDITY and the last UID taken;
//! each mail is stored in its own write together with its UID, so a crash or restart neither
//! loses nor repeats one. Message-IDs are the backstop (a new UIDVALIDITY starts the UIDs
//! over; a mail without one gets one from its bytes' hash), and they keep a conversation in
//! the trash from coming back. Errors are kept as the inbox's health and tried again later,
//! waiting longer after each failure; an inbox is never switched off by them.

use super::arrival;
use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::ids::{ContactId, ConversationId, InboxId};
use crate::domain::inbox::mail::{Incoming, bounced_recipient, parse};
use crate::domain::inbox::threading::{Clue, clues};
use crate::domain::inbox::{Inbox, MAX_MAIL_BYTES};
use crate::error::{Error, Result};
use crate::mail::imap::{Imap, ImapError, roots};
use crate::store::Write;
use crate::store::conversations::{self as talk, NewMessage};
use crate::store::inbox as store;
use std::time::Duration;

/// How often an inbox is fetched while all is well.
pub const POLL_SECONDS: i64 = 60;
/// The longest wait after failures.
const MAX_BACKOFF_SECONDS: i64 = 3600;
pub(super) const TIMEOUT: Duration = Duration::from_secs(30);

/// What came from the server for one UID.
enum Mail {
    Whole(Vec<u8>),
    /// Over the cap: only its header, and its size.
    TooLarge(Vec<u8>, u64),
    /// The workspace's mail storage is full (its limit in MB): only its header, and its size.
    NoRoom(Vec<u8>, u64, u64),
}

impl App {
    /// Fetches each of the workspace's inboxes that is due; answers how many mails it took.
    pub fn fetch_due_inboxes(&self, tenant: &Tenant) -> Result<usize> {
        if tenant.require(Capability::Inbox).is_err() {
            return Ok(0);
        }
        let due = store::due(&*tenant.db.conn()?, &self.stamp())?;
        let mut taken = 0;
        for id in due {
            // One inbox failing is its own health's business, not the others'.
            taken += self.fetch_inbox(tenant, id).unwrap_or(0);
        }
        Ok(taken)
    }

    /// Fetches inbox `id` now; answers how many mails it took. A failure is kept as the
    /// inbox's health (and answered, in words without secrets).
    pub fn fetch_inbox(&self, tenant: &Tenant, id: InboxId) -> Result<usize> {
        tenant.require(Capability::Inbox)?;
        let inbox = store::inbox_by_id(&*tenant.db.conn()?, id)?.ok_or(Error::NotFound)?;
        let outcome = self.fetch_from_server(tenant, &inbox);
        let now = self.now();
        let stamp = |s: i64| crate::clock::stamp(now + chrono::Duration::seconds(s));
        match outcome {
            Ok(n) => {
                tenant
                    .db
                    .write(|tx| store::fetched(tx, id, &stamp(0), &stamp(POLL_SECONDS)))?;
                Ok(n)
            }
            Err(e) => {
                let failures = store::health(&*tenant.db.conn()?, id)?.failures;
                let wait = (POLL_SECONDS << failures.clamp(0, 6)).min(MAX_BACKOFF_SECONDS);
                let text = e.to_string();
                crate::warn!(
                    "inbox fetch tenant={} inbox={id} error={text}",
                    tenant.slug()
                );
                tenant
                    .db
                    .write(|tx| store::failed(tx, id, &text, (&stamp(0), &stamp(wait))))?;
                Err(Error::Unavailable(format!("inbox {}: {text}", inbox.name)))
            }
        }
    }

    fn fetch_from_server(&self, tenant: &Tenant, inbox: &Inbox) -> Result<usize, FetchError> {
        let trusted = roots(inbox.imap_ca.as_deref())?;
        let mut imap = Imap::connect(&inbox.imap_host, inbox.imap_port, trusted, TIMEOUT)?;
        imap.login(&inbox.imap_user, &inbox.imap_password)?;
        let mailbox = imap.select(&inbox.imap_mailbox)?;
        let health = store::health(&*tenant.db.conn()?, inbox.id)?;
        let mut last = health.last_uid;
        if health.uid_validity != Some(mailbox.uid_validity) {
            tenant
                .db
                .write(|tx| store::reset_uids(tx, inbox.id, mailbox.uid_validity))?;
            last = 0;
        }
        // Fetching again from a day: from its first message on (what is stored stays once).
        let since = health
            .refetch_since
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        if let Some(day) = since
            && let Some(first) = imap.first_since(day)?
        {
            last = last.min(first.saturating_sub(1));
        }
        let mut taken = 0;
        let room = self.config.inbox_storage_bytes;
        let mut used = store::mail_usage(&*tenant.db.conn()?)?;
        for (uid, size) in imap.list_after(last)? {
            let mail = if size > MAX_MAIL_BYTES {
                imap.fetch_header(uid)?.map(|h| Mail::TooLarge(h, size))
            } else if used + size > room {
                imap.fetch_header(uid)?
                    .map(|h| Mail::NoRoom(h, size, room >> 20))
            } else {
                imap.fetch(uid)?.map(Mail::Whole)
            };
            let Some(mail) = mail else { continue };
            let now = self.stamp();
            // Through the mail road: an away reply may be queued with it.
            if self.write_with_mail(&tenant.db, |tx| {
                Ok((
                    take(self, tenant, tx, (inbox, uid), &mail, &now)?,
                    Vec::new(),
                ))
            })? {
                taken += 1;
                if let Mail::Whole(raw) = &mail {
                    used += raw.len() as u64;
                }
            }
        }
        imap.logout();
        if taken > 0 {
            self.wake_jobs(tenant.slug());
        }
        Ok(taken)
    }
}

/// What stops a fetch: the server's side, or ours.
#[derive(Debug, thiserror::Error)]
enum FetchError {
    #[error("{0}")]
    Imap(#[from] ImapError),
    #[error("{0}")]
    Store(#[from] Error),
}

/// Stores one mail with its UID (and the away reply it gets, if any); answers whether it was
/// new (not a mail already stored).
fn take(
    app: &App,
    tenant: &Tenant,
    tx: &Write,
    (inbox, uid): (&Inbox, u32),
    mail: &Mail,
    now: &str,
) -> Result<bool> {
    let (bytes, refused) = mail.parts();
    let parsed = parse(bytes).unwrap_or_else(|| unreadable(bytes));
    let message_id = parsed.message_id.clone().unwrap_or_else(|| {
        format!(
            "sha256-{}@onebox.invalid",
            crate::domain::secret::hash_token(&String::from_utf8_lossy(bytes))
        )
    });
    if talk::conversation_of_message(tx, &message_id)?.is_some() {
        store::took_uid(tx, inbox.id, uid)?;
        return Ok(false);
    }
    let contact = match (&parsed.from, parsed.is_bounce()) {
        (Some(from), false) => Some(sender(app, tenant, tx, from, now)?),
        _ => None,
    };
    let (conversation, new) = match thread(tx, &parsed, &inbox.address)? {
        Some(c) => (c, false),
        None => {
            let token = &crate::domain::secret::new_token()[..20];
            let subject = (parsed.subject.as_str(), token);
            (
                talk::insert_conversation(tx, (inbox.id, contact), subject, now)?,
                true,
            )
        }
    };
    let from = parsed.from.as_ref();
    let cc = copies(&parsed, &inbox.address);
    let automatic = parsed.automatic.as_ref().map(|a| a.as_str());
    talk::insert_message(
        tx,
        &NewMessage {
            conversation,
            direction: "in",
            from: (
                from.map_or("", |f| f.email.as_str()),
                from.map_or("", |f| f.name.as_str()),
            ),
            cc: &cc,
            author: None,
            message_id: Some(&message_id),
            subject: &parsed.subject,
            body: (&parsed.text, parsed.html.as_deref()),
            automatic,
            raw: refused.is_none().then_some(bytes),
            size: mail.size() as i64,
            refused: refused.as_deref(),
            attachments: &parsed.attachments,
        },
        now,
    )?;
    if refused.is_none() {
        store::add_mail_usage(tx, mail.size())?;
    }
    talk::message_came_in(tx, conversation, now)?;
    if parsed.is_bounce()
        && let Some(address) = bounced_recipient(bytes)
    {
        store::mark_bouncing(tx, &address)?;
    }
    arrival::arrived(tx, inbox, (conversation, new), now)?;
    let c = arrival::current(tx, conversation)?;
    arrival::away_reply(tenant, tx, (inbox, &c), &parsed, (now, app.now()))?;
    store::took_uid(tx, inbox.id, uid)?;
    Ok(true)
}

impl Mail {
    /// The bytes to read, and why the mail was not taken whole (none: it was).
    fn parts(&self) -> (&[u8], Option<String>) {
        match self {
            Mail::Whole(raw) => (raw, None),
            Mail::TooLarge(header, size) => (
                header,
                Some(format!(
                    "{} MB, over the limit of {} MB: not taken",
                    size.div_ceil(1 << 20),
                    MAX_MAIL_BYTES >> 20
                )),
            ),
            Mail::NoRoom(header, _, room) => (
                header,
                Some(format!(
                    "the workspace's mail storage ({room} MB, inbox_storage_mb) is full: not taken"
                )),
            ),
        }
    }

    /// Its size as the server says it.
    fn size(&self) -> u64 {
        match self {
            Mail::Whole(raw) => raw.len() as u64,
            Mail::TooLarge(_, size) | Mail::NoRoom(_, size, _) => *size,
        }
    }
}

/// The copies a reply keeps: the others the mail went to, not our own addresses.
fn copies(mail: &Incoming, inbox_address: &str) -> Vec<String> {
    mail.to
        .iter()
        .chain(&mail.cc)
        .map(|p| p.email.clone())
        .filter(|e| {
            e != inbox_address
                && crate::domain::inbox::threading::token_in(e, inbox_address).is_none()
        })
        .collect()
}

/// Bytes with no header at all, kept as a message that says so.
fn unreadable(bytes: &[u8]) -> Incoming {
    Incoming {
        message_id: None,
        in_reply_to: Vec::new(),
        references: Vec::new(),
        from: None,
        reply_to: None,
        to: Vec::new(),
        cc: Vec::new(),
        subject: String::new(),
        date: None,
        text: String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]).into_owned(),
        html: None,
        attachments: Vec::new(),
        automatic: None,
    }
}

/// The conversation the mail's first clue that holds names (none: a new one).
fn thread(tx: &Write, mail: &Incoming, address: &str) -> Result<Option<ConversationId>> {
    for clue in clues(mail, address) {
        let found = match clue {
            // A reply to a conversation in the trash starts a new one: it is news.
            Clue::MessageId(id) => talk::conversation_of_message(tx, &id)?
                .filter(|(_, trashed)| !trashed)
                .map(|(c, _)| c),
            Clue::Token(t) => talk::conversation_by_token(tx, &t)?,
            Clue::Number(n) => match &mail.from {
                Some(from) => talk::conversation_by_number_from(tx, n, &from.email)?,
                None => None,
            },
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The contact who sent it: by the address they wrote from, else by their email, else new.
fn sender(
    app: &App,
    tenant: &Tenant,
    tx: &Write,
    from: &crate::domain::inbox::mail::Party,
    now: &str,
) -> Result<ContactId> {
    if let Some(c) = store::contact_by_identity(tx, &from.email)? {
        return Ok(c);
    }
    let name = if from.name.is_empty() {
        from.email.split('@').next().unwrap_or_default().to_string()
    } else {
        from.name.clone()
    };
    let contact =
        crate::app::records::contact_for(app, tenant, tx, (&name, &from.email, ""), "email")?;
    store::add_identity(tx, &from.email, contact, now)?;
    Ok(contact)
}
