//! Background work: the worker thread runs automations (queued events, due runs and their
//! steps); the cron thread owns time (it wakes the worker for tenants whose waits, retries
//! or schedules have come, and does the daily backups and trash purge). `tick` does all of it
//! at once on the caller's thread, for tests that move the clock. The import thread runs the
//! imports started in the browser; the mail-fetch thread fetches the inboxes.

mod imports;
mod mail_fetch;
pub mod maintenance;

use crate::app::App;
use crate::app::JobsSignal as Signal;
use crate::app::automations::engine;
use crate::app::import_queue::ImportSignal;
use crate::clock::parse_stamp;
use crate::domain::slug::Slug;
use crate::error::{Error, Result};
use crate::store::registry;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// The cron thread looks at the registry at least this often.
const MAX_SLEEP: Duration = Duration::from_secs(60);
/// The daily upkeep goes this many workspaces at a time, with this pause between, so a
/// thousand workspaces due at once (after an upgrade or downtime) leave the requests their turn.
const UPKEEP_BATCH: usize = 10;
const UPKEEP_PAUSE: Duration = Duration::from_millis(100);

pub struct JobsHandle {
    app: Arc<App>,
    worker: JoinHandle<()>,
    cron: JoinHandle<()>,
    imports: JoinHandle<()>,
    fetcher: JoinHandle<()>,
    fetcher_stop: mpsc::Sender<()>,
    worker_signals: mpsc::Sender<Signal>,
    cron_stop: mpsc::Sender<()>,
    import_signals: mpsc::Sender<ImportSignal>,
}

impl JobsHandle {
    /// Stops the threads after the step and the import in hand, and waits for them.
    pub fn stop(self) {
        let _ = self.cron_stop.send(());
        let _ = self.worker_signals.send(Signal::Stop);
        let _ = self.import_signals.send(ImportSignal::Stop);
        let _ = self.fetcher_stop.send(());
        let _ = self.cron.join();
        let _ = self.fetcher.join();
        let _ = self.worker.join();
        let _ = self.imports.join();
        self.app.idle.stop_all();
        if let Err(e) = self.app.store.mark_stopped() {
            crate::error!("jobs: marking the clean stop failed: {e}");
        }
    }
}

pub fn start(app: Arc<App>) -> Result<JobsHandle> {
    let (worker_signals, inbox) = mpsc::channel();
    app.set_jobs(Some(worker_signals.clone()));
    // The registry's hints say which workspaces have timed work; only after a crash can a
    // workspace hold queued events no hint tells of.
    if !app.store.mark_serving()? {
        crate::warn!(
            "the server before did not stop cleanly: looking at every workspace's automations"
        );
        let _ = worker_signals.send(Signal::All);
    }
    let worker_app = app.clone();
    let worker = std::thread::Builder::new()
        .name("onebox-worker".into())
        .spawn(move || work(&worker_app, &inbox))
        .map_err(|e| Error::internal("starting the worker thread", e))?;
    let (imports, import_signals) = imports::start(app.clone())?;
    let (fetcher, fetcher_stop) = mail_fetch::start(app.clone())?;
    let (cron_stop, stop_inbox) = mpsc::channel();
    let cron_signals = worker_signals.clone();
    let cron_app = app.clone();
    let cron = std::thread::Builder::new()
        .name("onebox-cron".into())
        .spawn(move || cron(&cron_app, &cron_signals, &stop_inbox))
        .map_err(|e| Error::internal("starting the cron thread", e))?;
    Ok(JobsHandle {
        app,
        worker,
        cron,
        imports,
        fetcher,
        fetcher_stop,
        worker_signals,
        cron_stop,
        import_signals,
    })
}

fn work(app: &App, inbox: &mpsc::Receiver<Signal>) {
    while let Ok(signal) = inbox.recv() {
        let mut slugs = BTreeSet::new();
        let mut all = false;
        let mut stop = false;
        for signal in std::iter::once(signal).chain(inbox.try_iter()) {
            match signal {
                Signal::Tenant(slug) => {
                    slugs.insert(slug);
                }
                Signal::All => all = true,
                Signal::Stop => stop = true,
            }
        }
        if stop {
            // What the worker was told of and had no time for is left as hints in the
            // registry, for the next start; from now on `wake_jobs` writes them itself.
            app.set_jobs(None);
            for signal in inbox.try_iter() {
                if let Signal::Tenant(slug) = signal {
                    slugs.insert(slug);
                }
            }
            for slug in &slugs {
                app.note_jobs_due(slug);
            }
            return;
        }
        if all {
            slugs.extend(active_slugs(app));
        }
        for slug in slugs {
            work_on(app, &slug);
        }
    }
    app.set_jobs(None);
}

fn active_slugs(app: &App) -> Vec<Slug> {
    match app.list_tenants() {
        Ok(tenants) => tenants
            .iter()
            .filter(|t| t.is_active())
            .filter_map(|t| Slug::parse(&t.slug).ok())
            .collect(),
        Err(e) => {
            crate::error!("jobs: listing tenants failed: {e}");
            Vec::new()
        }
    }
}

/// One pass over a tenant's automations; one pass at a time in the process.
fn work_on(app: &App, slug: &Slug) {
    let _one_pass = app.jobs_pass.lock().unwrap_or_else(|p| p.into_inner());
    let result = app.in_passing(slug, |tenant| engine::work_tenant(app, tenant));
    match result {
        Ok(()) | Err(Error::NotFound) => {}
        Err(e) => crate::error!("automations tenant={slug} error={e}"),
    }
}

fn cron(app: &App, worker: &mpsc::Sender<Signal>, stop: &mpsc::Receiver<()>) {
    loop {
        match registry_due(app) {
            Ok(slugs) => {
                for slug in slugs {
                    let _ = worker.send(Signal::Tenant(slug));
                }
            }
            Err(e) => crate::error!("cron: reading the registry failed: {e}"),
        }
        let more_upkeep = maintenance::run_some(app, UPKEEP_BATCH).unwrap_or_else(|e| {
            crate::error!("cron: maintenance failed: {e}");
            false
        });
        let wait = next_wait(app).unwrap_or(MAX_SLEEP);
        let wait = if more_upkeep {
            wait.min(UPKEEP_PAUSE)
        } else {
            wait
        };
        match stop.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn registry_due(app: &App) -> Result<Vec<Slug>> {
    let slugs = registry::jobs_due(&*app.store.registry()?, &app.stamp())?;
    Ok(slugs.iter().filter_map(|s| Slug::parse(s).ok()).collect())
}

fn next_wait(app: &App) -> Result<Duration> {
    let next = registry::next_jobs_due(&*app.store.registry()?)?;
    let Some(next) = next.and_then(|t| parse_stamp(&t)) else {
        return Ok(MAX_SLEEP);
    };
    // A second late rather than early: stamps have whole seconds.
    let wait = (next - app.now()).to_std().unwrap_or_default() + Duration::from_millis(1000);
    Ok(wait.min(MAX_SLEEP))
}

/// Everything due at the clock's now, on this thread: every tenant's automations, then the
/// daily upkeep. For tests and `onebox` commands; the threads do the same on their own.
pub fn tick(app: &App) -> Result<()> {
    for slug in active_slugs(app) {
        let _one_pass = app.jobs_pass.lock().unwrap_or_else(|p| p.into_inner());
        app.in_passing(&slug, |tenant| engine::work_tenant(app, tenant))?;
    }
    mail_fetch::pass(app);
    maintenance::run_due(app)
}
