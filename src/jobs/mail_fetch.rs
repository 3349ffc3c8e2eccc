//! The mail-fetch thread: every few seconds, each active workspace's inboxes that are due are
//! fetched (each inbox keeps its own next time, later after failures). It is a thread of its
//! own so a slow mail server never holds up automations.

use super::active_slugs;
use crate::app::App;
use crate::error::{Error, Result};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(10);

pub(super) fn start(app: Arc<App>) -> Result<(JoinHandle<()>, mpsc::Sender<()>)> {
    let (stop, stopped) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("onebox-mail-fetch".into())
        .spawn(move || run(&app, &stopped))
        .map_err(|e| Error::internal("starting the mail-fetch thread", e))?;
    Ok((thread, stop))
}

fn run(app: &Arc<App>, stop: &mpsc::Receiver<()>) {
    loop {
        pass(app);
        watch(app);
        match stop.recv_timeout(EVERY) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Every active workspace's due inboxes, once, and its snoozed conversations whose time came.
pub(super) fn pass(app: &App) {
    for slug in active_slugs(app) {
        let work = |tenant: &crate::app::Tenant| {
            app.wake_snoozed(tenant)?;
            app.fetch_due_inboxes(tenant)
        };
        match app.in_passing(&slug, work) {
            Ok(_) | Err(Error::NotFound) => {}
            Err(e) => crate::error!("mail fetch tenant={slug} error={e}"),
        }
    }
}

/// Keeps an IDLE watcher on each active inbox that fetched well last time (and none on the
/// others), so new mail is fetched as it comes, not at the next poll.
fn watch(app: &Arc<App>) {
    for slug in active_slugs(app) {
        let wanted = app.in_passing(&slug, |tenant| {
            if !tenant
                .caps
                .allows(crate::domain::capability::Capability::Inbox)
            {
                return Ok(Vec::new());
            }
            let mut ids = Vec::new();
            for inbox in app.inboxes(tenant)?.into_iter().filter(|i| i.active) {
                let health = app.inbox_health(tenant, inbox.id)?;
                if health.failures == 0 && health.last_success_at.is_some() {
                    ids.push(inbox.id);
                }
            }
            Ok(ids)
        });
        match wanted {
            Ok(ids) => app.idle.keep(app, &slug, &ids),
            Err(Error::NotFound) => app.idle.keep(app, &slug, &[]),
            Err(e) => crate::error!("inbox idle tenant={slug} error={e}"),
        }
    }
}
