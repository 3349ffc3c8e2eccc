//! Mail: `messages` decides what to send, `transport` how (SMTP with lettre), and `mailer`
//! is the thread that works through the tenants' outboxes.

pub mod imap;
pub mod mailer;
pub mod messages;
pub mod transport;
