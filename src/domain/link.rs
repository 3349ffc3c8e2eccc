//! One-time links: setup, invitations and password resets.

use crate::domain::ids::{LinkId, UserId};
use crate::domain::user::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Setup,
    Invite,
    Reset,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Setup => "setup",
            LinkKind::Invite => "invite",
            LinkKind::Reset => "reset",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Link {
    pub id: LinkId,
    pub kind: LinkKind,
    /// Who the link is for; `None` for a setup link that lets the owner choose an address.
    pub email: Option<String>,
    pub role: Role,
    pub user_id: Option<UserId>,
    pub created_at: String,
    pub expires_at: String,
}
