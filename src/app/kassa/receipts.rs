//! Receipts: finalized with their payments in one write that gives each the register's next
//! number, works out its figures and VAT, moves the grand totals and appends it to the
//! journal. A finalized receipt never changes: a refund or correction is a credit receipt that
//! names it (`drafts`), and a draft given up is voided (a journal event too).

use super::drafts::{inputs, sign_of};
use super::journal::record;
use super::sessions::at_register;
use crate::app::automations::events;
use crate::app::{App, Tenant};
use crate::domain::automation::Event;
use crate::domain::capability::Capability;
use crate::domain::ids::ReceiptId;
use crate::domain::kassa::device::FiscalDevice;
use crate::domain::kassa::receipt::{PaymentInput, Totals, settle, totals};
use crate::domain::kassa::session::Counted;
use crate::domain::kassa::{Method, Receipt, ReceiptStatus};
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::kassa::{self as store, receipts};
use crate::store::users::User;
use serde_json::json;

impl App {
    /// A draft's figures as they would be now (nothing is written).
    pub fn draft_totals(&self, r: &Receipt) -> Result<crate::domain::kassa::receipt::Totals> {
        totals(&inputs(&r.lines), r.discount, sign_of(r))
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
        let dev = &*self.fiscal;
        let today = crate::domain::local_time::today(self.now(), tenant.zone_of(None)).to_string();
        let done = tenant
            .db
            .write(|tx| finalize_in((tx, dev), actor, (id, payments), (&now, &today)))?;
        self.wake_jobs(tenant.slug());
        Ok(done)
    }

    /// Gives up a draft: it stays, voided, and the journal says so.
    pub fn void_receipt(&self, tenant: &Tenant, actor: &User, id: ReceiptId) -> Result<()> {
        tenant.require(Capability::Kassa)?;
        let now = self.stamp();
        let dev = &*self.fiscal;
        tenant.db.write(|tx| {
            let r = receipts::receipt(tx, id)?.ok_or(Error::NotFound)?;
            if r.status != ReceiptStatus::Draft {
                return Err(Error::Conflict(
                    "Only a draft can be voided; a finalized receipt never changes.".into(),
                ));
            }
            receipts::void(tx, id)?;
            let event = json!({ "receipt_id": id, "session_id": r.session_id, "by": actor.id });
            record(tx, dev, r.register_id, "draft.voided", event, &now)
        })
    }
}

fn finalize_in(
    (tx, dev): (&Write, &dyn FiscalDevice),
    actor: &User,
    (id, payments): (ReceiptId, &[PaymentInput]),
    (now, today): (&str, &str),
) -> Result<Receipt> {
    let draft = receipts::receipt(tx, id)?.ok_or(Error::NotFound)?;
    if draft.status != ReceiptStatus::Draft {
        return Err(Error::Conflict(
            "A finalized receipt never changes; make a credit receipt instead.".into(),
        ));
    }
    at_register((tx, dev), draft.session_id, actor, now)?;
    let draft = rates_of_today(tx, draft, today)?;
    let sum = totals(&inputs(&draft.lines), draft.discount, sign_of(&draft))?;
    let settled = settle(sum.total, payments)?;
    if draft.training {
        receipts::finalize(tx, id, None, (&sum, &settled), now)?;
        let done = receipts::receipt(tx, id)?.ok_or(Error::NotFound)?;
        let event = json!({ "receipt": done.journal_form(), "by": actor.id });
        record(tx, dev, draft.register_id, "training.receipt", event, now)?;
        return Ok(done);
    }
    gift_cards_cover(tx, &settled.payments)?;
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
    receipts::finalize(tx, id, Some(number), (&sum, &settled), now)?;
    for l in &draft.lines {
        if let Some(p) = l.product_id {
            store::take_stock(tx, p, l.quantity * sign_of(&draft))?;
        }
    }
    for p in settled
        .payments
        .iter()
        .filter(|p| p.method == Method::GiftCard)
    {
        store::use_gift_card(tx, &p.reference, id, -p.amount, now)?;
    }
    let issued = issue_gift_cards(tx, &draft, &sum, now)?;
    let done = receipts::receipt(tx, id)?.ok_or(Error::NotFound)?;
    let event = json!({ "receipt": done.journal_form(), "grand_totals": grand, "by": actor.id,
                        "gift_cards_issued": issued });
    record(tx, dev, draft.register_id, "receipt.finalized", event, now)?;
    events::push_about(tx, Event::ReceiptFinalized, (events::RECEIPT, id.0), now)?;
    Ok(done)
}

/// A sale's draft with each line's VAT rate as it is `today` (a rate may have changed since
/// the line was added). A credit receipt keeps the rates of the sale it pays back.
fn rates_of_today(tx: &Write, mut draft: Receipt, today: &str) -> Result<Receipt> {
    if draft.credit_of.is_some() {
        return Ok(draft);
    }
    let rates = store::vat_rates(tx)?;
    let mut changed = false;
    for l in &mut draft.lines {
        let Some(code) = l.vat_code.as_deref() else {
            continue;
        };
        let rate = crate::domain::kassa::rate_on(&rates, code, today).ok_or_else(|| {
            Error::field("vat_code", format!("{code:?} is not a VAT rate in use"))
        })?;
        if l.vat_rate != Some(rate.basis_points) {
            l.vat_rate = Some(rate.basis_points);
            changed = true;
        }
    }
    if changed {
        receipts::replace_lines(tx, draft.id, &draft.lines)?;
    }
    Ok(draft)
}

/// A contact's name and mail address (none: it has none), whether or not it is in the trash.
pub(super) fn contact_of(
    conn: &crate::store::Connection,
    contact: crate::domain::ids::ContactId,
) -> Result<Option<(String, Option<String>)>> {
    let record =
        crate::store::crm::records::get(conn, crate::domain::crm::Entity::Contact, contact.0)?;
    Ok(record.map(|r| {
        let email = r
            .values
            .get("email")
            .and_then(|v| v.as_str())
            .filter(|e| !e.is_empty())
            .map(str::to_string);
        (r.title(), email)
    }))
}

impl App {
    /// Mails a finalized receipt to its client, in the language they booked in (else the
    /// sender's); answers the address.
    pub fn mail_receipt(&self, tenant: &Tenant, actor: &User, id: ReceiptId) -> Result<String> {
        tenant.require(Capability::Kassa)?;
        let now = self.stamp();
        self.write_with_mail(&tenant.db, |tx| {
            let r = receipts::receipt(tx, id)?.ok_or(Error::NotFound)?;
            if r.status != ReceiptStatus::Final {
                return Err(Error::Conflict(
                    "Only a finalized receipt is mailed.".into(),
                ));
            }
            let email = match r.contact_id {
                Some(c) => contact_of(tx, c)?.and_then(|(_, email)| email),
                None => None,
            }
            .ok_or_else(|| Error::field("contact", "has no email address"))?;
            let lang = r
                .appointment_id
                .map(|a| crate::store::appointments::appointment(tx, a))
                .transpose()?
                .flatten()
                .and_then(|a| crate::domain::words::Lang::from_code(&a.client_language))
                .unwrap_or_else(|| actor.mail_lang());
            let mail = receipt_mail(tenant, &r, lang, &email);
            let what = format!("{id} to {email}");
            crate::store::audit::record(tx, Some(actor.id), "receipt.mailed", &what, &now)?;
            Ok((email, vec![mail]))
        })
    }
}

/// The receipt as its client reads it in `lang`.
fn receipt_mail(
    tenant: &Tenant,
    r: &Receipt,
    lang: crate::domain::words::Lang,
    to: &str,
) -> crate::domain::outbox::NewMail {
    use crate::domain::format::money;
    let w = lang.words();
    let currency = &tenant.account.currency;
    let when = r
        .finalized_at
        .as_deref()
        .map(|t| crate::domain::local_time::show(t, tenant.zone_of(None), lang))
        .unwrap_or_default();
    let mut figures = vec![(w.kassa_total.to_string(), money(lang, r.total, currency))];
    if let Some(code) = r.code() {
        figures.push((
            crate::domain::words::fill(w.kassa_code, &[("code", "")])
                .trim()
                .to_string(),
            code,
        ));
    }
    for p in &r.payments {
        let shown = if p.method == crate::domain::kassa::Method::Cash {
            p.tendered
        } else {
            p.amount
        };
        figures.push((
            crate::domain::kassa::method_word(w, p.method.as_str()).to_string(),
            money(lang, shown, currency),
        ));
    }
    if r.change != 0 {
        figures.push((w.kassa_change.to_string(), money(lang, r.change, currency)));
    }
    for t in &r.per_rate {
        let label = format!(
            "{} {}",
            w.kassa_vat,
            crate::domain::kassa::rate_word(w, &t.code, t.basis_points)
        );
        figures.push((label, money(lang, t.vat, currency)));
    }
    crate::mail::messages::receipt(
        lang,
        to,
        &crate::mail::messages::ReceiptMail {
            account: &tenant.account.name,
            number: r.number.unwrap_or(0),
            when: &when,
            lines: r
                .lines
                .iter()
                .map(|l| {
                    (
                        l.description.clone(),
                        l.quantity,
                        money(lang, l.gross, currency),
                    )
                })
                .collect(),
            figures,
        },
    )
}

/// Each gift card paid with exists and has enough on it (a refund onto one: that it exists).
fn gift_cards_cover(tx: &Write, payments: &[crate::domain::kassa::receipt::Payment]) -> Result<()> {
    for (i, p) in payments
        .iter()
        .enumerate()
        .filter(|(_, p)| p.method == Method::GiftCard)
    {
        let field = format!("payments[{i}].reference");
        let card = store::gift_card(tx, &p.reference)?
            .ok_or_else(|| Error::field(&field, "is not a gift card here"))?;
        if p.amount > card.balance {
            return Err(Error::field(
                &field,
                format!("has {} cents left on it", card.balance),
            ));
        }
    }
    Ok(())
}

/// The gift cards a sale's gift-card lines issue: one per unit, of its amount; their codes.
fn issue_gift_cards(tx: &Write, draft: &Receipt, sum: &Totals, now: &str) -> Result<Vec<String>> {
    let mut codes = Vec::new();
    if draft.credit_of.is_some() {
        return Ok(codes);
    }
    for (l, worked) in draft.lines.iter().zip(&sum.lines) {
        let Some(p) = l.product_id else { continue };
        if store::product_by_id(tx, p)?.is_none_or(|p| p.kind != "gift_card") {
            continue;
        }
        let each = worked.gross / l.quantity.max(1);
        for _ in 0..l.quantity {
            let code = gift_card_code();
            store::issue_gift_card(tx, (&code, each), draft.id, draft.contact_id, now)?;
            codes.push(code);
        }
    }
    Ok(codes)
}

/// A new gift card code: `GC-` and three groups of four, from 48 random bits.
fn gift_card_code() -> String {
    let hex = crate::domain::secret::new_token().to_uppercase();
    format!("GC-{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12])
}
