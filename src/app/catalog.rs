//! The account's CRM settings, managed by owners and admins: labels, custom field definitions,
//! pipelines and their stages.

use crate::app::{App, Tenant};
use crate::domain::crm::{Entity, STAGE_KINDS};
use crate::domain::custom::{CustomField, CustomKind, valid_custom_key};
use crate::domain::ids::{FieldId, LabelId, PipelineId, StageId};
pub use crate::domain::label::LABEL_COLORS;
use crate::domain::label::color;
use crate::error::{Error, FieldError, Result};
use crate::store::crm::{custom_fields, labels, pipelines};
use crate::store::users::User;

/// Owners and admins change the workspace's settings (its catalogue, its services).
pub(crate) fn admin(actor: &User) -> Result<()> {
    if actor.role.can_manage_users() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "Only owners and admins change this.".into(),
        ))
    }
}

fn name(raw: &str, field: &str, max: usize) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::field(field, "is required"));
    }
    if s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(Error::field(
            field,
            format!("must be at most {max} characters, without control characters"),
        ));
    }
    Ok(s.to_string())
}

fn probability(raw: &serde_json::Value) -> Result<i64> {
    let n = match raw {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    n.filter(|p| (0..=100).contains(p))
        .ok_or_else(|| Error::field("probability", "must be a whole number from 0 to 100"))
}

fn stage_kind(raw: &str) -> Result<&'static str> {
    STAGE_KINDS
        .iter()
        .copied()
        .find(|k| *k == raw.trim())
        .ok_or_else(|| Error::field("kind", "must be open, won or lost"))
}

/// A stage's name, probability and kind as typed, checked.
fn stage_input(
    stage_name: &str,
    chance: &serde_json::Value,
    kind: &str,
) -> Result<(String, i64, &'static str)> {
    Ok((
        name(stage_name, "name", 80)?,
        probability(chance)?,
        stage_kind(kind)?,
    ))
}

/// A custom field as typed into a form or an API call.
#[derive(Clone, Copy)]
pub struct NewCustomField<'a> {
    pub entity: Entity,
    pub key: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub options: &'a [String],
    pub required: bool,
}

impl App {
    pub fn create_label(
        &self,
        tenant: &Tenant,
        actor: &User,
        label_name: &str,
        label_color: &str,
    ) -> Result<labels::Label> {
        admin(actor)?;
        let (n, c) = (name(label_name, "name", 40)?, color(label_color)?);
        let now = self.stamp();
        tenant.db.write(|tx| {
            let id = labels::create(tx, &n, &c, &now)?;
            labels::get(tx, id)?.ok_or(Error::NotFound)
        })
    }

    pub fn update_label(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: LabelId,
        label_name: &str,
        label_color: &str,
    ) -> Result<labels::Label> {
        admin(actor)?;
        let (n, c) = (name(label_name, "name", 40)?, color(label_color)?);
        tenant.db.write(|tx| {
            labels::update(tx, id, &n, &c)?;
            labels::get(tx, id)?.ok_or(Error::NotFound)
        })
    }

    /// Deletes a label; the records that carried it just lose it.
    pub fn delete_label(&self, tenant: &Tenant, actor: &User, id: LabelId) -> Result<()> {
        admin(actor)?;
        tenant.db.write(|tx| labels::delete(tx, id))
    }

    pub fn create_custom_field(
        &self,
        tenant: &Tenant,
        actor: &User,
        spec: &NewCustomField,
    ) -> Result<CustomField> {
        admin(actor)?;
        let field = checked_field(spec)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let id = custom_fields::create(tx, &field, &now)?;
            Ok(CustomField { id, ..field })
        })
    }

    /// Deletes a custom field and its values on every record.
    pub fn delete_custom_field(&self, tenant: &Tenant, actor: &User, id: FieldId) -> Result<()> {
        admin(actor)?;
        tenant.db.write(|tx| custom_fields::delete(tx, id))
    }

    pub fn create_pipeline(
        &self,
        tenant: &Tenant,
        actor: &User,
        pipeline_name: &str,
    ) -> Result<pipelines::Pipeline> {
        admin(actor)?;
        let n = name(pipeline_name, "name", 80)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let id = pipelines::create(tx, &n, &now)?;
            pipelines::get(tx, id)?.ok_or(Error::NotFound)
        })
    }

    pub fn update_pipeline(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: PipelineId,
        pipeline_name: Option<&str>,
        make_default: bool,
    ) -> Result<pipelines::Pipeline> {
        admin(actor)?;
        let n = pipeline_name.map(|n| name(n, "name", 80)).transpose()?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            pipelines::get(tx, id)?.ok_or(Error::NotFound)?;
            if let Some(n) = &n {
                pipelines::rename(tx, id, n, &now)?;
            }
            if make_default {
                pipelines::make_default(tx, id, &now)?;
            }
            pipelines::get(tx, id)?.ok_or(Error::NotFound)
        })
    }

    pub fn delete_pipeline(&self, tenant: &Tenant, actor: &User, id: PipelineId) -> Result<()> {
        admin(actor)?;
        tenant.db.write(|tx| pipelines::delete(tx, id))
    }

    pub fn create_stage(
        &self,
        tenant: &Tenant,
        actor: &User,
        pipeline: PipelineId,
        stage_name: &str,
        chance: &serde_json::Value,
        kind: &str,
    ) -> Result<pipelines::Stage> {
        admin(actor)?;
        let (n, p, k) = stage_input(stage_name, chance, kind)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            pipelines::get(tx, pipeline)?.ok_or(Error::NotFound)?;
            let id = pipelines::create_stage(tx, pipeline, &n, p, k, &now)?;
            pipelines::stage_by_id(tx, id)?.ok_or(Error::NotFound)
        })
    }

    /// Renames a stage or changes its probability or kind. Deals in it follow a new kind.
    pub fn update_stage(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: StageId,
        stage_name: &str,
        chance: &serde_json::Value,
        kind: &str,
    ) -> Result<pipelines::Stage> {
        admin(actor)?;
        let (n, p, k) = stage_input(stage_name, chance, kind)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let before = pipelines::stage_by_id(tx, id)?.ok_or(Error::NotFound)?;
            pipelines::update_stage(tx, id, &n, p, k, &now)?;
            let after = pipelines::stage_by_id(tx, id)?.ok_or(Error::NotFound)?;
            if before.kind != after.kind {
                // Same stage, new kind: the deals in it take the new status (not a move).
                pipelines::move_deals(
                    tx,
                    id,
                    &after,
                    &format!("stage {n} became lost"),
                    Some(actor.id.0),
                    &now,
                )?;
            }
            Ok(after)
        })
    }

    pub fn move_stage(&self, tenant: &Tenant, actor: &User, id: StageId, up: bool) -> Result<()> {
        admin(actor)?;
        tenant.db.write(|tx| pipelines::move_stage(tx, id, up))
    }

    /// Puts the stages of `pipeline` in `order`, which must name each of them once.
    pub fn order_stages(
        &self,
        tenant: &Tenant,
        actor: &User,
        pipeline: PipelineId,
        order: &[StageId],
    ) -> Result<()> {
        admin(actor)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let p = pipelines::get(tx, pipeline)?.ok_or(Error::NotFound)?;
            let mut have: Vec<StageId> = p.stages.iter().map(|s| s.id).collect();
            let mut asked = order.to_vec();
            have.sort_unstable_by_key(|s| s.0);
            asked.sort_unstable_by_key(|s| s.0);
            if have != asked {
                return Err(Error::field(
                    "stages",
                    "must name each stage of the pipeline once",
                ));
            }
            pipelines::set_stage_order(tx, order, &now)
        })
    }

    /// Deletes a stage. If deals are in it, `move_to` (a stage of the same pipeline) says where
    /// they go; without it the delete is refused with how many there are.
    pub fn delete_stage(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: StageId,
        move_to: Option<StageId>,
    ) -> Result<usize> {
        admin(actor)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let stage = pipelines::stage_by_id(tx, id)?.ok_or(Error::NotFound)?;
            let pipeline = pipelines::get(tx, stage.pipeline_id)?.ok_or(Error::NotFound)?;
            if pipeline.stages.len() == 1 {
                return Err(Error::Conflict(
                    "a pipeline keeps at least one stage".into(),
                ));
            }
            let held = pipelines::deals_in_stage(tx, id)?.len();
            let moved = match (held, move_to) {
                (0, _) => 0,
                (n, None) => {
                    return Err(Error::field(
                        "move_to",
                        format!(
                            "{} holds {n} deals: choose the stage they move to",
                            stage.name
                        ),
                    ));
                }
                (_, Some(to)) => {
                    let target = pipeline
                        .stages
                        .iter()
                        .find(|s| s.id == to && s.id != id)
                        .ok_or_else(|| {
                            Error::field("move_to", "must be another stage of the same pipeline")
                        })?;
                    pipelines::move_deals(
                        tx,
                        id,
                        target,
                        &format!("stage {} was deleted", stage.name),
                        Some(actor.id.0),
                        &now,
                    )?
                }
            };
            pipelines::delete_stage(tx, id)?;
            Ok(moved)
        })
    }
}

/// A new custom field as asked for, checked: every problem is named with its field.
fn checked_field(spec: &NewCustomField) -> Result<CustomField> {
    let NewCustomField {
        entity,
        key,
        label,
        kind,
        options,
        required,
    } = *spec;
    let mut errors = Vec::new();
    let fail = |errors: &mut Vec<FieldError>, field: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        })
    };
    if !entity.has_labels_and_custom() {
        fail(&mut errors, "entity", "must be contact, company or deal");
    }
    let key = key.trim();
    if !valid_custom_key(key) {
        fail(
            &mut errors,
            "key",
            "must start with a lowercase letter and hold only a-z, 0-9 and _ (at most 40)",
        );
    }
    let label = name(label, "label", 80)
        .map_err(|e| errors.extend(e.field_errors().iter().cloned()))
        .unwrap_or_default();
    let kind = CustomKind::parse(kind.trim()).unwrap_or_else(|| {
        fail(
            &mut errors,
            "kind",
            "must be text, number, date, boolean, select or url",
        );
        CustomKind::Text
    });
    let options: Vec<String> = options
        .iter()
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect();
    if kind == CustomKind::Select && options.is_empty() {
        fail(
            &mut errors,
            "options",
            "a select field needs at least one option",
        );
    }
    if options.iter().any(|o| o.chars().count() > 80) {
        fail(
            &mut errors,
            "options",
            "each option must be at most 80 characters",
        );
    }
    if let Some(e) = Error::fields(errors) {
        return Err(e);
    }
    Ok(CustomField {
        id: FieldId(0),
        entity,
        key: key.into(),
        label,
        kind,
        options: if kind == CustomKind::Select {
            options
        } else {
            Vec::new()
        },
        required,
    })
}
