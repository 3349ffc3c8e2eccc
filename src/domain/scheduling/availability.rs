//! Free slots: when a service can start, from a person's working hours (weekly, with dated
//! exceptions) in the business's time zone, what is already booked (with buffers), the
//! service's own length and buffers, and the booking policy. Slots are wall-clock times of
//! the zone (09:00, 09:30, …) on every day, the days the clocks change too: a time the clocks
//! skip is no slot, a time they pass twice is one, the first.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A span of a working day in local wall time, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// Working hours by weekday, Monday first; several spans a day (a break between them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    pub days: [Vec<Span>; 7],
}

/// A dated change of the weekly hours: other spans that day, or none (a day off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub day: NaiveDate,
    pub spans: Vec<Span>,
}

/// A time already taken, `[start, end)` in UTC, its buffers included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What a booking needs: its length (the services' durations added), the buffers kept
/// free before and after it, and the gaps inside it when its person is free after all
/// (each as its offset from the start and its length, in order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Need {
    pub duration: Duration,
    pub before: Duration,
    pub after: Duration,
    pub gaps: Vec<(Duration, Duration)>,
}

impl Need {
    /// The whole span a booking at `start` takes, buffers included (resources are used for
    /// all of it).
    pub fn span(&self, start: DateTime<Utc>) -> Busy {
        Busy {
            start: start - self.before,
            end: start + self.duration + self.after,
        }
    }

    /// The gaps of a booking at `start` as UTC spans.
    pub fn gaps_at(&self, start: DateTime<Utc>) -> Vec<Busy> {
        self.gaps
            .iter()
            .map(|(offset, length)| Busy {
                start: start + *offset,
                end: start + *offset + *length,
            })
            .collect()
    }

    /// The spans a booking at `start` keeps its person busy: its whole span less its gaps.
    pub fn staff_spans(&self, start: DateTime<Utc>) -> Vec<Busy> {
        without(self.span(start), &self.gaps_at(start))
    }
}

/// `whole` less the spans `gaps` (in order, inside it): the pieces left, in order.
pub fn without(whole: Busy, gaps: &[Busy]) -> Vec<Busy> {
    let mut out = Vec::new();
    let mut at = whole.start;
    for g in gaps {
        if g.start > at {
            out.push(Busy {
                start: at,
                end: g.start.min(whole.end),
            });
        }
        at = at.max(g.end);
    }
    if at < whole.end {
        out.push(Busy {
            start: at,
            end: whole.end,
        });
    }
    out
}

/// How far slots are apart, how soon and how far ahead one may book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub step: Duration,
    pub lead: Duration,
    pub horizon: Duration,
}

/// A room, chair or machine a booking needs: how many bookings may use it at once, and the
/// spans it is already used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceUse {
    pub capacity: i64,
    pub busy: Vec<Busy>,
}

impl ResourceUse {
    /// Whether one more booking over `[from, to)` stays within the capacity: at no moment of
    /// it are `capacity` uses already under way.
    pub fn has_room(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        let overlapping: Vec<&Busy> = self
            .busy
            .iter()
            .filter(|b| b.start < to && from < b.end)
            .collect();
        // The most uses at once start at the start of one of them (or of the new one).
        let moments = overlapping.iter().map(|b| b.start.max(from)).chain([from]);
        moments
            .map(|at| {
                overlapping
                    .iter()
                    .filter(|b| b.start <= at && at < b.end)
                    .count()
            })
            .max()
            .unwrap_or(0)
            < self.capacity.max(1) as usize
    }
}

/// A person's hours and what they have booked, for the days `[from, to]`, and the resources
/// the booking needs.
pub struct Calendar<'a> {
    pub zone: Tz,
    pub hours: &'a WeeklyHours,
    pub exceptions: &'a [Exception],
    pub busy: &'a [Busy],
    pub resources: &'a [ResourceUse],
}

impl Calendar<'_> {
    /// The spans worked on `day`: the exception's if it has one, else the weekday's.
    pub fn spans_on(&self, day: NaiveDate) -> &[Span] {
        use chrono::Datelike;
        match self.exceptions.iter().find(|e| e.day == day) {
            Some(e) => &e.spans,
            None => &self.hours.days[day.weekday().num_days_from_monday() as usize],
        }
    }

    /// The UTC start of each free slot on the days `[from, to]`, in order.
    pub fn free_slots(
        &self,
        need: &Need,
        policy: Policy,
        now: DateTime<Utc>,
        (from, to): (NaiveDate, NaiveDate),
    ) -> Vec<DateTime<Utc>> {
        let (earliest, latest) = (now + policy.lead, now + policy.horizon);
        let step = policy.step.max(Duration::minutes(1));
        let mut out = Vec::new();
        let mut day = from;
        while day <= to {
            for span in self.spans_on(day) {
                let end = span_end(day, span.end, self.zone);
                let mut at = day.and_time(span.start);
                while at.time() >= span.start && at.date() == day {
                    let Some(start) = exact(at, self.zone) else {
                        at += step;
                        continue;
                    };
                    let Some(end) = end else { break };
                    if start + need.duration > end {
                        break;
                    }
                    if start >= earliest && start <= latest && self.is_free(start, need) {
                        out.push(start);
                    }
                    at += step;
                }
            }
            day = day.succ_opt().unwrap_or(day);
            if day == from {
                break;
            }
        }
        out
    }

    /// Whether a booking starting at `start` lies within one of the spans worked that day
    /// (on the slot grid or not).
    pub fn within_hours(&self, start: DateTime<Utc>, need: &Need) -> bool {
        let day = start.with_timezone(&self.zone).date_naive();
        self.spans_on(day).iter().any(|span| {
            let from = crate::domain::local_time::to_utc(day.and_time(span.start), self.zone);
            let to = span_end(day, span.end, self.zone);
            start >= from && to.is_some_and(|to| start + need.duration <= to)
        })
    }

    /// Whether a booking starting at `start` keeps clear of everything its person has booked,
    /// both sides' buffers counted (those of what is booked are in its `Busy`), and finds room
    /// in each resource it needs.
    /// Gaps count on both sides: the person is free in the gaps of what is booked (they are
    /// not in its `Busy`) and in the gaps of the new booking.
    pub fn is_free(&self, start: DateTime<Utc>, need: &Need) -> bool {
        let clashes = need.staff_spans(start).into_iter().any(|mine| {
            self.busy
                .iter()
                .any(|b| b.start < mine.end && mine.start < b.end)
        });
        !clashes && self.has_resources(start, need)
    }

    /// Whether each resource the booking needs has room over its busy span.
    pub fn has_resources(&self, start: DateTime<Utc>, need: &Need) -> bool {
        let span = need.span(start);
        self.resources
            .iter()
            .all(|r| r.has_room(span.start, span.end))
    }
}

/// A local wall time as the one UTC moment it names; `None` when the clocks skip it. Of a
/// time passed twice, the first.
fn exact(local: chrono::NaiveDateTime, zone: Tz) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// The end of a span: its wall time, the later moment if passed twice; one the clocks skip
/// reads as the moment they jump to. A span ending at midnight ends at the next day's start.
fn span_end(day: NaiveDate, time: NaiveTime, zone: Tz) -> Option<DateTime<Utc>> {
    let local = if time == NaiveTime::MIN {
        day.succ_opt()?.and_time(time)
    } else {
        day.and_time(time)
    };
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(_, later) => Some(later.with_timezone(&Utc)),
        LocalResult::None => Some(crate::domain::local_time::to_utc(local, zone)),
    }
}
