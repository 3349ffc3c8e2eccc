//! Receipts: a draft (from an appointment, for a contact, or a walk-in) with lines of
//! services, products or free text; finalized with its payments in one write that gives it
//! the register's next number, works out its figures and VAT, moves the grand totals and
//! appends it to the journal. A finalized receipt never changes: a refund or correction is a
//! credit receipt that names it, and a draft given up is voided (a journal event too).

use super::journal::record;
use super::sessions::open_one;
use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::crm::Entity;
use crate::domain::ids::{
    AppointmentId, ContactId, ProductId, ReceiptId, RegisterSessionId, ServiceId, UserId,
};
use crate::domain::kassa::receipt::{Discount, LineInput, LineKind, PaymentInput, settle, totals};
use crate::domain::kassa::session::Counted;
use crate::domain::kassa::{Receipt, ReceiptLine, ReceiptStatus, rate_on};
use crate::error::{Error, Result};
use crate::store::kassa::{self as store, receipts};
use crate::store::users::User;
use crate::store::{Connection, Write};
use serde_json::json;

/// A line as a checkout asks for it: a service or product (its name, price and VAT taken
/// from it unless given), or free text with a price and a VAT code; or a tip.
#[derive(Debug, Clone, Default)]
pub struct DraftLine {
    pub kind: String,
    pub service_id: Option<ServiceId>,
    pub product_id: Option<ProductId>,
    pub description: String,
    pub quantity: i64,
    pub unit_price: Option<i64>,
    pub discount: Discount,
    pub vat_code: Option<String>,
}

/// A checkout: where, for whom, its lines and its discount on the whole.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub session_id: Option<RegisterSessionId>,
    pub contact_id: Option<ContactId>,
    pub appointment_id: Option<AppointmentId>,
    pub staff_id: Option<UserId>,
    pub lines: Vec<DraftLine>,
    pub discount: Discount,
}

/// The VAT rate (code, basis points) of `code` today; `None` for a tip.
fn vat_of(conn: &Connection, code: &str, today: &str, field: &str) -> Result<(String, i64)> {
    let rates = store::vat_rates(conn)?;
    rate_on(&rates, code, today)
        .map(|r| (r.code.clone(), r.basis_points))
        .ok_or_else(|| Error::field(field, format!("{code:?} is not a VAT rate in use")))
}

/// A draft's line, its name, price and VAT looked up where it names a service or product.
fn line_of(conn: &Connection, i: usize, l: &DraftLine, today: &str) -> Result<ReceiptLine> {
    let at = |f: &str| format!("lines[{i}].{f}");
    let kind = LineKind::parse(&l.kind)
        .ok_or_else(|| Error::field(&at("kind"), "must be service, product, free or tip"))?;
    let (mut description, mut price, mut code) =
        (l.description.clone(), l.unit_price, l.vat_code.clone());
    match kind {
        LineKind::Service => {
            let id = l
                .service_id
                .ok_or_else(|| Error::field(&at("service_id"), "is required"))?;
            let s = crate::store::scheduling::service_by_id(conn, id)?
                .ok_or_else(|| Error::field(&at("service_id"), "is not a service here"))?;
            description = if description.trim().is_empty() {
                s.name
            } else {
                description
            };
            price = price.or(Some(s.price));
            let by_rate = match s.vat_rate {
                2100 => "high",
                900 => "low",
                0 => "zero",
                _ => "high",
            };
            code = code.or(Some(by_rate.into()));
        }
        LineKind::Product => {
            let id = l
                .product_id
                .ok_or_else(|| Error::field(&at("product_id"), "is required"))?;
            let p = store::product_by_id(conn, id)?
                .filter(|p| p.active)
                .ok_or_else(|| Error::field(&at("product_id"), "is not a product here"))?;
            description = if description.trim().is_empty() {
                p.name
            } else {
                description
            };
            price = price.or(Some(p.price));
            code = code.or(Some(p.vat_code));
        }
        LineKind::Free => {}
        LineKind::Tip => {
            code = None;
            if description.trim().is_empty() {
                description = "Tip".into();
            }
        }
    }
    let price = price.ok_or_else(|| Error::field(&at("unit_price"), "is required"))?;
    let vat = match (kind, code) {
        (LineKind::Tip, _) => None,
        (_, Some(c)) => Some(vat_of(conn, &c, today, &at("vat_code"))?),
        (_, None) => return Err(Error::field(&at("vat_code"), "is required")),
    };
    Ok(ReceiptLine {
        kind,
        description,
        quantity: l.quantity,
        unit_price: price,
        line_discount: l.discount,
        vat_code: vat.as_ref().map(|v| v.0.clone()),
        vat_rate: vat.map(|v| v.1),
        discount: 0,
        gross: 0,
        vat: 0,
        service_id: l.service_id.map(|s| s.0),
        product_id: l.product_id,
    })
}

/// The receipt's lines as the arithmetic takes them.
fn inputs(lines: &[ReceiptLine]) -> Vec<LineInput> {
    lines
        .iter()
        .map(|l| LineInput {
            kind: l.kind,
            description: l.description.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price,
            discount: l.line_discount,
            vat: l.vat_code.clone().zip(l.vat_rate),
        })
        .collect()
}

fn sign_of(r: &Receipt) -> i64 {
    if r.credit_of.is_some() { -1 } else { 1 }
}

impl App {
    /// A draft receipt in an open session; its lines are checked now, its figures made final
    /// with its payments.
    pub fn draft_receipt(&self, tenant: &Tenant, actor: &User, d: &Draft) -> Result<ReceiptId> {
        tenant.require(Capability::Kassa)?;
        let session = d
            .session_id
            .ok_or_else(|| Error::field("session_id", "is required"))?;
        let now = self.stamp();
        let today = now.get(..10).unwrap_or("").to_string();
        tenant.db.write(|tx| {
            let s = open_one(tx, session)?;
            if let Some(c) = d.contact_id {
                crate::store::crm::records::get_live(tx, Entity::Contact, c.0)?
                    .ok_or_else(|| Error::field("contact_id", "does not exist"))?;
            }
            if let Some(a) = d.appointment_id {
                crate::store::appointments::appointment(tx, a)?
                    .ok_or_else(|| Error::field("appointment_id", "does not exist"))?;
            }
            let lines = d
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| line_of(tx, i, l, &today))
                .collect::<Result<Vec<_>>>()?;
            totals(&inputs(&lines), d.discount, 1)?;
            receipts::insert_draft(
                tx,
                &receipts::NewDraft {
                    register_id: s.register_id,
                    session_id: session,
                    credit_of: None,
                    contact_id: d.contact_id,
                    appointment_id: d.appointment_id,
                    staff_id: d.staff_id.or(Some(actor.id)),
                    discount: d.discount,
                    lines: &lines,
                    created_by: actor.id,
                },
                &now,
            )
        })
    }

    /// A draft that pays back `lines` (position, how many) of receipt `of`, in an open session.
    pub fn draft_credit(
        &self,
        tenant: &Tenant,
        actor: &User,
        of: ReceiptId,
        session: RegisterSessionId,
        lines: &[(usize, i64)],
    ) -> Result<ReceiptId> {
        tenant.require(Capability::Kassa)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let s = open_one(tx, session)?;
            let original = receipts::receipt(tx, of)?.ok_or(Error::NotFound)?;
            if original.status != ReceiptStatus::Final || original.credit_of.is_some() {
                return Err(Error::field("credit_of", "must be a finalized sale"));
            }
            if original.register_id != s.register_id {
                return Err(Error::field(
                    "session_id",
                    "must be a session of the receipt's register",
                ));
            }
            let given_back = receipts::returned_of(tx, of)?;
            let mut back = Vec::new();
            for (i, (position, n)) in lines.iter().enumerate() {
                let l = original.lines.get(*position).ok_or_else(|| {
                    Error::field(
                        &format!("lines[{i}].position"),
                        "is not a line of the receipt",
                    )
                })?;
                let already = given_back
                    .iter()
                    .find(|(d, _)| *d == l.description)
                    .map_or(0, |x| x.1);
                if *n < 1 || *n > l.quantity - already {
                    return Err(Error::field(
                        &format!("lines[{i}].quantity"),
                        format!("must be from 1 to {}", l.quantity - already),
                    ));
                }
                back.push(ReceiptLine {
                    quantity: *n,
                    ..l.clone()
                });
            }
            if back.is_empty() {
                return Err(Error::field("lines", "give back at least one line"));
            }
            receipts::insert_draft(
                tx,
                &receipts::NewDraft {
                    register_id: s.register_id,
                    session_id: session,
                    credit_of: Some(of),
                    contact_id: original.contact_id,
                    appointment_id: original.appointment_id,
                    staff_id: Some(actor.id),
                    discount: Discount::None,
                    lines: &back,
                    created_by: actor.id,
                },
                &now,
            )
        })
    }

    pub fn receipt(&self, tenant: &Tenant, id: ReceiptId) -> Result<Receipt> {
        tenant.require(Capability::Kassa)?;
        receipts::receipt(&*tenant.db.conn()?, id)?.ok_or(Error::NotFound)
    }

    /// Finalizes a draft with its payments: numbered, worked out, journaled; refused (and
    /// nothing written) when it is not a draft, its session is closed, or the payments do not
    /// settle it.
    pub fn finalize_receipt(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ReceiptId,
        payments: &[PaymentInput],
    ) -> Result<Receipt> {
        tenant.require(Capability::Kassa)?;
        let now = self.stamp();
        let done = tenant
            .db
            .write(|tx| finalize_in(tx, actor, id, payments, &now))?;
        self.wake_jobs(tenant.slug());
        Ok(done)
    }

    /// Gives up a draft: it stays, voided, and the journal says so.
    pub fn void_receipt(&self, tenant: &Tenant, actor: &User, id: ReceiptId) -> Result<()> {
        tenant.require(Capability::Kassa)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let r = receipts::receipt(tx, id)?.ok_or(Error::NotFound)?;
            if r.status != ReceiptStatus::Draft {
                return Err(Error::Conflict(
                    "Only a draft can be voided; a finalized receipt never changes.".into(),
                ));
            }
            receipts::void(tx, id)?;
            let event = json!({ "receipt_id": id, "session_id": r.session_id, "by": actor.id });
            record(tx, r.register_id, "draft.voided", event, &now)
        })
    }
}

fn finalize_in(
    tx: &Write,
    actor: &User,
    id: ReceiptId,
    payments: &[PaymentInput],
    now: &str,
) -> Result<Receipt> {
    let draft = receipts::receipt(tx, id)?.ok_or(Error::NotFound)?;
    if draft.status != ReceiptStatus::Draft {
        return Err(Error::Conflict(
            "A finalized receipt never changes; make a credit receipt instead.".into(),
        ));
    }
    open_one(tx, draft.session_id)?;
    let sum = totals(&inputs(&draft.lines), draft.discount, sign_of(&draft))?;
    let settled = settle(sum.total, payments)?;
    let register = store::register_by_id(tx, draft.register_id)?.ok_or(Error::NotFound)?;
    let mut grand = register.grand_totals;
    grand.add(&Counted {
        number: register.next_number,
        credit: draft.credit_of.is_some(),
        total: sum.total,
        discounts: sum.discounts,
        tips: sum.tips,
        rounding: settled.rounding,
        per_rate: sum.per_rate.clone(),
        payments: Vec::new(),
    });
    let number = store::take_number(tx, draft.register_id, &grand)?;
    receipts::finalize(tx, id, number, (&sum, &settled), now)?;
    for l in &draft.lines {
        if let Some(p) = l.product_id {
            store::take_stock(tx, p, l.quantity * sign_of(&draft))?;
        }
    }
    let done = receipts::receipt(tx, id)?.ok_or(Error::NotFound)?;
    let event = json!({ "receipt": done.journal_form(), "grand_totals": grand, "by": actor.id });
    record(tx, draft.register_id, "receipt.finalized", event, now)?;
    Ok(done)
}
