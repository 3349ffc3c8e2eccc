//! The month: a week a row, each day with how many appointments start on it, a link to it.

use super::{CalQuery, View};
use crate::domain::ids::UserId;
use crate::domain::words::fill;
use crate::views::layout::{Chrome, page};
use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

pub struct MonthPage<'a> {
    pub query: CalQuery,
    pub days: Vec<NaiveDate>,
    pub counts: &'a [(NaiveDate, i64)],
    pub staff: &'a [(UserId, String)],
    pub services: &'a [crate::domain::scheduling::Service],
}

pub fn month(chrome: &Chrome, m: &MonthPage) -> Markup {
    let w = chrome.w();
    let names: Vec<&str> = w.weekdays.split(' ').collect();
    let today = crate::domain::local_time::today(chrome.now, chrome.zone);
    page(
        chrome,
        w.nav_calendar,
        html! {
            (super::head(chrome, &m.query, (m.staff, m.services, false), &m.days))
            table.month {
                caption.visually-hidden { (w.cal_month) }
                thead { tr { @for n in &names { th scope="col" { (n) } } } }
                tbody {
                    @for week in m.days.chunks(7) {
                        tr { @for day in week {
                            @let n = m.counts.iter().find(|(d, _)| d == day).map_or(0, |(_, n)| *n);
                            @let other = day.month() != m.query.date.month();
                            td.other[other].today[*day == today] {
                                a href=(m.query.href(chrome, View::Day, *day)) {
                                    span.date { (day.day()) }
                                    @if n > 0 {
                                        span.tally { (if n == 1 { w.cal_count_one.to_string() } else { fill(w.cal_count, &[("n", &chrome.count(n))]) }) }
                                    }
                                }
                            }
                        } }
                    }
                }
            }
        },
    )
}
