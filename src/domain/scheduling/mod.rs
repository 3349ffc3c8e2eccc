//! Scheduling (capability `scheduling`): when people work and what can be booked when. Only
//! the pure rules so far: free slots from working hours, bookings and buffers
//! (`availability`); the services, appointments and pages build on them.

pub mod availability;

#[cfg(test)]
mod tests;
