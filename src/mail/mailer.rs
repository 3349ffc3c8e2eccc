//! The mailer thread: delivers queued mail of every tenant, retries with backoff, records the
//! outcome. It finds work through the registry's hints, so it never opens every tenant file;
//! `deliver_due` is a plain function that tests call directly after moving the clock.

use crate::app::App;
use crate::clock::{parse_stamp, stamp};
use crate::config::SmtpConfig;
use crate::domain::slug::Slug;
use crate::error::{Error, Result};
use crate::mail::transport::{SendError, Sender};
use crate::store::{account, outbox, registry};
use chrono::Duration;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;

/// After this many failed attempts a message is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// With no SMTP server configured, mail waits and is looked at again this often.
const UNCONFIGURED_RETRY_MINUTES: i64 = 10;
const BATCH: i64 = 100;
/// The thread looks at the registry at least this often, whatever the hints say.
const MAX_SLEEP: std::time::Duration = std::time::Duration::from_secs(60);

pub enum Signal {
    Mail(Slug),
    /// A password reset asked for (workspace, email): looked up and mailed here, so the
    /// request that asked learns nothing of whether the email has an account.
    Reset(Slug, String),
    Stop,
}

pub struct MailerHandle {
    thread: JoinHandle<()>,
    signals: mpsc::Sender<Signal>,
}

impl MailerHandle {
    /// Stops the thread after the message it is sending, and waits for it.
    pub fn stop(self) {
        let _ = self.signals.send(Signal::Stop);
        let _ = self.thread.join();
    }
}

pub fn start(app: Arc<App>) -> Result<MailerHandle> {
    app.store
        .write_registry(|w| registry::wake_all_mail(w, &app.stamp()))?;
    let (signals, inbox) = mpsc::channel();
    app.set_mailer(Some(signals.clone()));
    let thread = std::thread::Builder::new()
        .name("onebox-mailer".into())
        .spawn(move || run(&app, &inbox))
        .map_err(|e| Error::internal("starting the mailer thread", e))?;
    Ok(MailerHandle { thread, signals })
}

fn run(app: &App, inbox: &mpsc::Receiver<Signal>) {
    let mut woken = BTreeSet::new();
    loop {
        if let Err(e) = deliver(app, std::mem::take(&mut woken)) {
            crate::error!("mailer pass failed: {e}");
        }
        let wait = next_wait(app).unwrap_or(MAX_SLEEP);
        let first = match inbox.recv_timeout(wait) {
            Ok(signal) => signal,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => Signal::Stop,
        };
        // Gather what else arrived meanwhile, so a burst is one pass.
        let mut next = Some(first);
        while let Some(signal) = next {
            match signal {
                Signal::Mail(slug) => {
                    woken.insert(slug);
                }
                Signal::Reset(slug, email) => {
                    if let Err(e) = app.send_password_reset(&slug, &email) {
                        crate::error!("password reset for tenant {slug} failed: {e}");
                    }
                    woken.insert(slug);
                }
                Signal::Stop => {
                    app.set_mailer(None);
                    return;
                }
            }
            next = inbox.try_recv().ok();
        }
    }
}

fn next_wait(app: &App) -> Result<std::time::Duration> {
    let next = registry::next_mail_due(&*app.store.registry()?)?;
    let Some(next) = next.and_then(|t| parse_stamp(&t)) else {
        return Ok(MAX_SLEEP);
    };
    let wait = (next - app.now()).to_std().unwrap_or_default();
    Ok(wait.min(MAX_SLEEP))
}

/// Delivers every tenant's due mail.
pub fn deliver_due(app: &App) -> Result<()> {
    deliver(app, BTreeSet::new())
}

fn deliver(app: &App, mut slugs: BTreeSet<Slug>) -> Result<()> {
    let _one_pass_at_a_time = app.delivery.lock().unwrap_or_else(|p| p.into_inner());
    for slug in registry::mail_due(&*app.store.registry()?, &app.stamp())? {
        if let Ok(slug) = Slug::parse(&slug) {
            slugs.insert(slug);
        }
    }
    for slug in slugs {
        if let Err(e) = deliver_tenant(app, &slug) {
            crate::error!("mailer tenant={slug} error={e}");
        }
    }
    Ok(())
}

fn deliver_tenant(app: &App, slug: &Slug) -> Result<()> {
    app.store
        .write_registry(|w| registry::clear_mail_due(w, slug))?;
    let tenant = match app.tenant(slug) {
        Ok(tenant) => tenant,
        // Disabled or gone: its mail waits in its file until it is enabled again.
        Err(Error::NotFound) => return Ok(()),
        Err(e) => return Err(e),
    };
    let conn = tenant.db.conn()?;
    let smtp = account::mail_settings(&conn, app.config.smtp.timeout_secs)?
        .unwrap_or_else(|| app.config.smtp.clone());
    let due = outbox::due(&conn, &app.stamp(), BATCH)?;
    if !due.is_empty() {
        send_batch(app, &tenant.db, slug, &smtp, due)?;
    }
    let (backlog, next_due) = outbox::backlog(&conn)?;
    app.store
        .write_registry(|w| registry::set_mail_state(w, slug, next_due.as_deref(), backlog))
}

/// Sends `due` and records each outcome through the write road, one message at a time (a
/// crash in between sends that message again: at least once).
fn send_batch(
    app: &App,
    db: &crate::store::TenantDb,
    slug: &Slug,
    smtp: &SmtpConfig,
    due: Vec<outbox::QueuedMail>,
) -> Result<()> {
    if !smtp.is_configured() {
        let later = stamp(app.now() + Duration::minutes(UNCONFIGURED_RETRY_MINUTES));
        db.write(|tx| {
            for queued in &due {
                outbox::postpone(tx, queued.id, "no SMTP server is configured", &later)?;
            }
            Ok(())
        })?;
        return Ok(());
    }
    let sender = Sender::new(smtp);
    for queued in due {
        let result = sender
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|s| s.send(&queued.mail));
        let now = app.now();
        match result {
            Ok(answer) => {
                db.write(|tx| outbox::mark_sent(tx, queued.id, &answer, &stamp(now)))?;
                crate::info!("mail sent tenant={slug} id={} answer={answer:?}", queued.id);
            }
            Err(e) => {
                let attempts = queued.attempts + 1;
                let retry_at = match &e {
                    SendError::Transient(_) if attempts < MAX_ATTEMPTS => {
                        Some(stamp(now + backoff(attempts)))
                    }
                    _ => None,
                };
                db.write(|tx| {
                    outbox::mark_attempt_failed(tx, queued.id, e.message(), retry_at.as_deref())
                })?;
                crate::warn!(
                    "mail not sent tenant={slug} id={} attempt={attempts} retry_at={} error={:?}",
                    queued.id,
                    retry_at.as_deref().unwrap_or("never"),
                    e.message()
                );
            }
        }
    }
    Ok(())
}

/// Wait before the next attempt after `attempts` failures: 1, 2, 4 … minutes.
pub fn backoff(attempts: i64) -> Duration {
    Duration::minutes(1i64 << (attempts - 1).clamp(0, 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(2));
        assert_eq!(backoff(7), Duration::minutes(64));
    }
}
