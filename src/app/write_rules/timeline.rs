//! The timeline entries a write leaves, and which records they concern.

use crate::app::records::Change;
use crate::domain::crm::Entity;
use crate::domain::format;
use crate::domain::ids::{CompanyId, ContactId, DealId, StageId, TaskId, UserId};
use crate::error::Result;
use crate::store::crm::activities::{self, NewActivity};
use crate::store::crm::pipelines;
use crate::store::crm::records::{self, Record};
use crate::store::users::{self, User};
use crate::store::{Connection, Write};

/// The contact, company and deal a record's timeline entries concern, filling the gaps from
/// the links it has (a task on a deal concerns the deal's contact and company too).
pub fn context(
    tx: &Connection,
    record: &Record,
) -> Result<(Option<ContactId>, Option<CompanyId>, Option<DealId>)> {
    let (mut contact, mut company, deal) = match record.entity {
        Entity::Contact => (Some(ContactId(record.id)), record.company_id(), None),
        Entity::Company => (None, Some(CompanyId(record.id)), None),
        Entity::Deal => (
            record.contact_id(),
            record.company_id(),
            Some(DealId(record.id)),
        ),
        Entity::Task | Entity::Note => (record.contact_id(), record.company_id(), record.deal_id()),
    };
    if let Some(d) = deal.filter(|_| record.entity != Entity::Deal)
        && let Some(d) = records::get(tx, Entity::Deal, d.0)?
    {
        contact = contact.or(d.contact_id());
        company = company.or(d.company_id());
    }
    if let (None, Some(c)) = (
        company,
        contact.filter(|_| record.entity != Entity::Contact),
    ) {
        company = records::get(tx, Entity::Contact, c.0)?.and_then(|c| c.company_id());
    }
    Ok((contact, company, deal))
}

/// The timeline entries of a write: meaningful business events only.
pub fn log(
    tx: &Write,
    change: &Change,
    saved: &Record,
    actor: &User,
    labels_added: &[String],
    labels_removed: &[String],
) -> Result<()> {
    let (contact_id, company_id, deal_id) = context(tx, saved)?;
    let mut t = Timeline {
        base: NewActivity {
            kind: "",
            summary: String::new(),
            body: String::new(),
            outcome: None,
            contact_id,
            company_id,
            deal_id,
            task_id: (saved.entity == Entity::Task).then_some(TaskId(saved.id)),
            actor_id: Some(actor.id.0),
            occurred_at: change.now.clone(),
        },
        entries: Vec::new(),
    };
    let title = saved.title();
    if change.creating() {
        created(tx, &mut t, saved, &title)?;
    } else {
        moved(tx, &mut t, change, saved, actor, &title)?;
        fields_changed(&mut t, change, saved, &title);
    }
    closed(&mut t, change, saved, &title);
    for name in labels_added {
        t.add("label_added", format!("Label {name} added to {title}"), "");
    }
    for name in labels_removed {
        t.add(
            "label_removed",
            format!("Label {name} removed from {title}"),
            "",
        );
    }
    for e in &t.entries {
        activities::insert(tx, e, &change.now)?;
    }
    Ok(())
}

/// The entries a write leaves, all about the same records.
struct Timeline {
    base: NewActivity<'static>,
    entries: Vec<NewActivity<'static>>,
}

impl Timeline {
    fn add(&mut self, kind: &'static str, summary: String, body: &str) {
        self.entries.push(NewActivity {
            kind,
            summary,
            body: body.to_string(),
            ..self.base.clone()
        });
    }
}

fn created(tx: &Write, t: &mut Timeline, saved: &Record, title: &str) -> Result<()> {
    match saved.entity {
        Entity::Contact => t.add("created", format!("Contact {title} created"), ""),
        Entity::Company => t.add("created", format!("Company {title} created"), ""),
        Entity::Deal => {
            let stage = stage_name(tx, saved.stage_id())?;
            t.add("created", format!("Deal {title} created in {stage}"), "");
        }
        Entity::Task => t.add("task_created", format!("Task created: {title}"), ""),
        Entity::Note => t.add(
            "note_added",
            "Note added".into(),
            saved.str("body").unwrap_or(""),
        ),
    }
    Ok(())
}

/// A contact's lifecycle and a deal's amount as they were and are now: "Lifecycle of Ann
/// Smith: lead → customer".
fn fields_changed(t: &mut Timeline, change: &Change, saved: &Record, title: &str) {
    let Some(before) = change.before else { return };
    if saved.entity == Entity::Contact && change.changed("lifecycle") {
        let was = before.str("lifecycle").unwrap_or("none");
        let now = saved.str("lifecycle").unwrap_or("none");
        t.add(
            "field_changed",
            format!("Lifecycle of {title}: {was} → {now}"),
            "",
        );
    }
    if saved.entity == Entity::Deal && change.changed("amount") {
        let money = |r: &Record| match r.int("amount") {
            Some(minor) => format::money(minor, r.str("currency").unwrap_or("EUR")),
            None => "none".to_string(),
        };
        t.add(
            "field_changed",
            format!("Amount of {title}: {} → {}", money(before), money(saved)),
            "",
        );
    }
}

/// A new owner, and a deal's move to another stage (kept in its stage history too).
fn moved(
    tx: &Write,
    t: &mut Timeline,
    change: &Change,
    saved: &Record,
    actor: &User,
    title: &str,
) -> Result<()> {
    if change.changed("owner_id") && saved.entity != Entity::Task {
        let owner = match saved.int("owner_id") {
            Some(id) => users::by_id(tx, UserId(id))?
                .map_or("nobody".into(), |u| u.display_name().to_string()),
            None => "nobody".into(),
        };
        t.add(
            "owner_changed",
            format!("Owner of {title} changed to {owner}"),
            "",
        );
    }
    if saved.entity == Entity::Deal && change.changed("stage_id") {
        let before = change.before.and_then(Record::stage_id);
        let (from, to) = (stage_name(tx, before)?, stage_name(tx, saved.stage_id())?);
        pipelines::record_stage_change(
            tx,
            saved.id,
            before,
            saved.stage_id().unwrap_or(StageId(0)),
            Some(actor.id.0),
            &change.now,
        )?;
        t.add(
            "stage_changed",
            format!("{title} moved from {from} to {to}"),
            "",
        );
    }
    Ok(())
}

/// A deal won or lost, a task done.
fn closed(t: &mut Timeline, change: &Change, saved: &Record, title: &str) {
    if saved.entity == Entity::Deal && change.changed("status") {
        match saved.str("status") {
            Some("won") => t.add("won", format!("Deal {title} won"), ""),
            Some("lost") => t.add(
                "lost",
                format!("Deal {title} lost"),
                saved.str("lost_reason").unwrap_or(""),
            ),
            _ => {}
        }
    }
    if saved.entity == Entity::Task
        && !change.creating()
        && change.changed("status")
        && saved.str("status") == Some("done")
    {
        t.add("task_completed", format!("Task completed: {title}"), "");
    }
}

fn stage_name(tx: &Connection, id: Option<StageId>) -> Result<String> {
    Ok(match id {
        Some(id) => pipelines::stage_by_id(tx, id)?.map_or("a deleted stage".into(), |s| s.name),
        None => "no stage".into(),
    })
}
