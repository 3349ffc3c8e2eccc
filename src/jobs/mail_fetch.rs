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

fn run(app: &App, stop: &mpsc::Receiver<()>) {
    loop {
        pass(app);
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
