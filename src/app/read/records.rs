//! Reading records for the CRM pages and the API: lists, a record's 360 view, its form, the
//! board, My tasks, the trash, search and export.

use crate::app::lookups::{form_options, label_colors, names, user_options};
use crate::app::{Tenant, listing};
use crate::domain::activity::{Activity, Scope};
use crate::domain::crm::Entity;
use crate::domain::custom::{CustomField, CustomKind};
use crate::domain::fields::{self, Kind};
use crate::domain::ids::ActivityId;
use crate::domain::label::Label;
use crate::domain::pipeline::Pipeline;
use crate::domain::record::{Facets, ListPart, Names, Options, Record, Total, ViewEntry};
use crate::domain::search::Hit;
use crate::domain::user::User;
use crate::error::{Error, Result};
use crate::store::crm::activities;
use crate::store::crm::records::{self, Filter, ListQuery, Page};
use crate::store::crm::{custom_fields, labels, pipelines, saved_views, search};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// A page of a list, with what its rows mention and what it offers to filter by.
pub struct ListData {
    pub page: Page,
    pub names: Names,
    pub label_colors: HashMap<String, String>,
    pub facets: Facets,
    /// The saved views of this list the user sees.
    pub views: Vec<ViewEntry>,
}

pub fn list_page(
    tenant: &Tenant,
    me: &User,
    entity: Entity,
    query: &ListQuery,
) -> Result<ListData> {
    let conn = tenant.db.conn()?;
    let page = records::list(&conn, entity, query)?;
    let refs: Vec<&Record> = page.records.iter().collect();
    let custom_fields = if entity.has_labels_and_custom() {
        custom_fields::list(&conn, entity)?
    } else {
        Vec::new()
    };
    let facets = Facets {
        users: user_options(&conn)?,
        labels: labels::list(&conn)?.into_iter().map(|l| l.name).collect(),
        pipelines: if entity == Entity::Deal {
            pipelines::list(&conn)?
        } else {
            Vec::new()
        },
        custom: custom_fields
            .iter()
            .filter(|f| matches!(f.kind, CustomKind::Select | CustomKind::Boolean))
            .cloned()
            .collect(),
        columns: custom_fields,
    };
    let views = saved_views::visible_to(&conn, me.id)?
        .into_iter()
        .filter(|v| v.entity == entity)
        .map(|v| {
            let removable =
                v.user_id.is_some() || v.created_by == Some(me.id) || me.role.can_manage_users();
            (v.id, v.name, v.user_id.is_none(), removable)
        })
        .collect();
    Ok(ListData {
        names: names(&conn, &refs)?,
        label_colors: label_colors(&conn)?,
        page,
        facets,
        views,
    })
}

/// A page of records, their total and the cursors beside it, for the API.
pub fn list(tenant: &Tenant, entity: Entity, query: &ListQuery) -> Result<Page> {
    records::list(&*tenant.db.conn()?, entity, query)
}

/// A page of activities, newest first, at the `limit` and `cursor` of `query`: the entries,
/// their total and the next page's cursor (after this page's last entry).
pub fn activities(
    tenant: &Tenant,
    scope: Scope,
    kind: Option<&str>,
    query: &[(String, String)],
) -> Result<(Vec<Activity>, i64, Option<String>)> {
    let (limit, offset) = listing::paging(query)?;
    let after = match listing::after(query)?.as_deref() {
        None => None,
        Some([Value::String(at), Value::Number(id)]) => {
            Some((at.clone(), id.as_i64().unwrap_or(0)))
        }
        Some(_) => return Err(Error::field("cursor", "is not a cursor of this list")),
    };
    let after = after.as_ref().map(|(at, id)| (at.as_str(), *id));
    let conn = tenant.db.conn()?;
    let (rows, total) = activities::list(&conn, scope, kind, (limit, offset), after)?;
    let shown = offset + rows.len() as i64;
    let next = rows.last().filter(|_| shown < total).map(|last| {
        listing::cursor_after(shown, &[last.occurred_at.clone().into(), last.id.0.into()])
    });
    Ok((rows, total, next))
}

pub fn activity(tenant: &Tenant, id: ActivityId) -> Result<Option<Activity>> {
    activities::get(&*tenant.db.conn()?, id)
}

/// A live record (not in the trash).
pub fn record(tenant: &Tenant, entity: Entity, id: i64) -> Result<Option<Record>> {
    records::get_live(&*tenant.db.conn()?, entity, id)
}

/// What a record form offers: its select boxes, custom fields and labels.
pub struct FormData {
    pub options: Options,
    pub custom_fields: Vec<CustomField>,
    pub labels: Vec<Label>,
}

/// What a record form offers, with the titles of the records `values` link to.
pub fn form(tenant: &Tenant, entity: Entity, values: &Map<String, Value>) -> Result<FormData> {
    let conn = tenant.db.conn()?;
    let mut options = form_options(&conn, entity)?;
    for f in entity.fields() {
        if let (Kind::Ref(e), Some(id)) =
            (f.kind, values.get(f.name).and_then(|v| fields::id(v).ok()))
        {
            for (id, title) in records::titles(&conn, e, &[id])? {
                options.linked.insert((e, id), title);
            }
        }
    }
    Ok(FormData {
        options,
        custom_fields: custom_fields::list(&conn, entity)?,
        labels: labels::list(&conn)?,
    })
}

/// The 360 view of a contact, company or deal.
pub struct ShowData {
    pub record: Record,
    /// A company's contacts.
    pub contacts: ListPart,
    /// A company's or contact's deals.
    pub deals: ListPart,
    pub open_tasks: ListPart,
    pub notes: ListPart,
    /// A page of the timeline, newest first, and how many entries it has.
    pub timeline: Vec<Activity>,
    pub timeline_total: i64,
    pub names: Names,
    pub label_colors: HashMap<String, String>,
    pub custom_fields: Vec<CustomField>,
    pub users: Vec<(i64, String)>,
    /// A deal's pipeline.
    pub pipeline: Option<Pipeline>,
}

/// How many linked records of each kind the 360 view shows (the newest), and timeline entries
/// a page.
pub const LINKED_SHOWN: i64 = 10;
pub const TIMELINE_PAGE: i64 = 25;

/// The 360 view with the timeline page at `timeline_offset`.
pub fn show(tenant: &Tenant, entity: Entity, id: i64, timeline_offset: i64) -> Result<ShowData> {
    let conn = tenant.db.conn()?;
    let record = records::get_live(&conn, entity, id)?.ok_or(Error::NotFound)?;
    let link = (entity.link_column(), id);
    let none = || ListPart {
        records: Vec::new(),
        total: Total::Exact(0),
    };
    let linked = |e: Entity, extra: Vec<Filter>| -> Result<ListPart> {
        if tenant.require_entity(e).is_err() {
            return Ok(none());
        }
        let mut q = ListQuery::new(LINKED_SHOWN, 0);
        q.filters = extra;
        q.filters.push(Filter::Eq(link.0, id.into()));
        q.sort = ("updated_at".into(), true);
        let page = records::list(&conn, e, &q)?;
        Ok(ListPart {
            records: page.records,
            total: page.total,
        })
    };
    let (contacts, deals) = match entity {
        Entity::Company => (
            linked(Entity::Contact, vec![])?,
            linked(Entity::Deal, vec![])?,
        ),
        Entity::Contact => (none(), linked(Entity::Deal, vec![])?),
        _ => (none(), none()),
    };
    let open_tasks = linked(Entity::Task, vec![Filter::Eq("status", "open".into())])?;
    let notes = linked(Entity::Note, vec![])?;
    let scope = Scope { on: Some(link) };
    let (timeline, timeline_total) = activities::list(
        &conn,
        scope,
        None,
        (TIMELINE_PAGE, timeline_offset.max(0)),
        None,
    )?;
    let everything: Vec<&Record> = std::iter::once(&record)
        .chain(&contacts.records)
        .chain(&deals.records)
        .chain(&open_tasks.records)
        .collect();
    let names = names(&conn, &everything)?;
    let pipeline = match entity {
        Entity::Deal => match record.pipeline_id() {
            Some(p) => pipelines::get(&conn, p)?,
            None => None,
        },
        _ => None,
    };
    Ok(ShowData {
        names,
        label_colors: label_colors(&conn)?,
        custom_fields: custom_fields::list(&conn, entity)?,
        users: user_options(&conn)?,
        pipeline,
        record,
        contacts,
        deals,
        open_tasks,
        notes,
        timeline,
        timeline_total,
    })
}

/// Records in the trash, newest first: up to `per_kind` of each kind the workspace has.
pub fn trash(tenant: &Tenant, per_kind: i64) -> Result<Vec<Record>> {
    let conn = tenant.db.conn()?;
    let mut items = Vec::new();
    for entity in Entity::ALL
        .into_iter()
        .filter(|e| tenant.require_entity(*e).is_ok())
    {
        let mut q = ListQuery::new(per_kind, 0);
        q.trash = true;
        items.extend(records::list(&conn, entity, &q)?.records);
    }
    items.sort_by(|a, b| b.deleted_at.cmp(&a.deleted_at));
    Ok(items)
}

/// What a search may show: the entities the tenant has switched on (of `only`, when given).
pub fn search(tenant: &Tenant, q: &str, only: Option<Entity>, limit: i64) -> Result<Vec<Hit>> {
    if q.chars().count() > 200 {
        return Err(Error::field("q", "is longer than 200 characters"));
    }
    let kinds: Vec<Entity> = Entity::ALL
        .into_iter()
        .filter(|e| only.is_none_or(|o| o == *e))
        .filter(|e| tenant.require_entity(*e).is_ok())
        .collect();
    let conn = tenant.db.conn()?;
    let mut hits = search::search(&conn, q, &kinds, limit)?;
    for entity in kinds {
        let ids: Vec<i64> = hits
            .iter()
            .filter(|h| h.entity == entity)
            .map(|h| h.id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let described = crate::app::pickers::described(&conn, entity, &ids)?;
        for hit in hits.iter_mut().filter(|h| h.entity == entity) {
            let Some((record, detail)) = described.iter().find(|(r, _)| r.id == hit.id) else {
                continue;
            };
            hit.detail = detail.clone();
            if let Some(phone) = record.str("phone") {
                hit.snippet = crate::domain::search::with_phone_as_written(&hit.snippet, phone);
            }
        }
    }
    Ok(hits)
}

/// How many records of each kind a search matches in all, for the kinds in `hits`.
pub fn search_totals(tenant: &Tenant, q: &str, hits: &[Hit]) -> Result<Vec<(Entity, i64)>> {
    let conn = tenant.db.conn()?;
    let mut out = Vec::new();
    for entity in Entity::ALL {
        if hits.iter().any(|h| h.entity == entity) {
            out.push((entity, search::count(&conn, q, entity)?));
        }
    }
    Ok(out)
}

/// The rows of an export, with the names of what they mention and the custom fields.
pub fn export(
    tenant: &Tenant,
    entity: Entity,
    query: &ListQuery,
) -> Result<(Vec<Record>, Names, Vec<CustomField>)> {
    let conn = tenant.db.conn()?;
    // A download holds every row asked for, however long reading them takes.
    let rows = records::page_only(&conn, entity, query)?;
    let refs: Vec<&Record> = rows.iter().collect();
    let names = names(&conn, &refs)?;
    let custom = if entity.has_labels_and_custom() {
        custom_fields::list(&conn, entity)?
    } else {
        Vec::new()
    };
    Ok((rows, names, custom))
}

/// The ids of the records `query` matches, in its order, at most `query.limit` of them: the
/// records a bulk change on "all matching" is for.
pub fn matching_ids(tenant: &Tenant, entity: Entity, query: &ListQuery) -> Result<Vec<i64>> {
    let conn = tenant.db.conn()?;
    Ok(records::page_only(&conn, entity, query)?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// The saved views a user sees in the navigation: name and entity with the query.
pub fn saved_views(tenant: &Tenant, me: &User) -> Result<Vec<(String, Entity, String)>> {
    Ok(saved_views::visible_to(&*tenant.db.conn()?, me.id)?
        .into_iter()
        .filter(|v| tenant.require_entity(v.entity).is_ok())
        .map(|v| (v.name, v.entity, v.query))
        .collect())
}
