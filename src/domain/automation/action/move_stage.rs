//! `move_stage`: moves the rule's deal (or the deal of its task or note) to the stage of this
//! name in the deal's pipeline.

use super::{BuilderInput, Effects, Kind, StepError, id_at, input, record_of};
use crate::domain::automation::reader::{Reader, Subject};
use crate::domain::crm::Entity;
use crate::domain::input::Input;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct MoveStage {
    pub stage: String,
}

impl Kind for MoveStage {
    const KIND: &'static str = "move_stage";
    const LABEL: &'static str = "Move the deal to a stage";
    const INPUTS: &'static [BuilderInput] = &[input("stage", "Stage", None)];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<MoveStage> {
        let stage = reader.text(obj, "stage", at)?;
        if !subject.records().contains(&Entity::Deal) {
            reader.needs(
                format!("{at}.type"),
                Self::KIND,
                "a rule about deals, or tasks and notes of a deal",
            );
            return None;
        }
        if !reader.known.has(&reader.known.stages, &stage) {
            reader.fail(
                format!("{at}.stage"),
                format!("no stage is named {stage:?}"),
            );
            return None;
        }
        Some(MoveStage { stage })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        obj.insert("stage".into(), self.stage.clone().into());
    }

    fn describe(&self, _context: &Value) -> String {
        format!("Move the deal to {}", self.stage)
    }

    fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
        let (entity, id) = record_of(effects, Self::KIND)?;
        let deal = if entity == Entity::Deal {
            Some(id)
        } else {
            id_at(effects.context(), "deal.id")
        }
        .ok_or_else(|| StepError::Permanent("there is no deal to move".into()))?;
        let (pipeline, stages) = effects.deal_stages(deal)?;
        let (stage_id, name) = stages
            .into_iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(&self.stage))
            .ok_or_else(|| {
                StepError::Permanent(format!(
                    "the pipeline {pipeline} has no stage {}",
                    self.stage
                ))
            })?;
        effects.save(Entity::Deal, Some(deal), Input::field("stage_id", stage_id))?;
        Ok(format!("deal #{deal} moved to {name}"))
    }
}
