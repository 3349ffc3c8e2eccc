//! Imports started in the browser: the uploaded file waits here while its columns are mapped,
//! then runs on a thread of its own while the page shows its progress. Kept in memory: a
//! restart forgets them (the rows already written stay, batch by batch).

use crate::app::import::{self, OnDuplicate, Target};
use crate::app::{App, Tenant};
use crate::domain::crm::Entity;
pub use crate::domain::import::JobState;
use crate::domain::secret;
use crate::error::{Error, Result};
use crate::store::users::User;
use std::sync::{Arc, Mutex};

/// Jobs kept at most; the oldest go first.
const KEEP: usize = 50;
/// Uploads one user may leave waiting for their mapping (each holds its file in memory).
const WAITING_PER_USER: usize = 3;

pub struct Job {
    pub id: String,
    pub tenant: String,
    pub user: i64,
    pub entity: Entity,
    pub state: Mutex<JobState>,
}

#[derive(Default)]
pub struct Jobs(Mutex<Vec<Arc<Job>>>);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Job {
    pub fn with_state<T>(&self, f: impl FnOnce(&JobState) -> T) -> T {
        f(&lock(&self.state))
    }
}

impl Jobs {
    /// Parks an uploaded file and returns its job.
    pub fn add(&self, tenant: &Tenant, user: &User, entity: Entity, file: Vec<u8>) -> Arc<Job> {
        let job = Arc::new(Job {
            id: secret::new_token()[..24].to_string(),
            tenant: tenant.slug().to_string(),
            user: user.id.0,
            entity,
            state: Mutex::new(JobState::Waiting(file)),
        });
        let mut jobs = lock(&self.0);
        let mut waiting = 0;
        for i in (0..jobs.len()).rev() {
            let mine = jobs[i].user == job.user && jobs[i].tenant == job.tenant;
            if mine && matches!(*lock(&jobs[i].state), JobState::Waiting(_)) {
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
    pub fn get(&self, tenant: &Tenant, user: &User, id: &str) -> Result<Arc<Job>> {
        lock(&self.0)
            .iter()
            .find(|j| j.id == id && j.tenant == tenant.slug().to_string() && j.user == user.id.0)
            .cloned()
            .ok_or(Error::NotFound)
    }
}

impl App {
    /// Starts a waiting job on its own thread with the chosen mapping.
    pub fn start_import(
        &self,
        tenant: &Tenant,
        user: &User,
        job: &Arc<Job>,
        mapping: Vec<Option<Target>>,
        on_duplicate: OnDuplicate,
    ) -> Result<()> {
        let file = {
            let mut state = lock(&job.state);
            let JobState::Waiting(file) = &mut *state else {
                return Err(Error::Conflict("this import has already started".into()));
            };
            let file = std::mem::take(file);
            *state = JobState::Running { done: 0, total: 0 };
            file
        };
        let (tenant, user, job, now) = (tenant.clone(), user.clone(), job.clone(), self.stamp());
        let jobs = self.jobs_signals();
        std::thread::Builder::new()
            .name("import".into())
            .spawn(move || {
                let progress = |done, total| {
                    *lock(&job.state) = JobState::Running { done, total };
                };
                let result = import::run(
                    &tenant,
                    &user,
                    job.entity,
                    &file,
                    Some(mapping),
                    on_duplicate,
                    &now,
                    &progress,
                );
                // Rules may listen to what the import created.
                if let Some(jobs) = jobs {
                    let _ = jobs.send(crate::app::JobsSignal::Tenant(tenant.slug().clone()));
                }
                *lock(&job.state) = match result {
                    Ok(report) => JobState::Finished(report),
                    // People read the public message; the log gets the detail.
                    Err(e) => {
                        if matches!(e, Error::Internal(_) | Error::Unavailable(_)) {
                            crate::error!(
                                "import job={} tenant={} failed: {e}",
                                job.id,
                                tenant.slug()
                            );
                        }
                        JobState::Failed(e.public_message())
                    }
                };
            })
            .map_err(|e| Error::internal("starting an import", e))?;
        Ok(())
    }
}
