//! The products sold at the register, for owners and admins: each with its price and whether
//! it is sold (a new price goes into the journals), and the form to add one.

use crate::domain::kassa::Product;
use crate::domain::money::amount_input;
use crate::views::components::csrf;
use crate::views::layout::Chrome;
use maud::{Markup, html};

fn kind_word(w: &crate::domain::words::Words, kind: &str) -> &'static str {
    match kind {
        "package" => w.kassa_kind_package,
        "gift_card" => w.kassa_kind_gift_card,
        _ => w.kassa_kind_retail,
    }
}

pub fn products(chrome: &Chrome, products: &[Product], currency: &str) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="products-h" {
            h2 #products-h { (w.kassa_products) }
            table.list {
                thead { tr {
                    th scope="col" { (w.kassa_name) } th scope="col" { (w.kassa_sku) } th scope="col" { (w.kassa_kind) }
                    th scope="col" { (w.kassa_price) } th scope="col" { (w.kassa_sold) } th scope="col" { span.visually-hidden { (w.kassa_save) } }
                } }
                tbody { @for p in products {
                    @let form = format!("product-{}", p.id);
                    tr {
                        th scope="row" { (p.name) }
                        td { (p.sku.clone().unwrap_or_default()) }
                        td { (kind_word(w, &p.kind)) }
                        td { label.visually-hidden for={ "price-" (p.id) } { (w.kassa_price) " " (p.name) } input id={ "price-" (p.id) } form=(form) type="text" name="price" inputmode="decimal" value=(amount_input(chrome.lang, p.price, currency)) size="7"; }
                        td { label.visually-hidden for={ "active-" (p.id) } { (w.kassa_sold) " " (p.name) } input id={ "active-" (p.id) } form=(form) type="checkbox" name="active" value="1" checked[p.active]; }
                        td { form id=(form) method="post" action=(chrome.href(&format!("kassa/products/{}", p.id))) { (csrf(chrome.csrf)) button.small type="submit" { (w.kassa_save) } } }
                    }
                } }
            }
            h3 { (w.kassa_add_product_h) }
            form method="post" action=(chrome.href("kassa/products")) {
                (csrf(chrome.csrf))
                div.row3 {
                    div.field { label for="p-name" { (w.kassa_name) } input #p-name type="text" name="name" required maxlength="120"; }
                    div.field { label for="p-sku" { (w.kassa_sku) } input #p-sku type="text" name="sku" maxlength="60"; }
                    div.field { label for="p-kind" { (w.kassa_kind) } select #p-kind name="kind" { @for k in ["retail", "package", "gift_card"] { option value=(k) { (kind_word(w, k)) } } } }
                    div.field { label for="p-price" { (w.kassa_price) } input #p-price type="text" name="price" inputmode="decimal" required placeholder="12,95"; }
                    div.field { label for="p-vat" { (w.kassa_vat) } select #p-vat name="vat_code" { option value="high" { "21 %" } option value="low" { "9 %" } option value="zero" { "0 %" } option value="exempt" { (w.kassa_outside_vat) } } }
                    div.field { label for="p-stock" { (w.kassa_stock) } input #p-stock type="number" name="stock" min="0"; }
                }
                button type="submit" { (w.kassa_add_product_h) }
            }
        }
    }
}
