//! Register sessions: opened with a counted float, cash put in or taken out with a reason,
//! the drawer opened without a sale, the X report (changes nothing) and the Z report that
//! closes the session with a blind count and is kept as it was.

use super::journal::record;
use crate::app::automations::events;
use crate::app::{App, Tenant};
use crate::domain::automation::Event;
use crate::domain::capability::Capability;
use crate::domain::ids::RegisterSessionId;
use crate::domain::kassa::RegisterSession;
use crate::domain::kassa::device::FiscalDevice;
use crate::domain::kassa::session::{Drawer, Report, counted, report};
use crate::error::{Error, Result};
use crate::store::kassa::{self as store, journal, receipts, sessions};
use crate::store::users::User;
use crate::store::{Connection, Write};
use serde_json::json;

/// The session, if it is open.
pub(super) fn open_one(conn: &Connection, id: RegisterSessionId) -> Result<RegisterSession> {
    let s = sessions::by_id(conn, id)?.ok_or(Error::NotFound)?;
    if s.closed_at.is_some() {
        return Err(Error::Conflict("This register session is closed.".into()));
    }
    Ok(s)
}

/// The open session `id`, with `actor` signed in at its register: the first time a person
/// works in a session (a checkout, a payment, cash, the drawer, the close), the journal
/// records their login there before what they do.
pub(super) fn at_register(
    (tx, dev): (&Write, &dyn FiscalDevice),
    id: RegisterSessionId,
    actor: &User,
    now: &str,
) -> Result<RegisterSession> {
    let s = open_one(tx, id)?;
    sign_in((tx, dev), &s, actor, now)?;
    Ok(s)
}

fn sign_in(
    (tx, dev): (&Write, &dyn FiscalDevice),
    s: &RegisterSession,
    actor: &User,
    now: &str,
) -> Result<()> {
    if journal::signed_in(tx, s.register_id, (s.id.0, &s.opened_at), actor.id)? {
        return Ok(());
    }
    let event = json!({ "session_id": s.id, "user_id": actor.id, "name": actor.name });
    record(tx, dev, s.register_id, "operator.login", event, now)
}

/// The session's figures so far, with `counted` cash if it is being closed.
fn figures(conn: &Connection, s: &RegisterSession, counted: Option<i64>) -> Result<Report> {
    let (cash_in, cash_out) = sessions::cash_moved(conn, s.id)?;
    let drawer = Drawer {
        float: s.float,
        cash_in,
        cash_out,
        no_sales: journal::count_in_session(
            conn,
            s.register_id,
            "drawer.opened",
            (s.id.0, &s.opened_at),
        )?,
        voided_drafts: receipts::voided(conn, s.id)?,
        counted,
    };
    let register = store::register_by_id(conn, s.register_id)?.ok_or(Error::NotFound)?;
    Ok(report(
        &receipts::counted(conn, s.id)?,
        drawer,
        register.grand_totals,
    ))
}

fn cash_amount(amount: i64) -> Result<i64> {
    if !(0..=10_000_000).contains(&amount) {
        return Err(Error::field("float", "must be from 0 to 100000.00"));
    }
    Ok(amount)
}

impl App {
    /// Opens a session of `register` with the float counted into the drawer.
    pub fn open_session(
        &self,
        tenant: &Tenant,
        actor: &User,
        register: crate::domain::ids::RegisterId,
        float: i64,
    ) -> Result<RegisterSessionId> {
        tenant.require(Capability::Kassa)?;
        let float = cash_amount(float)?;
        let now = self.stamp();
        let dev = &*self.fiscal;
        tenant.db.write(|tx| {
            store::register_by_id(tx, register)?.ok_or(Error::NotFound)?;
            let id = sessions::open(tx, register, float, actor.id, &now)?;
            let event = json!({ "session_id": id, "float": float, "by": actor.id });
            record(tx, dev, register, "session.opened", event, &now)?;
            at_register((tx, dev), id, actor, &now)?;
            Ok(id)
        })
    }

    pub fn register_session(
        &self,
        tenant: &Tenant,
        id: RegisterSessionId,
    ) -> Result<RegisterSession> {
        tenant.require(Capability::Kassa)?;
        sessions::by_id(&*tenant.db.conn()?, id)?.ok_or(Error::NotFound)
    }

    /// Cash put into the drawer (`amount` above zero) or taken out (below), with why.
    pub fn move_cash(
        &self,
        tenant: &Tenant,
        actor: &User,
        session: RegisterSessionId,
        amount: i64,
        reason: &str,
    ) -> Result<()> {
        tenant.require(Capability::Kassa)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(Error::field("reason", "must be 1 to 200 characters"));
        }
        if amount == 0 || amount.abs() > 10_000_000 {
            return Err(Error::field(
                "amount",
                "must be from 0.01 to 100000.00, in or out",
            ));
        }
        let now = self.stamp();
        let dev = &*self.fiscal;
        tenant.db.write(|tx| {
            let s = at_register((tx, dev), session, actor, &now)?;
            sessions::move_cash(tx, session, (amount, reason), actor.id, &now)?;
            let kind = if amount > 0 { "cash.in" } else { "cash.out" };
            let event = json!({ "session_id": session, "amount": amount, "reason": reason, "by": actor.id });
            record(tx, dev, s.register_id, kind, event, &now)
        })
    }

    /// The drawer opened without a sale: counted on the Z report.
    pub fn open_drawer(
        &self,
        tenant: &Tenant,
        actor: &User,
        session: RegisterSessionId,
    ) -> Result<()> {
        tenant.require(Capability::Kassa)?;
        let now = self.stamp();
        let dev = &*self.fiscal;
        tenant.db.write(|tx| {
            let s = at_register((tx, dev), session, actor, &now)?;
            let event = json!({ "session_id": session, "by": actor.id });
            record(tx, dev, s.register_id, "drawer.opened", event, &now)
        })
    }

    /// Puts `register`'s training mode on or off (owners and admins): while it is on, its
    /// checkouts are practice. The journal records each change.
    pub fn set_training(
        &self,
        tenant: &Tenant,
        actor: &User,
        register: crate::domain::ids::RegisterId,
        on: bool,
    ) -> Result<()> {
        tenant.require(Capability::Kassa)?;
        super::admin(actor)?;
        let now = self.stamp();
        let dev = &*self.fiscal;
        tenant.db.write(|tx| {
            store::register_by_id(tx, register)?.ok_or(Error::NotFound)?;
            if !store::set_training(tx, register, on)? {
                return Ok(());
            }
            let kind = if on { "training.on" } else { "training.off" };
            record(tx, dev, register, kind, json!({ "by": actor.id }), &now)
        })
    }

    /// The X report: the open session's figures so far. It changes nothing.
    pub fn x_report(&self, tenant: &Tenant, session: RegisterSessionId) -> Result<Report> {
        tenant.require(Capability::Kassa)?;
        let conn = tenant.db.conn()?;
        // A closed session has its Z report instead.
        let s = sessions::by_id(&conn, session)?
            .filter(|s| s.closed_at.is_none())
            .ok_or(Error::NotFound)?;
        figures(&conn, &s, None)
    }

    /// Closes a session with the blind count (how many of each note and coin): the Z report,
    /// kept as it is and put in the journal.
    pub fn close_session(
        &self,
        tenant: &Tenant,
        actor: &User,
        session: RegisterSessionId,
        count: &[(i64, i64)],
    ) -> Result<Report> {
        tenant.require(Capability::Kassa)?;
        let cash = counted(count)?;
        let now = self.stamp();
        let dev = &*self.fiscal;
        let z = tenant
            .db
            .write(|tx| close_in((tx, dev), (session, actor), (count, cash), &now))?;
        self.wake_jobs(tenant.slug());
        Ok(z)
    }

    /// The Z report of a closed session.
    pub fn z_report(&self, tenant: &Tenant, session: RegisterSessionId) -> Result<Report> {
        tenant.require(Capability::Kassa)?;
        let text = sessions::z_report(&*tenant.db.conn()?, session)?.ok_or(Error::NotFound)?;
        serde_json::from_str(&text).map_err(|e| Error::Internal(format!("a Z report: {e}")))
    }
}

fn close_in(
    (tx, dev): (&Write, &dyn FiscalDevice),
    (session, actor): (RegisterSessionId, &User),
    (count, cash): (&[(i64, i64)], i64),
    now: &str,
) -> Result<Report> {
    let s = at_register((tx, dev), session, actor, now)?;
    let z = figures(tx, &s, Some(cash))?;
    let count_json: serde_json::Map<String, serde_json::Value> = count
        .iter()
        .map(|(d, n)| (d.to_string(), json!(n)))
        .collect();
    let count_text = serde_json::Value::Object(count_json).to_string();
    sessions::close(
        tx,
        session,
        (&count_text, cash, z.expected_cash),
        actor.id,
        now,
    )?;
    let report = serde_json::to_value(&z).map_err(|e| Error::Internal(e.to_string()))?;
    sessions::insert_z_report(tx, (s.register_id, session), &report.to_string(), now)?;
    let event =
        json!({ "session_id": session, "by": actor.id, "count": count_text, "report": report });
    record(tx, dev, s.register_id, "session.closed", event, now)?;
    events::push_about(tx, Event::SessionClosed, (events::SESSION, session.0), now)?;
    Ok(z)
}
