//! Imports started in the browser: the uploaded file waits here while its columns are mapped,
//! then runs on the import thread (`jobs::imports`) while the page shows its progress. Kept in
//! memory: a restart forgets them (the rows already written stay, batch by batch).

use crate::app::import::{self, ImportFile, OnDuplicate, Target};
use crate::app::{App, Tenant};
use crate::domain::crm::Entity;
pub use crate::domain::import::ImportState;
use crate::domain::secret;
use crate::error::{Error, Result};
use crate::store::users::User;
use std::sync::{Arc, Mutex, mpsc};

/// Uploads kept at most; the oldest go first.
const KEEP: usize = 50;
/// Uploads one user may leave waiting for their mapping (each holds its file in memory).
const WAITING_PER_USER: usize = 3;

/// An uploaded file and what became of it.
pub struct Upload {
    pub id: String,
    pub tenant: String,
    pub user: i64,
    pub entity: Entity,
    pub state: Mutex<ImportState>,
}

#[derive(Default)]
pub struct Uploads(Mutex<Vec<Arc<Upload>>>);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Upload {
    pub fn with_state<T>(&self, f: impl FnOnce(&ImportState) -> T) -> T {
        f(&lock(&self.state))
    }
}

impl Uploads {
    /// Parks an uploaded file and returns its job.
    pub fn add(&self, tenant: &Tenant, user: &User, entity: Entity, file: Vec<u8>) -> Arc<Upload> {
        let job = Arc::new(Upload {
            id: secret::new_token()[..24].to_string(),
            tenant: tenant.slug().to_string(),
            user: user.id.0,
            entity,
            state: Mutex::new(ImportState::Waiting(file)),
        });
        let mut jobs = lock(&self.0);
        let mut waiting = 0;
        for i in (0..jobs.len()).rev() {
            let mine = jobs[i].user == job.user && jobs[i].tenant == job.tenant;
            if mine && matches!(*lock(&jobs[i].state), ImportState::Waiting(_)) {
                waiting += 1;
                if waiting >= WAITING_PER_USER {
                    jobs.remove(i);
                }
            }
        }
        jobs.push(job.clone());
        let excess = jobs.len().saturating_sub(KEEP);
        jobs.drain(..excess);
        job
    }

    /// A job of this user in this tenant; anyone else's is not found.
    pub fn get(&self, tenant: &Tenant, user: &User, id: &str) -> Result<Arc<Upload>> {
        lock(&self.0)
            .iter()
            .find(|j| j.id == id && j.tenant == tenant.slug().to_string() && j.user == user.id.0)
            .cloned()
            .ok_or(Error::NotFound)
    }
}

/// A started import, for the import thread.
pub struct ImportWork {
    tenant: Tenant,
    user: User,
    upload: Arc<Upload>,
    file: Vec<u8>,
    mapping: Vec<Option<Target>>,
    on_duplicate: OnDuplicate,
    now: String,
}

/// What the import thread is told.
pub enum ImportSignal {
    Run(Box<ImportWork>),
    Stop,
}

impl App {
    /// Starts a waiting import with the chosen mapping: on the import thread when one runs
    /// here, else at once on this thread.
    pub fn start_import(
        &self,
        tenant: &Tenant,
        user: &User,
        upload: &Arc<Upload>,
        mapping: Vec<Option<Target>>,
        on_duplicate: OnDuplicate,
    ) -> Result<()> {
        let file = {
            let mut state = lock(&upload.state);
            let ImportState::Waiting(file) = &mut *state else {
                return Err(Error::Conflict("this import has already started".into()));
            };
            let file = std::mem::take(file);
            *state = ImportState::Running { done: 0, total: 0 };
            file
        };
        let work = Box::new(ImportWork {
            tenant: tenant.clone(),
            user: user.clone(),
            upload: upload.clone(),
            file,
            mapping,
            on_duplicate,
            now: self.stamp(),
        });
        let worker = lock(&self.import_worker).clone();
        let refused = match worker {
            Some(worker) => worker.send(ImportSignal::Run(work)).err().map(|e| e.0),
            None => Some(ImportSignal::Run(work)),
        };
        // No import thread here (or it has stopped): this thread does it.
        if let Some(ImportSignal::Run(work)) = refused {
            self.run_import(*work);
        }
        Ok(())
    }

    /// Runs a started import, keeping its progress and outcome on the upload.
    pub fn run_import(&self, work: ImportWork) {
        let ImportWork {
            tenant,
            user,
            upload,
            file,
            mapping,
            on_duplicate,
            now,
        } = work;
        let progress = |done, total| {
            *lock(&upload.state) = ImportState::Running { done, total };
        };
        let file = ImportFile {
            entity: upload.entity,
            bytes: &file,
            mapping: Some(mapping),
            on_duplicate,
        };
        let result = import::run(&tenant, &user, file, &now, &progress);
        // Rules may listen to what the import created.
        self.wake_jobs(tenant.slug());
        *lock(&upload.state) = match result {
            Ok(report) => ImportState::Finished(report),
            // People read the public message; the log gets the detail.
            Err(e) => {
                if matches!(e, Error::Internal(_) | Error::Unavailable(_)) {
                    crate::error!(
                        "import upload={} tenant={} failed: {e}",
                        upload.id,
                        tenant.slug()
                    );
                }
                ImportState::Failed(e.public_message())
            }
        };
    }

    pub(crate) fn set_import_worker(&self, worker: Option<mpsc::Sender<ImportSignal>>) {
        *lock(&self.import_worker) = worker;
    }
}
