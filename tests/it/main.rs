//! The integration tests: one binary, real HTTP on loopback, real SQLite files, a real SMTP
//! receiver, and the real `onebox` binary for the command line.

mod support;

mod appointment_rules;
mod auth;
mod automations;
mod booking;
mod browser;
mod calendar_browser;
mod calendar_ui;
mod cli;
mod crm_api;
mod crm_ui;
mod hostile;
mod imap;
mod import;
mod inbox;
mod inbox_browser;
mod inbox_routing;
mod inbox_rules;
mod inbox_ui;
mod kassa;
mod kassa_browser;
mod kassa_training;
mod kassa_ui;
mod language;
mod links;
mod lists;
mod local_time;
mod merge;
mod resilience;
mod salon_day;
mod scale;
mod scheduling;
mod search;
mod server;
mod show;
mod storage;
mod tasks;
mod throttles;
mod tokens;
