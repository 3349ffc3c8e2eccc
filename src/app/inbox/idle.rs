//! IMAP IDLE: for each active inbox whose server offers it, a watcher thread keeps one
//! connection waiting in IDLE on the mailbox, and fetches as soon as the server says a message
//! came (the fetch itself is the usual one, with its own connection, health and backoff).
//! Polling goes on beside it, so a watcher that cannot connect loses nothing: mail then comes
//! at the next poll. The fetch thread makes and ends watchers as inboxes come and go; the
//! jobs' stop ends them all.

use crate::app::App;
use crate::domain::ids::InboxId;
use crate::domain::slug::Slug;
use crate::mail::imap::{Imap, Woken, roots};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

/// A server ends an IDLE after 30 minutes (RFC 2177); it is renewed before.
const RENEW: Duration = Duration::from_secs(25 * 60);
/// After a failed connection, the next try waits this long.
const RETRY: Duration = Duration::from_secs(60);

struct Watcher {
    stop: Arc<AtomicBool>,
    /// Set while its connection waits in IDLE.
    idling: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

#[derive(Default)]
pub struct Watchers {
    running: Mutex<HashMap<(Slug, InboxId), Watcher>>,
}

impl Watchers {
    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<(Slug, InboxId), Watcher>> {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Watches `wanted` of workspace `slug` (and no other inbox of it).
    pub fn keep(&self, app: &Arc<App>, slug: &Slug, wanted: &[InboxId]) {
        let mut running = self.running();
        let gone: Vec<(Slug, InboxId)> = running
            .keys()
            .filter(|(s, id)| s == slug && !wanted.contains(id))
            .cloned()
            .collect();
        for key in gone {
            if let Some(w) = running.remove(&key) {
                w.stop.store(true, Ordering::SeqCst);
            }
        }
        running.retain(|_, w| !w.thread.is_finished());
        for id in wanted {
            let key = (slug.clone(), *id);
            if running.contains_key(&key) {
                continue;
            }
            let stop = Arc::new(AtomicBool::new(false));
            let idling = Arc::new(AtomicBool::new(false));
            let (app, flags) = (Arc::downgrade(app), (stop.clone(), idling.clone()));
            let (slug, inbox) = key.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("onebox-idle-{slug}-{inbox}"))
                .spawn(move || watch(&app, (&slug, inbox), &flags));
            match spawned {
                Ok(thread) => {
                    running.insert(
                        key,
                        Watcher {
                            stop,
                            idling,
                            thread,
                        },
                    );
                }
                Err(e) => crate::warn!("inbox idle: cannot start a watcher: {e}"),
            }
        }
    }

    /// Whether inbox `id`'s connection waits in IDLE now.
    pub fn idling(&self, slug: &Slug, id: InboxId) -> bool {
        self.running()
            .get(&(slug.clone(), id))
            .is_some_and(|w| w.idling.load(Ordering::SeqCst))
    }

    /// Ends every watcher and waits for them.
    pub fn stop_all(&self) {
        let all: Vec<Watcher> = self.running().drain().map(|(_, w)| w).collect();
        for w in &all {
            w.stop.store(true, Ordering::SeqCst);
        }
        for w in all {
            let _ = w.thread.join();
        }
    }
}

/// Sleeps `total`, or less when asked to stop.
fn pause(total: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(200);
    let mut slept = Duration::ZERO;
    while slept < total && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(step);
        slept += step;
    }
}

/// One inbox's watcher: connect, wait in IDLE, fetch when woken; on a failure try again
/// later; end when asked, or when the server offers no IDLE, or the inbox is gone.
fn watch(
    app: &Weak<App>,
    (slug, id): (&Slug, InboxId),
    (stop, idling): &(Arc<AtomicBool>, Arc<AtomicBool>),
) {
    while !stop.load(Ordering::SeqCst) {
        let Some(strong) = app.upgrade() else { return };
        match session(&strong, (slug, id), (stop, idling)) {
            Ok(Ended::Asked) => return,
            Ok(Ended::NoIdle) => {
                crate::info!(
                    "inbox idle tenant={slug} inbox={id}: the server offers no IDLE, polling only"
                );
                return;
            }
            Err(e) => crate::warn!("inbox idle tenant={slug} inbox={id} error={e}"),
        }
        idling.store(false, Ordering::SeqCst);
        drop(strong);
        pause(RETRY, stop);
    }
}

enum Ended {
    Asked,
    NoIdle,
}

/// One connection's life: log in, select, and wait in IDLE round after round.
fn session(
    app: &App,
    (slug, id): (&Slug, InboxId),
    (stop, idling): (&AtomicBool, &AtomicBool),
) -> Result<Ended, String> {
    let inbox = app
        .in_passing(slug, |tenant| app.inbox(tenant, id))
        .map_err(|e| e.to_string())?;
    if !inbox.active {
        return Ok(Ended::Asked);
    }
    let trusted = roots(inbox.imap_ca.as_deref()).map_err(|e| e.to_string())?;
    let mut imap = Imap::connect(
        &inbox.imap_host,
        inbox.imap_port,
        trusted,
        super::fetch::TIMEOUT,
    )
    .map_err(|e| e.to_string())?;
    imap.login(&inbox.imap_user, &inbox.imap_password)
        .map_err(|e| e.to_string())?;
    if !imap.offers_idle().map_err(|e| e.to_string())? {
        imap.logout();
        return Ok(Ended::NoIdle);
    }
    imap.select(&inbox.imap_mailbox)
        .map_err(|e| e.to_string())?;
    loop {
        idling.store(true, Ordering::SeqCst);
        let woken = imap
            .idle(RENEW, &|| stop.load(Ordering::SeqCst))
            .map_err(|e| e.to_string())?;
        idling.store(false, Ordering::SeqCst);
        match woken {
            Woken::Stopped => {
                imap.logout();
                return Ok(Ended::Asked);
            }
            Woken::Quiet => {}
            Woken::NewMail => {
                // The inbox's own failure is its health's business; the watcher goes on.
                let _ = app.in_passing(slug, |tenant| app.fetch_inbox(tenant, id));
            }
        }
    }
}
