//! The kassa's use cases: products and registers (here); register sessions with their cash
//! and reports (`sessions`); receipts from draft to final, voids and credit receipts
//! (`receipts`); the journal every register event goes into, and its check (`journal`).
//! Every money write is one transaction with its journal row, so the journal has every event
//! or none of it happened.

mod drafts;
mod export;
mod journal;
mod receipts;
mod sessions;

pub use drafts::{Draft, DraftLine};
pub use journal::problems;

use crate::app::catalog::admin;
use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::ids::{ProductId, RegisterId};
use crate::domain::kassa::{NewProduct, Product, Register};
use crate::error::{Error, Result};
use crate::store::audit;
use crate::store::kassa as store;
use crate::store::users::User;
use serde_json::json;

impl App {
    pub fn add_product(&self, tenant: &Tenant, actor: &User, p: NewProduct) -> Result<ProductId> {
        tenant.require(Capability::Kassa)?;
        admin(actor)?;
        let p = p.checked()?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            let id = store::insert_product(tx, &p, &now)?;
            audit::record(tx, Some(actor.id), "product.created", &p.name, &now)?;
            Ok(id)
        })
    }

    pub fn vat_rates(&self, tenant: &Tenant) -> Result<Vec<crate::domain::kassa::VatRate>> {
        tenant.require(Capability::Kassa)?;
        store::vat_rates(&*tenant.db.conn()?)
    }

    /// A new rate for `code` from `from` on (today or later: receipts made never change), the
    /// old one ending then; every register's journal records it.
    pub fn set_vat_rate(
        &self,
        tenant: &Tenant,
        actor: &User,
        (code, basis_points): (&str, i64),
        from: chrono::NaiveDate,
    ) -> Result<()> {
        tenant.require(Capability::Kassa)?;
        admin(actor)?;
        if !matches!(code, "high" | "low" | "zero") {
            return Err(Error::field("code", "must be high, low or zero"));
        }
        if !(0..=10_000).contains(&basis_points) {
            return Err(Error::field(
                "basis_points",
                "must be from 0 to 10000 (21 % is 2100)",
            ));
        }
        let today = crate::domain::local_time::today(self.now(), tenant.zone_of(None));
        if from < today {
            return Err(Error::field(
                "valid_from",
                "must be today or later: receipts made keep their rate",
            ));
        }
        let now = self.stamp();
        let dev = &*self.fiscal;
        tenant.db.write(|tx| {
            store::add_vat_rate(tx, code, basis_points, &from.to_string())?;
            let event = json!({ "code": code, "basis_points": basis_points, "valid_from": from.to_string(), "by": actor.id });
            for r in store::registers(tx)? {
                journal::record(tx, dev, r.id, "vat.changed", event.clone(), &now)?;
            }
            audit::record(tx, Some(actor.id), "vat.changed", &format!("{code} {basis_points} from {from}"), &now)
        })
    }

    /// Changes a product; a new price or VAT goes into every register's journal.
    pub fn update_product(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: ProductId,
        p: NewProduct,
        active: bool,
    ) -> Result<Product> {
        tenant.require(Capability::Kassa)?;
        admin(actor)?;
        let p = p.checked()?;
        let now = self.stamp();
        let dev = &*self.fiscal;
        tenant.db.write(|tx| {
            let old = store::product_by_id(tx, id)?.ok_or(Error::NotFound)?;
            store::update_product(tx, id, &p, active, &now)?;
            if old.price != p.price || old.vat_code != p.vat_code {
                let event = json!({ "product_id": id, "name": p.name, "price": [old.price, p.price],
                                    "vat_code": [old.vat_code, p.vat_code], "by": actor.id });
                for r in store::registers(tx)? {
                    journal::record(tx, dev, r.id, "price.changed", event.clone(), &now)?;
                }
            }
            audit::record(tx, Some(actor.id), "product.changed", &p.name, &now)?;
            store::product_by_id(tx, id)?.ok_or(Error::NotFound)
        })
    }

    pub fn product(&self, tenant: &Tenant, id: ProductId) -> Result<Product> {
        tenant.require(Capability::Kassa)?;
        store::product_by_id(&*tenant.db.conn()?, id)?.ok_or(Error::NotFound)
    }

    pub fn products(&self, tenant: &Tenant) -> Result<Vec<Product>> {
        tenant.require(Capability::Kassa)?;
        store::products(&*tenant.db.conn()?)
    }

    /// The active product a cashier typed: its SKU, or else its name.
    pub fn product_named(&self, tenant: &Tenant, text: &str) -> Result<Option<Product>> {
        tenant.require(Capability::Kassa)?;
        store::product_named(&*tenant.db.conn()?, text)
    }

    /// A register: it numbers its own receipts and keeps its own journal, which it starts.
    pub fn add_register(&self, tenant: &Tenant, actor: &User, name: &str) -> Result<RegisterId> {
        tenant.require(Capability::Kassa)?;
        admin(actor)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(Error::field("name", "must be 1 to 60 characters"));
        }
        let now = self.stamp();
        let dev = &*self.fiscal;
        tenant.db.write(|tx| {
            let id = store::insert_register(tx, name, &now)?;
            let event = json!({ "name": name, "by": actor.id });
            journal::record(tx, dev, id, "register.created", event, &now)?;
            Ok(id)
        })
    }

    /// A session's receipts, newest first (the last 100).
    pub fn session_receipts(
        &self,
        tenant: &Tenant,
        session: crate::domain::ids::RegisterSessionId,
    ) -> Result<Vec<crate::domain::kassa::ReceiptRow>> {
        tenant.require(Capability::Kassa)?;
        store::receipts::of_session(&*tenant.db.conn()?, session, 100)
    }

    /// A receipt's contact: their name and mail address (kept even once in the trash).
    pub fn receipt_contact(
        &self,
        tenant: &Tenant,
        contact: crate::domain::ids::ContactId,
    ) -> Result<Option<(String, Option<String>)>> {
        tenant.require(Capability::Kassa)?;
        receipts::contact_of(&*tenant.db.conn()?, contact)
    }

    /// Checks every register's journal and receipts now, and keeps what it found.
    pub fn check_kassa(&self, tenant: &Tenant) -> Result<(i64, Vec<String>)> {
        tenant.require(Capability::Kassa)?;
        let (rows, problems) = journal::verify_all(&*tenant.db.conn()?)?;
        let now = self.stamp();
        tenant
            .db
            .write(|tx| store::record_check(tx, rows, &problems, &now))?;
        if !problems.is_empty() {
            crate::warn!(
                "kassa check tenant={} problems={}",
                tenant.slug(),
                problems.len()
            );
        }
        Ok((rows, problems))
    }

    /// What the last check of the journals found: when, rows that held, problems.
    pub fn last_kassa_check(&self, tenant: &Tenant) -> Result<Option<(String, i64, Vec<String>)>> {
        tenant.require(Capability::Kassa)?;
        store::last_check(&*tenant.db.conn()?)
    }

    pub fn gift_card(&self, tenant: &Tenant, code: &str) -> Result<store::GiftCard> {
        tenant.require(Capability::Kassa)?;
        store::gift_card(&*tenant.db.conn()?, code)?.ok_or(Error::NotFound)
    }

    /// The codes of the gift cards a receipt issued.
    pub fn gift_cards_of(
        &self,
        tenant: &Tenant,
        receipt: crate::domain::ids::ReceiptId,
    ) -> Result<Vec<String>> {
        tenant.require(Capability::Kassa)?;
        store::gift_cards_of(&*tenant.db.conn()?, receipt)
    }

    /// The receipt a short code (`1-42`) names, if any.
    pub fn receipt_by_code(
        &self,
        tenant: &Tenant,
        code: &str,
    ) -> Result<Option<crate::domain::ids::ReceiptId>> {
        tenant.require(Capability::Kassa)?;
        let Some((register, number)) = crate::domain::kassa::parse_code(code) else {
            return Ok(None);
        };
        store::receipts::by_number(&*tenant.db.conn()?, register, number)
    }

    /// A contact's last receipts and gift cards for their 360 view; `None` where the kassa is
    /// off.
    pub fn purchases(
        &self,
        tenant: &Tenant,
        contact: crate::domain::ids::ContactId,
    ) -> Result<Option<crate::domain::kassa::Purchases>> {
        if tenant.require(Capability::Kassa).is_err() {
            return Ok(None);
        }
        let mut p = store::reports::purchases_of(&*tenant.db.conn()?, contact, 5)?;
        p.currency = tenant.account.currency.clone();
        Ok(Some(p))
    }

    pub fn registers(&self, tenant: &Tenant) -> Result<Vec<Register>> {
        tenant.require(Capability::Kassa)?;
        store::registers(&*tenant.db.conn()?)
    }

    pub fn register(&self, tenant: &Tenant, id: RegisterId) -> Result<Register> {
        tenant.require(Capability::Kassa)?;
        store::register_by_id(&*tenant.db.conn()?, id)?.ok_or(Error::NotFound)
    }
}
