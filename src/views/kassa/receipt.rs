//! A receipt's page: a draft being checked out (its lines, forms to add a product by name or
//! SKU, a service, a free line or a tip, a discount, and the payment with the total shown
//! big), or a finalized receipt laid out to print on an 80 mm roll or A4 (`print` styles).

use super::{method_word, rate_table};
use crate::domain::kassa::receipt::{Discount, Totals};
use crate::domain::kassa::{Method, Product, Receipt, ReceiptStatus};
use crate::domain::scheduling::Service;
use crate::domain::words::fill;
use crate::views::components::{csrf, form_error};
use crate::views::layout::{Chrome, page};
use crate::views::qr::qr;
use maud::{Markup, html};

pub struct ReceiptPage<'a> {
    pub receipt: &'a Receipt,
    /// A draft's figures as they stand (none while it has no lines).
    pub totals: Option<&'a Totals>,
    pub register: &'a str,
    pub contact: Option<&'a str>,
    /// The contact's mail address, to mail the receipt to.
    pub email: Option<&'a str>,
    pub products: &'a [Product],
    pub services: &'a [Service],
    pub currency: &'a str,
    /// The number of the receipt a credit receipt pays back.
    pub credit_of: Option<i64>,
    pub error: Option<&'a str>,
    /// The address that finds a finalized receipt by its code (in the QR code).
    pub find_url: Option<&'a str>,
}

/// The notice a practice receipt carries, on screen and on paper.
pub fn training_notice(chrome: &Chrome) -> Markup {
    let w = chrome.w();
    html! { p.flash.warn.training role="note" { strong { (w.kassa_training) } " · " (w.kassa_training_hint) } }
}

fn lines_table(chrome: &Chrome, m: &ReceiptPage, editable: bool) -> Markup {
    let w = chrome.w();
    let money = |c: i64| chrome.money(c, m.currency);
    let shown = m.totals.map(|t| &t.lines);
    let action = |pos: usize| {
        chrome.href(&format!(
            "kassa/receipts/{}/lines/{pos}/remove",
            m.receipt.id
        ))
    };
    html! {
        table.list.receipt-lines {
            thead { tr {
                th scope="col" { (w.kassa_description) } th.num scope="col" { (w.kassa_qty) }
                th.num scope="col" { (w.kassa_price) } th.num scope="col" { (w.kassa_total) }
                @if editable { th scope="col" { span.visually-hidden { (w.kassa_remove) } } }
            } }
            tbody {
                @for (i, l) in m.receipt.lines.iter().enumerate() {
                    @let gross = match shown { Some(ls) => ls.get(i).map_or(l.gross, |x| x.gross), None => l.gross };
                    tr {
                        td { (l.description) @if let Discount::Percent(bp) = l.line_discount { " " span.muted.small { "−" (bp / 100) " %" } } @if let Discount::Amount(a) = l.line_discount { " " span.muted.small { "−" (chrome.money(a, m.currency)) } } }
                        td.num { (l.quantity) }
                        td.num { (money(l.unit_price)) }
                        td.num { (money(gross)) }
                        @if editable {
                            td { form.inline method="post" action=(action(i)) { (csrf(chrome.csrf)) button.small type="submit" aria-label=(fill(w.kassa_remove_line, &[("n", &(i + 1).to_string())])) { "×" } } }
                        }
                    }
                }
            }
        }
    }
}

fn add_forms(chrome: &Chrome, m: &ReceiptPage) -> Markup {
    let w = chrome.w();
    let to = chrome.href(&format!("kassa/receipts/{}/lines", m.receipt.id));
    html! {
        div.add-lines {
            form method="post" action=(to) {
                (csrf(chrome.csrf)) input type="hidden" name="kind" value="product";
                div.row3 {
                    div.field { label for="f-product" { (w.kassa_add_product) } input #f-product type="text" name="product" list="products" required autocomplete="off" autofocus; }
                    div.field { label for="f-pqty" { (w.kassa_qty) } input #f-pqty type="number" name="quantity" min="1" max="10000" value="1"; }
                    div.field { label for="f-pdisc" { (w.kassa_discount_pct) } input #f-pdisc type="number" name="discount_percent" min="0" max="100" value="0"; }
                }
                datalist #products { @for p in m.products.iter().filter(|p| p.active).take(500) { option value=(p.sku.clone().unwrap_or_else(|| p.name.clone())) { (p.name) } } }
                button type="submit" { (w.kassa_add) }
            }
            @if !m.services.is_empty() {
                form method="post" action=(to) {
                    (csrf(chrome.csrf)) input type="hidden" name="kind" value="service";
                    div.field { label for="f-service" { (w.kassa_add_service) } select #f-service name="service_id" { @for s in m.services { option value=(s.id) { (s.name) " · " (chrome.money(s.price, m.currency)) } } } }
                    button type="submit" { (w.kassa_add) }
                }
            }
            form method="post" action=(to) {
                (csrf(chrome.csrf)) input type="hidden" name="kind" value="free";
                div.row3 {
                    div.field { label for="f-desc" { (w.kassa_description) } input #f-desc type="text" name="description" required maxlength="200"; }
                    div.field { label for="f-fprice" { (w.kassa_price) } input #f-fprice type="text" name="unit_price" inputmode="decimal" required placeholder="10,00"; }
                    div.field { label for="f-fvat" { (w.kassa_vat) } select #f-fvat name="vat_code" { option value="high" { "21 %" } option value="low" { "9 %" } option value="zero" { "0 %" } option value="exempt" { (w.kassa_outside_vat) } } }
                }
                button type="submit" { (w.kassa_add) }
            }
            form method="post" action=(to) {
                (csrf(chrome.csrf)) input type="hidden" name="kind" value="tip";
                div.field { label for="f-tip" { (w.kassa_add_tip) } input #f-tip type="text" name="unit_price" inputmode="decimal" required placeholder="5,00"; }
                button type="submit" { (w.kassa_add) }
            }
            form method="post" action=(chrome.href(&format!("kassa/receipts/{}/discount", m.receipt.id))) {
                (csrf(chrome.csrf))
                @let pct = match m.receipt.discount { Discount::Percent(bp) => bp / 100, _ => 0 };
                div.field { label for="f-rdisc" { (w.kassa_receipt_discount) } input #f-rdisc type="number" name="percent" min="0" max="100" value=(pct); }
                button type="submit" { (w.kassa_apply) }
            }
        }
    }
}

fn pay_form(chrome: &Chrome, m: &ReceiptPage, total: i64) -> Markup {
    let w = chrome.w();
    html! {
        section.panel.pay aria-labelledby="pay-h" {
            h2 #pay-h { (w.kassa_pay) }
            p.big-total { (w.kassa_total) " " strong data-total=(total) { (chrome.money(total, m.currency)) } }
            form method="post" action=(chrome.href(&format!("kassa/receipts/{}/pay", m.receipt.id))) {
                (csrf(chrome.csrf))
                div.row3 {
                    div.field { label for="f-card" { (w.kassa_card) } input #f-card type="text" name="card" inputmode="decimal" placeholder="0,00"; }
                    div.field { label for="f-cash" { (w.kassa_cash_given) } input #f-cash type="text" name="cash" inputmode="decimal" placeholder="0,00"; }
                    div.field { label for="f-transfer" { (w.kassa_transfer) } input #f-transfer type="text" name="bank_transfer" inputmode="decimal" placeholder="0,00"; }
                    div.field { label for="f-gift" { (w.kassa_gift_code) } input #f-gift type="text" name="gift_card_code" autocomplete="off" placeholder="GC-…"; }
                    div.field { label for="f-gift-amount" { (w.kassa_gift_amount) } input #f-gift-amount type="text" name="gift_card" inputmode="decimal" placeholder="0,00"; }
                }
                button.primary type="submit" { (w.kassa_pay) }
            }
            form method="post" action=(chrome.href(&format!("kassa/receipts/{}/void", m.receipt.id))) {
                (csrf(chrome.csrf))
                button.danger.small type="submit" { (w.kassa_void_draft) }
            }
        }
    }
}

/// A finalized (or void) receipt, as it prints.
fn printed(chrome: &Chrome, m: &ReceiptPage) -> Markup {
    let w = chrome.w();
    let r = m.receipt;
    let money = |c: i64| chrome.money(c, m.currency);
    html! {
        article.printed-receipt aria-labelledby="receipt-h" {
            @if r.training { (training_notice(chrome)) }
            h2 #receipt-h { (chrome.account_name) }
            p { (m.register) " · " @match r.number { Some(n) => { (fill(w.kassa_receipt, &[("number", &n.to_string())])) } None if r.training => { (w.kassa_training) } None => { (w.kassa_status_void) } } }
            @if let Some(n) = m.credit_of { p { strong { (fill(w.kassa_credit_of, &[("number", &n.to_string())])) } } }
            @if let Some(at) = &r.finalized_at { p.muted { (chrome.time(at)) } }
            @if let Some(code) = r.code() {
                p { (fill(w.kassa_code, &[("code", &code)])) }
                @if let Some(url) = m.find_url { div.receipt-qr { (qr(url, &fill(w.kassa_code, &[("code", &code)]))) } }
            }
            @if let Some(name) = m.contact { p { (fill(w.kassa_receipt_for, &[("name", name)])) } }
            (lines_table(chrome, m, false))
            p.big-total { (w.kassa_total) " " strong { (money(r.total)) } }
            table.list { tbody {
                @for p in &r.payments { tr { th scope="row" { (method_word(w, p.method.as_str())) } td.num { (money(if p.method == Method::Cash { p.tendered } else { p.amount })) } } }
                @if r.rounding != 0 { tr { th scope="row" { (w.kassa_rounding) } td.num { (money(r.rounding)) } } }
                @if r.change != 0 { tr.change { th scope="row" { (w.kassa_change) } td.num { strong { (money(r.change)) } } } }
            } }
            (rate_table(chrome, &r.per_rate, m.currency))
            @for code in &r.gift_cards { p.gift-card { strong { (fill(w.kassa_gift_issued, &[("code", code)])) } } }
            p.muted.small { (w.kassa_vat_included) " " (w.kassa_thanks) }
            @if r.training { (training_notice(chrome)) }
        }
        p.no-print { button.js-only type="button" data-print="" { (w.kassa_print) } }
        @if let (Some(email), ReceiptStatus::Final) = (m.email, r.status) {
            form.no-print method="post" action=(chrome.href(&format!("kassa/receipts/{}/mail", r.id))) {
                (csrf(chrome.csrf))
                button type="submit" { (fill(w.kassa_mail, &[("email", email)])) }
            }
        }
    }
}

pub fn receipt_page(chrome: &Chrome, m: &ReceiptPage) -> Markup {
    let w = chrome.w();
    let r = m.receipt;
    let title = match r.number {
        Some(n) => fill(w.kassa_receipt, &[("number", &n.to_string())]),
        None if r.training && r.status != ReceiptStatus::Draft => w.kassa_training.to_string(),
        None => w.kassa_checkout.to_string(),
    };
    page(
        chrome,
        &title,
        html! {
            div.page-head.no-print {
                h1 { (title) }
                div.actions { a.button href=(chrome.href(&format!("kassa/sessions/{}", r.session_id))) { (w.kassa_to_session) } }
            }
            (form_error(m.error))
            @if r.status == ReceiptStatus::Draft {
                @if r.training { (training_notice(chrome)) }
                @if let Some(name) = m.contact { p { (fill(w.kassa_receipt_for, &[("name", name)])) } }
                div.split.checkout {
                    section.panel aria-labelledby="lines-h" {
                        h2 #lines-h { (w.kassa_checkout) }
                        @if r.lines.is_empty() { p.muted { (w.kassa_empty) } } @else { (lines_table(chrome, m, true)) }
                        @if r.credit_of.is_none() { (add_forms(chrome, m)) }
                    }
                    @if let Some(t) = m.totals { (pay_form(chrome, m, t.total)) }
                }
            } @else {
                (printed(chrome, m))
            }
        },
    )
}
