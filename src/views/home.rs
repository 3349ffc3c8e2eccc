//! The start page after signing in: the dashboard, and what is left to set up.

use crate::domain::dashboard::{Figures, OwnerFigures};
use crate::domain::period::Period;
use crate::domain::words::fill;
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
    html! { div.stat { p.label { (label) } p.value title=(value) { (value) } @if let Some(n) = note { p.muted.small { (n) } } } }
}

/// A figure that opens the list of what it counts.
fn stat_link(label: &str, value: String, note: Option<String>, href: String) -> Markup {
    html! { a.stat href=(href) { p.label { (label) } p.value title=(value) { (value) } @if let Some(n) = note { p.muted.small { (n) } } } }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("—".into(), |r| format!("{r:.0} %"))
}

/// A bar's label in short: 850, 1.2k, 45k, 1.3M (with the language's decimal sign).
fn short_amount(lang: crate::domain::words::Lang, minor: i64) -> String {
    let (_, decimal) = crate::domain::format::separators(lang);
    let whole = minor as f64 / 100.0;
    let text = if whole >= 1_000_000.0 {
        format!("{:.1}M", whole / 1_000_000.0)
    } else if whole >= 10_000.0 {
        format!("{:.0}k", whole / 1000.0)
    } else if whole >= 1000.0 {
        format!("{:.1}k", whole / 1000.0)
    } else {
        format!("{whole:.0}")
    };
    text.replace('.', &decimal.to_string())
}

pub fn home(chrome: &Chrome, m: &Home) -> Markup {
    let w = chrome.w();
    // Tiles show whole units; the owners' table has the cents.
    let money = |v: i64| crate::domain::format::money_whole(chrome.lang, v, m.currency);
    let count = |n: i64| chrome.count(n);
    let short = |v: i64| short_amount(chrome.lang, v);
    let f = m.figures;
    page(
        chrome,
        w.nav_home,
        html! {
            div.page-head {
                h1 { @if m.user_name.is_empty() { (w.welcome) } @else { (fill(w.welcome_name, &[("name", m.user_name)])) } }
                form.period method="get" action=(chrome.href("")) {
                    label for="period" { (w.period) }
                    select #period name="period" { @for p in Period::ALL { option value=(p.key()) selected[p == m.period] { (p.label(w)) } } }
                    button.small type="submit" { (w.show) }
                }
            }
            @if m.steps.iter().any(|(_, _, done)| !done) {
                section.panel aria-labelledby="setup-h" {
                    div.panel-head {
                        h2 #setup-h { (w.setup_title) }
                        (crate::views::components::post_button(&chrome.href("checklist/hide"), chrome.csrf, w.hide_list, "small", None))
                    }
                    ol.checklist { @for (label, href, done) in &m.steps {
                        li.done[*done] {
                            span.check aria-hidden="true" { @if *done { "✓" } @else { "○" } }
                            a href=(href) { (label) }
                            @if *done { span.visually-hidden { " " (w.done_mark) } }
                        }
                    } }
                }
            }
            section.stats aria-label=(fill(w.figures_for, &[("period", &m.period.label(w).to_lowercase())])) {
                @if m.deals {
                    (stat(w.win_rate, percent(f.win_rate()), Some(fill(w.won_lost, &[("won", &count(f.won)), ("lost", &count(f.lost))]))))
                    (stat(w.won, money(f.won_value), None))
                    (stat_link(w.open_pipeline, money(f.open_value), Some(fill(w.weighted, &[("value", &money(f.weighted_value))])), chrome.href("deals?status=open")))
                }
                (stat(w.new_leads, count(f.new_leads), Some(fill(w.new_contacts, &[("n", &count(f.new_contacts))]))))
                (stat_link(w.customers, count(f.customers), None, chrome.href("contacts?lifecycle=customer")))
                @if m.tasks {
                    (stat(w.due_this_week, count(f.tasks_due), None))
                    (stat_link(w.overdue, count(f.tasks_overdue), None, chrome.href("tasks?status=open&due=overdue&sort=due_at")))
                }
            }
            @if m.deals {
                div.split {
                    section.panel { (bars(w.no_data_in_period, "stages", w.chart_stages, &m.by_stage.iter().map(|(s, _, v)| (s.clone(), *v)).collect::<Vec<_>>(), short)) }
                    section.panel { (bars(w.no_data_in_period, "months", w.chart_months, &m.by_month.iter().map(|(mo, v)| (crate::domain::format::month(chrome.lang, mo), *v)).collect::<Vec<_>>(), short)) }
                }
                section.panel aria-labelledby="owners-h" {
                    h2 #owners-h { (w.by_owner) }
                    @if m.owners.is_empty() { p.muted { (w.no_deals_in_period) } } @else {
                        div.table-wrap tabindex="0" { table {
                            thead { tr { th scope="col" { (w.owner) } th scope="col" { (w.won) } th scope="col" { (w.lost) } th scope="col" { (w.win_rate) } th scope="col" { (w.won_value) } th scope="col" { (w.open_value) } } }
                            tbody { @for (name, o) in m.owners { tr {
                                td { (name) } td { (count(o.won)) } td { (count(o.lost)) }
                                td { (percent(o.win_rate())) }
                                td.num { (chrome.money(o.won_value, m.currency)) } td.num { (chrome.money(o.open_value, m.currency)) }
                            } } }
                        } }
                    }
                }
            }
        },
    )
}
