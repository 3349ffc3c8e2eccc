//! What is particular to each entity when it is written: a contact needs a name or an email
//! and owns its address; a deal's status and dates follow its stage; a task's completion time
//! follows its status; a note belongs to one record. And which timeline entries a write leaves.

use crate::app::records::Change;
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::store::Connection;
use crate::store::crm::activities::{self, NewActivity};
use crate::store::crm::pipelines;
use crate::store::crm::records::{self, Record};
use crate::store::users::{self, User};
use serde_json::Value;

pub fn apply(tx: &crate::store::Write, change: &mut Change, account_currency: &str) -> Result<()> {
    match change.entity {
        Entity::Contact => contact(tx, change),
        Entity::Deal => deal(tx, change, account_currency),
        Entity::Task => {
            task(change);
            Ok(())
        }
        Entity::Note => {
            note(change);
            Ok(())
        }
        Entity::Company => Ok(()),
    }
}

fn contact(tx: &Connection, change: &mut Change) -> Result<()> {
    if ["first_name", "last_name", "email"]
        .iter()
        .all(|f| change.get(f).is_null())
    {
        change.fail("first_name", "or a last name or an email is needed");
    }
    if let Some(email) = change
        .get("email")
        .as_str()
        .filter(|_| change.changed("email"))
        && let Some(other) = records::contact_by_email(tx, email)?
    {
        return Err(Error::Duplicate {
            field: "email".into(),
            message: format!("a contact with the email {email} already exists"),
            existing: (Entity::Contact, other),
        });
    }
    Ok(())
}

fn deal(tx: &Connection, change: &mut Change, account_currency: &str) -> Result<()> {
    if change.get("currency").is_null() {
        change.set("currency", account_currency);
    }
    match change.int("amount") {
        None => change.set("amount", 0),
        Some(a) if a < 0 => change.fail("amount", "cannot be negative"),
        Some(_) => {}
    }
    // Pipeline and stage: a deal without them lands in the default pipeline's first stage; a
    // stage must belong to the deal's pipeline.
    let all = pipelines::list(tx)?;
    let stage = match change.int("stage_id") {
        Some(id) => match all.iter().flat_map(|p| &p.stages).find(|s| s.id == id) {
            Some(s) => Some(s.clone()),
            None => {
                change.fail("stage_id", "does not exist");
                return Ok(());
            }
        },
        None => None,
    };
    let pipeline = match change.int("pipeline_id") {
        Some(id) => match all.iter().find(|p| p.id == id) {
            Some(p) => Some(p.clone()),
            None => {
                change.fail("pipeline_id", "does not exist");
                return Ok(());
            }
        },
        None => None,
    };
    let moving_pipeline =
        change.touched.contains("pipeline_id") && !change.touched.contains("stage_id");
    let (pipeline, stage) = match (pipeline, stage) {
        (None, None) => {
            let p = all
                .into_iter()
                .next()
                .ok_or_else(|| Error::Internal("no pipeline".into()))?;
            let s = p.first_stage().cloned();
            (p, s)
        }
        (None, Some(s)) => (
            all.into_iter()
                .find(|p| p.id == s.pipeline_id)
                .ok_or(Error::NotFound)?,
            Some(s),
        ),
        (Some(p), None) => {
            let s = p.first_stage().cloned();
            (p, s)
        }
        (Some(p), Some(s)) if s.pipeline_id == p.id => (p, Some(s)),
        (Some(p), Some(_)) if moving_pipeline => {
            let s = p.first_stage().cloned();
            (p, s)
        }
        (Some(_), Some(_)) => {
            change.fail("stage_id", "belongs to another pipeline");
            return Ok(());
        }
    };
    let Some(stage) = stage else {
        change.fail("pipeline_id", "has no stages");
        return Ok(());
    };
    change.set("pipeline_id", pipeline.id);
    change.set("stage_id", stage.id);
    change.set("status", stage.kind.as_str());
    if change.changed("status") {
        let closed = if stage.kind == "open" {
            Value::Null
        } else {
            Value::String(change.now.clone())
        };
        change.set("closed_at", closed);
    }
    if stage.kind == "lost" {
        if change.get("lost_reason").is_null() {
            change.fail("lost_reason", "is required when a deal is lost");
        }
    } else {
        change.set("lost_reason", Value::Null);
    }
    // The company follows the contact unless one was chosen: an empty company (a form's blank
    // select, or none given) takes the contact's company when the contact is set or changed.
    if change.changed("contact_id")
        && change.get("company_id").is_null()
        && let Some(contact) = change.int("contact_id")
    {
        let company =
            records::get_live(tx, Entity::Contact, contact)?.and_then(|c| c.int("company_id"));
        change.set("company_id", company);
    }
    Ok(())
}

fn task(change: &mut Change) {
    let done = change.get("status").as_str() == Some("done");
    if !done {
        change.set("completed_at", Value::Null);
    } else if change.changed("status") {
        let now = change.now.clone();
        change.set("completed_at", now);
    }
}

fn note(change: &mut Change) {
    let parents = ["contact_id", "company_id", "deal_id"];
    if !change.creating() && parents.iter().any(|p| change.changed(p)) {
        change.fail("contact_id", "a note cannot move to another record");
    } else if parents.iter().filter(|p| !change.get(p).is_null()).count() != 1 {
        change.fail(
            "contact_id",
            "a note belongs to exactly one contact, company or deal",
        );
    }
}

/// The contact, company and deal a record's timeline entries concern, filling the gaps from
/// the links it has (a task on a deal concerns the deal's contact and company too).
pub fn context(
    tx: &Connection,
    record: &Record,
) -> Result<(Option<i64>, Option<i64>, Option<i64>)> {
    let (mut contact, mut company, deal) = match record.entity {
        Entity::Contact => (Some(record.id), record.int("company_id"), None),
        Entity::Company => (None, Some(record.id), None),
        Entity::Deal => (
            record.int("contact_id"),
            record.int("company_id"),
            Some(record.id),
        ),
        Entity::Task | Entity::Note => (
            record.int("contact_id"),
            record.int("company_id"),
            record.int("deal_id"),
        ),
    };
    if let Some(d) = deal.filter(|_| record.entity != Entity::Deal)
        && let Some(d) = records::get(tx, Entity::Deal, d)?
    {
        contact = contact.or(d.int("contact_id"));
        company = company.or(d.int("company_id"));
    }
    if let (None, Some(c)) = (
        company,
        contact.filter(|_| record.entity != Entity::Contact),
    ) {
        company = records::get(tx, Entity::Contact, c)?.and_then(|c| c.int("company_id"));
    }
    Ok((contact, company, deal))
}

/// The timeline entries of a write: meaningful business events only.
pub fn log(
    tx: &crate::store::Write,
    change: &Change,
    saved: &Record,
    actor: &User,
    labels_added: &[String],
    labels_removed: &[String],
) -> Result<()> {
    let (contact_id, company_id, deal_id) = context(tx, saved)?;
    let task_id = (saved.entity == Entity::Task).then_some(saved.id);
    let entry = |kind: &'static str, summary: String, body: String| NewActivity {
        kind,
        summary,
        body,
        outcome: None,
        contact_id,
        company_id,
        deal_id,
        task_id,
        actor_id: Some(actor.id.0),
        occurred_at: change.now.clone(),
    };
    let mut entries = Vec::new();
    let title = saved.title();
    if change.creating() {
        entries.push(match saved.entity {
            Entity::Contact => entry("created", format!("Contact {title} created"), String::new()),
            Entity::Company => entry("created", format!("Company {title} created"), String::new()),
            Entity::Deal => {
                let stage = stage_name(tx, saved.int("stage_id"))?;
                entry(
                    "created",
                    format!("Deal {title} created in {stage}"),
                    String::new(),
                )
            }
            Entity::Task => entry(
                "task_created",
                format!("Task created: {title}"),
                String::new(),
            ),
            Entity::Note => entry(
                "note_added",
                "Note added".into(),
                saved.str("body").unwrap_or("").into(),
            ),
        });
    } else {
        if change.changed("owner_id") && saved.entity != Entity::Task {
            let owner = match saved.int("owner_id") {
                Some(id) => users::by_id(tx, crate::domain::ids::UserId(id))?
                    .map_or("nobody".into(), |u| u.display_name().to_string()),
                None => "nobody".into(),
            };
            entries.push(entry(
                "owner_changed",
                format!("Owner of {title} changed to {owner}"),
                String::new(),
            ));
        }
        if saved.entity == Entity::Deal && change.changed("stage_id") {
            let before = change.before.and_then(|b| b.int("stage_id"));
            let (from, to) = (
                stage_name(tx, before)?,
                stage_name(tx, saved.int("stage_id"))?,
            );
            pipelines::record_stage_change(
                tx,
                saved.id,
                before,
                saved.int("stage_id").unwrap_or_default(),
                Some(actor.id.0),
                &change.now,
            )?;
            entries.push(entry(
                "stage_changed",
                format!("{title} moved from {from} to {to}"),
                String::new(),
            ));
        }
    }
    if saved.entity == Entity::Deal && change.changed("status") {
        match saved.str("status") {
            Some("won") => entries.push(entry("won", format!("Deal {title} won"), String::new())),
            Some("lost") => entries.push(entry(
                "lost",
                format!("Deal {title} lost"),
                saved.str("lost_reason").unwrap_or("").into(),
            )),
            _ => {}
        }
    }
    if saved.entity == Entity::Task
        && !change.creating()
        && change.changed("status")
        && saved.str("status") == Some("done")
    {
        entries.push(entry(
            "task_completed",
            format!("Task completed: {title}"),
            String::new(),
        ));
    }
    for name in labels_added {
        entries.push(entry(
            "label_added",
            format!("Label {name} added to {title}"),
            String::new(),
        ));
    }
    for name in labels_removed {
        entries.push(entry(
            "label_removed",
            format!("Label {name} removed from {title}"),
            String::new(),
        ));
    }
    for e in &entries {
        activities::insert(tx, e, &change.now)?;
    }
    Ok(())
}

fn stage_name(tx: &Connection, id: Option<i64>) -> Result<String> {
    Ok(match id {
        Some(id) => pipelines::stage_by_id(tx, id)?.map_or("a deleted stage".into(), |s| s.name),
        None => "no stage".into(),
    })
}
