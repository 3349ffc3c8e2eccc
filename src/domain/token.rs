//! API tokens as listed (never the token itself).

use crate::domain::ids::{TokenId, UserId};

#[derive(Debug, Clone, serde::Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub user_email: String,
    pub label: String,
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}
