//! Queueing mail. Mail is written to the tenant's outbox in the same transaction as the change
//! that causes it, so a change that rolls back sends nothing; the mailer thread delivers it.

use crate::app::App;
use crate::error::Result;
use crate::store::Write;
use crate::store::outbox::{self, NewMail};
use crate::store::{TenantDb, registry};

impl App {
    /// Runs `change` in one write transaction of `db` and queues the mails it returns in the
    /// same transaction. The registry's hint is set first, so the mailer cannot miss the mail
    /// even if the process dies right after the commit.
    pub fn write_with_mail<T>(
        &self,
        db: &TenantDb,
        change: impl FnOnce(&Write) -> Result<(T, Vec<NewMail>)>,
    ) -> Result<T> {
        let now = self.stamp();
        self.store
            .write_registry(|w| registry::note_mail_due(w, &db.slug, &now))?;
        let value = db.write(|tx| {
            let (value, mails) = change(tx)?;
            for mail in &mails {
                outbox::enqueue(tx, mail, &now)?;
            }
            Ok(value)
        })?;
        self.wake_mailer(&db.slug);
        Ok(value)
    }
}
