//! List, create, show, edit, delete and restore pages of contacts, companies, deals, tasks
//! and notes; logging activities; the trash.

use super::{input_from_form, return_to};
use crate::app::listing::cursors;
use crate::app::pickers::{self, Typed};
use crate::app::read::records as read;
use crate::app::records::{Input, TRASH_DAYS};
use crate::domain::crm::Entity;
use crate::domain::fields::Kind;
use crate::domain::record::{Choice, Record};
use crate::domain::words::fill;
use crate::error::{Error, FieldError, Result};
use crate::views::crm::form::{FormPage, form};
use crate::views::crm::list::{ListPage, list as list_view};
use crate::views::crm::{record_href, trash as trash_views};
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::form::Form;
use crate::web::respond;
use maud::html;
use rouille::Response;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The trash page shows up to this many records of each kind.
const TRASH_PER_KIND: i64 = 500;

pub fn list(ctx: &mut Ctx, entity: Entity) -> Result<Response> {
    ctx.user()?;
    ctx.tenant.require_entity(entity)?;
    let all = ctx.query_pairs();
    let mut query = ctx.list_query(entity, &all)?;
    if !all.iter().any(|(k, _)| k == "sort") {
        query.sort = (
            if entity == Entity::Contact {
                "name"
            } else {
                "updated_at"
            }
            .into(),
            entity != Entity::Contact,
        );
    }
    let data = read::list_page(&ctx.tenant, ctx.user()?, entity, &query)?;
    let params: Vec<(String, String)> = all
        .iter()
        .filter(|(k, _)| k != "sort" && k != "cursor" && k != "trashed")
        .cloned()
        .collect();
    let q = all
        .iter()
        .find(|(k, _)| k == "q")
        .map_or("", |(_, v)| v.as_str());
    // Just moved to the trash from this list: it offers to undo that.
    let trashed: Vec<i64> = all
        .iter()
        .find(|(k, _)| k == "trashed")
        .map(|(_, v)| v.split(',').filter_map(|id| id.parse().ok()).collect())
        .unwrap_or_default();
    let (next, prev) = cursors(&data.page);
    let page = ListPage {
        entity,
        next: next.as_deref(),
        prev: prev.as_deref(),
        short: data.page.short,
        trashed: &trashed,
        facets: &data.facets,
        views: &data.views,
        csrf: &ctx.csrf,
        records: &data.page.records,
        names: &data.names,
        label_colors: &data.label_colors,
        total: data.page.total,
        offset: data.page.offset,
        limit: query.limit,
        sort: &query.sort,
        params: &params,
        q,
    };
    Ok(respond::html(list_view(
        &ctx.chrome(Section::Record(entity)),
        &page,
    )))
}

/// What a form shows: the values (stored, from the address, or typed), custom values, labels.
struct Shown<'a> {
    values: &'a Map<String, Value>,
    custom: &'a Map<String, Value>,
    labels: &'a [String],
}

/// "New contact" or "Edit contact".
fn form_heading(w: &crate::domain::words::Words, entity: Entity, id: Option<i64>) -> String {
    let kind = w.record(entity);
    match id {
        Some(_) => fill(
            w.edit_record,
            &[("kind", &(kind[..1].to_uppercase() + &kind[1..]))],
        ),
        None => w.new_record(entity).to_string(),
    }
}

/// The form, empty or as typed, with what went wrong and, for names that several records
/// have, the choice between them.
fn render_form(
    ctx: &Ctx,
    entity: Entity,
    id: Option<i64>,
    shown: &Shown,
    error: Option<&Error>,
    choices: HashMap<String, Vec<Choice>>,
) -> Result<Response> {
    let Shown {
        values,
        custom,
        labels: chosen,
    } = *shown;
    let mut data = read::form(&ctx.tenant, entity, values)?;
    data.options.choices = choices;
    let base = ctx.path("");
    let w = ctx.w();
    let heading = form_heading(w, entity, id);
    let action = match id {
        Some(id) => format!("{base}{}/{id}", entity.table()),
        None => format!("{base}{}", entity.table()),
    };
    let cancel = action.clone();
    let notice = match error {
        Some(Error::Duplicate {
            message,
            existing: (e, other),
            ..
        }) => Some(html! {
            (w.said(message)) ": " a href=(record_href(base.trim_end_matches('/'), *e, *other)) { (fill(w.open_existing, &[("kind", w.record(*e))])) }
        }),
        _ => None,
    };
    let errors: Vec<FieldError> = error.map(|e| e.field_errors().to_vec()).unwrap_or_default();
    let hidden: Vec<(&str, String)> = ["return_to"]
        .into_iter()
        .filter(|k| ctx.form.has(k) || ctx.req.get_param(k).is_some())
        .map(|k| {
            (
                k,
                ctx.req
                    .get_param(k)
                    .unwrap_or_else(|| ctx.form.get(k).into()),
            )
        })
        .collect();
    let page = FormPage {
        entity,
        heading,
        action,
        cancel,
        values,
        custom,
        custom_fields: &data.custom_fields,
        labels: &data.labels,
        chosen_labels: chosen,
        options: &data.options,
        errors: &errors,
        notice,
        currency: values
            .get("currency")
            .and_then(Value::as_str)
            .unwrap_or(&ctx.tenant.account.currency),
        hidden: &hidden,
        search: format!("{base}api/v1/search"),
        zone: ctx.zone(),
        lang: ctx.lang(),
    };
    let status = error.map_or(200, Error::status);
    Ok(respond::html_status(
        form(&ctx.chrome(Section::Record(entity)), &page),
        status,
    ))
}

pub fn new(ctx: &mut Ctx, entity: Entity) -> Result<Response> {
    ctx.user()?;
    ctx.tenant.require_entity(entity)?;
    // Fields may be filled in from the address, e.g. a deal from a contact's page.
    let values: Map<String, Value> = ctx
        .query_pairs()
        .into_iter()
        .filter(|(k, _)| entity.field(k).is_some())
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let shown = Shown {
        values: &values,
        custom: &Map::new(),
        labels: &[],
    };
    render_form(ctx, entity, None, &shown, None, HashMap::new())
}

/// After a failed save: the typed values over the stored ones.
fn typed(
    entity: Entity,
    before: Option<&Record>,
    input: &Input,
) -> (Map<String, Value>, Map<String, Value>, Vec<String>) {
    let mut values = before.map(|b| b.values.clone()).unwrap_or_default();
    values.extend(
        input
            .fields
            .iter()
            .filter(|(k, _)| entity.field(k).is_some())
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    let mut custom = before.map(|b| b.custom.clone()).unwrap_or_default();
    custom.extend(input.custom.clone().unwrap_or_default());
    let chosen = input
        .labels
        .clone()
        .or_else(|| before.map(|b| b.labels.clone()))
        .unwrap_or_default();
    (values, custom, chosen)
}

fn after_save(ctx: &mut Ctx, record: &Record, created: bool) -> Response {
    let w = ctx.w();
    let what = w.record(record.entity);
    let kind = what[..1].to_uppercase() + &what[1..];
    let template = if created {
        w.record_created
    } else {
        w.record_saved
    };
    let flash = Flash::success(fill(template, &[("kind", &kind)]));
    let to = match record.entity {
        Entity::Note => {
            let parent = [
                (Entity::Contact, "contact_id"),
                (Entity::Company, "company_id"),
                (Entity::Deal, "deal_id"),
            ]
            .into_iter()
            .find_map(|(e, k)| record.int(k).map(|id| format!("{}/{id}", e.table())));
            return_to(ctx, &parent.unwrap_or_default())
        }
        Entity::Task => return_to(ctx, &format!("tasks/{}", record.id)),
        e => format!("{}/{}", e.table(), record.id),
    };
    ctx.redirect(&to, Some(flash))
}

pub fn save(ctx: &mut Ctx, entity: Entity, id: Option<i64>) -> Result<Response> {
    let user = ctx.user()?.clone();
    let mut input = input_from_form(entity, &ctx.form, ctx.zone());
    let typed_links = typed_links(entity, &ctx.form);
    let resolution = pickers::resolve(&ctx.tenant, &typed_links, &mut input)?;
    let outcome = match Error::fields(resolution.errors) {
        Some(refused) => Err(refused),
        None => ctx
            .app
            .save_record(&ctx.tenant, &user, entity, id, input.clone()),
    };
    match outcome {
        Ok(record) => Ok(after_save(ctx, &record, id.is_none())),
        Err(e @ (Error::Invalid { .. } | Error::Duplicate { .. })) => {
            let before = match id {
                Some(id) => read::record(&ctx.tenant, entity, id)?,
                None => None,
            };
            let (mut values, custom, chosen) = typed(entity, before.as_ref(), &input);
            for t in &typed_links {
                values.insert(format!("{}.name", t.field), t.text.clone().into());
            }
            if let Some(name) = &input.new_company {
                values.insert("new_company".into(), name.clone().into());
            }
            let shown = Shown {
                values: &values,
                custom: &custom,
                labels: &chosen,
            };
            render_form(ctx, entity, id, &shown, Some(&e), resolution.choices)
        }
        Err(e) => Err(e),
    }
}

/// The link fields a form asked for by name (`company_id.name`), with the id it carried.
fn typed_links(entity: Entity, form: &Form) -> Vec<Typed> {
    entity
        .fields()
        .iter()
        .filter_map(|f| match f.kind {
            Kind::Ref(e) => {
                let name = format!("{}.name", f.name);
                form.has(&name).then(|| Typed {
                    field: f.name,
                    entity: e,
                    text: form.get(&name).to_string(),
                    chosen: form.get(f.name).trim().parse().ok(),
                })
            }
            _ => None,
        })
        .collect()
}

pub fn edit(ctx: &mut Ctx, entity: Entity, id: i64) -> Result<Response> {
    ctx.user()?;
    ctx.tenant.require_entity(entity)?;
    let record = read::record(&ctx.tenant, entity, id)?.ok_or(Error::NotFound)?;
    let shown = Shown {
        values: &record.values,
        custom: &record.custom,
        labels: &record.labels,
    };
    render_form(ctx, entity, Some(id), &shown, None, HashMap::new())
}

pub fn confirm_delete(ctx: &mut Ctx, entity: Entity, id: i64) -> Result<Response> {
    ctx.user()?;
    ctx.tenant.require_entity(entity)?;
    let record = read::record(&ctx.tenant, entity, id)?.ok_or(Error::NotFound)?;
    let linked = ctx.app.linked_counts(&ctx.tenant, entity, id)?;
    Ok(respond::html(trash_views::confirm_delete(
        &ctx.chrome(Section::Record(entity)),
        &record,
        &linked,
        TRASH_DAYS,
    )))
}

pub fn delete(ctx: &mut Ctx, entity: Entity, id: i64) -> Result<Response> {
    let user = ctx.user()?.clone();
    let record = read::record(&ctx.tenant, entity, id)?.ok_or(Error::NotFound)?;
    ctx.app.trash_record(&ctx.tenant, &user, entity, id)?;
    let flash = Flash::success(fill(
        ctx.w().moved_one_to_trash,
        &[
            ("title", &record.title()),
            ("days", &TRASH_DAYS.to_string()),
        ],
    ));
    let to = match entity {
        Entity::Note => [
            (Entity::Contact, "contact_id"),
            (Entity::Company, "company_id"),
            (Entity::Deal, "deal_id"),
        ]
        .into_iter()
        .find_map(|(e, k)| record.int(k).map(|p| format!("{}/{p}", e.table())))
        .unwrap_or_default(),
        e => e.table().to_string(),
    };
    Ok(ctx.redirect(&to, Some(flash)))
}

pub fn restore(ctx: &mut Ctx, entity: Entity, id: i64) -> Result<Response> {
    ctx.user()?;
    let record = ctx.app.restore_record(&ctx.tenant, entity, id)?;
    let to = if entity == Entity::Note {
        "trash".to_string()
    } else {
        format!("{}/{}", entity.table(), record.id)
    };
    Ok(ctx.redirect(
        &to,
        Some(Flash::success(fill(
            ctx.w().restored,
            &[("title", &record.title())],
        ))),
    ))
}

pub fn trash(ctx: &mut Ctx) -> Result<Response> {
    ctx.user()?;
    let items = read::trash(&ctx.tenant, TRASH_PER_KIND)?;
    let conversations = ctx.app.trashed_conversations(&ctx.tenant)?;
    Ok(respond::html(trash_views::trash(
        &ctx.chrome(Section::Trash),
        (&items, &conversations),
        TRASH_DAYS,
    )))
}
