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

/// The columns of the names kept beside a record of `entity`.
pub(super) fn kept_columns(entity: Entity) -> impl Iterator<Item = &'static str> {
    link_keys(entity).iter().map(|(column, _, _)| *column)
}

/// The SQL of a stage's rank, for the stage id `of` (a parameter or a column).
pub(super) fn stage_rank(of: &str) -> String {
    STAGE_RANK.replace("= ?", &format!("= {of}"))
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

#[cfg(test)]
mod tests {
    use crate::domain::crm::Entity;
    use crate::store::crm::records;
    use crate::store::scratch::Scratch;
    use serde_json::{Map, Value, json};

    /// The kept names are written with the link, follow renames, and go when a deletion
    /// clears the link.
    #[test]
    fn kept_names_follow_links_renames_and_deletions() {
        let scratch = Scratch::new();
        let mut conn = scratch.conn();
        let values =
            |v: Value| -> Map<String, Value> { v.as_object().cloned().unwrap_or_default() };
        let contact = crate::store::write(&mut conn, |tx| {
            tx.execute_batch(
                "INSERT INTO users (id, email, name, role, created_at, updated_at)
                 VALUES (7, 'mia@x.test', 'Mia', 'member', '', '')",
            )?;
            let company = records::insert(
                tx,
                Entity::Company,
                &values(json!({"name": "Acme"})),
                &Map::new(),
                None,
                "t",
            )?;
            records::insert(
                tx,
                Entity::Contact,
                &values(json!({"first_name": "Ann", "company_id": company, "owner_id": 7})),
                &Map::new(),
                None,
                "t",
            )
        })
        .expect("records");
        let kept = |conn: &rusqlite::Connection| -> (Option<String>, Option<String>) {
            conn.query_row(
                "SELECT company_name, owner_name FROM contacts WHERE id = ?1",
                [contact],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("kept")
        };
        assert_eq!(kept(&conn), (Some("Acme".into()), Some("Mia".into())));
        conn.execute_batch(
            "UPDATE companies SET name = 'Acme Two'; UPDATE users SET name = 'Mia B'",
        )
        .expect("renames");
        assert_eq!(kept(&conn), (Some("Acme Two".into()), Some("Mia B".into())));
        conn.execute_batch("DELETE FROM companies").expect("delete");
        assert_eq!(kept(&conn), (None, Some("Mia B".into())));
    }
}
