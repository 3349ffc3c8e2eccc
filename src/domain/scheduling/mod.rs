//! Scheduling (capability `scheduling`): the services people book, when each person works,
//! and appointments; free slots from all of them (`availability`). An appointment keeps its
//! person busy from its first service's buffer before to its last one's buffer after.

pub mod availability;
pub mod history;
pub mod ics;
pub mod policy;
pub mod series;

use crate::domain::ids::{AppointmentId, ContactId, ResourceId, ServiceId, UserId};
use crate::error::{Error, FieldError, Result};
use availability::{Need, Span};
use chrono::{Duration, NaiveTime};

/// Something people book: how long it takes, the time kept free around it, what it costs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    pub minutes: i64,
    pub buffer_before: i64,
    pub buffer_after: i64,
    /// Minor units, VAT included.
    pub price: i64,
    /// Basis points: 2100 is 21 %.
    pub vat_rate: i64,
    /// Whether the online booking page offers it.
    pub online: bool,
    /// The rooms, chairs or machines it needs, each for its whole busy span.
    pub resources: Vec<ResourceId>,
    /// What the booking page groups it under (empty: no group).
    pub category: String,
    /// One of `COLOURS`: how the calendar marks it.
    pub colour: String,
    /// Its last minutes, when the client waits and its person is free for others.
    pub processing: i64,
    /// Who may perform it (empty: everyone who takes appointments).
    pub staff: Vec<UserId>,
}

impl Service {
    /// Whether `person` may perform it.
    pub fn done_by(&self, person: UserId) -> bool {
        self.staff.is_empty() || self.staff.contains(&person)
    }
}

/// The colours a service can have on the calendar (each has a calm, legible style).
pub const COLOURS: [&str; 7] = ["blue", "green", "amber", "rose", "violet", "teal", "grey"];

/// A room, chair or machine: how many appointments may use it at once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resource {
    pub id: ResourceId,
    pub name: String,
    pub capacity: i64,
}

/// A service as typed, checked before it is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewService {
    pub name: String,
    pub minutes: i64,
    pub buffer_before: i64,
    pub buffer_after: i64,
    pub price: i64,
    pub vat_rate: i64,
    pub online: bool,
    pub resources: Vec<ResourceId>,
    pub category: String,
    pub colour: String,
    pub processing: i64,
    pub staff: Vec<UserId>,
}

impl NewService {
    /// The service if every field is in its bounds, else each refusal by its field.
    pub fn checked(mut self) -> Result<NewService> {
        self.name = self.name.trim().to_string();
        self.category = self.category.trim().to_string();
        if self.colour.trim().is_empty() {
            self.colour = COLOURS[0].into();
        }
        self.staff.sort();
        self.staff.dedup();
        let mut errors = Vec::new();
        let mut refuse = |field: &str, message: &str| {
            errors.push(FieldError {
                field: field.into(),
                message: message.into(),
            })
        };
        if self.name.is_empty() || self.name.chars().count() > 120 {
            refuse("name", "must be 1 to 120 characters");
        }
        if !(5..=720).contains(&self.minutes) {
            refuse("minutes", "must be from 5 to 720");
        }
        for (field, value) in [
            ("buffer_before", self.buffer_before),
            ("buffer_after", self.buffer_after),
        ] {
            if !(0..=240).contains(&value) {
                refuse(field, "must be from 0 to 240");
            }
        }
        if self.category.chars().count() > 60 {
            refuse("category", "must be at most 60 characters");
        }
        if !COLOURS.contains(&self.colour.as_str()) {
            refuse(
                "colour",
                "must be one of blue, green, amber, rose, violet, teal, grey",
            );
        }
        if self.processing < 0 || (self.processing > 0 && self.processing >= self.minutes) {
            refuse("processing", "must be from 0 to less than the minutes");
        }
        if self.price < 0 {
            refuse("price", "cannot be negative");
        }
        if !(0..=10_000).contains(&self.vat_rate) {
            refuse("vat_rate", "must be from 0 to 10000 (basis points)");
        }
        match Error::fields(errors) {
            Some(e) => Err(e),
            None => Ok(self),
        }
    }
}

/// What a booking of `services`, one after another, needs: their minutes added, the first
/// one's buffer before and the last one's after, and each one's processing gap (its last
/// minutes, when the client waits and its person is free for someone else).
pub fn need_of(services: &[Service]) -> Need {
    let mut gaps = Vec::new();
    let mut at = 0;
    for s in services {
        at += s.minutes;
        if s.processing > 0 {
            gaps.push((
                Duration::minutes(at - s.processing),
                Duration::minutes(s.processing),
            ));
        }
    }
    Need {
        duration: Duration::minutes(at),
        before: Duration::minutes(services.first().map_or(0, |s| s.buffer_before)),
        after: Duration::minutes(services.last().map_or(0, |s| s.buffer_after)),
        gaps,
    }
}

/// Where an appointment is in its life. Only the first four keep its person busy (the SQL of
/// `store::appointments` and its partial index `appointments_busy` say so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Requested,
    Confirmed,
    Arrived,
    Completed,
    Cancelled,
    NoShow,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Requested,
        Status::Confirmed,
        Status::Arrived,
        Status::Completed,
        Status::Cancelled,
        Status::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Requested => "requested",
            Status::Confirmed => "confirmed",
            Status::Arrived => "arrived",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
            Status::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether an appointment may go from this status to `next`: requested → confirmed →
    /// arrived → completed; called off (cancelled) before it is done; a no-show once confirmed.
    /// Completed, cancelled and no-show are final.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Requested, Confirmed | Cancelled)
                | (Confirmed, Arrived | Cancelled | NoShow)
                | (Arrived, Completed | Cancelled)
        )
    }
}

/// Where an appointment was made: by staff, or by its client on the booking page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Staff,
    Online,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Staff => "staff",
            Origin::Online => "online",
        }
    }
}

/// What a private calendar feed lists: its maker's appointments, or the whole workspace's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedScope {
    Own,
    Workspace,
}

impl FeedScope {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedScope::Own => "own",
            FeedScope::Workspace => "workspace",
        }
    }

    pub fn parse(s: &str) -> Option<FeedScope> {
        [FeedScope::Own, FeedScope::Workspace]
            .into_iter()
            .find(|f| f.as_str() == s)
    }
}

/// Which appointments a list or calendar shows: of one person or everyone, of one status or
/// any, with one service among theirs or any.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    pub staff: Option<UserId>,
    pub status: Option<Status>,
    pub service: Option<ServiceId>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Appointment {
    pub id: AppointmentId,
    pub contact_id: ContactId,
    /// The contact's name as it is now.
    pub contact_name: String,
    pub staff_id: UserId,
    pub services: Vec<ServiceId>,
    pub resources: Vec<ResourceId>,
    pub starts_at: String,
    pub ends_at: String,
    pub status: Status,
    pub notes: String,
    pub cancel_reason: Option<String>,
    pub origin: Origin,
    /// Booked over another of its person's appointments on purpose.
    pub overbooked: bool,
    pub series_id: Option<crate::domain::ids::SeriesId>,
    /// Grows at each change of time or status: calendars keep the highest.
    pub sequence: u32,
    /// The language its client reads mails in (`en`, `nl`).
    #[serde(skip)]
    pub client_language: String,
    /// Whether its client was sent a confirmation (and so hears of changes).
    pub mailed: bool,
    /// The contact's mail address as it is now (empty: none).
    #[serde(skip)]
    pub contact_email: String,
    /// The deal it is about, if any.
    pub deal_id: Option<crate::domain::ids::DealId>,
}

impl Appointment {
    /// Why this appointment may not go to `next` at `now` (a UTC stamp), if it may not: the
    /// rules of its status, and that whether someone came is known once their time began.
    pub fn refusal(&self, next: Status, now: &str) -> Option<String> {
        if !self.status.can_become(next) {
            return Some(format!(
                "cannot go from {} to {}",
                self.status.as_str(),
                next.as_str()
            ));
        }
        (next == Status::NoShow && self.starts_at.as_str() > now)
            .then(|| "can be marked as not come once the appointment's time has begun".into())
    }
}

/// A contact's appointments as their 360 view shows them: the next ones, the last ones, and
/// how often they did not come (and when last).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visits {
    pub upcoming: Vec<Appointment>,
    pub past: Vec<Appointment>,
    pub no_shows: i64,
    pub last_no_show: Option<String>,
}

/// The weekdays as the API names them, Monday first (the order of `WeeklyHours::days`).
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `HH:MM` as a wall time.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

/// A span of working hours from `HH:MM` texts; `None` unless it starts before it ends.
pub fn span(starts: &str, ends: &str) -> Option<Span> {
    let (start, end) = (parse_time(starts)?, parse_time(ends)?);
    (start < end).then_some(Span { start, end })
}

/// A day's spans as people type them: `09:00-12:00, 13:00-17:30` (an en dash works too;
/// empty: not worked). `None` unless each is a span that starts before it ends, in order.
pub fn parse_spans(text: &str) -> Option<Vec<Span>> {
    let mut out: Vec<Span> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once(['-', '–'])?;
        let s = span(a, b)?;
        if out.last().is_some_and(|l| l.end > s.start) {
            return None;
        }
        out.push(s);
    }
    Some(out)
}

/// Spans as `parse_spans` reads them.
pub fn spans_text(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| format!("{}–{}", s.start.format("%H:%M"), s.end.format("%H:%M")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod ics_tests;
#[cfg(test)]
mod tests;
