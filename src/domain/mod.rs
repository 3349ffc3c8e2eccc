//! Types and rules of the product: no SQL, no HTTP.

pub mod automation;
pub mod capability;
pub mod crm;
pub mod csv;
pub mod custom;
pub mod demo;
pub mod fields;
pub mod ids;
pub mod money;
pub mod period;
pub mod secret;
pub mod slug;
pub mod url;
pub mod user;
