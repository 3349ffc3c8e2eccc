//! The timeline entries a write leaves, and which records they concern.

use crate::app::records::Change;
use crate::domain::crm::Entity;
use crate::domain::ids::{CompanyId, ContactId, DealId, StageId, TaskId, UserId};
use crate::domain::said::{Blank, Said};
use crate::domain::words::Lang;
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
            said: None,
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
        let said = Said::new("tl_label_added")
            .text("name", name)
            .text("title", &title);
        t.add("label_added", said, "");
    }
    for name in labels_removed {
        let said = Said::new("tl_label_removed")
            .text("name", name)
            .text("title", &title);
        t.add("label_removed", said, "");
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
    /// An entry: its summary in English, and as `said` for readers of other languages.
    fn add(&mut self, kind: &'static str, said: Said, body: &str) {
        self.entries.push(NewActivity {
            kind,
            summary: said.read(Lang::En),
            said: Some(said.to_json()),
            body: body.to_string(),
            ..self.base.clone()
        });
    }
}

fn created(tx: &Write, t: &mut Timeline, saved: &Record, title: &str) -> Result<()> {
    let named = |key| Said::new(key).text("title", title);
    match saved.entity {
        Entity::Contact => t.add("created", named("tl_created_contact"), ""),
        Entity::Company => t.add("created", named("tl_created_company"), ""),
        Entity::Deal => {
            let stage = stage_name(tx, saved.stage_id())?;
            t.add("created", named("tl_created_deal").with("stage", stage), "");
        }
        Entity::Task => t.add("task_created", named("tl_task_created"), ""),
        Entity::Note => t.add(
            "note_added",
            Said::new("tl_note_added"),
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
        let lifecycle = |r: &Record| match r.str("lifecycle") {
            Some(v) => Blank::Choice("lifecycle", v.to_string()),
            None => Blank::Word("tl_none"),
        };
        let said = Said::new("tl_lifecycle")
            .text("title", title)
            .with("was", lifecycle(before))
            .with("now", lifecycle(saved));
        t.add("field_changed", said, "");
    }
    if saved.entity == Entity::Deal && change.changed("amount") {
        let money = |r: &Record| match r.int("amount") {
            Some(minor) => Blank::Money(minor, r.str("currency").unwrap_or("EUR").to_string()),
            None => Blank::Word("tl_none"),
        };
        let said = Said::new("tl_amount")
            .text("title", title)
            .with("was", money(before))
            .with("now", money(saved));
        t.add("field_changed", said, "");
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
            Some(id) => users::by_id(tx, UserId(id))?.map_or(Blank::Word("tl_nobody"), |u| {
                Blank::Text(u.display_name().to_string())
            }),
            None => Blank::Word("tl_nobody"),
        };
        let said = Said::new("tl_owner")
            .text("title", title)
            .with("owner", owner);
        t.add("owner_changed", said, "");
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
        let said = Said::new("tl_stage")
            .text("title", title)
            .with("from", from)
            .with("to", to);
        t.add("stage_changed", said, "");
    }
    Ok(())
}

/// A deal won or lost, a task done.
fn closed(t: &mut Timeline, change: &Change, saved: &Record, title: &str) {
    if saved.entity == Entity::Deal && change.changed("status") {
        match saved.str("status") {
            Some("won") => t.add("won", Said::new("tl_won").text("title", title), ""),
            Some("lost") => t.add(
                "lost",
                Said::new("tl_lost").text("title", title),
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
        let said = Said::new("tl_task_completed").text("title", title);
        t.add("task_completed", said, "");
    }
}

fn stage_name(tx: &Connection, id: Option<StageId>) -> Result<Blank> {
    Ok(match id {
        Some(id) => pipelines::stage_by_id(tx, id)?
            .map_or(Blank::Word("tl_deleted_stage"), |s| Blank::Text(s.name)),
        None => Blank::Word("tl_no_stage"),
    })
}
