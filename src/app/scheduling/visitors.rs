//! Visitors of booking pages, who have no account: their holds, bookings and changes are
//! counted per client address, across workspaces; what they type is checked, and they are
//! matched to a contact.

use crate::app::records::{Input, WriteCtx, save_in};
use crate::app::{App, Tenant};
use crate::domain::crm::Entity;
use crate::domain::ids::ContactId;
use crate::error::{Error, Result};
use crate::store::crm::records;
use crate::store::{Write, users};

/// How many holds, bookings and changes one address may make on booking pages in a window.
pub const VISITS_PER_ADDRESS: usize = 30;
pub const VISITS_WINDOW_MINUTES: i64 = 10;

impl App {
    /// Counts a visitor's write on a booking page; refused once their address made too many.
    pub fn admit_visitor(&self, client: std::net::IpAddr) -> Result<()> {
        let now = self.now();
        self.booking_by_address
            .admit(client, now)
            .map_err(|reopens| {
                Error::TooManyRequests(format!(
                    "Too many bookings from your network. {}",
                    crate::app::throttle::try_again_in(reopens, now)
                ))
            })
    }
}

/// The visitor's typing, checked: each refusal by its field.
pub(super) fn checked(v: &super::online::Visitor) -> Result<(String, String, String)> {
    let mut errors = Vec::new();
    let name = v.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 120 {
        errors.push(crate::error::FieldError::new(
            "name",
            "must be 1 to 120 characters",
        ));
    }
    let email = match crate::domain::user::normalize_email(v.email) {
        Ok(email) => email,
        Err(e) => {
            errors.push(e);
            String::new()
        }
    };
    let phone = v.phone.trim().to_string();
    if phone.chars().count() > 40 {
        errors.push(crate::error::FieldError::new(
            "phone",
            "must be at most 40 characters",
        ));
    }
    if !v.consent {
        errors.push(crate::error::FieldError::new(
            "consent",
            "is needed to book: we keep your details for this appointment",
        ));
    }
    match Error::fields(errors) {
        Some(e) => Err(e),
        None => Ok((name, email, phone)),
    }
}

/// The contact a visitor (or a mail's sender) is: by email, else by phone, else a new one
/// with `source` as where it came from.
pub(crate) fn contact_for(
    app: &App,
    tenant: &Tenant,
    tx: &Write,
    (name, email, phone): (&str, &str, &str),
    source: &str,
) -> Result<ContactId> {
    if let Some(id) = records::contact_by_email(tx, email)? {
        return Ok(id);
    }
    if !phone.is_empty()
        && let Some(id) = records::contact_by_phone(tx, phone)?
    {
        return Ok(id);
    }
    let owner = users::list(tx)?
        .into_iter()
        .find(|u| u.active && u.role.can_manage_account())
        .ok_or_else(|| Error::Internal("the workspace has no active owner".into()))?;
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let mut input = Input::default();
    for (field, value) in [
        ("first_name", first.trim()),
        ("last_name", last.trim()),
        ("email", email),
        ("phone", phone),
        ("source", source),
    ] {
        if !value.is_empty() {
            input.fields.insert(field.into(), value.into());
        }
    }
    let now = app.stamp();
    let w = WriteCtx {
        tx,
        tenant,
        actor: &owner,
        now: &now,
        depth: 0,
    };
    let made = save_in(&w, Entity::Contact, None, input).map_err(|e| match e {
        // The contact's own checks speak of its fields, which the form has too.
        Error::Invalid { fields, .. } => Error::fields(fields).unwrap_or(Error::NotFound),
        other => other,
    })?;
    Ok(ContactId(made.id))
}
