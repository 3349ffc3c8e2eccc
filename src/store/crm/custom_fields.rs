//! Definitions of custom attributes.

use crate::domain::crm::Entity;
use crate::domain::custom::{CustomField, CustomKind};
use crate::domain::ids::FieldId;
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, ErrorCode, params};

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<CustomField> {
    let entity: String = r.get(1)?;
    let kind: String = r.get(4)?;
    let options: String = r.get(5)?;
    Ok(CustomField {
        id: r.get(0)?,
        entity: Entity::from_singular(&entity).unwrap_or(Entity::Contact),
        key: r.get(2)?,
        label: r.get(3)?,
        kind: CustomKind::parse(&kind).unwrap_or(CustomKind::Text),
        options: serde_json::from_str(&options).unwrap_or_default(),
        required: r.get(6)?,
    })
}

const COLUMNS: &str = "id, entity, key, label, kind, options, required";

pub fn list(conn: &Connection, entity: Entity) -> Result<Vec<CustomField>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM custom_fields WHERE entity = ?1 ORDER BY position, id"
    ))?;
    let rows = stmt
        .query_map([entity.singular()], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn all(conn: &Connection) -> Result<Vec<CustomField>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM custom_fields ORDER BY entity, position, id"
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn create(conn: &Write, field: &CustomField, now: &str) -> Result<FieldId> {
    let inserted = conn.execute(
        "INSERT INTO custom_fields (entity, key, label, kind, options, required, position, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT coalesce(max(position), 0) + 1 FROM custom_fields WHERE entity = ?1), ?7)",
        params![
            field.entity.singular(),
            field.key,
            field.label,
            field.kind.as_str(),
            serde_json::to_string(&field.options).unwrap_or_else(|_| "[]".into()),
            field.required,
            now
        ],
    );
    match inserted {
        Ok(_) => Ok(FieldId(conn.last_insert_rowid())),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
            Err(Error::field(
                "key",
                format!(
                    "{} already has a field {:?}",
                    field.entity.label().to_lowercase(),
                    field.key
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes a definition and removes its values from every record.
pub fn delete(conn: &Write, id: FieldId) -> Result<()> {
    let (entity, key): (String, String) = conn
        .query_row(
            "SELECT entity, key FROM custom_fields WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|_| Error::NotFound)?;
    let entity = Entity::from_singular(&entity).ok_or(Error::NotFound)?;
    conn.execute(
        &format!(
            "UPDATE {} SET custom = json_remove(custom, '$.' || ?1)",
            entity.table()
        ),
        [&key],
    )?;
    conn.execute("DELETE FROM custom_fields WHERE id = ?1", [id])?;
    Ok(())
}
