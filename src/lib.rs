//! Onebox: a self-hosted CRM appliance. One process serves the web UI and the JSON API, keeps
//! each tenant in its own SQLite file, and delivers its own mail.
//!
//! `App` holds everything a request or command needs; `start` runs the HTTP workers and the
//! mailer thread for it and returns a `ServerHandle` that stops them cleanly.

#[macro_use]
pub mod log;
pub mod app;
pub mod assets;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod jobs;
pub mod mail;
pub mod memory;
pub mod metrics;
pub mod store;
pub mod views;
pub mod web;

pub use app::App;

use crate::error::Result;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct ServerHandle {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    http: web::server::HttpServer,
    mailer: mail::mailer::MailerHandle,
    jobs: jobs::JobsHandle,
}

impl ServerHandle {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting requests, finishes those in flight, stops the mailer, and folds every
    /// WAL into its database file.
    pub fn shutdown(self) -> Result<()> {
        self.http.stop();
        self.jobs.stop();
        self.mailer.stop();
        self.app.store.checkpoint_all()
    }
}

/// Starts the HTTP server, the mailer and the automation threads for `app`.
pub fn start(app: Arc<App>) -> Result<ServerHandle> {
    let mailer = mail::mailer::start(app.clone())?;
    let jobs = match jobs::start(app.clone()) {
        Ok(jobs) => jobs,
        Err(e) => {
            mailer.stop();
            return Err(e);
        }
    };
    let http = match web::server::start(app.clone()) {
        Ok(http) => http,
        Err(e) => {
            jobs.stop();
            mailer.stop();
            return Err(e);
        }
    };
    Ok(ServerHandle {
        addr: http.addr,
        app,
        http,
        mailer,
        jobs,
    })
}

/// Opens the data directory of `config` on the wall clock and starts serving it.
pub fn serve(config: config::Config) -> Result<ServerHandle> {
    start(Arc::new(App::open(config, Arc::new(clock::SystemClock))?))
}
