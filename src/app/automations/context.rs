//! What a run knows: its record with the records around it, the owner, the account, as one
//! JSON object that conditions read and templates fill in (`{{deal.title}}`,
//! `{{contact.custom.tier}}`, `{{owner.email}}`).

use crate::app::{App, Tenant, write_rules};
use crate::domain::crm::Entity;
use crate::domain::fields::Kind;
use crate::domain::ids::UserId;
use crate::domain::money;
use crate::error::Result;
use crate::store::Connection;
use crate::store::crm::pipelines;
use crate::store::crm::records::{self, Record};
use crate::store::users;
use serde_json::{Map, Value, json};

/// A record as a run sees it: its fields (amounts in major units, like `1250.5`), labels,
/// custom attributes, and its id, title and address.
fn record_json(app: &App, tenant: &Tenant, record: &Record) -> Value {
    let mut out = Map::new();
    for field in record.entity.fields() {
        let value = record
            .values
            .get(field.name)
            .cloned()
            .unwrap_or(Value::Null);
        let value = match (field.kind, value.as_i64()) {
            (Kind::Amount, Some(minor)) => {
                let currency = record.str("currency").unwrap_or(&tenant.account.currency);
                let digits = money::minor_digits(currency);
                json!(minor as f64 / 10f64.powi(digits as i32))
            }
            _ => value,
        };
        out.insert(field.name.into(), value);
    }
    for derived in record.entity.derived() {
        out.insert(
            (*derived).into(),
            record.values.get(*derived).cloned().unwrap_or(Value::Null),
        );
    }
    out.insert("id".into(), record.id.into());
    // A contact's `title` is its job title; its name is `record.title`.
    out.entry("title").or_insert_with(|| record.title().into());
    out.insert(
        "url".into(),
        record_url(app, tenant, record.entity, record.id).into(),
    );
    out.insert("created_at".into(), record.created_at.clone().into());
    out.insert("updated_at".into(), record.updated_at.clone().into());
    out.insert("labels".into(), json!(record.labels));
    out.insert("custom".into(), Value::Object(record.custom.clone()));
    Value::Object(out)
}

pub fn record_url(app: &App, tenant: &Tenant, entity: Entity, id: i64) -> String {
    app.tenant_url(tenant.slug(), &format!("{}/{id}", entity.table()))
}

fn person(user: &users::User) -> Value {
    json!({"id": user.id.0, "name": user.display_name(), "email": user.email})
}

fn base(tenant: &Tenant) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("account".into(), json!({"name": tenant.account.name}));
    out
}

/// The context of a run about a record; `None` when the record is gone.
pub fn for_record(
    conn: &Connection,
    app: &App,
    tenant: &Tenant,
    entity: Entity,
    id: i64,
    label: Option<&str>,
) -> Result<Option<Value>> {
    let Some(record) = records::get_live(conn, entity, id)? else {
        return Ok(None);
    };
    let mut out = base(tenant);
    let (contact, company, deal) = write_rules::context(conn, &record)?;
    for (other, id) in [
        (Entity::Contact, contact.map(|c| c.0)),
        (Entity::Company, company.map(|c| c.0)),
        (Entity::Deal, deal.map(|d| d.0)),
    ] {
        if other == entity {
            continue;
        }
        if let Some(r) = id
            .map(|id| records::get_live(conn, other, id))
            .transpose()?
            .flatten()
        {
            out.insert(other.singular().into(), record_json(app, tenant, &r));
        }
    }
    let deal_record = if entity == Entity::Deal {
        Some(record.clone())
    } else {
        deal.map(|d| records::get_live(conn, Entity::Deal, d.0))
            .transpose()?
            .flatten()
    };
    if let Some(stage) = deal_record
        .and_then(|d| d.stage_id())
        .map(|s| pipelines::stage_by_id(conn, s))
        .transpose()?
        .flatten()
    {
        out.insert(
            "stage".into(),
            json!({"name": stage.name, "kind": stage.kind}),
        );
        if let Some(p) = pipelines::get(conn, stage.pipeline_id)? {
            out.insert("pipeline".into(), json!({"name": p.name}));
        }
    }
    let owner = match entity {
        Entity::Task => record.int("assignee_id"),
        Entity::Note => record.created_by,
        _ => record.int("owner_id"),
    };
    if let Some(owner) = owner
        .map(|o| users::by_id(conn, UserId(o)))
        .transpose()?
        .flatten()
    {
        out.insert("owner".into(), person(&owner));
    }
    if let Some(label) = label {
        out.insert("label".into(), json!({"name": label}));
    }
    out.insert(
        "record".into(),
        json!({"id": record.id, "type": entity.singular(), "title": record.title(),
               "url": record_url(app, tenant, entity, record.id)}),
    );
    out.insert(entity.singular().into(), record_json(app, tenant, &record));
    Ok(Some(Value::Object(out)))
}

/// The context of a run about an appointment: the appointment (wall times of the workspace),
/// its client as `contact` (with their company and deal as for a contact), its person as
/// `owner`; `None` when it or its client is gone.
pub fn for_appointment(
    conn: &Connection,
    app: &App,
    tenant: &Tenant,
    id: i64,
) -> Result<Option<Value>> {
    use crate::store::{appointments, scheduling};
    let Some(a) = appointments::appointment(conn, crate::domain::ids::AppointmentId(id))? else {
        return Ok(None);
    };
    let Some(Value::Object(mut out)) =
        for_record(conn, app, tenant, Entity::Contact, a.contact_id.0, None)?
    else {
        return Ok(None);
    };
    // The deal it is about stands for the client's own.
    if let Some(deal) = a.deal_id
        && let Some(record) = records::get_live(conn, Entity::Deal, deal.0)?
    {
        out.insert("deal".into(), record_json(app, tenant, &record));
    }
    let zone = tenant.zone_of(None);
    let wall = |stamp: &str, format: &str| {
        crate::clock::parse_stamp(stamp)
            .map(|t| t.with_timezone(&zone).format(format).to_string())
            .unwrap_or_default()
    };
    let names: Vec<String> = scheduling::services(conn)?
        .into_iter()
        .filter(|s| a.services.contains(&s.id))
        .map(|s| s.name)
        .collect();
    let staff = users::by_id(conn, a.staff_id)?;
    let url = app.tenant_url(tenant.slug(), &format!("appointments/{id}"));
    out.insert(
        "appointment".into(),
        json!({
            "id": id,
            "url": url,
            "status": a.status.as_str(),
            "date": wall(&a.starts_at, "%Y-%m-%d"),
            "time": wall(&a.starts_at, "%H:%M"),
            "ends": wall(&a.ends_at, "%H:%M"),
            "starts_at": a.starts_at,
            "services": names.join(", "),
            "staff": staff.as_ref().map(|u| u.email.clone()),
            "staff_name": staff.as_ref().map(|u| u.display_name()),
            "notes": a.notes,
            "cancel_reason": a.cancel_reason,
        }),
    );
    match &staff {
        Some(u) => out.insert("owner".into(), person(u)),
        None => out.remove("owner"),
    };
    out.insert(
        "record".into(),
        json!({"id": id, "type": "appointment", "url": url,
               "title": format!("{} {}", names.join(", "), wall(&a.starts_at, "%Y-%m-%d %H:%M"))}),
    );
    Ok(Some(Value::Object(out)))
}

/// The context of a per-user run: the user and their overdue tasks.
pub fn for_user(
    conn: &Connection,
    tenant: &Tenant,
    user_id: i64,
    now: &str,
) -> Result<Option<Value>> {
    let Some(user) = users::by_id(conn, UserId(user_id))?.filter(|u| u.active) else {
        return Ok(None);
    };
    let overdue = records::overdue_tasks(conn, user_id, now, 100)?;
    let list = overdue
        .iter()
        .map(|(title, due)| format!("- {title} (due {})", due.get(..10).unwrap_or(due)))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = base(tenant);
    let mut me = person(&user);
    me["overdue_tasks"] = overdue.len().into();
    me["overdue_task_list"] = list.into();
    out.insert("user".into(), me);
    Ok(Some(Value::Object(out)))
}

/// The context of a run about nothing in particular.
pub fn for_nothing(tenant: &Tenant) -> Value {
    Value::Object(base(tenant))
}

/// The context of a run about a finalized receipt: the receipt, and its client as `contact`
/// (with their company and deal) when it has one; `None` when there is no such receipt.
pub fn for_receipt(
    conn: &Connection,
    app: &App,
    tenant: &Tenant,
    id: i64,
) -> Result<Option<Value>> {
    use crate::store::kassa::{self as kassa, receipts};
    let Some(r) = receipts::receipt(conn, crate::domain::ids::ReceiptId(id))? else {
        return Ok(None);
    };
    let mut out = match r.contact_id {
        Some(c) => match for_record(conn, app, tenant, Entity::Contact, c.0, None)? {
            Some(Value::Object(map)) => map,
            _ => base(tenant),
        },
        None => base(tenant),
    };
    let register = kassa::register_by_id(conn, r.register_id)?.map(|g| g.name);
    let zone = tenant.zone_of(None);
    let wall = |format: &str| {
        r.finalized_at
            .as_deref()
            .and_then(crate::clock::parse_stamp)
            .map(|t| t.with_timezone(&zone).format(format).to_string())
            .unwrap_or_default()
    };
    out.insert(
        "receipt".into(),
        json!({
            "id": id,
            "url": app.tenant_url(tenant.slug(), &format!("kassa/receipts/{id}")),
            "number": r.number,
            "total": r.total,
            "register": register,
            "date": wall("%Y-%m-%d"),
            "time": wall("%H:%M"),
            "credit": r.credit_of.is_some(),
        }),
    );
    Ok(Some(Value::Object(out)))
}

/// The context of a run about a closed register session: its Z report's figures.
pub fn for_session(
    conn: &Connection,
    app: &App,
    tenant: &Tenant,
    id: i64,
) -> Result<Option<Value>> {
    use crate::store::kassa::{self as kassa, sessions};
    let sid = crate::domain::ids::RegisterSessionId(id);
    let (Some(s), Some(z)) = (sessions::by_id(conn, sid)?, sessions::z_report(conn, sid)?) else {
        return Ok(None);
    };
    let z: Value = serde_json::from_str(&z).unwrap_or(Value::Null);
    let register = kassa::register_by_id(conn, s.register_id)?.map(|g| g.name);
    let mut out = base(tenant);
    out.insert(
        "session".into(),
        json!({
            "id": id,
            "url": app.tenant_url(tenant.slug(), &format!("kassa/sessions/{id}")),
            "register": register,
            "receipts": z["receipts"],
            "sales": z["sales"],
            "returns": z["returns"],
            "expected_cash": z["expected_cash"],
            "counted_cash": z["counted_cash"],
            "variance": z["variance"],
        }),
    );
    Ok(Some(Value::Object(out)))
}

/// The context of a run about a conversation: its contact (with the contact's company) and
/// the conversation itself, its last incoming text included.
pub fn for_conversation(
    conn: &Connection,
    app: &App,
    tenant: &Tenant,
    id: i64,
) -> Result<Option<Value>> {
    use crate::store::conversations as talk;
    let Some(c) = talk::conversation_by_id(conn, crate::domain::ids::ConversationId(id))? else {
        return Ok(None);
    };
    let mut out = match c.contact_id {
        Some(contact) => match for_record(conn, app, tenant, Entity::Contact, contact.0, None)? {
            Some(Value::Object(map)) => map,
            _ => base(tenant),
        },
        None => base(tenant),
    };
    let inbox = crate::store::inbox::inbox_by_id(conn, c.inbox_id)?.map(|i| i.name);
    let assignee = match c.assignee_id {
        Some(u) => crate::store::users::by_id(conn, u)?.map(|u| u.email),
        None => None,
    };
    let text = talk::last_incoming_text(conn, c.id)?;
    out.insert(
        "conversation".into(),
        json!({
            "id": id,
            "url": app.tenant_url(tenant.slug(), &format!("conversations/{id}")),
            "number": c.number,
            "subject": c.subject,
            "status": c.status.as_str(),
            "priority": c.priority.as_str(),
            "inbox": inbox,
            "assignee": assignee,
            "text": text,
        }),
    );
    Ok(Some(Value::Object(out)))
}
