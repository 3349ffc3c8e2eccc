//! Reading the dashboard: its figures, and what the first-steps checklist asks about.

use crate::app::Tenant;
use crate::domain::crm::Entity;
use crate::domain::dashboard::{Dashboard, OwnerFigures, Window};
use crate::domain::user::User;
use crate::error::Result;
use crate::store::crm::{dashboard, pipelines, totals};
use crate::store::{account, tokens, users};

pub struct HomeData {
    pub dashboard: Dashboard,
    /// The won and open figures per owner, by the owner's name.
    pub owners: Vec<(String, OwnerFigures)>,
    pub team_size: usize,
    /// Whether the user has made an API token.
    pub has_token: bool,
    /// Whether the workspace has mail settings of its own.
    pub own_mail: bool,
    /// Live contacts and deals, for the checklist's "add" steps.
    pub contacts: i64,
    pub deals: i64,
}

pub fn home(tenant: &Tenant, me: &User, window: &Window) -> Result<HomeData> {
    let conn = tenant.db.conn()?;
    let team = users::list(&conn)?;
    let pipeline = pipelines::default(&conn)?;
    let dashboard = dashboard::dashboard(&conn, window, &tenant.account.currency, &pipeline)?;
    let owners = dashboard
        .by_owner
        .iter()
        .map(|o| {
            let name = o
                .owner_id
                .and_then(|id| team.iter().find(|u| u.id.0 == id))
                .map_or("Nobody".to_string(), |u| u.display_name().to_string());
            (name, o.clone())
        })
        .collect();
    Ok(HomeData {
        has_token: !tokens::list(&conn, Some(me.id))?.is_empty(),
        own_mail: account::mail_settings(&conn, 0)?.is_some(),
        contacts: totals::records(&conn, Entity::Contact, false)?,
        deals: totals::records(&conn, Entity::Deal, false)?,
        team_size: team.len(),
        dashboard,
        owners,
    })
}
