//! Teams and their members.

use crate::domain::ids::{ConversationId, TeamId, UserId};
use crate::domain::inbox::Team;
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, params};

/// Every team with its active members, by name.
pub fn teams(conn: &Connection) -> Result<Vec<Team>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name FROM teams ORDER BY name COLLATE NOCASE")?;
    let mut all: Vec<Team> = stmt
        .query_map([], |r| {
            Ok(Team {
                id: r.get(0)?,
                name: r.get(1)?,
                members: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Every membership in one query, put with its team.
    let mut members = conn.prepare_cached(
        "SELECT m.team_id, m.user_id FROM team_members m JOIN users u ON u.id = m.user_id
         WHERE u.active ORDER BY m.team_id, m.user_id",
    )?;
    let pairs: Vec<(TeamId, UserId)> = members
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for t in &mut all {
        t.members = pairs
            .iter()
            .filter(|(team, _)| *team == t.id)
            .map(|(_, u)| *u)
            .collect();
    }
    Ok(all)
}

/// A new team, or `None` when its name is taken.
pub fn insert(conn: &Write, name: &str, now: &str) -> Result<Option<TeamId>> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO teams (name, created_at) VALUES (?1, ?2)",
        params![name, now],
    )?;
    Ok((n > 0).then(|| TeamId(conn.last_insert_rowid())))
}

pub fn delete(conn: &Write, id: TeamId) -> Result<bool> {
    Ok(conn.execute("DELETE FROM teams WHERE id = ?1", [id])? > 0)
}

/// The name of team `id`, if there is one.
pub fn name(conn: &Connection, id: TeamId) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT name FROM teams WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

pub fn set_members(conn: &Write, id: TeamId, members: &[UserId]) -> Result<()> {
    conn.execute("DELETE FROM team_members WHERE team_id = ?1", [id])?;
    let mut add = conn
        .prepare_cached("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?1, ?2)")?;
    for m in members {
        add.execute(params![id, m])?;
    }
    Ok(())
}

pub fn set_conversation_team(conn: &Write, id: ConversationId, team: Option<TeamId>) -> Result<()> {
    conn.execute(
        "UPDATE conversations SET team_id = ?2 WHERE id = ?1",
        params![id, team],
    )?;
    Ok(())
}
