//! Saving and removing list views.

use crate::app::{App, Tenant};
use crate::domain::crm::Entity;
use crate::domain::ids::ViewId;
use crate::error::{Error, Result};
use crate::store::crm::saved_views as views;
use crate::store::users::User;

impl App {
    /// Saves `query` (a list's query string, already checked by the caller) under `name`, for
    /// the actor alone or for everyone.
    pub fn save_view(
        &self,
        tenant: &Tenant,
        actor: &User,
        entity: Entity,
        name: &str,
        query: &str,
        shared: bool,
    ) -> Result<i64> {
        tenant.require_entity(entity)?;
        if entity == Entity::Note {
            return Err(Error::NotFound);
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
            return Err(Error::field("name", "must be 1 to 60 characters"));
        }
        if query.len() > 2000 {
            return Err(Error::field("query", "is too long"));
        }
        let now = self.stamp();
        let owner = (!shared).then_some(actor.id);
        tenant
            .db
            .write(|tx| views::create(tx, entity, name, query, owner, actor.id, &now))
    }

    /// Removes a view: one's own, or a shared one one made or as an admin.
    pub fn delete_view(&self, tenant: &Tenant, actor: &User, id: ViewId) -> Result<()> {
        tenant.db.write(|tx| {
            let (owner, by) = views::get(tx, id)?.ok_or(Error::NotFound)?;
            let allowed = match owner {
                Some(owner) => owner == actor.id,
                None => by == Some(actor.id) || actor.role.can_manage_users(),
            };
            if !allowed {
                return Err(if owner.is_some() {
                    Error::NotFound
                } else {
                    Error::Forbidden("Only its maker or an admin removes a shared view.".into())
                });
            }
            views::delete(tx, id)
        })
    }
}
