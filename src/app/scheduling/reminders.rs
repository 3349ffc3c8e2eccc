//! Reminders: the policy's hours before an appointment starts, its client gets a reminder mail
//! (if they were mailed about it) and rules on `appointment.reminder` run (a text message, say).
//! The mail, the event and the mark that the reminder went are one write, so a reminder goes
//! once, across restarts too.

use super::notices::notice;
use crate::app::automations::events;
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::automation::Event;
use crate::domain::capability::Capability;
use crate::domain::scheduling::Status;
use crate::error::Result;
use crate::mail::messages::Visit;
use crate::store::appointments as booked;
use crate::store::audit;
use crate::store::scheduling as store;
use chrono::Duration;

/// The most reminders one pass sends in a workspace; the next pass sends the rest.
const PER_PASS: i64 = 200;

impl App {
    /// Queues the reminders due now in `tenant`; returns how many, and when the next one is
    /// due (a UTC stamp), if any.
    pub fn send_due_reminders(&self, tenant: &Tenant) -> Result<(usize, Option<String>)> {
        if tenant.require(Capability::Scheduling).is_err() {
            return Ok((0, None));
        }
        let now = self.now();
        let at = stamp(now);
        let conn = tenant.db.conn()?;
        let hours = store::policy(&conn)?.reminder_hours;
        if hours == 0 {
            return Ok((0, None));
        }
        let until = stamp(now + Duration::hours(hours));
        let due = booked::due_reminders(&conn, &at, &until, PER_PASS)?;
        let next = booked::next_reminder(&conn, &until)?;
        drop(conn);
        let mut sent = 0;
        let any = !due.is_empty();
        for a in due {
            let queued = self.write_with_mail(&tenant.db, |tx| {
                // Read again inside the write: it may have been moved or cancelled meanwhile.
                let Some(now_a) = booked::appointment(tx, a.id)? else {
                    return Ok((false, Vec::new()));
                };
                booked::mark_reminded(tx, a.id, &at)?;
                if now_a.starts_at != a.starts_at
                    || !matches!(now_a.status, Status::Requested | Status::Confirmed)
                {
                    return Ok((false, Vec::new()));
                }
                events::push_appointment(tx, Event::AppointmentReminder, a.id, &at)?;
                let what = format!("{}: reminder due", a.id);
                audit::record_appointment(tx, (None, "appointment.reminded", &what), a.id, &at)?;
                if !now_a.mailed {
                    return Ok((false, Vec::new()));
                }
                let mails: Vec<_> = notice(self, tenant, tx, &now_a, Visit::Reminder)?
                    .into_iter()
                    .collect();
                Ok((!mails.is_empty(), mails))
            })?;
            sent += usize::from(queued);
        }
        if any {
            self.wake_jobs(tenant.slug());
        }
        // The next reminder is due `hours` before the next start after this window.
        let next = next
            .and_then(|start| crate::clock::parse_stamp(&start))
            .map(|start| stamp(start - Duration::hours(hours)));
        Ok((sent, next))
    }
}
