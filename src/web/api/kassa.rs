//! `/products`, `/registers`, `/sessions` and `/receipts`: the kassa over the API. A
//! finalized receipt has no route that changes it: `PUT`, `PATCH` and `DELETE` answer 405.

use super::catalog::{flag, int, object, required_int, text};
use super::{ApiCtx, created, page};
use crate::app::kassa::{Draft, DraftLine};
use crate::domain::ids::{
    AppointmentId, ContactId, ProductId, ReceiptId, RegisterId, RegisterSessionId, ServiceId,
    UserId,
};
use crate::domain::kassa::receipt::{Discount, PaymentInput};
use crate::domain::kassa::{Method, NewProduct};
use crate::error::{Error, Result};
use crate::web::respond;
use rouille::Response;
use serde_json::{Map, Value, json};

pub fn list_products(ctx: &ApiCtx) -> Result<Response> {
    let all = ctx.app.products(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

/// A product as a JSON body describes it, and whether it is sold (default: yes).
fn product_body(ctx: &ApiCtx) -> Result<(NewProduct, bool)> {
    let body = object(
        ctx,
        &[
            "name", "sku", "kind", "price", "vat_code", "stock", "active",
        ],
    )?;
    let p = NewProduct {
        name: text(&body, "name")?.unwrap_or("").to_string(),
        sku: text(&body, "sku")?.unwrap_or("").to_string(),
        kind: text(&body, "kind")?.unwrap_or("").to_string(),
        price: required_int(&body, "price")?,
        vat_code: text(&body, "vat_code")?.unwrap_or("").to_string(),
        stock: int(&body, "stock")?,
    };
    Ok((p, super::catalog::flag(&body, "active", true)?))
}

/// `PUT /products/{id}`: replaces a product (a new price or VAT is journaled).
pub fn put_product(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let (p, active) = product_body(ctx)?;
    let saved = ctx
        .app
        .update_product(ctx.tenant, &ctx.user, ProductId(id), p, active)?;
    Ok(respond::json(&saved))
}

pub fn create_product(ctx: &ApiCtx) -> Result<Response> {
    let (p, _) = product_body(ctx)?;
    let id = ctx.app.add_product(ctx.tenant, &ctx.user, p)?;
    let saved = ctx.app.product(ctx.tenant, id)?;
    let location = format!("/t/{}/api/v1/products/{id}", ctx.tenant.slug());
    Ok(created(&json!(saved), location))
}

pub fn list_registers(ctx: &ApiCtx) -> Result<Response> {
    let all = ctx.app.registers(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

pub fn create_register(ctx: &ApiCtx) -> Result<Response> {
    let body = object(ctx, &["name"])?;
    let id = ctx
        .app
        .add_register(ctx.tenant, &ctx.user, text(&body, "name")?.unwrap_or(""))?;
    let saved = ctx.app.register(ctx.tenant, id)?;
    let location = format!("/t/{}/api/v1/registers/{id}", ctx.tenant.slug());
    Ok(created(&json!(saved), location))
}

pub fn get_register(ctx: &ApiCtx, id: i64) -> Result<Response> {
    Ok(respond::json(
        &ctx.app.register(ctx.tenant, RegisterId(id))?,
    ))
}

/// `POST /registers/{id}/training {"on": true}`: training mode on or off.
pub fn set_training(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["on"])?;
    if !body.contains_key("on") {
        return Err(Error::field("on", "is required"));
    }
    let on = flag(&body, "on", false)?;
    ctx.app
        .set_training(ctx.tenant, &ctx.user, RegisterId(id), on)?;
    get_register(ctx, id)
}

/// `POST /registers/{id}/sessions {"float": 10000}`: opens a session.
pub fn open_session(ctx: &ApiCtx, register: i64) -> Result<Response> {
    let body = object(ctx, &["float"])?;
    let float = required_int(&body, "float")?;
    let id = ctx
        .app
        .open_session(ctx.tenant, &ctx.user, RegisterId(register), float)?;
    let location = format!("/t/{}/api/v1/sessions/{id}", ctx.tenant.slug());
    Ok(created(
        &json!(ctx.app.register_session(ctx.tenant, id)?),
        location,
    ))
}

pub fn get_session(ctx: &ApiCtx, id: i64) -> Result<Response> {
    Ok(respond::json(
        &ctx.app
            .register_session(ctx.tenant, RegisterSessionId(id))?,
    ))
}

/// `POST /sessions/{id}/cash {"amount": -5000, "reason": "to the safe"}`.
pub fn move_cash(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["amount", "reason"])?;
    let id = RegisterSessionId(id);
    ctx.app.move_cash(
        ctx.tenant,
        &ctx.user,
        id,
        required_int(&body, "amount")?,
        text(&body, "reason")?.unwrap_or(""),
    )?;
    Ok(respond::json(&ctx.app.register_session(ctx.tenant, id)?))
}

pub fn open_drawer(ctx: &ApiCtx, id: i64) -> Result<Response> {
    object(ctx, &[])?;
    let id = RegisterSessionId(id);
    ctx.app.open_drawer(ctx.tenant, &ctx.user, id)?;
    Ok(respond::json(&ctx.app.register_session(ctx.tenant, id)?))
}

pub fn x_report(ctx: &ApiCtx, id: i64) -> Result<Response> {
    Ok(respond::json(
        &ctx.app.x_report(ctx.tenant, RegisterSessionId(id))?,
    ))
}

/// `POST /sessions/{id}/close {"count": {"5000": 2, "200": 3}}`: the blind count by
/// denomination (in cents); answers the Z report.
pub fn close_session(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["count"])?;
    let Some(Value::Object(count)) = body.get("count") else {
        return Err(Error::field(
            "count",
            "is required: how many of each note and coin",
        ));
    };
    let count = count
        .iter()
        .map(|(d, n)| {
            let field = format!("count.{d}");
            let d = d
                .parse()
                .map_err(|_| Error::field(&field, "is not a euro note or coin"))?;
            let n = n
                .as_i64()
                .ok_or_else(|| Error::field(&field, "must be a whole number"))?;
            Ok((d, n))
        })
        .collect::<Result<Vec<_>>>()?;
    let z = ctx
        .app
        .close_session(ctx.tenant, &ctx.user, RegisterSessionId(id), &count)?;
    Ok(respond::json(&z))
}

pub fn z_report(ctx: &ApiCtx, id: i64) -> Result<Response> {
    Ok(respond::json(
        &ctx.app.z_report(ctx.tenant, RegisterSessionId(id))?,
    ))
}

/// A discount as JSON: `{"amount": 500}` or `{"percent": 1000}` (basis points).
fn discount(body: &Map<String, Value>, key: &str) -> Result<Discount> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(Discount::None),
        Some(Value::Object(d)) => match (d.get("amount"), d.get("percent"), d.len()) {
            (Some(a), None, 1) => a.as_i64().map(Discount::Amount),
            (None, Some(p), 1) => p.as_i64().map(Discount::Percent),
            _ => None,
        }
        .ok_or_else(|| {
            Error::field(
                key,
                "must be {\"amount\": cents} or {\"percent\": basis points}",
            )
        }),
        Some(_) => Err(Error::field(key, "must be an object")),
    }
}

fn draft_line(i: usize, v: &Value) -> Result<DraftLine> {
    let at = |k: &str| format!("lines[{i}].{k}");
    let Value::Object(l) = v else {
        return Err(Error::field(&format!("lines[{i}]"), "must be an object"));
    };
    let allowed = [
        "kind",
        "service_id",
        "product_id",
        "description",
        "quantity",
        "unit_price",
        "discount",
        "vat_code",
    ];
    if let Some(k) = l.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Error::field(&at(k), "is not a field here"));
    }
    let whole = |k: &str| -> Result<Option<i64>> {
        int(l, k).map_err(|_| Error::field(&at(k), "must be a whole number"))
    };
    let words = |k: &str| -> Result<String> {
        text(l, k)
            .map(|t| t.unwrap_or("").to_string())
            .map_err(|_| Error::field(&at(k), "must be text"))
    };
    Ok(DraftLine {
        kind: words("kind")?,
        service_id: whole("service_id")?.map(ServiceId),
        product_id: whole("product_id")?.map(ProductId),
        description: words("description")?,
        quantity: whole("quantity")?.unwrap_or(1),
        unit_price: whole("unit_price")?,
        discount: discount(l, "discount").map_err(|_| {
            Error::field(
                &at("discount"),
                "must be {\"amount\": cents} or {\"percent\": basis points}",
            )
        })?,
        vat_code: Some(words("vat_code")?).filter(|c| !c.is_empty()),
    })
}

/// `POST /receipts`: a draft in an open session.
pub fn create_receipt(ctx: &ApiCtx) -> Result<Response> {
    let body = object(
        ctx,
        &[
            "session_id",
            "contact_id",
            "appointment_id",
            "staff_id",
            "lines",
            "discount",
        ],
    )?;
    let lines = match body.get("lines") {
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, v)| draft_line(i, v))
            .collect::<Result<Vec<_>>>()?,
        _ => return Err(Error::field("lines", "is required: a list of lines")),
    };
    if lines.is_empty() {
        return Err(Error::field("lines", "a receipt needs at least one line"));
    }
    let draft = Draft {
        session_id: Some(RegisterSessionId(required_int(&body, "session_id")?)),
        contact_id: int(&body, "contact_id")?.map(ContactId),
        appointment_id: int(&body, "appointment_id")?.map(AppointmentId),
        staff_id: int(&body, "staff_id")?.map(UserId),
        lines,
        discount: discount(&body, "discount")?,
    };
    let id = ctx.app.draft_receipt(ctx.tenant, &ctx.user, &draft)?;
    let location = format!("/t/{}/api/v1/receipts/{id}", ctx.tenant.slug());
    Ok(created(&json!(ctx.app.receipt(ctx.tenant, id)?), location))
}

pub fn get_receipt(ctx: &ApiCtx, id: i64) -> Result<Response> {
    Ok(respond::json(&ctx.app.receipt(ctx.tenant, ReceiptId(id))?))
}

/// `POST /receipts/{id}/finalize {"payments": [{"method": "cash", "amount": 3000}]}`.
pub fn finalize(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["payments"])?;
    let Some(Value::Array(list)) = body.get("payments") else {
        return Err(Error::field("payments", "is required: a list of payments"));
    };
    let payments = list
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let at = |k: &str| format!("payments[{i}].{k}");
            let method = v["method"]
                .as_str()
                .and_then(Method::parse)
                .ok_or_else(|| {
                    Error::field(
                        &at("method"),
                        "must be cash, card, gift_card, bank_transfer or other",
                    )
                })?;
            let amount = v["amount"]
                .as_i64()
                .ok_or_else(|| Error::field(&at("amount"), "must be a whole number of cents"))?;
            Ok(PaymentInput {
                method,
                amount,
                reference: v["reference"].as_str().unwrap_or("").to_string(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let done = ctx
        .app
        .finalize_receipt(ctx.tenant, &ctx.user, ReceiptId(id), &payments)?;
    Ok(respond::json(&done))
}

pub fn void(ctx: &ApiCtx, id: i64) -> Result<Response> {
    object(ctx, &[])?;
    let id = ReceiptId(id);
    ctx.app.void_receipt(ctx.tenant, &ctx.user, id)?;
    Ok(respond::json(&ctx.app.receipt(ctx.tenant, id)?))
}

/// `POST /receipts/{id}/credit {"session_id": 2, "lines": [{"position": 1, "quantity": 1}]}`:
/// a draft credit receipt that pays back those lines.
pub fn credit(ctx: &ApiCtx, id: i64) -> Result<Response> {
    let body = object(ctx, &["session_id", "lines"])?;
    let Some(Value::Array(list)) = body.get("lines") else {
        return Err(Error::field("lines", "is required: the lines to give back"));
    };
    let lines = list
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let position = v["position"].as_i64().filter(|p| *p >= 0);
            let quantity = v["quantity"].as_i64();
            match (position, quantity) {
                (Some(p), Some(q)) => Ok((p as usize, q)),
                _ => Err(Error::field(
                    &format!("lines[{i}]"),
                    "must name a position and a quantity",
                )),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let session = RegisterSessionId(required_int(&body, "session_id")?);
    let draft = ctx
        .app
        .draft_credit(ctx.tenant, &ctx.user, ReceiptId(id), session, &lines)?;
    let location = format!("/t/{}/api/v1/receipts/{draft}", ctx.tenant.slug());
    Ok(created(
        &json!(ctx.app.receipt(ctx.tenant, draft)?),
        location,
    ))
}

/// `PUT`, `PATCH`, `DELETE /receipts/{id}`: a receipt is never changed or removed this way.
pub fn unchangeable(ctx: &ApiCtx, id: i64) -> Result<Response> {
    ctx.app.receipt(ctx.tenant, ReceiptId(id))?;
    let body = json!({"error": {"code": "method_not_allowed", "message": "A receipt never changes: void a draft, or make a credit receipt of a finalized one.", "fields": {}}});
    Ok(respond::json(&body)
        .with_status_code(405)
        .with_additional_header("Allow", "GET"))
}

/// `GET /gift_cards/{code}`: a gift card's value and what is left of it.
pub fn gift_card(ctx: &ApiCtx, code: &str) -> Result<Response> {
    Ok(respond::json(&ctx.app.gift_card(ctx.tenant, code)?))
}

pub fn list_vat_rates(ctx: &ApiCtx) -> Result<Response> {
    let all = ctx.app.vat_rates(ctx.tenant)?;
    let n = all.len() as i64;
    Ok(page(all, n, None))
}

/// `POST /vat_rates {"code": "low", "basis_points": 1100, "valid_from": "2027-01-01"}`.
pub fn create_vat_rate(ctx: &ApiCtx) -> Result<Response> {
    let body = object(ctx, &["code", "basis_points", "valid_from"])?;
    let code = text(&body, "code")?.unwrap_or("");
    let from =
        chrono::NaiveDate::parse_from_str(text(&body, "valid_from")?.unwrap_or(""), "%Y-%m-%d")
            .map_err(|_| Error::field("valid_from", "is required: a date (YYYY-MM-DD)"))?;
    ctx.app.set_vat_rate(
        ctx.tenant,
        &ctx.user,
        (code, required_int(&body, "basis_points")?),
        from,
    )?;
    let made = ctx
        .app
        .vat_rates(ctx.tenant)?
        .into_iter()
        .find(|r| r.code == code && r.valid_from == from.to_string())
        .ok_or(Error::NotFound)?;
    let location = format!("/t/{}/api/v1/vat_rates", ctx.tenant.slug());
    Ok(created(&json!(made), location))
}
