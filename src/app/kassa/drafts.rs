//! Drafts: a checkout's receipt while it is being made (from an appointment, for a contact,
//! or a walk-in), its lines of services, products, free text and tips looked up and checked,
//! and credit receipts that pay back lines of a finalized one.

use super::sessions::{at_register, open_one};
use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::crm::Entity;
use crate::domain::ids::{
    AppointmentId, ContactId, ProductId, ReceiptId, RegisterSessionId, ServiceId, UserId,
};
use crate::domain::kassa::receipt::{Discount, LineInput, LineKind, totals};
use crate::domain::kassa::{Receipt, ReceiptLine, ReceiptStatus, rate_on};
use crate::error::{Error, Result};
use crate::store::kassa::{self as store, receipts};
use crate::store::users::User;
use crate::store::{Connection, Write};

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
            // A gift card is outside VAT when sold: VAT is due when it is spent.
            code = if p.kind == "gift_card" {
                Some("exempt".into())
            } else {
                code.or(Some(p.vat_code))
            };
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

/// A stored line as a draft's line again (its price and VAT as they were looked up).
fn as_draft(l: &ReceiptLine) -> DraftLine {
    DraftLine {
        kind: l.kind.as_str().into(),
        service_id: l.service_id.map(ServiceId),
        product_id: l.product_id,
        description: l.description.clone(),
        quantity: l.quantity,
        unit_price: Some(l.unit_price),
        discount: l.line_discount,
        vat_code: l.vat_code.clone(),
    }
}

/// The receipt's lines as the arithmetic takes them.
pub(super) fn inputs(lines: &[ReceiptLine]) -> Vec<LineInput> {
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

pub(super) fn sign_of(r: &Receipt) -> i64 {
    if r.credit_of.is_some() { -1 } else { 1 }
}

/// The lines a credit receipt gives back of `original`: (position, how many) each, never more
/// than is left of a line, with its part of what was taken off it.
fn credit_lines(
    tx: &Write,
    original: &Receipt,
    lines: &[(usize, i64)],
) -> Result<Vec<ReceiptLine>> {
    let given_back = receipts::returned_of(tx, original.id)?;
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
        if let Some(p) = l.product_id
            && store::product_by_id(tx, p)?.is_some_and(|p| p.kind == "gift_card")
        {
            return Err(Error::field(
                &format!("lines[{i}].position"),
                "is a gift card: spend it instead of taking it back",
            ));
        }
        // What was taken off the line (its own discount and its share of the
        // receipt's), for the part given back: so a refund pays what was paid.
        let off = crate::domain::kassa::round_div(l.discount, *n, l.quantity);
        back.push(ReceiptLine {
            quantity: *n,
            line_discount: if off == 0 {
                Discount::None
            } else {
                Discount::Amount(off)
            },
            ..l.clone()
        });
    }
    Ok(back)
}

/// Whether the session's register is in training mode (its drafts are practice).
fn in_training(conn: &Connection, s: &crate::domain::kassa::RegisterSession) -> Result<bool> {
    Ok(store::register_by_id(conn, s.register_id)?
        .ok_or(Error::NotFound)?
        .training)
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
        let dev = &*self.fiscal;
        let today = crate::domain::local_time::today(self.now(), tenant.zone_of(None)).to_string();
        tenant.db.write(|tx| {
            let s = at_register((tx, dev), session, actor, &now)?;
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
            if !lines.is_empty() {
                totals(&inputs(&lines), d.discount, 1)?;
            }
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
                    training: in_training(tx, &s)?,
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
        let dev = &*self.fiscal;
        tenant.db.write(|tx| {
            let s = at_register((tx, dev), session, actor, &now)?;
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
            let back = credit_lines(tx, &original, lines)?;
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
                    training: in_training(tx, &s)?,
                },
                &now,
            )
        })
    }

    /// A draft for an appointment's checkout: its services as lines, its client attached.
    pub fn checkout_appointment(
        &self,
        tenant: &Tenant,
        actor: &User,
        session: RegisterSessionId,
        appointment: AppointmentId,
    ) -> Result<ReceiptId> {
        let a = crate::store::appointments::appointment(&*tenant.db.conn()?, appointment)?
            .ok_or_else(|| Error::field("appointment_id", "does not exist"))?;
        let lines = a
            .services
            .iter()
            .map(|s| DraftLine {
                kind: "service".into(),
                service_id: Some(*s),
                quantity: 1,
                ..DraftLine::default()
            })
            .collect();
        let draft = Draft {
            session_id: Some(session),
            contact_id: Some(a.contact_id),
            appointment_id: Some(a.id),
            staff_id: Some(a.staff_id),
            lines,
            discount: Discount::None,
        };
        self.draft_receipt(tenant, actor, &draft)
    }

    /// Changes a draft: its lines (`edit` gets them and may add or remove) and its discount.
    pub fn edit_draft(
        &self,
        tenant: &Tenant,
        id: ReceiptId,
        edit: impl FnOnce(&mut Vec<DraftLine>, &mut Discount),
    ) -> Result<()> {
        tenant.require(Capability::Kassa)?;
        let today = crate::domain::local_time::today(self.now(), tenant.zone_of(None)).to_string();
        tenant.db.write(|tx| {
            let r = receipts::receipt(tx, id)?.ok_or(Error::NotFound)?;
            if r.status != ReceiptStatus::Draft {
                return Err(Error::Conflict(
                    "A finalized receipt never changes; make a credit receipt instead.".into(),
                ));
            }
            open_one(tx, r.session_id)?;
            let mut lines: Vec<DraftLine> = r.lines.iter().map(as_draft).collect();
            let mut discount = r.discount;
            edit(&mut lines, &mut discount);
            let lines = lines
                .iter()
                .enumerate()
                .map(|(i, l)| line_of(tx, i, l, &today))
                .collect::<Result<Vec<_>>>()?;
            if !lines.is_empty() {
                totals(&inputs(&lines), discount, sign_of(&r))?;
            }
            receipts::replace_lines(tx, id, &lines)?;
            receipts::set_discount(tx, id, discount)
        })
    }
}
