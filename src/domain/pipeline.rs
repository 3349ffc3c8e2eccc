//! Pipelines and their stages.

#[derive(Debug, Clone, serde::Serialize)]
pub struct Stage {
    pub id: i64,
    pub pipeline_id: i64,
    pub name: String,
    pub position: i64,
    pub probability: i64,
    pub kind: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Pipeline {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    pub stages: Vec<Stage>,
}

impl Pipeline {
    pub fn first_stage(&self) -> Option<&Stage> {
        self.stages.first()
    }
}
