//! The start page after signing in: the dashboard, and what is left to set up.

use crate::domain::dashboard::{Figures, OwnerFigures};
use crate::domain::format;
use crate::domain::period::Period;
use crate::views::charts::bars;
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

pub struct Home<'a> {
    /// The user's name, if they gave one.
    pub user_name: &'a str,
    /// Set-up steps: label, where to do it, done. Shown while any is open, unless hidden.
    pub steps: Vec<(&'static str, String, bool)>,
    pub period: Period,
    pub figures: &'a Figures,
    pub deals: bool,
    pub tasks: bool,
    pub currency: &'a str,
    pub by_stage: &'a [(String, i64, i64)],
    pub by_month: &'a [(String, i64)],
    /// Owner's name and figures.
    pub owners: &'a [(String, OwnerFigures)],
}

fn stat(label: &str, value: String, note: Option<String>) -> Markup {
    html! { div.stat { p.label { (label) } p.value { (value) } @if let Some(n) = note { p.muted.small { (n) } } } }
}

/// A figure that opens the list of what it counts.
fn stat_link(label: &str, value: String, note: Option<String>, href: String) -> Markup {
    html! { a.stat href=(href) { p.label { (label) } p.value { (value) } @if let Some(n) = note { p.muted.small { (n) } } } }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("—".into(), |r| format!("{r:.0} %"))
}

pub fn home(chrome: &Chrome, m: &Home) -> Markup {
    let money = |v: i64| format::money(v, m.currency);
    let short = |v: i64| {
        let whole = v as f64 / 100.0;
        if whole >= 1_000_000.0 {
            format!("{:.1}M", whole / 1_000_000.0)
        } else if whole >= 1000.0 {
            format!("{:.0}k", whole / 1000.0)
        } else {
            format!("{whole:.0}")
        }
    };
    let f = m.figures;
    page(
        chrome,
        "Home",
        html! {
            div.page-head {
                h1 { "Welcome" @if !m.user_name.is_empty() { ", " (m.user_name) } }
                form.period method="get" action=(chrome.href("")) {
                    label for="period" { "Period" }
                    select #period name="period" { @for p in Period::ALL { option value=(p.key()) selected[p == m.period] { (p.label()) } } }
                    button.small type="submit" { "Show" }
                }
            }
            @if m.steps.iter().any(|(_, _, done)| !done) {
                section.panel aria-labelledby="setup-h" {
                    div.panel-head {
                        h2 #setup-h { "Set up your workspace" }
                        (crate::views::components::post_button(&chrome.href("checklist/hide"), chrome.csrf, "Hide this list", "small", None))
                    }
                    ol.checklist { @for (label, href, done) in &m.steps {
                        li.done[*done] {
                            span.check aria-hidden="true" { @if *done { "✓" } @else { "○" } }
                            a href=(href) { (label) }
                            @if *done { span.visually-hidden { " (done)" } }
                        }
                    } }
                }
            }
            section.stats aria-label={"Figures, " (m.period.label().to_lowercase())} {
                @if m.deals {
                    (stat("Win rate", percent(f.win_rate()), Some(format!("{} won, {} lost", format::count(f.won), format::count(f.lost)))))
                    (stat("Won", money(f.won_value), None))
                    (stat_link("Open pipeline", money(f.open_value), Some(format!("weighted {}", money(f.weighted_value))), chrome.href("deals?status=open")))
                }
                (stat("New leads", format::count(f.new_leads), Some(format!("{} new contacts", format::count(f.new_contacts)))))
                (stat_link("Customers", format::count(f.customers), None, chrome.href("contacts?lifecycle=customer")))
                @if m.tasks {
                    (stat("Due this week", format::count(f.tasks_due), None))
                    (stat_link("Overdue", format::count(f.tasks_overdue), None, chrome.href("tasks?status=open&due=overdue&sort=due_at")))
                }
            }
            @if m.deals {
                div.split {
                    section.panel { (bars("stages", "Open deals by stage (value)", &m.by_stage.iter().map(|(s, _, v)| (s.clone(), *v)).collect::<Vec<_>>(), short)) }
                    section.panel { (bars("months", "Won per month", &m.by_month.iter().map(|(mo, v)| (format::month(mo), *v)).collect::<Vec<_>>(), short)) }
                }
                section.panel aria-labelledby="owners-h" {
                    h2 #owners-h { "By owner" }
                    @if m.owners.is_empty() { p.muted { "No deals in this period." } } @else {
                        div.table-wrap tabindex="0" { table {
                            thead { tr { th scope="col" { "Owner" } th scope="col" { "Won" } th scope="col" { "Lost" } th scope="col" { "Win rate" } th scope="col" { "Won value" } th scope="col" { "Open value" } } }
                            tbody { @for (name, o) in m.owners { tr {
                                td { (name) } td { (o.won) } td { (o.lost) }
                                td { (percent(o.win_rate())) }
                                td.num { (money(o.won_value)) } td.num { (money(o.open_value)) }
                            } } }
                        } }
                    }
                }
            }
        },
    )
}
