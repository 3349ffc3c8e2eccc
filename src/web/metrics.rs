//! Placeholder replaced below.
#[derive(Default)]
pub struct Metrics;
