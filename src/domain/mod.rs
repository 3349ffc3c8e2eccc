//! Types and rules of the product: no SQL, no HTTP.

pub mod activity;
pub mod audit;
pub mod automation;
pub mod capability;
pub mod crm;
pub mod csv;
pub mod custom;
pub mod dashboard;
pub mod demo;
pub mod fields;
pub mod ids;
pub mod import;
pub mod label;
pub mod link;
pub mod money;
pub mod outbox;
pub mod period;
pub mod pipeline;
pub mod record;
pub mod search;
pub mod secret;
pub mod slug;
pub mod tenant;
pub mod token;
pub mod url;
pub mod user;
