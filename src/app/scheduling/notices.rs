//! The mails a client gets about their appointment (booked, asked for, moved, cancelled, a
//! reminder), each with its invitation or cancellation as iCalendar and a private link of its
//! own to change it. They are queued in the write that causes them.

use crate::app::{App, Tenant};
use crate::clock::parse_stamp;
use crate::domain::local_time::show;
use crate::domain::outbox::NewMail;
use crate::domain::scheduling::Appointment;
use crate::domain::scheduling::ics::{Event, Method, calendar};
use crate::domain::secret::{hash_token, new_token};
use crate::domain::words::Lang;
use crate::error::Result;
use crate::mail::messages::{self, Visit, VisitMail};
use crate::store::appointments::insert_link;
use crate::store::{Write, account, scheduling as store, users};

/// The mail address in `Name <address>` (or the text itself).
fn address_of(from: &str) -> &str {
    match (from.find('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => from[a + 1..b].trim(),
        _ => from.trim(),
    }
}

/// An appointment's event as calendars know it: one UID for all its mails and feeds.
pub(super) fn event(tenant: &Tenant, a: &Appointment, summary: String) -> Option<Event> {
    let (start, end) = (parse_stamp(&a.starts_at)?, parse_stamp(&a.ends_at)?);
    Some(Event {
        uid: format!("appointment-{}@{}.onebox", a.id, tenant.slug()),
        sequence: a.sequence,
        start,
        end,
        summary,
        description: String::new(),
        location: String::new(),
        cancelled: false,
        organizer: String::new(),
        attendee: String::new(),
    })
}

/// The mail telling `a`'s client `news`, or none when the contact has no address.
pub(super) fn notice(
    app: &App,
    tenant: &Tenant,
    tx: &Write,
    a: &Appointment,
    news: Visit,
) -> Result<Option<NewMail>> {
    if a.contact_email.is_empty() {
        return Ok(None);
    }
    let now = app.stamp();
    let link = if news == Visit::Cancelled {
        app.tenant_url(tenant.slug(), "book")
    } else {
        let token = new_token();
        insert_link(tx, a.id, &hash_token(&token), &now)?;
        app.tenant_url(tenant.slug(), &format!("book/manage/{token}"))
    };
    let lang = Lang::from_code(&a.client_language).unwrap_or(Lang::En);
    let zone = tenant.zone_of(None);
    let all = store::services(tx)?;
    let services: Vec<&str> = a
        .services
        .iter()
        .filter_map(|id| all.iter().find(|s| s.id == *id))
        .map(|s| s.name.as_str())
        .collect();
    let services = services.join(", ");
    let with = users::by_id(tx, a.staff_id)?
        .map(|u| u.display_name().to_string())
        .unwrap_or_default();
    let from = account::mail_settings(tx, app.config.smtp.timeout_secs)?
        .map(|s| s.from)
        .unwrap_or_else(|| app.config.smtp.from.clone());
    let name = &tenant.account.name;
    let ics = event(tenant, a, format!("{services} · {name}")).map(|mut e| {
        e.organizer = address_of(&from).to_string();
        e.attendee = a.contact_email.clone();
        e.location = name.clone();
        let method = if news == Visit::Cancelled {
            Method::Cancel
        } else {
            Method::Request
        };
        calendar(&[e], zone, method, app.now())
    });
    let when = show(&a.starts_at, zone, lang);
    Ok(Some(messages::appointment(
        lang,
        &a.contact_email,
        news,
        VisitMail {
            account: name,
            when: &when,
            services: &services,
            with: &with,
            link: &link,
            calendar: ics,
        },
    )))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_address_of_a_sender_with_a_name() {
        assert_eq!(super::address_of("Salon <hi@salon.nl>"), "hi@salon.nl");
        assert_eq!(super::address_of(" hi@salon.nl "), "hi@salon.nl");
    }
}
