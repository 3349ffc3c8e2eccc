//! The kassa's pages: `kassa` (the registers), `kassa/sessions/{id}` (a session: cash, the
//! X or Z report, its receipts) and `kassa/receipts/{id}` (a checkout, or a receipt to print),
//! with the forms they post (a checkout's are in `receipts`), and the accountant's export.
//! Every form works without JavaScript; a refusal comes back as the page's message, in words.

mod receipts;

use crate::domain::ids::{AppointmentId, ReceiptId, RegisterId, RegisterSessionId};
use crate::domain::kassa::session::DENOMINATIONS;
use crate::domain::money::parse_amount;
use crate::domain::user::Role;
use crate::domain::words::fill;
use crate::error::{Error, Result};
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
        ("POST", ["products"]) => add_product(ctx),
        ("POST", ["products", n]) => {
            id(n).and_then(|n| save_product(ctx, crate::domain::ids::ProductId(n)))
        }
        ("POST", ["check"]) => check(ctx),
        ("GET", ["export"]) => export(ctx),
        ("GET", ["reports"]) => reports(ctx),
        ("GET", ["find"]) => find(ctx),
        ("POST", ["registers", n, "open"]) => id(n).and_then(|n| open(ctx, RegisterId(n))),
        ("POST", ["registers", n, "training"]) => id(n).and_then(|n| training(ctx, RegisterId(n))),
        ("POST", ["checkout"]) => checkout_appointment(ctx),
        ("GET", ["sessions", n]) => id(n).and_then(|n| session(ctx, RegisterSessionId(n), false)),
        ("GET", ["sessions", n, "x"]) => {
            id(n).and_then(|n| session(ctx, RegisterSessionId(n), true))
        }
        ("POST", ["sessions", n, what]) => {
            id(n).and_then(|n| session_form(ctx, RegisterSessionId(n), what))
        }
        ("GET", ["receipts", n]) => id(n).and_then(|n| receipts::receipt(ctx, ReceiptId(n), None)),
        ("POST", ["receipts", n, "lines", pos, "remove"]) => id(n).and_then(|n| {
            let pos: usize = pos.parse().map_err(|_| Error::NotFound)?;
            receipts::edit(ctx, ReceiptId(n), |lines, _| {
                if pos < lines.len() {
                    lines.remove(pos);
                }
            })
        }),
        ("POST", ["receipts", n, what]) => {
            id(n).and_then(|n| receipts::receipt_form(ctx, ReceiptId(n), what))
        }
        _ => return None,
    })
}

/// An amount typed in field `key` (empty: none).
pub(super) fn amount(ctx: &Ctx, key: &str) -> Result<Option<i64>> {
    match ctx.form.get(key).trim() {
        "" => Ok(None),
        text => parse_amount(text, &ctx.tenant.account.currency)
            .map(Some)
            .ok_or_else(|| Error::field(key, "is not an amount")),
    }
}

/// Back to `to` with what happened: done, or the refusal in words.
pub(super) fn back(ctx: &mut Ctx, to: &str, outcome: Result<String>) -> Result<Response> {
    ctx.back(to, outcome)
}

fn overview(ctx: &mut Ctx) -> Result<Response> {
    let is_admin = ctx.user()?.role >= Role::Admin;
    let all = ctx.app.registers(&ctx.tenant)?;
    let check = ctx.app.last_kassa_check(&ctx.tenant)?;
    let products = if is_admin {
        ctx.app.products(&ctx.tenant)?
    } else {
        Vec::new()
    };
    Ok(respond::html(registers(
        &ctx.chrome(Section::Kassa),
        &all,
        &check,
        (is_admin, &products, &ctx.tenant.account.currency),
    )))
}

/// `GET kassa/find?code=1-42`: to the receipt with that short code.
fn find(ctx: &mut Ctx) -> Result<Response> {
    ctx.user()?;
    let code = ctx.req.get_param("code").unwrap_or_default();
    match ctx.app.receipt_by_code(&ctx.tenant, &code)? {
        Some(id) => Ok(ctx.redirect(&format!("kassa/receipts/{id}"), None)),
        None => {
            let message = ctx.w().kassa_not_found.to_string();
            Ok(ctx.redirect("kassa", Some(Flash::error(message))))
        }
    }
}

/// `GET kassa/reports?from=…&to=…`: a period's revenue (the last 30 days unless asked).
fn reports(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let today = crate::domain::local_time::today(ctx.app.now(), ctx.zone());
    let get = |key: &str| ctx.req.get_param(key).unwrap_or_default();
    let day = |key: &str, default: chrono::NaiveDate| match get(key).trim() {
        "" => Ok(default),
        text => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| Error::field(key, "is not a date (YYYY-MM-DD)")),
    };
    let span = (
        day("from", today - chrono::Duration::days(29))?,
        day("to", today)?,
    );
    let r = ctx.app.kassa_revenue(&ctx.tenant, &user, span)?;
    Ok(respond::html(crate::views::kassa::reports::revenue(
        &ctx.chrome(Section::Kassa),
        &r,
        span,
        &ctx.tenant.account.currency,
    )))
}

/// `GET kassa/export?from=…&to=…&what=lines|z`: the accountant's CSV of a period.
fn export(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let get = |key: &str| ctx.req.get_param(key).unwrap_or_default();
    let day = |key: &str| {
        chrono::NaiveDate::parse_from_str(get(key).trim(), "%Y-%m-%d")
            .map_err(|_| Error::field(key, "is not a date (YYYY-MM-DD)"))
    };
    let what = get("what");
    let csv = ctx
        .app
        .kassa_export(&ctx.tenant, &user, (day("from")?, day("to")?), &what)?;
    let name = format!(
        "kassa-{what}-{}-{}.csv",
        get("from").trim(),
        get("to").trim()
    );
    Ok(
        Response::from_data("text/csv; charset=utf-8", csv).with_additional_header(
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ),
    )
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

fn add_product(ctx: &mut Ctx) -> Result<Response> {
    let user = ctx.user()?.clone();
    let outcome = amount(ctx, "price").and_then(|price| {
        let p = crate::domain::kassa::NewProduct {
            name: ctx.form.get("name").to_string(),
            sku: ctx.form.get("sku").to_string(),
            kind: ctx.form.get("kind").to_string(),
            price: price.ok_or_else(|| Error::field("price", "is required"))?,
            vat_code: ctx.form.get("vat_code").to_string(),
            stock: match ctx.form.get("stock").trim() {
                "" => None,
                n => Some(
                    n.parse()
                        .map_err(|_| Error::field("stock", "must be a whole number"))?,
                ),
            },
        };
        let name = p.name.trim().to_string();
        ctx.app.add_product(&ctx.tenant, &user, p)?;
        Ok(fill(ctx.w().kassa_product_saved, &[("name", &name)]))
    });
    back(ctx, "kassa", outcome)
}

/// A product's new price, and whether it is sold; the rest stays.
fn save_product(ctx: &mut Ctx, id: crate::domain::ids::ProductId) -> Result<Response> {
    let user = ctx.user()?.clone();
    let current = ctx.app.product(&ctx.tenant, id)?;
    let outcome = amount(ctx, "price").and_then(|price| {
        let p = crate::domain::kassa::NewProduct {
            name: current.name.clone(),
            sku: current.sku.clone().unwrap_or_default(),
            kind: current.kind.clone(),
            price: price.ok_or_else(|| Error::field("price", "is required"))?,
            vat_code: current.vat_code.clone(),
            stock: current.stock,
        };
        let saved = ctx
            .app
            .update_product(&ctx.tenant, &user, id, p, ctx.form.has("active"))?;
        Ok(fill(ctx.w().kassa_product_saved, &[("name", &saved.name)]))
    });
    back(ctx, "kassa", outcome)
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

fn training(ctx: &mut Ctx, register: RegisterId) -> Result<Response> {
    let user = ctx.user()?.clone();
    let on = ctx.form.get("on") == "1";
    let w = ctx.w();
    let outcome = ctx
        .app
        .set_training(&ctx.tenant, &user, register, on)
        .map(|()| {
            if on {
                w.kassa_training_started
            } else {
                w.kassa_training_stopped
            }
            .to_string()
        });
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
