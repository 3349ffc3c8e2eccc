//! Visitors of booking pages, who have no account: their holds, bookings and changes are
//! counted per client address, across workspaces.

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
