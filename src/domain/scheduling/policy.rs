//! How a workspace takes bookings: the slot grid, how soon and how far ahead the booking page
//! offers times, until when a client may cancel or move through their link, when reminders
//! go, whether the page is open and whether its bookings wait for approval.

use super::availability::Policy;
use crate::error::{Error, FieldError, Result};
use chrono::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BookingPolicy {
    pub step_minutes: i64,
    pub lead_minutes: i64,
    pub horizon_days: i64,
    pub cancel_hours: i64,
    pub reminder_hours: i64,
    /// Whether `/t/<slug>/book` takes bookings.
    pub online: bool,
    /// Whether an online booking waits as `requested` until staff confirm it.
    pub approval: bool,
}

impl Default for BookingPolicy {
    fn default() -> BookingPolicy {
        BookingPolicy {
            step_minutes: 30,
            lead_minutes: 120,
            horizon_days: 90,
            cancel_hours: 24,
            reminder_hours: 24,
            online: true,
            approval: false,
        }
    }
}

/// Each bound the settings form and the API refuse beyond (the schema's CHECKs agree).
const BOUNDS: [(&str, i64, i64); 5] = [
    ("step_minutes", 5, 240),
    ("lead_minutes", 0, 43_200),
    ("horizon_days", 1, 730),
    ("cancel_hours", 0, 720),
    ("reminder_hours", 0, 720),
];

impl BookingPolicy {
    /// The policy if each number is within its bounds, else each refusal by its field.
    pub fn checked(self) -> Result<BookingPolicy> {
        let values = [
            self.step_minutes,
            self.lead_minutes,
            self.horizon_days,
            self.cancel_hours,
            self.reminder_hours,
        ];
        let errors: Vec<FieldError> = BOUNDS
            .iter()
            .zip(values)
            .filter(|((_, low, high), v)| !(low..=high).contains(&v))
            .map(|((field, low, high), _)| FieldError {
                field: (*field).into(),
                message: format!("must be from {low} to {high}"),
            })
            .collect();
        match Error::fields(errors) {
            Some(e) => Err(e),
            None => Ok(self),
        }
    }

    /// The slots the booking page offers.
    pub fn online_slots(&self) -> Policy {
        Policy {
            step: Duration::minutes(self.step_minutes),
            lead: Duration::minutes(self.lead_minutes),
            horizon: Duration::days(self.horizon_days),
        }
    }

    /// The slots staff are offered: the same grid, from now to a year ahead.
    pub fn staff_slots(&self) -> Policy {
        Policy {
            step: Duration::minutes(self.step_minutes),
            lead: Duration::zero(),
            horizon: Duration::days(365),
        }
    }

    /// Whether a client may still cancel or move an appointment starting at `start`.
    pub fn client_may_change(
        &self,
        start: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        start - now >= Duration::hours(self.cancel_hours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_within_bounds_and_each_field_is_checked() {
        assert!(BookingPolicy::default().checked().is_ok());
        let bad = BookingPolicy {
            step_minutes: 1,
            horizon_days: 0,
            ..BookingPolicy::default()
        };
        let Err(Error::Invalid { fields: errors, .. }) = bad.checked() else {
            panic!("refused")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["step_minutes", "horizon_days"]);
    }

    #[test]
    fn clients_may_change_until_the_window_closes() {
        let p = BookingPolicy::default();
        let now = chrono::Utc::now();
        assert!(p.client_may_change(now + Duration::hours(25), now));
        assert!(!p.client_may_change(now + Duration::hours(23), now));
    }
}
