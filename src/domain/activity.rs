//! An entry of the timeline: something that happened to a contact, company or deal.

use crate::domain::ids::{ActivityId, UserId};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Activity {
    pub id: ActivityId,
    pub kind: String,
    pub summary: String,
    pub body: String,
    pub outcome: Option<String>,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub task_id: Option<i64>,
    pub actor_id: Option<UserId>,
    pub occurred_at: String,
    pub created_at: String,
}

/// Which activities to list: one record's timeline, or everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    /// `contact_id`, `company_id` or `deal_id`, and the record's id.
    pub on: Option<(&'static str, i64)>,
}
