//! The conversations inbox's pure parts: reading an incoming mail (`mail`), making its HTML
//! safe to show (`html`), finding the conversation it answers (`threading`), and telling new
//! text from quoted history (`quote`).

pub mod html;
pub mod mail;
pub mod quote;
pub mod threading;

#[cfg(test)]
mod tests;

use crate::domain::ids::{ContactId, ConversationId, ConversationMessageId, InboxId, UserId};

/// A mail larger than this is not taken: its conversation notes its size and sender instead.
pub const MAX_MAIL_BYTES: u64 = 25 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Inbox {
    pub id: InboxId,
    pub name: String,
    pub address: String,
    pub imap_host: String,
    pub imap_port: u16,
    pub imap_user: String,
    #[serde(skip)]
    pub imap_password: String,
    pub imap_mailbox: String,
    pub signature: String,
    pub active: bool,
    /// A private CA (PEM) its server's certificate is signed by, if not a public one.
    #[serde(skip)]
    pub imap_ca: Option<String>,
}

/// How an inbox's fetching goes: what it has taken, and its last success and error.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Health {
    pub uid_validity: Option<u32>,
    pub last_uid: u32,
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub failures: i64,
    pub next_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conversation {
    pub id: ConversationId,
    pub number: i64,
    pub inbox_id: InboxId,
    pub contact_id: Option<ContactId>,
    pub subject: String,
    pub status: String,
    pub assignee_id: Option<UserId>,
    #[serde(skip)]
    pub token: String,
    pub waiting_since: Option<String>,
    pub last_message_at: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    pub id: ConversationMessageId,
    pub conversation_id: ConversationId,
    pub direction: String,
    pub from_address: String,
    pub from_name: String,
    pub message_id: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub automatic: Option<String>,
    pub size: i64,
    pub refused: Option<String>,
    pub created_at: String,
}

/// What a reply needs of the mail it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastIncoming {
    pub message_id: Option<String>,
    pub from: String,
    pub cc: Vec<String>,
}
