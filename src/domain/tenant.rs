//! A workspace as the registry knows it.

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TenantEntry {
    pub slug: String,
    pub name: String,
    pub status: String,
    pub created_at: String,
}

impl TenantEntry {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}
