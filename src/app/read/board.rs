//! Reading the deal board: a pipeline's open stages with their newest cards, its won and lost
//! stages as drop zones, counts and totals.

use crate::app::Tenant;
use crate::app::lookups::{names, user_options};
use crate::domain::crm::Entity;
use crate::domain::ids::{PipelineId, StageId, UserId};
use crate::domain::pipeline::{Pipeline, Stage};
use crate::domain::record::{Names, Record};
use crate::error::{Error, Result};
use crate::store::crm::records::{self, Filter, ListQuery};
use crate::store::crm::{pipelines, totals};

/// A column of the board: a stage's newest cards, its number of deals, its totals per
/// currency.
pub struct StageCards {
    pub cards: Vec<Record>,
    pub count: i64,
    pub totals: Vec<(String, i64)>,
}

/// The deal board of one pipeline.
pub struct BoardData {
    /// Every pipeline, with its number of open deals.
    pub pipelines: Vec<(Pipeline, i64)>,
    pub current: Pipeline,
    /// Per stage of the current pipeline, in order.
    pub columns: Vec<StageCards>,
    pub names: Names,
    /// Whose deals the board may show: the active users.
    pub owners: Vec<(i64, String)>,
}

/// The board of `pipeline` (the default one), of one owner's deals when given.
pub fn board(
    tenant: &Tenant,
    pipeline: Option<PipelineId>,
    owner: Option<UserId>,
    cards: i64,
) -> Result<BoardData> {
    let conn = tenant.db.conn()?;
    let all = pipelines::list(&conn)?;
    let current = match pipeline {
        Some(id) => all.iter().find(|p| p.id == id).ok_or(Error::NotFound)?,
        None => all.first().ok_or(Error::NotFound)?,
    }
    .clone();
    let counts = totals::open_by_pipeline(&conn)?;
    let totals = totals::by_stage(&conn, current.id, owner.map(|o| o.0))?;
    let mut columns = Vec::new();
    for stage in &current.stages {
        let mut q = ListQuery::new(cards, 0);
        q.filters.push(Filter::Eq("stage_id", stage.id.into()));
        if let Some(owner) = owner {
            q.filters.push(Filter::Eq("owner_id", owner.into()));
        }
        q.sort = ("updated_at".into(), true);
        let mine = totals.iter().filter(|t| t.0 == stage.id);
        let count = mine.clone().map(|t| t.2).sum();
        // Won and lost stages are drop zones: they hold every closed deal, shown in the list.
        // A stage the kept totals say is empty is not read (an owner without deals in it would
        // have SQLite walk all of its deals to find none).
        let cards = if stage.kind == "open" && count > 0 {
            records::page_only(&conn, Entity::Deal, &q)?
        } else {
            Vec::new()
        };
        columns.push(StageCards {
            cards,
            count,
            totals: mine.map(|t| (t.1.clone(), t.3)).collect(),
        });
    }
    let every: Vec<&Record> = columns.iter().flat_map(|c| &c.cards).collect();
    let names = names(&conn, &every)?;
    let pipelines = all
        .into_iter()
        .map(|p| {
            let open = counts.iter().find(|(id, _)| *id == p.id).map_or(0, |c| c.1);
            (p, open)
        })
        .collect();
    Ok(BoardData {
        pipelines,
        current,
        columns,
        names,
        owners: user_options(&conn)?,
    })
}

/// A stage by its id.
pub fn stage(tenant: &Tenant, id: StageId) -> Result<Option<Stage>> {
    pipelines::stage_by_id(&*tenant.db.conn()?, id)
}
