//! Pipelines and their stages, the deal board's figures, and the stage history of deals.

use crate::domain::ids::{PipelineId, StageId};
pub use crate::domain::pipeline::{Pipeline, Stage};
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

fn stage(r: &rusqlite::Row) -> rusqlite::Result<Stage> {
    Ok(Stage {
        id: r.get(0)?,
        pipeline_id: r.get(1)?,
        name: r.get(2)?,
        position: r.get(3)?,
        probability: r.get(4)?,
        kind: r.get(5)?,
    })
}

const STAGE_COLUMNS: &str = "id, pipeline_id, name, position, probability, kind";

/// Every pipeline with its stages in order; the default first.
pub fn list(conn: &Connection) -> Result<Vec<Pipeline>> {
    let mut pipelines: Vec<Pipeline> = conn
        .prepare_cached(
            "SELECT id, name, is_default FROM pipelines ORDER BY is_default DESC, position, id",
        )?
        .query_map([], |r| {
            Ok(Pipeline {
                id: r.get(0)?,
                name: r.get(1)?,
                is_default: r.get(2)?,
                stages: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STAGE_COLUMNS} FROM stages ORDER BY pipeline_id, position, id"
    ))?;
    for s in stmt.query_map([], stage)? {
        let s = s?;
        if let Some(p) = pipelines.iter_mut().find(|p| p.id == s.pipeline_id) {
            p.stages.push(s);
        }
    }
    Ok(pipelines)
}

pub fn get(conn: &Connection, id: PipelineId) -> Result<Option<Pipeline>> {
    Ok(list(conn)?.into_iter().find(|p| p.id == id))
}

pub fn default(conn: &Connection) -> Result<Pipeline> {
    list(conn)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::Internal("the account has no pipeline".into()))
}

pub fn stage_by_id(conn: &Connection, id: StageId) -> Result<Option<Stage>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {STAGE_COLUMNS} FROM stages WHERE id = ?1"))?
        .query_row([id], stage)
        .optional()?)
}

fn unique(e: rusqlite::Error, what: &str) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation => {
            Error::field("name", format!("{what} exists already"))
        }
        other => other.into(),
    }
}

/// A new pipeline with three stages to start from.
pub fn create(conn: &Write, name: &str, now: &str) -> Result<PipelineId> {
    conn.execute(
        "INSERT INTO pipelines (name, position, created_at, updated_at) VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM pipelines), ?2, ?2)",
        params![name, now],
    )
    .map_err(|e| unique(e, &format!("a pipeline named {name:?}")))?;
    let id = PipelineId(conn.last_insert_rowid());
    for (name, probability, kind) in [
        ("New", 10, "open"),
        ("Won", 100, "won"),
        ("Lost", 0, "lost"),
    ] {
        create_stage(conn, id, name, probability, kind, now)?;
    }
    Ok(id)
}

pub fn rename(conn: &Write, id: PipelineId, name: &str, now: &str) -> Result<()> {
    let n = conn
        .execute(
            "UPDATE pipelines SET name = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, name, now],
        )
        .map_err(|e| unique(e, &format!("a pipeline named {name:?}")))?;
    if n == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub fn make_default(conn: &Write, id: PipelineId, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE pipelines SET is_default = (id = ?1), updated_at = ?2",
        params![id, now],
    )?;
    Ok(())
}

/// Deletes an empty pipeline that is not the default.
pub fn delete(conn: &Write, id: PipelineId) -> Result<()> {
    let p = get(conn, id)?.ok_or(Error::NotFound)?;
    if p.is_default {
        return Err(Error::Conflict(
            "the default pipeline cannot be deleted; make another the default first".into(),
        ));
    }
    let deals: i64 = conn.query_row(
        "SELECT count(*) FROM deals WHERE pipeline_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if deals > 0 {
        return Err(Error::Conflict(format!(
            "{:?} still holds {deals} deals (some may be in the trash); move them first",
            p.name
        )));
    }
    conn.execute("DELETE FROM pipelines WHERE id = ?1", [id])?;
    Ok(())
}

pub fn create_stage(
    conn: &Write,
    pipeline: PipelineId,
    name: &str,
    probability: i64,
    kind: &str,
    now: &str,
) -> Result<StageId> {
    conn.execute(
        "INSERT INTO stages (pipeline_id, name, position, probability, kind, created_at, updated_at)
         VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM stages WHERE pipeline_id = ?1), ?3, ?4, ?5, ?5)",
        params![pipeline, name, probability, kind, now],
    )
    .map_err(|e| unique(e, &format!("a stage named {name:?}")))?;
    Ok(StageId(conn.last_insert_rowid()))
}

pub fn update_stage(
    conn: &Write,
    id: StageId,
    name: &str,
    probability: i64,
    kind: &str,
    now: &str,
) -> Result<()> {
    let n = conn
        .execute(
            "UPDATE stages SET name = ?2, probability = ?3, kind = ?4, updated_at = ?5 WHERE id = ?1",
            params![id, name, probability, kind, now],
        )
        .map_err(|e| unique(e, &format!("a stage named {name:?}")))?;
    if n == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// Swaps the stage with its neighbour before (`up`) or after it.
pub fn move_stage(conn: &Write, id: StageId, up: bool) -> Result<()> {
    let s = stage_by_id(conn, id)?.ok_or(Error::NotFound)?;
    let neighbour = if up {
        "SELECT id, position FROM stages WHERE pipeline_id = ?1 AND position < ?2 ORDER BY position DESC LIMIT 1"
    } else {
        "SELECT id, position FROM stages WHERE pipeline_id = ?1 AND position > ?2 ORDER BY position LIMIT 1"
    };
    let other: Option<(StageId, i64)> = conn
        .query_row(neighbour, params![s.pipeline_id, s.position], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((other_id, other_position)) = other {
        conn.execute(
            "UPDATE stages SET position = ?2 WHERE id = ?1",
            params![id, other_position],
        )?;
        conn.execute(
            "UPDATE stages SET position = ?2 WHERE id = ?1",
            params![other_id, s.position],
        )?;
    }
    Ok(())
}

/// Puts a pipeline's stages in the order given (each gets its place, 1 on).
pub fn set_stage_order(conn: &Write, order: &[StageId], now: &str) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("UPDATE stages SET position = ?2, updated_at = ?3 WHERE id = ?1")?;
    for (i, id) in order.iter().enumerate() {
        stmt.execute(params![id, i as i64 + 1, now])?;
    }
    Ok(())
}

pub fn delete_stage(conn: &Write, id: StageId) -> Result<()> {
    conn.execute("DELETE FROM stages WHERE id = ?1", [id])?;
    Ok(())
}

/// Deals (live or in the trash) in a stage.
pub fn deals_in_stage(conn: &Connection, stage: StageId) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM deals WHERE stage_id = ?1")?;
    let ids = stmt
        .query_map([stage], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

pub fn record_stage_change(
    conn: &Write,
    deal: i64,
    from: Option<StageId>,
    to: StageId,
    by: Option<i64>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO deal_stage_changes (deal_id, from_stage_id, to_stage_id, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![deal, from, to, by, now],
    )?;
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct StageChange {
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    pub changed_by: Option<i64>,
    pub changed_at: String,
}

pub fn stage_history(conn: &Connection, deal: i64) -> Result<Vec<StageChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.name, t.name, c.changed_by, c.changed_at FROM deal_stage_changes c
         LEFT JOIN stages f ON f.id = c.from_stage_id LEFT JOIN stages t ON t.id = c.to_stage_id
         WHERE c.deal_id = ?1 ORDER BY c.changed_at, c.id",
    )?;
    let rows = stmt
        .query_map([deal], |r| {
            Ok(StageChange {
                from_stage: r.get(0)?,
                to_stage: r.get(1)?,
                changed_by: r.get(2)?,
                changed_at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Moves every deal of `from` (live or in the trash) to `to`, with the status of `to`'s kind,
/// recording each move. With `from` = `to`, only the status follows the stage's kind. Returns
/// how many deals it touched.
pub fn move_deals(
    conn: &Write,
    from: StageId,
    to: &Stage,
    reason: &str,
    by: Option<i64>,
    now: &str,
) -> Result<usize> {
    let deals = deals_in_stage(conn, from)?;
    if from != to.id {
        for deal in &deals {
            record_stage_change(conn, *deal, Some(from), to.id, by, now)?;
        }
    }
    conn.execute(
        &format!(
            "UPDATE deals SET stage_id = ?2, pipeline_id = ?3, status = ?4,
               closed_at = CASE WHEN ?4 = 'open' THEN NULL WHEN status = ?4 THEN closed_at ELSE ?5 END,
               lost_reason = CASE WHEN ?4 = 'lost' THEN coalesce(lost_reason, ?6) ELSE NULL END,
               stage_rank = {}, updated_at = ?5
             WHERE stage_id = ?1",
            super::link_keys::stage_rank("?2")
        ),
        params![from, to.id, to.pipeline_id, to.kind, now, reason],
    )?;
    Ok(deals.len())
}
