//! The application: configuration, storage, clock and the hooks to the background threads,
//! passed explicitly to everything that needs them. The use cases below are shared by the web
//! handlers and the CLI, so both do exactly the same thing.

pub mod activity;
pub mod auth;
pub mod automations;
pub mod bulk;
pub mod catalog;
pub mod change;
pub mod import;
pub mod import_columns;
pub mod import_queue;
mod import_rows;
pub mod inbox;
pub mod kassa;
pub mod links;
pub mod listing;
pub mod lookups;
pub mod mail;
pub mod merge;
pub mod pickers;
pub mod read;
pub mod records;
pub mod saved_views;
pub mod scheduling;
pub mod seed;
mod seed_inbox;
mod seed_schedule;
pub mod tenants;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod write_rules;

use crate::clock::{Clock, stamp};
use crate::config::Config;
use crate::domain::capability::{Capabilities, Capability};
use crate::domain::slug::Slug;
use crate::error::{Error, Result};
use crate::store::account::{self, Account};
use crate::store::registry::{self, TenantEntry};
use crate::store::{Store, TenantDb};
use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex, mpsc};

pub struct App {
    pub config: Config,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub metrics: crate::metrics::Metrics,
    pub assets: crate::assets::Assets,
    /// Failed sign-ins per (workspace, email), and per client address across workspaces.
    pub login_throttle: throttle::Throttle<(Slug, String)>,
    pub login_by_address: throttle::Throttle<std::net::IpAddr>,
    /// Reset requests per (workspace, email), and per client address.
    pub reset_throttle: throttle::Throttle<(Slug, String)>,
    pub reset_by_address: throttle::Throttle<std::net::IpAddr>,
    /// Holds and bookings made on booking pages per client address, across workspaces.
    pub booking_by_address: throttle::Throttle<std::net::IpAddr>,
    pub imports: import_queue::Uploads,
    import_worker: Mutex<Option<mpsc::Sender<import_queue::ImportSignal>>>,
    mailer: Mutex<Option<mpsc::Sender<crate::mail::mailer::Signal>>>,
    jobs: Mutex<Option<mpsc::Sender<crate::app::JobsSignal>>>,
    /// Held during a pass over a tenant's automations: two passes at once could both take
    /// the same step.
    pub(crate) jobs_pass: Mutex<()>,
    /// Held during a delivery pass: two passes at once could both pick the same message.
    pub(crate) delivery: Mutex<()>,
    /// The fiscal signing device every journal row goes through (none by default; see
    /// `domain::kassa::device`).
    pub fiscal: Arc<dyn crate::domain::kassa::device::FiscalDevice>,
    /// Who has which conversation open right now.
    pub presence: crate::app::inbox::presence::Presence,
    /// The inboxes' IDLE connections.
    pub idle: crate::app::inbox::idle::Watchers,
}

/// What the automation worker thread is told (`jobs`): where work may wait.
pub enum JobsSignal {
    /// Work may wait in this tenant.
    Tenant(Slug),
    /// Look at every active tenant (at start: events may have been queued before a crash).
    All,
    Stop,
}

/// A tenant as a request or command sees it: its database, registry entry, account and
/// resolved capabilities.
#[derive(Clone)]
pub struct Tenant {
    pub db: TenantDb,
    pub entry: TenantEntry,
    pub account: Account,
    pub caps: Capabilities,
}

impl Tenant {
    pub fn slug(&self) -> &Slug {
        &self.db.slug
    }

    /// The time zone a user reads and types times in: their own, else the workspace's (UTC
    /// if neither names one).
    pub fn zone_of(&self, user: Option<&crate::domain::user::User>) -> chrono_tz::Tz {
        use crate::domain::local_time::zone;
        user.and_then(|u| u.time_zone.as_deref())
            .and_then(zone)
            .or_else(|| zone(&self.account.time_zone))
            .unwrap_or(chrono_tz::UTC)
    }

    /// Capability gate: a switched-off capability looks like a page that does not exist.
    pub fn require(&self, capability: Capability) -> Result<()> {
        if self.caps.allows(capability) {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }
}

impl App {
    pub fn open(config: Config, clock: Arc<dyn Clock>) -> Result<App> {
        let store = Store::open(&config.data_dir, config.max_open_tenants)?;
        Ok(App {
            config,
            store,
            clock,
            metrics: Default::default(),
            assets: crate::assets::Assets::load(),
            fiscal: Arc::new(crate::domain::kassa::device::NoDevice),
            presence: Default::default(),
            idle: Default::default(),
            login_throttle: throttle::Throttle::new(
                chrono::Duration::minutes(auth::THROTTLE_WINDOW_MINUTES),
                auth::THROTTLE_MAX_FAILURES,
            ),
            login_by_address: throttle::Throttle::new(
                chrono::Duration::minutes(auth::THROTTLE_WINDOW_MINUTES),
                auth::THROTTLE_MAX_FAILURES_PER_ADDRESS,
            ),
            reset_throttle: throttle::Throttle::new(
                chrono::Duration::hours(1),
                links::RESETS_PER_EMAIL_PER_HOUR,
            ),
            reset_by_address: throttle::Throttle::new(
                chrono::Duration::minutes(15),
                links::RESETS_PER_ADDRESS,
            ),
            booking_by_address: throttle::Throttle::new(
                chrono::Duration::minutes(scheduling::VISITS_WINDOW_MINUTES),
                scheduling::VISITS_PER_ADDRESS,
            ),
            imports: Default::default(),
            mailer: Mutex::new(None),
            jobs: Mutex::new(None),
            import_worker: Mutex::new(None),
            jobs_pass: Mutex::new(()),
            delivery: Mutex::new(()),
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Now, in the storage form.
    pub fn stamp(&self) -> String {
        stamp(self.clock.now())
    }

    /// An active tenant, or `NotFound` for one that does not exist or is disabled.
    pub fn tenant(&self, slug: &Slug) -> Result<Tenant> {
        let entry = registry::get(&*self.store.registry()?, slug)?.ok_or(Error::NotFound)?;
        if !entry.is_active() {
            return Err(Error::NotFound);
        }
        self.load_tenant(slug, entry)
    }

    /// Any registered tenant, disabled or not: for the CLI.
    pub fn tenant_any_status(&self, slug: &Slug) -> Result<Tenant> {
        let entry = registry::get(&*self.store.registry()?, slug)?
            .ok_or_else(|| Error::field("tenant", format!("there is no tenant {slug}")))?;
        self.load_tenant(slug, entry)
    }

    fn load_tenant(&self, slug: &Slug, entry: TenantEntry) -> Result<Tenant> {
        let db = self.store.tenant(slug)?;
        let conn = db.conn()?;
        let account = account::get(&conn)?;
        let caps = account::capabilities(&conn, account.profile)?;
        drop(conn);
        Ok(Tenant {
            db,
            entry,
            account,
            caps,
        })
    }

    /// The public address of a page of a tenant, for mails and the CLI.
    pub fn tenant_url(&self, slug: &Slug, path: &str) -> String {
        format!(
            "{}/t/{slug}/{}",
            self.config.base_url,
            path.trim_start_matches('/')
        )
    }

    pub(crate) fn set_mailer(&self, signals: Option<mpsc::Sender<crate::mail::mailer::Signal>>) {
        *self.mailer.lock().unwrap_or_else(|p| p.into_inner()) = signals;
    }

    /// Tells the mailer thread, if one runs here, that `slug` has new mail.
    pub fn wake_mailer(&self, slug: &Slug) {
        self.queue_for_mailer(crate::mail::mailer::Signal::Mail(slug.clone()));
    }

    /// Hands `signal` to the mailer thread; `false` when none runs here (the CLI).
    pub(crate) fn queue_for_mailer(&self, signal: crate::mail::mailer::Signal) -> bool {
        self.mailer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|signals| signals.send(signal).is_ok())
    }

    pub(crate) fn set_jobs(&self, signals: Option<mpsc::Sender<crate::app::JobsSignal>>) {
        *self.jobs.lock().unwrap_or_else(|p| p.into_inner()) = signals;
    }

    /// Tells the automation worker that `slug` may have new work; where none runs (the CLI, a
    /// server stopping), the registry's hint for the tenant says it is due now, for the
    /// server's cron to find.
    pub fn wake_jobs(&self, slug: &Slug) {
        let sent = self
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|signals| {
                signals
                    .send(crate::app::JobsSignal::Tenant(slug.clone()))
                    .is_ok()
            });
        if !sent {
            self.note_jobs_due(slug);
        }
    }

    /// The registry's automation hint for `slug` says it is due now.
    pub(crate) fn note_jobs_due(&self, slug: &Slug) {
        let now = self.stamp();
        if let Err(e) = self
            .store
            .write_registry(|w| registry::bring_jobs_due(w, slug, &now))
        {
            crate::error!("noting automation work for tenant={slug} failed: {e}");
        }
    }

    /// Runs `f` on the tenant for background work (automations, upkeep) without keeping its
    /// file open afterwards if it was not open before: a pass over a thousand workspaces
    /// leaves the open ones as the requests had them.
    pub fn in_passing<T>(&self, slug: &Slug, f: impl FnOnce(&Tenant) -> Result<T>) -> Result<T> {
        let was_open = self.store.is_open(slug);
        let result = self.tenant(slug).and_then(|tenant| f(&tenant));
        if !was_open {
            self.store.let_close(slug);
        }
        result
    }
}
