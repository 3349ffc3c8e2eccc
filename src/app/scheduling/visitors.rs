//! Visitors of booking pages, who have no account: their holds, bookings and changes are
//! counted per client address, across workspaces, and what they type is checked (they are
//! matched to a contact by `records::contact_for`).

use crate::app::App;
use crate::error::{Error, Result};

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
