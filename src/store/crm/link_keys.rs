//! Names kept beside a record for sorting by what it links to (migration 0009): a contact's
//! and a deal's company name, the owner's or assignee's name, a deal's stage rank. The store
//! writes them with the link; triggers follow renames and moved stages.

use crate::domain::crm::Entity;
use crate::error::Result;
use crate::store::Write;
use serde_json::{Map, Value};

const USER_NAME: &str = "(SELECT coalesce(nullif(name, ''), email) FROM users WHERE id = ?)";
const COMPANY_NAME: &str = "(SELECT name FROM companies WHERE id = ?)";
const STAGE_RANK: &str = "(SELECT p.position * 100000 + s.position FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE s.id = ?)";

/// The names kept beside a record for sorting by what it links to (migration 0009): the
/// column, the link column it follows, and the SQL of the linked name for the link's value.
fn link_keys(entity: Entity) -> &'static [(&'static str, &'static str, &'static str)] {
    match entity {
        Entity::Contact => &[
            ("company_name", "company_id", COMPANY_NAME),
            ("owner_name", "owner_id", USER_NAME),
        ],
        Entity::Company => &[("owner_name", "owner_id", USER_NAME)],
        Entity::Deal => &[
            ("company_name", "company_id", COMPANY_NAME),
            ("owner_name", "owner_id", USER_NAME),
            ("stage_rank", "stage_id", STAGE_RANK),
        ],
        Entity::Task => &[("assignee_name", "assignee_id", USER_NAME)],
        Entity::Note => &[],
    }
}

/// Writes every record's link keys from its links: after a bulk insert that wrote the rows
/// directly (demo data).
pub fn refresh_link_keys(tx: &Write) -> Result<()> {
    for entity in Entity::ALL {
        for (column, link, sql) in link_keys(entity) {
            let value = sql.replace("= ?", &format!("= {}.{link}", entity.table()));
            tx.execute(
                &format!("UPDATE {} SET {column} = {value}", entity.table()),
                [],
            )?;
        }
    }
    Ok(())
}

/// The link keys to write with `values`: (column, SQL, the link's value).
pub(super) fn keys_of(
    entity: Entity,
    values: &Map<String, Value>,
) -> impl Iterator<Item = (&'static str, &'static str, &Value)> {
    link_keys(entity)
        .iter()
        .filter_map(|(column, link, sql)| values.get(*link).map(|v| (*column, *sql, v)))
}
