//! The trash's end: records deleted more than the trash keeps them are removed for good.

use crate::domain::crm::Entity;
use crate::error::Result;
use crate::store::Write;

/// Deletes for good what has been in the trash since before `before`. Links from other
/// records are cleared by the foreign keys (`ON DELETE SET NULL`). A contact with receipts
/// stays (money records are kept 7 years, with whom they were for).
pub fn purge_trash(conn: &Write, before: &str) -> Result<usize> {
    let mut purged = 0;
    for entity in [
        Entity::Note,
        Entity::Task,
        Entity::Deal,
        Entity::Contact,
        Entity::Company,
    ] {
        if entity == Entity::Contact {
            // A contact's appointments go with it, but for those a receipt is for.
            conn.execute(
                "DELETE FROM appointments WHERE contact_id IN
                   (SELECT id FROM contacts WHERE deleted_at IS NOT NULL AND deleted_at < ?1)
                   AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.appointment_id = appointments.id)",
                [before],
            )?;
        }
        let kept = match entity {
            Entity::Contact => {
                "AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.contact_id = contacts.id)
                 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.contact_id = contacts.id)"
            }
            _ => "",
        };
        let sql = format!(
            "DELETE FROM {} WHERE deleted_at IS NOT NULL AND deleted_at < ?1 {kept}",
            entity.table()
        );
        purged += conn.execute(&sql, [before])?;
    }
    Ok(purged)
}
