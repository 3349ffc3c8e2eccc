//! The waitlist: a visitor for whom no time suits asks to hear when one opens up on a day.
//! When an appointment that day is cancelled, the write that cancels it mails the first of
//! them whose service then has a free time online; whoever books it first gets it, through
//! the booking page as usual (the hold and the final write re-check it).

use super::online::{Visitor, online_services, open_policy};
use super::placing::slots;
use super::visitors::checked;
use crate::app::{App, Tenant};
use crate::domain::ids::ServiceId;
use crate::domain::local_time::today;
use crate::domain::outbox::NewMail;
use crate::domain::words::Lang;
use crate::error::{Error, Result};
use crate::store::{Write, audit, scheduling as store, waitlist};
use chrono::{Duration, NaiveDate};

/// How many waiting for a day are looked at when a time opens up.
const LOOKED_AT: i64 = 20;

impl App {
    /// Puts a visitor on the waitlist of `day` for `service`; `false` when they were on it.
    pub fn join_waitlist(
        &self,
        tenant: &Tenant,
        v: &Visitor,
        service: ServiceId,
        day: NaiveDate,
    ) -> Result<bool> {
        let (name, email, _) = checked(v)?;
        let now = self.now();
        let at = self.stamp();
        let first = today(now, tenant.zone_of(None));
        tenant.db.write(|tx| {
            let policy = open_policy(tx, tenant)?;
            online_services(tx, &[service])?;
            if day < first || day > first + Duration::days(policy.horizon_days) {
                return Err(Error::field(
                    "day",
                    "must be a day from today up to how far ahead we take bookings",
                ));
            }
            let new = waitlist::insert(tx, (service, day), (&name, &email, v.lang.code()), &at)?;
            if new {
                let what = format!("{day}, service {service}");
                audit::record(tx, None, "waitlist.joined", &what, &at)?;
            }
            Ok(new)
        })
    }
}

/// The mail to the first one waiting for `day` whose service now has a free time online (and
/// the mark that they were told), if anyone; called in the write that freed the time.
pub(super) fn offer_freed(
    app: &App,
    tenant: &Tenant,
    tx: &Write,
    day: NaiveDate,
) -> Result<Option<NewMail>> {
    let zone = tenant.zone_of(None);
    let now = app.now();
    if day < today(now, zone) {
        return Ok(None);
    }
    let waiting = waitlist::waiting(tx, day, LOOKED_AT)?;
    if waiting.is_empty() {
        return Ok(None);
    }
    let Ok(policy) = open_policy(tx, tenant) else {
        return Ok(None);
    };
    let people: Vec<_> = store::staff(tx)?.into_iter().map(|(id, _)| id).collect();
    for w in waiting {
        let Ok(services) = online_services(tx, &[w.service_id]) else {
            continue;
        };
        let free = slots(
            tx,
            zone,
            &people,
            &services,
            (day, day),
            (policy.online_slots(), now),
        )?;
        if free.is_empty() {
            continue;
        }
        waitlist::mark_told(tx, w.id, &app.stamp())?;
        let lang = Lang::from_code(&w.language).unwrap_or(Lang::En);
        let link = app.tenant_url(
            tenant.slug(),
            &format!("book?service_id={}&week={day}", w.service_id),
        );
        return Ok(Some(crate::mail::messages::time_opened(
            lang,
            &w.email,
            crate::mail::messages::Opened {
                account: &tenant.account.name,
                name: &w.name,
                day: &crate::domain::format::weekday_date(lang, day),
                service: &services[0].name,
                link: &link,
            },
        )));
    }
    Ok(None)
}
