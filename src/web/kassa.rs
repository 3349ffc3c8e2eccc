//! The kassa's pages: `kassa` (the registers), `kassa/sessions/{id}` (a session: cash, the
//! X or Z report, its receipts) and `kassa/receipts/{id}` (a checkout, or a receipt to print),
//! with the forms they post. Every form works without JavaScript; a refusal comes back as the
//! page's message, in words.

use crate::app::kassa::DraftLine;
use crate::domain::ids::{AppointmentId, ReceiptId, RegisterId, RegisterSessionId, ServiceId};
use crate::domain::kassa::Method;
use crate::domain::kassa::receipt::{Discount, PaymentInput};
use crate::domain::kassa::session::DENOMINATIONS;
use crate::domain::money::parse_amount;
use crate::domain::user::Role;
use crate::domain::words::fill;
use crate::error::{Error, Result};
use crate::views::kassa::receipt::{ReceiptPage, receipt_page};
use crate::views::kassa::{SessionPage, registers, session_page};
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::respond;
use rouille::Response;

/// The routes below a workspace that the kassa answers; `None` for any other path.
pub fn route(ctx: &mut Ctx, method: &str, rest: &[&str]) -> Option<Result<Response>> {
    let id = |raw: &str| raw.parse::<i64>().map_err(|_| Error::NotFound);
    if rest.first() != Some(&"kassa") {
        return None;
    }
    if let Err(e) = ctx
        .tenant
        .require(crate::domain::capability::Capability::Kassa)
    {
        return Some(Err(e));
    }
    Some(match (method, &rest[1..]) {
        ("GET", []) => overview(ctx),
        ("POST", ["registers"]) => add_register(ctx),
        ("POST", ["check"]) => check(ctx),
        ("POST", ["registers", n, "open"]) => id(n).and_then(|n| open(ctx, RegisterId(n))),
        ("POST", ["checkout"]) => checkout_appointment(ctx),
        ("GET", ["sessions", n]) => id(n).and_then(|n| session(ctx, RegisterSessionId(n), false)),
        ("GET", ["sessions", n, "x"]) => {
            id(n).and_then(|n| session(ctx, RegisterSessionId(n), true))
        }
        ("POST", ["sessions", n, what]) => {
            id(n).and_then(|n| session_form(ctx, RegisterSessionId(n), what))
        }
        ("GET", ["receipts", n]) => id(n).and_then(|n| receipt(ctx, ReceiptId(n), None)),
        ("POST", ["receipts", n, "lines", pos, "remove"]) => id(n).and_then(|n| {
            let pos: usize = pos.parse().map_err(|_| Error::NotFound)?;
            edit(ctx, ReceiptId(n), |lines, _| {
                if pos < lines.len() {
                    lines.remove(pos);
                }
            })
        }),
        ("POST", ["receipts", n, what]) => {
            id(n).and_then(|n| receipt_form(ctx, ReceiptId(n), what))
        }
        _ => return None,
    })
}

/// An amount typed in field `key` (empty: none).
fn amount(ctx: &Ctx, key: &str) -> Result<Option<i64>> {
    match ctx.form.get(key).trim() {
        "" => Ok(None),
        text => parse_amount(text, &ctx.tenant.account.currency)
            .map(Some)
            .ok_or_else(|| Error::field(key, "is not an amount")),
    }
}

/// Back to `to` with what happened: done, or the refusal in words.
fn back(ctx: &mut Ctx, to: &str, outcome: Result<String>) -> Result<Response> {
    match outcome {
        Ok(message) => Ok(ctx.redirect(to, Some(Flash::success(message)))),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let message = ctx.w().error(&e, None);
            Ok(ctx.redirect(to, Some(Flash::error(message))))
        }
        Err(e) => Err(e),
    }
}

fn overview(ctx: &mut Ctx) -> Result<Response> {
    let is_admin = ctx.user()?.role >= Role::Admin;
    let all = ctx.app.registers(&ctx.tenant)?;
    let check = ctx.app.last_kassa_check(&ctx.tenant)?;
    Ok(respond::html(registers(
        &ctx.chrome(Section::Kassa),
        &all,
        &check,
        is_admin,
    )))
}

/// `POST kassa/check` (owners and admins): checks every journal now.
fn check(ctx: &mut Ctx) -> Result<Response> {
    if ctx.user()?.role < Role::Admin {
        return Err(Error::Forbidden(
            "Only owners and admins check the journals.".into(),
        ));
    }
    ctx.app.check_kassa(&ctx.tenant)?;
    let message = ctx.w().kassa_checked.to_string();
    back(ctx, "kassa", Ok(message))
}

fn add_register(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let name = ctx.form.get("name").to_string();
    let outcome = ctx
        .app
        .add_register(&ctx.tenant, &user, &name)
        .map(|_| ctx.w().kassa_registers.to_string());
    back(ctx, "kassa", outcome)
}

fn open(ctx: &mut Ctx, register: RegisterId) -> Result<Response> {
    let user = ctx.user()?.clone();
    let opened = amount(ctx, "float").and_then(|float| {
        ctx.app
            .open_session(&ctx.tenant, &user, register, float.unwrap_or(0))
    });
    match opened {
        Ok(s) => {
            let message = ctx.w().kassa_opened.to_string();
            back(ctx, &format!("kassa/sessions/{s}"), Ok(message))
        }
        Err(e) => back(ctx, "kassa", Err(e)),
    }
}

/// A session's page; `x`: its X report with the cash expected (and no count form).
fn session(ctx: &mut Ctx, id: RegisterSessionId, x: bool) -> Result<Response> {
    ctx.user()?;
    let s = ctx.app.register_session(&ctx.tenant, id)?;
    let register = ctx.app.register(&ctx.tenant, s.register_id)?;
    let report = match s.closed_at {
        None => ctx.app.x_report(&ctx.tenant, id)?,
        Some(_) => ctx.app.z_report(&ctx.tenant, id)?,
    };
    let receipts = ctx.app.session_receipts(&ctx.tenant, id)?;
    let page = SessionPage {
        register: &register,
        session: &s,
        report: &report,
        receipts: &receipts,
        currency: &ctx.tenant.account.currency,
        show_expected: x || s.closed_at.is_some(),
    };
    Ok(respond::html(session_page(
        &ctx.chrome(Section::Kassa),
        &page,
    )))
}

fn session_form(ctx: &mut Ctx, id: RegisterSessionId, what: &str) -> Result<Response> {
    let user = ctx.user()?.clone();
    let here = format!("kassa/sessions/{id}");
    let w = ctx.w();
    let outcome = match what {
        "cash" => amount(ctx, "amount").and_then(|a| {
            let a = a.ok_or_else(|| Error::field("amount", "is required"))?;
            let reason = ctx.form.get("reason").to_string();
            ctx.app.move_cash(&ctx.tenant, &user, id, a, &reason)?;
            Ok(w.kassa_cash_moved.to_string())
        }),
        "drawer" => ctx
            .app
            .open_drawer(&ctx.tenant, &user, id)
            .map(|()| w.kassa_drawer_opened.to_string()),
        "close" => {
            let count: Result<Vec<(i64, i64)>> = DENOMINATIONS
                .iter()
                .map(|d| {
                    let key = format!("n{d}");
                    match ctx.form.get(&key).trim() {
                        "" => Ok((*d, 0)),
                        n => n.parse().map(|n| (*d, n)).map_err(|_| {
                            Error::field(&format!("count.{d}"), "must be a whole number")
                        }),
                    }
                })
                .collect();
            count
                .and_then(|c| ctx.app.close_session(&ctx.tenant, &user, id, &c))
                .map(|_| w.kassa_closed.to_string())
        }
        "checkout" => {
            let draft = crate::app::kassa::Draft {
                session_id: Some(id),
                ..Default::default()
            };
            return match ctx.app.draft_receipt(&ctx.tenant, &user, &draft) {
                Ok(r) => Ok(ctx.redirect(&format!("kassa/receipts/{r}"), None)),
                Err(e) => back(ctx, &here, Err(e)),
            };
        }
        _ => return Err(Error::NotFound),
    };
    back(ctx, &here, outcome)
}

/// `POST kassa/checkout` with an appointment: its checkout in the first open session.
fn checkout_appointment(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let appointment = ctx
        .form
        .get("appointment_id")
        .trim()
        .parse()
        .map(AppointmentId)
        .map_err(|_| Error::field("appointment_id", "is not an appointment here"));
    let session = ctx
        .app
        .registers(&ctx.tenant)?
        .into_iter()
        .find_map(|r| r.open_session);
    let Some(session) = session else {
        let message = ctx.w().kassa_no_session.to_string();
        return Ok(ctx.redirect("kassa", Some(Flash::error(message))));
    };
    match appointment.and_then(|a| ctx.app.checkout_appointment(&ctx.tenant, &user, session, a)) {
        Ok(r) => Ok(ctx.redirect(&format!("kassa/receipts/{r}"), None)),
        Err(e) => back(ctx, "kassa", Err(e)),
    }
}

fn receipt(ctx: &mut Ctx, id: ReceiptId, error: Option<&str>) -> Result<Response> {
    ctx.user()?;
    let r = ctx.app.receipt(&ctx.tenant, id)?;
    let totals = if r.lines.is_empty() {
        None
    } else {
        ctx.app.draft_totals(&r).ok()
    };
    let register = ctx.app.register(&ctx.tenant, r.register_id)?;
    let contact = match r.contact_id {
        Some(c) => ctx.app.contact_name(&ctx.tenant, c)?,
        None => None,
    };
    let credit_of = match r.credit_of {
        Some(of) => ctx.app.receipt(&ctx.tenant, of)?.number,
        None => None,
    };
    let products = ctx.app.products(&ctx.tenant)?;
    let services = crate::app::read::scheduling::services(&ctx.tenant).unwrap_or_default();
    let page = ReceiptPage {
        receipt: &r,
        totals: totals.as_ref(),
        register: &register.name,
        contact: contact.as_deref(),
        products: &products,
        services: &services,
        currency: &ctx.tenant.account.currency,
        credit_of,
        error,
    };
    Ok(respond::html(receipt_page(
        &ctx.chrome(Section::Kassa),
        &page,
    )))
}

fn edit(
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

fn receipt_form(ctx: &mut Ctx, id: ReceiptId, what: &str) -> Result<Response> {
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
            let payments: Result<Vec<PaymentInput>> = [
                ("card", Method::Card),
                ("cash", Method::Cash),
                ("bank_transfer", Method::BankTransfer),
            ]
            .into_iter()
            .filter_map(|(key, method)| match amount(ctx, key) {
                Ok(None) | Ok(Some(0)) => None,
                Ok(Some(a)) => Some(Ok(PaymentInput {
                    method,
                    amount: a,
                    reference: String::new(),
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
