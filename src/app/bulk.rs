//! Changing many records at once from a list: each through the same write road as a single
//! edit (rules, timeline), each in its own transaction, so one refused record does not undo
//! the others; what failed is reported.

use crate::app::records::Input;
use crate::app::{App, Tenant};
use crate::domain::crm::Entity;
use crate::error::{Error, Result};
use crate::store::crm::records;
use crate::store::users::User;
use serde_json::Value;

/// At most this many records per bulk change.
pub const MAX_IDS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    Trash,
    /// Out of the trash again: the undo of `Trash`.
    Restore,
    /// A user id, or none to clear.
    AssignOwner(Option<i64>),
    AddLabel(String),
    RemoveLabel(String),
    /// A deals' stage, with the reason when it is a lost one.
    MoveStage(i64, Option<String>),
}

#[derive(Debug, Default)]
pub struct BulkOutcome {
    pub done: usize,
    /// Record id and why it was refused.
    pub failed: Vec<(i64, String)>,
}

impl App {
    pub fn bulk(
        &self,
        tenant: &Tenant,
        actor: &User,
        entity: Entity,
        ids: &[i64],
        action: &BulkAction,
    ) -> Result<BulkOutcome> {
        tenant.require_entity(entity)?;
        if ids.is_empty() {
            return Err(Error::refused("Choose at least one record."));
        }
        if ids.len() > MAX_IDS {
            return Err(Error::refused(format!(
                "Choose at most {MAX_IDS} records at a time."
            )));
        }
        match action {
            BulkAction::AddLabel(_) | BulkAction::RemoveLabel(_)
                if !entity.has_labels_and_custom() =>
            {
                return Err(Error::field(
                    "action",
                    format!("{} have no labels", entity.table()),
                ));
            }
            BulkAction::MoveStage(..) if entity != Entity::Deal => {
                return Err(Error::field("action", "only deals have stages"));
            }
            _ => {}
        }
        let mut outcome = BulkOutcome::default();
        for &id in ids {
            match self.bulk_one(tenant, actor, entity, id, action) {
                Ok(()) => outcome.done += 1,
                Err(
                    e @ (Error::Invalid { .. }
                    | Error::NotFound
                    | Error::Forbidden(_)
                    | Error::Duplicate { .. }),
                ) => {
                    let why = if let Error::NotFound = e {
                        "not found (deleted meanwhile?)".to_string()
                    } else {
                        e.public_message()
                    };
                    outcome.failed.push((id, why));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(outcome)
    }

    /// The bulk action on one record, through the same write road as one by hand.
    fn bulk_one(
        &self,
        tenant: &Tenant,
        actor: &User,
        entity: Entity,
        id: i64,
        action: &BulkAction,
    ) -> Result<()> {
        let input = match action {
            BulkAction::Trash => return self.trash_record(tenant, actor, entity, id),
            BulkAction::Restore => return self.restore_record(tenant, entity, id).map(|_| ()),
            BulkAction::AssignOwner(user) => {
                let field = if entity == Entity::Task {
                    "assignee_id"
                } else {
                    "owner_id"
                };
                Input::field(field, user.map_or(Value::Null, Value::from))
            }
            BulkAction::AddLabel(name) | BulkAction::RemoveLabel(name) => {
                let mut labels = records::get_live(&*tenant.db.conn()?, entity, id)?
                    .ok_or(Error::NotFound)?
                    .labels;
                if matches!(action, BulkAction::AddLabel(_)) {
                    labels.push(name.clone());
                } else {
                    labels.retain(|l| !l.eq_ignore_ascii_case(name));
                }
                Input {
                    labels: Some(labels),
                    ..Input::default()
                }
            }
            BulkAction::MoveStage(stage, reason) => {
                let mut input = Input::field("stage_id", *stage);
                if let Some(reason) = reason {
                    input
                        .fields
                        .insert("lost_reason".into(), reason.clone().into());
                }
                input
            }
        };
        self.save_record(tenant, actor, entity, Some(id), input)
            .map(|_| ())
    }
}
