//! The write rules of each kind of record (not to be confused with automation rules): what is
//! particular to it when it is written. A contact needs a name or an email and owns its
//! address; a deal's status and dates follow its stage; a task's completion time follows its
//! status; a note belongs to one record. Which timeline entries a write leaves is `timeline`.

mod timeline;

pub use timeline::{context, log};

use crate::app::records::Change;
use crate::domain::crm::Entity;
use crate::domain::ids::{PipelineId, StageId};
use crate::domain::pipeline::{Pipeline, Stage};
use crate::error::{Error, Result};
use crate::store::Connection;
use crate::store::crm::pipelines;
use crate::store::crm::records;
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
            existing: (Entity::Contact, other.0),
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
    let Some((pipeline, stage)) = place(tx, change)? else {
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

/// A deal's pipeline and stage: a deal without them lands in the default pipeline's first
/// stage; a stage must belong to the deal's pipeline. `None` when the change names ones that
/// do not fit (the change then says why).
fn place(tx: &Connection, change: &mut Change) -> Result<Option<(Pipeline, Stage)>> {
    let all = pipelines::list(tx)?;
    let stage = match change.int("stage_id").map(StageId) {
        Some(id) => match all.iter().flat_map(|p| &p.stages).find(|s| s.id == id) {
            Some(s) => Some(s.clone()),
            None => {
                change.fail("stage_id", "does not exist");
                return Ok(None);
            }
        },
        None => None,
    };
    let pipeline = match change.int("pipeline_id").map(PipelineId) {
        Some(id) => match all.iter().find(|p| p.id == id) {
            Some(p) => Some(p.clone()),
            None => {
                change.fail("pipeline_id", "does not exist");
                return Ok(None);
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
            return Ok(None);
        }
    };
    let Some(stage) = stage else {
        change.fail("pipeline_id", "has no stages");
        return Ok(None);
    };
    Ok(Some((pipeline, stage)))
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
