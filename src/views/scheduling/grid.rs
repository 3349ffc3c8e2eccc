//! The calendar's grid as a table: a row per quarter hour, a column per person or day. An
//! appointment is one cell spanning its rows (`rowspan`, so no inline style is needed under
//! the strict CSP); appointments that overlap in a column (booked over one another on
//! purpose) share one cell. Every other cell is free: worked (a slot to book) or not.

use crate::domain::scheduling::Appointment;
use crate::domain::scheduling::availability::Span;
use chrono::{NaiveDate, Timelike};
use chrono_tz::Tz;

/// Minutes a row stands for.
pub const ROW: u32 = 15;

/// A column's appointments and the spans worked that day.
pub struct Column<'a> {
    pub day: NaiveDate,
    pub worked: &'a [Span],
    pub items: Vec<&'a Appointment>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Cell<'a> {
    /// A free quarter starting at this minute of the day; `worked` when the person works then.
    Free { minute: u32, worked: bool },
    /// Appointments over `rows` rows from this one.
    Taken {
        rows: u32,
        items: Vec<&'a Appointment>,
    },
    /// Under a `Taken` cell above it: nothing to render.
    Covered,
}

/// An appointment's first and last minute on `day` in `zone`, as minutes of that day
/// (clamped to it).
pub fn minutes_on(a: &Appointment, day: NaiveDate, zone: Tz) -> Option<(u32, u32)> {
    let local = |s: &str| crate::clock::parse_stamp(s).map(|t| t.with_timezone(&zone));
    let (start, end) = (local(&a.starts_at)?, local(&a.ends_at)?);
    let of = |t: chrono::DateTime<Tz>| {
        if t.date_naive() < day {
            0
        } else if t.date_naive() > day {
            24 * 60
        } else {
            t.hour() * 60 + t.minute()
        }
    };
    let (a, b) = (of(start), of(end));
    (b > a || (a == b && start.date_naive() == day)).then_some((a, b.max(a + 1)))
}

/// The rows a calendar shows: from the earliest hour anyone works or is booked to the latest
/// (08:00 to 18:00 at least), in whole hours.
pub fn hours_shown(columns: &[Column], zone: Tz) -> (u32, u32) {
    let (mut first, mut last) = (8 * 60, 18 * 60);
    for c in columns {
        for s in c.worked {
            first = first.min(s.start.hour() * 60 + s.start.minute());
            let end = s.end.hour() * 60 + s.end.minute();
            last = last.max(if end == 0 { 24 * 60 } else { end });
        }
        for a in &c.items {
            if let Some((from, to)) = minutes_on(a, c.day, zone) {
                first = first.min(from);
                last = last.max(to);
            }
        }
    }
    (first / 60 * 60, last.div_ceil(60) * 60)
}

/// The cells of a column from minute `first` to `last`, a row each.
pub fn cells<'a>(column: &Column<'a>, (first, last): (u32, u32), zone: Tz) -> Vec<Cell<'a>> {
    let rows = ((last - first) / ROW) as usize;
    let mut out: Vec<Cell> = (0..rows)
        .map(|i| {
            let minute = first + i as u32 * ROW;
            let worked = column.worked.iter().any(|s| {
                let (a, b) = (
                    s.start.hour() * 60 + s.start.minute(),
                    s.end.hour() * 60 + s.end.minute(),
                );
                minute >= a && (minute < b || b == 0)
            });
            Cell::Free { minute, worked }
        })
        .collect();
    // Each appointment's rows; overlapping ones grow one group.
    let mut spans: Vec<(usize, usize, &Appointment)> = column
        .items
        .iter()
        .filter_map(|a| {
            let (from, to) = minutes_on(a, column.day, zone)?;
            let top = (from.max(first) - first) / ROW;
            let bottom = (to.min(last) - first).div_ceil(ROW).max(top + 1);
            Some((top as usize, (bottom as usize).min(rows), *a))
        })
        .filter(|(top, _, _)| *top < rows)
        .collect();
    spans.sort_by_key(|(top, bottom, _)| (*top, *bottom));
    let mut groups: Vec<(usize, usize, Vec<&Appointment>)> = Vec::new();
    for (top, bottom, a) in spans {
        match groups.last_mut() {
            Some(g) if top < g.1 => {
                g.1 = g.1.max(bottom);
                g.2.push(a);
            }
            _ => groups.push((top, bottom, vec![a])),
        }
    }
    for (top, bottom, items) in groups {
        out[top] = Cell::Taken {
            rows: (bottom - top) as u32,
            items,
        };
        for cell in out.iter_mut().take(bottom).skip(top + 1) {
            *cell = Cell::Covered;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{AppointmentId, ContactId, UserId};
    use crate::domain::scheduling::{Origin, Status};

    fn appointment(id: i64, starts: &str, ends: &str) -> Appointment {
        Appointment {
            id: AppointmentId(id),
            contact_id: ContactId(1),
            contact_name: "Sanne".into(),
            staff_id: UserId(1),
            services: Vec::new(),
            resources: Vec::new(),
            starts_at: starts.into(),
            ends_at: ends.into(),
            status: Status::Confirmed,
            notes: String::new(),
            cancel_reason: None,
            origin: Origin::Staff,
            overbooked: false,
            series_id: None,
            sequence: 0,
            client_language: "en".into(),
            mailed: false,
            contact_email: String::new(),
            deal_id: None,
        }
    }

    #[test]
    fn appointments_span_their_rows_and_overlapping_ones_share_a_cell() {
        let zone: Tz = "Europe/Amsterdam".parse().expect("zone");
        let day = NaiveDate::from_ymd_opt(2026, 1, 13).expect("day");
        let worked = [crate::domain::scheduling::span("09:00", "12:00").expect("span")];
        // 09:00–09:45, and 10:00–11:00 with 10:30–10:45 booked over it (Amsterdam is UTC+1).
        let (a, b, c) = (
            appointment(1, "2026-01-13T08:00:00Z", "2026-01-13T08:45:00Z"),
            appointment(2, "2026-01-13T09:00:00Z", "2026-01-13T10:00:00Z"),
            appointment(3, "2026-01-13T09:30:00Z", "2026-01-13T09:45:00Z"),
        );
        let column = Column {
            day,
            worked: &worked,
            items: vec![&a, &b, &c],
        };
        assert_eq!(
            hours_shown(std::slice::from_ref(&column), zone),
            (480, 1080)
        );
        let cells = cells(&column, (8 * 60, 12 * 60), zone);
        assert_eq!(cells.len(), 16);
        assert_eq!(
            cells[0],
            Cell::Free {
                minute: 480,
                worked: false
            }
        );
        assert_eq!(
            cells[4],
            Cell::Taken {
                rows: 3,
                items: vec![&a]
            }
        );
        assert_eq!(cells[5], Cell::Covered);
        assert_eq!(
            cells[7],
            Cell::Free {
                minute: 585,
                worked: true
            }
        );
        assert_eq!(
            cells[8],
            Cell::Taken {
                rows: 4,
                items: vec![&b, &c]
            }
        );
        assert_eq!(
            cells[12],
            Cell::Free {
                minute: 720 - 60,
                worked: true
            }
        );
    }
}
