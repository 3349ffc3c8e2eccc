//! Pipelines and their stages.

use crate::domain::ids::{PipelineId, StageId};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Stage {
    pub id: StageId,
    pub pipeline_id: PipelineId,
    pub name: String,
    pub position: i64,
    pub probability: i64,
    pub kind: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Pipeline {
    pub id: PipelineId,
    pub name: String,
    pub is_default: bool,
    pub stages: Vec<Stage>,
}

impl Pipeline {
    pub fn first_stage(&self) -> Option<&Stage> {
        self.stages.first()
    }
}
