//! Merging two contacts who are one person: the one merged away goes to the trash (restorable)
//! after its deals, tasks, notes, timeline, appointments, conversations and addresses have
//! moved to the one kept, and its labels joined the kept one's. Its email becomes an address
//! of the kept one, so mail from it lands there. The kept contact's timeline says so.

use crate::app::{App, Tenant};
use crate::domain::crm::Entity;
use crate::domain::ids::ContactId;
use crate::domain::said::Said;
use crate::domain::words::Lang;
use crate::error::{Error, Result};
use crate::store::crm::activities::{self, NewActivity};
use crate::store::crm::{merge, records};
use crate::store::users::User;

impl App {
    /// Merges contact `gone` into contact `keep`; answers how many records moved.
    pub fn merge_contacts(
        &self,
        tenant: &Tenant,
        actor: &User,
        keep: i64,
        gone: i64,
    ) -> Result<usize> {
        if keep == gone {
            return Err(Error::field("into", "must be another contact"));
        }
        let now = self.stamp();
        tenant.db.write(|tx| {
            let kept = records::get_live(tx, Entity::Contact, keep)?
                .ok_or_else(|| Error::field("into", "is not a contact here"))?;
            let merged = records::get_live(tx, Entity::Contact, gone)?.ok_or(Error::NotFound)?;
            let moved = merge::move_contact(tx, gone, keep)?;
            if let Some(email) = merged.str("email").filter(|e| !e.is_empty()) {
                crate::store::inbox::add_identity(
                    tx,
                    &email.to_lowercase(),
                    ContactId(keep),
                    &now,
                )?;
            }
            records::set_deleted(tx, Entity::Contact, gone, Some(&now))?;
            let said = Said::new("tl_merged")
                .text("name", &merged.title())
                .text("moved", &moved.to_string());
            activities::insert(
                tx,
                &NewActivity {
                    kind: "merged",
                    summary: said.read(Lang::En),
                    said: Some(said.to_json()),
                    contact_id: Some(ContactId(keep)),
                    actor_id: Some(actor.id.0),
                    occurred_at: now.clone(),
                    ..NewActivity::default()
                },
                &now,
            )?;
            crate::store::audit::record(
                tx,
                Some(actor.id),
                "contact.merged",
                &format!("{} ({gone}) into {} ({keep})", merged.title(), kept.title()),
                &now,
            )?;
            Ok(moved)
        })
    }
}
