//! A saved list view: a list's query string under a name, for one user or everyone.

use crate::domain::crm::Entity;
use crate::domain::ids::{UserId, ViewId};

#[derive(Debug, Clone, serde::Serialize)]
pub struct SavedView {
    pub id: ViewId,
    #[serde(skip)]
    pub entity: Entity,
    pub name: String,
    pub query: String,
    /// `None`: shared with everyone in the account.
    pub user_id: Option<UserId>,
    pub created_by: Option<UserId>,
}
