//! Server-rendered pages: pure functions from a model to `Markup`, built from the shared
//! pieces in `layout` and `components`. No database access here; maud escapes every value.

pub mod auth;
pub mod automations;
pub mod charts;
pub mod components;
pub mod crm;
pub mod errors;
pub mod home;
pub mod inbox;
pub mod kassa;
pub mod layout;
pub mod picker;
pub mod qr;
pub mod scheduling;
pub mod settings;
