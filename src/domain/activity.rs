//! An entry of the timeline: something that happened to a contact, company or deal.

use crate::domain::ids::{ActivityId, CompanyId, ContactId, DealId, TaskId, UserId};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Activity {
    pub id: ActivityId,
    pub kind: String,
    pub summary: String,
    pub body: String,
    pub outcome: Option<String>,
    pub contact_id: Option<ContactId>,
    pub company_id: Option<CompanyId>,
    pub deal_id: Option<DealId>,
    pub task_id: Option<TaskId>,
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
