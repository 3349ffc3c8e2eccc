//! A checkout's forms: lines added (a product by name or SKU, a service, a free line, a tip)
//! and removed, a discount on the whole, the payment that finalizes it, a void; and the
//! receipt's page.

use super::{amount, back};
use crate::app::kassa::DraftLine;
use crate::domain::ids::{ReceiptId, ServiceId};
use crate::domain::kassa::Method;
use crate::domain::kassa::receipt::{Discount, PaymentInput};
use crate::domain::words::fill;
use crate::error::{Error, Result};
use crate::views::kassa::receipt::{ReceiptPage, receipt_page};
use crate::views::layout::Section;
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

pub(super) fn receipt(ctx: &mut Ctx, id: ReceiptId, error: Option<&str>) -> Result<Response> {
    ctx.user()?;
    let r = ctx.app.receipt(&ctx.tenant, id)?;
    let totals = if r.lines.is_empty() {
        None
    } else {
        ctx.app.draft_totals(&r).ok()
    };
    let register = ctx.app.register(&ctx.tenant, r.register_id)?;
    let (contact, email) = match r.contact_id {
        Some(c) => ctx.app.receipt_contact(&ctx.tenant, c)?.unzip(),
        None => (None, None),
    };
    let email = email.flatten();
    let credit_of = match r.credit_of {
        Some(of) => ctx.app.receipt(&ctx.tenant, of)?.number,
        None => None,
    };
    let products = ctx.app.products(&ctx.tenant)?;
    let services = crate::app::read::scheduling::services(&ctx.tenant).unwrap_or_default();
    let find_url = r.code().map(|code| {
        format!(
            "{}/t/{}/kassa/find?code={code}",
            ctx.app.config.base_url.trim_end_matches('/'),
            ctx.tenant.slug()
        )
    });
    let page = ReceiptPage {
        receipt: &r,
        totals: totals.as_ref(),
        register: &register.name,
        contact: contact.as_deref(),
        email: email.as_deref(),
        products: &products,
        services: &services,
        currency: &ctx.tenant.account.currency,
        credit_of,
        error,
        find_url: find_url.as_deref(),
    };
    Ok(respond::html(receipt_page(
        &ctx.chrome(Section::Kassa),
        &page,
    )))
}

pub(super) fn edit(
    ctx: &mut Ctx,
    id: ReceiptId,
    change: impl FnOnce(&mut Vec<DraftLine>, &mut Discount),
) -> Result<Response> {
    ctx.user()?;
    let outcome = ctx
        .app
        .edit_draft(&ctx.tenant, id, change)
        .map(|()| String::new());
    let here = format!("kassa/receipts/{id}");
    match outcome {
        Ok(_) => Ok(ctx.redirect(&here, None)),
        Err(e) => back(ctx, &here, Err(e)),
    }
}

/// The line a form adds.
fn line_of_form(ctx: &Ctx) -> Result<DraftLine> {
    let kind = ctx.form.get("kind").to_string();
    let quantity = match ctx.form.get("quantity").trim() {
        "" => 1,
        q => q
            .parse()
            .map_err(|_| Error::field("quantity", "must be a whole number"))?,
    };
    let percent: i64 = match ctx.form.get("discount_percent").trim() {
        "" | "0" => 0,
        p => p
            .parse()
            .map_err(|_| Error::field("discount", "must be a whole number"))?,
    };
    let mut line = DraftLine {
        kind: kind.clone(),
        quantity,
        discount: if percent > 0 {
            Discount::Percent(percent * 100)
        } else {
            Discount::None
        },
        ..DraftLine::default()
    };
    match kind.as_str() {
        "product" => {
            let typed = ctx.form.get("product");
            let p = ctx
                .app
                .product_named(&ctx.tenant, typed)?
                .ok_or_else(|| Error::field("product", ctx.w().kassa_product_unknown))?;
            line.product_id = Some(p.id);
        }
        "service" => {
            line.service_id = Some(ServiceId(
                ctx.form
                    .get("service_id")
                    .trim()
                    .parse()
                    .map_err(|_| Error::field("service_id", "is not a service here"))?,
            ));
        }
        _ => {
            line.description = ctx.form.get("description").to_string();
            line.unit_price = amount(ctx, "unit_price")?;
            line.vat_code = Some(ctx.form.get("vat_code").to_string()).filter(|c| !c.is_empty());
        }
    }
    Ok(line)
}

pub(super) fn receipt_form(ctx: &mut Ctx, id: ReceiptId, what: &str) -> Result<Response> {
    let user = ctx.user()?.clone();
    let here = format!("kassa/receipts/{id}");
    match what {
        "lines" => match line_of_form(ctx) {
            Ok(line) => edit(ctx, id, |lines, _| lines.push(line)),
            Err(e) => back(ctx, &here, Err(e)),
        },
        "discount" => {
            let percent: i64 = ctx.form.get("percent").trim().parse().unwrap_or(-1);
            if !(0..=100).contains(&percent) {
                return back(
                    ctx,
                    &here,
                    Err(Error::field("discount", "must be from 0 to 100 %")),
                );
            }
            edit(ctx, id, |_, d| {
                *d = if percent == 0 {
                    Discount::None
                } else {
                    Discount::Percent(percent * 100)
                };
            })
        }
        "pay" => {
            let code = ctx.form.get("gift_card_code").trim().to_string();
            let payments: Result<Vec<PaymentInput>> = [
                ("card", Method::Card),
                ("cash", Method::Cash),
                ("bank_transfer", Method::BankTransfer),
                ("gift_card", Method::GiftCard),
            ]
            .into_iter()
            .filter_map(|(key, method)| match amount(ctx, key) {
                Ok(None) | Ok(Some(0)) => None,
                Ok(Some(a)) => Some(Ok(PaymentInput {
                    method,
                    amount: a,
                    reference: if method == Method::GiftCard {
                        code.clone()
                    } else {
                        String::new()
                    },
                })),
                Err(e) => Some(Err(e)),
            })
            .collect();
            let done = payments.and_then(|p| ctx.app.finalize_receipt(&ctx.tenant, &user, id, &p));
            let outcome = done.map(|r| {
                fill(
                    ctx.w().kassa_finalized,
                    &[("number", &r.number.unwrap_or(0).to_string())],
                )
            });
            back(ctx, &here, outcome)
        }
        "mail" => {
            let outcome = ctx
                .app
                .mail_receipt(&ctx.tenant, &user, id)
                .map(|to| fill(ctx.w().kassa_mailed, &[("email", &to)]));
            back(ctx, &here, outcome)
        }
        "void" => {
            let outcome = ctx
                .app
                .void_receipt(&ctx.tenant, &user, id)
                .map(|()| ctx.w().kassa_voided.to_string());
            back(ctx, &here, outcome)
        }
        _ => Err(Error::NotFound),
    }
}
