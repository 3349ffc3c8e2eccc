//! An appointment's history on its page: each change with when and by whom, in the reader's
//! language and zone.

use crate::domain::scheduling::history::{By, Change, HistoryLine};
use crate::domain::words::fill;
use crate::views::layout::Chrome;
use maud::{Markup, html};

fn what(chrome: &Chrome, change: &Change) -> String {
    let w = chrome.w();
    match change {
        Change::Booked { starts_at, online } => fill(
            if *online {
                w.hist_booked_online
            } else {
                w.hist_booked
            },
            &[("when", &chrome.time(starts_at))],
        ),
        Change::Moved {
            starts_at,
            ends_at: Some(end),
        } => fill(
            w.hist_moved_until,
            &[
                ("when", &chrome.time(starts_at)),
                ("end", &chrome.time(end)),
            ],
        ),
        Change::Moved { starts_at, .. } => fill(w.hist_moved, &[("when", &chrome.time(starts_at))]),
        Change::Status(s) => fill(
            w.hist_status,
            &[("status", w.choice("appointment", s.as_str()))],
        ),
        Change::Reminded => w.hist_reminded.to_string(),
        Change::Other(text) => text.clone(),
    }
}

pub fn history(chrome: &Chrome, lines: &[HistoryLine]) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="history-h" {
            h2 #history-h { (w.appt_history) }
            ol.history {
                @for l in lines {
                    li {
                        span.muted.small { (chrome.time(&l.at)) " · " }
                        (what(chrome, &l.change))
                        span.muted.small { " · " @match &l.by {
                            By::Person(name) => (name),
                            By::Client => (w.hist_by_client),
                            By::System => (w.hist_by_system),
                        } }
                    }
                }
            }
        }
    }
}
