//! What record pages need beside their records: the names of the ids they mention, label
//! colours, and the choices of a form's select boxes.

use crate::domain::crm::Entity;
use crate::domain::fields::Kind;
use crate::domain::record::{Names, Options, Record};
use crate::error::Result;
use crate::store::Connection;
use crate::store::crm::{labels, pipelines, records, totals};
use crate::store::users;
use std::collections::HashMap;

/// How many records a select box offers at most; a kind with more is typed by name.
pub const SELECT_LIMIT: i64 = 50;

/// The names a page needs for the ids its records mention, and of every user and stage.
pub fn names(conn: &Connection, records: &[&Record]) -> Result<Names> {
    let mut wanted: HashMap<Entity, Vec<i64>> = HashMap::new();
    for r in records {
        for f in r.entity.fields() {
            if let (Kind::Ref(e), Some(id)) = (f.kind, r.int(f.name)) {
                wanted.entry(e).or_default().push(id);
            }
        }
    }
    let mut names = Names::default();
    for (entity, ids) in wanted {
        for (id, title) in records::titles(conn, entity, &ids)? {
            names.records.insert((entity, id), title);
        }
    }
    names.users = users::list(conn)?
        .into_iter()
        .map(|u| (u.id.0, u.display_name().to_string()))
        .collect();
    for p in pipelines::list(conn)? {
        for s in &p.stages {
            names.stages.insert(s.id, (s.name.clone(), s.kind.clone()));
        }
        names.pipelines.insert(p.id, p.name);
    }
    Ok(names)
}

pub fn label_colors(conn: &Connection) -> Result<HashMap<String, String>> {
    Ok(labels::list(conn)?
        .into_iter()
        .map(|l| (l.name, l.color))
        .collect())
}

/// Active users as select options.
pub fn user_options(conn: &Connection) -> Result<Vec<(i64, String)>> {
    Ok(users::list(conn)?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id.0, u.display_name().to_string()))
        .collect())
}

/// What the form of `entity` offers in its select boxes.
pub fn form_options(conn: &Connection, entity: Entity) -> Result<Options> {
    let mut options = Options {
        users: user_options(conn)?,
        ..Options::default()
    };
    for f in entity.fields() {
        match f.kind {
            // The kept count says whether they fit a select box, without sorting them all.
            Kind::Ref(e) if totals::records(conn, e, false)? <= SELECT_LIMIT => {
                options
                    .records
                    .insert(e, records::options(conn, e, SELECT_LIMIT)?);
            }
            Kind::Stage => options.pipelines = pipelines::list(conn)?,
            _ => {}
        }
    }
    Ok(options)
}
