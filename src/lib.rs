//! Onebox: a self-hosted CRM appliance. One process serves the web UI and the JSON API, keeps
//! each tenant in its own SQLite file, and delivers its own mail.

pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod store;
#[macro_use]
pub mod log;
pub mod app;
pub mod mail;
pub mod web;

pub use app::App;
