//! The revenue of a period: per day, per person, per service and per product.

use crate::domain::format::weekday_date;
use crate::domain::kassa::Revenue;
use crate::views::layout::{Chrome, page};
use chrono::NaiveDate;
use maud::{Markup, html};

fn table(chrome: &Chrome, title: &str, rows: &[(String, i64, i64)], currency: &str) -> Markup {
    let w = chrome.w();
    html! {
        section.panel {
            h2 { (title) }
            table.list {
                thead { tr { th scope="col" { (title) } th.num scope="col" { (w.kassa_count) } th.num scope="col" { (w.kassa_amount_col) } } }
                tbody { @for (name, n, amount) in rows { tr { th scope="row" { (name) } td.num { (n) } td.num { (chrome.money(*amount, currency)) } } } }
            }
        }
    }
}

pub fn revenue(
    chrome: &Chrome,
    r: &Revenue,
    (from, to): (NaiveDate, NaiveDate),
    currency: &str,
) -> Markup {
    let w = chrome.w();
    let days: Vec<(String, i64, i64)> = r
        .per_day
        .iter()
        .map(|(d, n, a)| (weekday_date(chrome.lang, *d), *n, *a))
        .collect();
    page(
        chrome,
        w.kassa_reports,
        html! {
            div.page-head { h1 { (w.kassa_reports) } }
            form.toolbar method="get" action=(chrome.href("kassa/reports")) {
                label for="r-from" { (w.kassa_from) } input #r-from type="date" name="from" value=(from.to_string()) required;
                label for="r-to" { (w.kassa_to) } input #r-to type="date" name="to" value=(to.to_string()) required;
                button type="submit" { (w.kassa_show) }
            }
            div.cards {
                (table(chrome, w.kassa_per_day, &days, currency))
                (table(chrome, w.kassa_per_staff, &r.per_staff, currency))
                (table(chrome, w.kassa_per_service, &r.per_service, currency))
                (table(chrome, w.kassa_per_product, &r.per_product, currency))
            }
        },
    )
}
