//! Mail as the outbox keeps it.

use crate::domain::ids::MailId;

/// A message to queue: `mail::messages` builds these.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An iCalendar invitation sent along (its METHOD inside), for an appointment.
    pub calendar: Option<String>,
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
