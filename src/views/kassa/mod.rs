//! The kassa's pages: the registers with their sessions (here), a session with its cash, its
//! receipts and its X or Z report, and a receipt (`receipt`): a draft being checked out, or a
//! finalized one laid out for an 80 mm printer or A4.

pub mod products;
pub mod receipt;
pub mod reports;

use crate::domain::ids::RegisterSessionId;
use crate::domain::kassa::session::{DENOMINATIONS, Report};
use crate::domain::kassa::{ReceiptRow, Register, RegisterSession};
pub use crate::domain::kassa::{method_word, rate_word};
use crate::domain::words::{Words, fill};
use crate::views::components::{csrf, empty_state};
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

/// A receipt's status in the reader's language.
pub fn status_word(w: &Words, status: &str) -> &'static str {
    match status {
        "final" => w.kassa_status_final,
        "void" => w.kassa_status_void,
        "training" => w.kassa_training,
        _ => w.kassa_draft,
    }
}

/// What the last check of the journals found: when, rows that held, problems.
pub type Check = Option<(String, i64, Vec<String>)>;

fn check_state(chrome: &Chrome, check: &Check, is_admin: bool) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="check-h" {
            h2 #check-h.visually-hidden { (w.kassa_check_now) }
            @match check {
                None => { p.muted { (w.kassa_check_never) } }
                Some((at, rows, problems)) if problems.is_empty() => {
                    p { span.badge.ok { "✓" } " " (fill(w.kassa_check_ok, &[("time", &chrome.time(at)), ("rows", &rows.to_string())])) }
                }
                Some((at, _, problems)) => {
                    div.flash.error role="alert" {
                        p { (fill(w.kassa_check_bad, &[("time", &chrome.time(at))])) }
                        ul { @for p in problems { li { (p) } } }
                    }
                }
            }
            @if is_admin {
                form method="post" action=(chrome.href("kassa/check")) { (csrf(chrome.csrf)) button.small type="submit" { (w.kassa_check_now) } }
            }
        }
    }
}

/// Registers, each with its open session or the form to open one; admins add registers and
/// products (`products`: shown to admins only).
pub fn registers(
    chrome: &Chrome,
    registers: &[Register],
    check: &Check,
    (is_admin, products, currency): (bool, &[crate::domain::kassa::Product], &str),
) -> Markup {
    let w = chrome.w();
    page(
        chrome,
        w.nav_kassa,
        html! {
            div.page-head { h1 { (w.kassa_registers) } }
            (check_state(chrome, check, is_admin))
            form.toolbar method="get" action=(chrome.href("kassa/find")) role="search" {
                label for="f-code" { (w.kassa_find_label) }
                input #f-code type="text" name="code" required autocomplete="off" size="10";
                button type="submit" { (w.kassa_find_go) }
            }
            @if registers.is_empty() { (empty_state(w.kassa_registers, w.kassa_no_register)) }
            div.cards {
                @for r in registers { (register_card(chrome, r, is_admin)) }
            }
            @if is_admin {
                (products::products(chrome, products, currency))
                section.panel aria-labelledby="reports-h" {
                    h2 #reports-h { (w.kassa_reports) }
                    p.muted { (w.kassa_reports_hint) }
                    p { a.button href=(chrome.href("kassa/reports")) { (w.kassa_reports) } }
                }
                section.panel aria-labelledby="export-h" {
                    h2 #export-h { (w.kassa_export) }
                    p.muted { (w.kassa_export_hint) }
                    form method="get" action=(chrome.href("kassa/export")) {
                        div.row3 {
                            div.field { label for="f-from" { (w.kassa_from) } input #f-from type="date" name="from" required; }
                            div.field { label for="f-to" { (w.kassa_to) } input #f-to type="date" name="to" required; }
                        }
                        button type="submit" name="what" value="lines" { (w.kassa_export_lines) }
                        " "
                        button type="submit" name="what" value="z" { (w.kassa_export_z) }
                    }
                }
                section.panel aria-labelledby="add-reg-h" {
                    h2 #add-reg-h { (w.kassa_add_register) }
                    form method="post" action=(chrome.href("kassa/registers")) {
                        (csrf(chrome.csrf))
                        div.field { label for="f-reg-name" { (w.kassa_name) } input #f-reg-name type="text" name="name" required maxlength="60"; }
                        button type="submit" { (w.kassa_add_register) }
                    }
                }
            }
        },
    )
}

/// A register's card: its open session (to it, a new checkout) or the form that opens one, its
/// training mode (switched by owners and admins).
fn register_card(chrome: &Chrome, r: &Register, is_admin: bool) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby={ "reg-" (r.id) } {
            h2 id={ "reg-" (r.id) } { (r.name) }
            @if r.training { (receipt::training_notice(chrome)) }
            @match r.open_session {
                Some(s) => {
                    p { span.badge.ok { "●" } " " a href=(chrome.href(&format!("kassa/sessions/{s}"))) { (w.kassa_to_session) } }
                    form method="post" action=(chrome.href(&format!("kassa/sessions/{s}/checkout"))) {
                        (csrf(chrome.csrf))
                        button.primary type="submit" { (w.kassa_new_checkout) }
                    }
                }
                None => {
                    p.muted { (w.kassa_is_closed) }
                    form method="post" action=(chrome.href(&format!("kassa/registers/{}/open", r.id))) {
                        (csrf(chrome.csrf))
                        div.field { label for={ "float-" (r.id) } { (w.kassa_float) } input id={ "float-" (r.id) } type="text" name="float" inputmode="decimal" required placeholder="100,00"; }
                        button.primary type="submit" { (w.kassa_open) }
                    }
                }
            }
            @if is_admin {
                form method="post" action=(chrome.href(&format!("kassa/registers/{}/training", r.id))) {
                    (csrf(chrome.csrf))
                    input type="hidden" name="on" value=(if r.training { "0" } else { "1" });
                    button type="submit" { @if r.training { (w.kassa_training_stop) } @else { (w.kassa_training_start) } }
                }
            }
        }
    }
}

/// What a session's page shows.
pub struct SessionPage<'a> {
    pub register: &'a Register,
    pub session: &'a RegisterSession,
    /// The X report while it is open, the Z report once closed.
    pub report: &'a Report,
    pub receipts: &'a [ReceiptRow],
    pub currency: &'a str,
    /// Whether the cash expected is shown: not beside an open session's blind count (the X
    /// report has its own page).
    pub show_expected: bool,
}

/// A report's figures: sales and returns, per method and rate, cash, counts, grand totals.
pub fn report(chrome: &Chrome, r: &Report, currency: &str, show_expected: bool) -> Markup {
    let w = chrome.w();
    let m = |cents: i64| chrome.money(cents, currency);
    html! {
        dl.details.report {
            @if let (Some(a), Some(b)) = (r.first_number, r.last_number) {
                dt { (w.kassa_receipts) } dd { (fill(w.kassa_numbers, &[("first", &a.to_string()), ("last", &b.to_string())])) }
            }
            dt { (w.kassa_sales) } dd.num { (m(r.sales)) }
            dt { (w.kassa_returns) } dd.num { (m(r.returns)) }
            dt { (w.kassa_discounts) } dd.num { (m(r.discounts)) }
            dt { (w.kassa_tips) } dd.num { (m(r.tips)) }
            dt { (w.kassa_rounding) } dd.num { (m(r.rounding)) }
        }
        p.muted { (fill(w.kassa_counts, &[("receipts", &r.receipts.to_string()), ("credits", &r.credit_receipts.to_string()), ("no_sales", &r.no_sales.to_string()), ("voided", &r.voided_drafts.to_string())])) }
        h3 { (w.kassa_per_method) }
        table.list { tbody { @for (method, amount) in &r.per_method { tr { th scope="row" { (method_word(w, method)) } td.num { (m(*amount)) } } } } }
        h3 { (w.kassa_per_rate) }
        (rate_table(chrome, &r.per_rate, currency))
        @if show_expected {
        h3 { (w.kassa_expected) }
        dl.details.report {
            dt { (w.kassa_float_was) } dd.num { (m(r.float)) }
            dt { (w.kassa_cash_in) } dd.num { (m(r.cash_in)) }
            dt { (w.kassa_cash_out) } dd.num { (m(r.cash_out)) }
            dt { (w.kassa_expected) } dd.num { strong { (m(r.expected_cash)) } }
            @if let Some(c) = r.counted_cash { dt { (w.kassa_counted) } dd.num { (m(c)) } }
            @if let Some(v) = r.variance { dt { (w.kassa_variance) } dd.num { strong { (m(v)) } } }
        }
        }
        h3 { (w.kassa_grand) }
        dl.details.report {
            dt { (w.kassa_sales) } dd.num { (m(r.grand_totals.sales)) }
            dt { (w.kassa_returns) } dd.num { (m(r.grand_totals.returns)) }
        }
    }
}

/// Net, VAT and gross per rate.
pub fn rate_table(
    chrome: &Chrome,
    rates: &[crate::domain::kassa::receipt::RateTotal],
    currency: &str,
) -> Markup {
    let w = chrome.w();
    let m = |cents: i64| chrome.money(cents, currency);
    html! {
        table.list {
            thead { tr { th scope="col" { (w.kassa_rate) } th.num scope="col" { (w.kassa_net) } th.num scope="col" { (w.kassa_vat) } th.num scope="col" { (w.kassa_gross) } } }
            tbody { @for t in rates { tr { th scope="row" { (rate_word(w, &t.code, t.basis_points)) } td.num { (m(t.net)) } td.num { (m(t.vat)) } td.num { (m(t.gross)) } } } }
        }
    }
}

fn cash_forms(chrome: &Chrome, id: RegisterSessionId) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="cash-h" {
            h2 #cash-h { (w.kassa_cash_move) }
            form method="post" action=(chrome.href(&format!("kassa/sessions/{id}/cash"))) {
                (csrf(chrome.csrf))
                div.row3 {
                    div.field { label for="f-amount" { (w.kassa_amount) } input #f-amount type="text" name="amount" inputmode="decimal" required; }
                    div.field { label for="f-reason" { (w.kassa_reason) } input #f-reason type="text" name="reason" required maxlength="200"; }
                }
                button type="submit" { (w.kassa_note) }
            }
            form method="post" action=(chrome.href(&format!("kassa/sessions/{id}/drawer"))) {
                (csrf(chrome.csrf))
                button type="submit" { (w.kassa_no_sale) }
            }
        }
        section.panel aria-labelledby="close-h" {
            h2 #close-h { (w.kassa_close) }
            p.muted { (w.kassa_count_hint) }
            form method="post" action=(chrome.href(&format!("kassa/sessions/{id}/close"))) {
                (csrf(chrome.csrf))
                div.count-grid {
                    @for d in DENOMINATIONS {
                        div.field {
                            label for={ "n-" (d) } { (chrome.money(d, "EUR")) }
                            input id={ "n-" (d) } type="number" name={ "n" (d) } min="0" max="100000" value="0" inputmode="numeric";
                        }
                    }
                }
                button.danger type="submit" { (w.kassa_close) }
            }
        }
    }
}

pub fn session_page(chrome: &Chrome, m: &SessionPage) -> Markup {
    let w = chrome.w();
    let s = m.session;
    let open = s.closed_at.is_none();
    let title = fill(w.kassa_session, &[("register", &m.register.name)]);
    page(
        chrome,
        &title,
        html! {
            div.page-head {
                h1 { (title) }
                div.actions {
                    @if open {
                        form.inline method="post" action=(chrome.href(&format!("kassa/sessions/{}/checkout", s.id))) {
                            (csrf(chrome.csrf))
                            button.primary type="submit" { (w.kassa_new_checkout) }
                        }
                    }
                    a.button href=(chrome.href("kassa")) { (w.kassa_registers) }
                }
            }
            @if open && m.register.training { (receipt::training_notice(chrome)) }
            p.muted { (fill(w.kassa_is_open, &[("time", &chrome.time(&s.opened_at))])) }
            div.split {
                section.panel aria-labelledby="report-h" {
                    h2 #report-h { @if open { (w.kassa_x_report) } @else { (w.kassa_z_report) } }
                    (report(chrome, m.report, m.currency, m.show_expected))
                    @if open && !m.show_expected { p { a href=(chrome.href(&format!("kassa/sessions/{}/x", s.id))) { (w.kassa_x_full) } } }
                }
                section.panel aria-labelledby="receipts-h" {
                    h2 #receipts-h { (w.kassa_receipts) }
                    table.list { tbody {
                        @for r in m.receipts {
                            tr {
                                td { a href=(chrome.href(&format!("kassa/receipts/{}", r.id))) {
                                    @match r.number { Some(n) => { (fill(w.kassa_receipt, &[("number", &n.to_string())])) } None => { (w.kassa_draft) " #" (r.id) } }
                                } }
                                td { (status_word(w, &r.status)) }
                                td.num { (chrome.money(r.total, m.currency)) }
                            }
                        }
                    } }
                }
            }
            @if open && !m.show_expected { (cash_forms(chrome, s.id)) }
        },
    )
}
