//! The CRM's tables: records (contacts, companies, deals, tasks, notes), labels, custom field
//! definitions, pipelines and stages, and the activity timeline.

pub mod activities;
pub mod custom_fields;
pub mod daily;
pub mod dashboard;
mod keyset;
pub mod labels;
mod link_keys;
pub mod merge;
pub mod pipelines;
pub mod query;
pub mod records;
pub mod saved_views;
pub mod search;
pub mod seed;
pub mod totals;
pub mod trash;
