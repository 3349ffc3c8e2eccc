//! Mail as the outbox keeps it.

use crate::domain::ids::MailId;

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
