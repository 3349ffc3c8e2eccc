//! Mail as the outbox keeps it.

use crate::domain::ids::MailId;

/// A message to queue: `mail::messages` builds these.
#[derive(Debug, Clone, Default)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An iCalendar invitation sent along (its METHOD inside), for an appointment.
    pub calendar: Option<String>,
    /// A reply in a conversation: its sender, ids and copies.
    pub thread: Option<Thread>,
}

/// What a conversation's reply carries besides its text: sent from the inbox (not the
/// installation's sender), with its own Message-ID, the ids it answers, and the copies.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Thread {
    /// `Name <address>`: the inbox.
    pub from: String,
    /// The conversation's address (`inbox+c<token>@…`), so answers come back to it.
    pub reply_to: String,
    /// Without angle brackets, like the ones below.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub cc: Vec<String>,
    /// Sent by Onebox itself in answer (an out-of-office reply): `Auto-Submitted:
    /// auto-replied`, so the other side's robots leave it be.
    #[serde(default)]
    pub auto_replied: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MailStatus {
    pub id: MailId,
    pub to: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}
