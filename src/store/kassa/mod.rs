//! The kassa's tables: VAT rates, products and registers (here); receipts (`receipts`),
//! register sessions with their cash moves and Z reports (`sessions`), and the journal
//! (`journal`). Nothing here deletes or changes a final row; the schema's triggers refuse it too.

pub mod journal;
pub mod receipts;
pub mod reports;
pub mod sessions;

use crate::domain::ids::{ProductId, RegisterId};
use crate::domain::kassa::session::GrandTotals;
use crate::domain::kassa::{NewProduct, Product, Register, VatRate};
use crate::error::{Error, Result};
use crate::store::Write;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

/// A write refused by a UNIQUE column, as the field's error.
pub(crate) fn unique(
    written: rusqlite::Result<usize>,
    field: &str,
    message: &str,
) -> Result<usize> {
    match written {
        Ok(n) => Ok(n),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
            Err(Error::field(field, message))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn vat_rates(conn: &Connection) -> Result<Vec<VatRate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, basis_points, valid_from, valid_until FROM vat_rates ORDER BY code, valid_from",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(VatRate {
                code: r.get(0)?,
                basis_points: r.get(1)?,
                valid_from: r.get(2)?,
                valid_until: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A rate of `code` from `from` (a day) on: the one holding then ends the day before.
pub fn add_vat_rate(conn: &Write, code: &str, basis_points: i64, from: &str) -> Result<()> {
    conn.execute(
        "UPDATE vat_rates SET valid_until = ?2 WHERE code = ?1 AND valid_until IS NULL AND valid_from < ?2",
        params![code, from],
    )?;
    let written = conn.execute(
        "INSERT INTO vat_rates (code, basis_points, valid_from) VALUES (?1, ?2, ?3)",
        params![code, basis_points, from],
    );
    unique(written, "valid_from", "already starts a rate of this code")?;
    Ok(())
}

const PRODUCT: &str = "id, name, sku, kind, price, vat_code, stock, active";

fn product(r: &rusqlite::Row) -> rusqlite::Result<Product> {
    Ok(Product {
        id: r.get(0)?,
        name: r.get(1)?,
        sku: r.get(2)?,
        kind: r.get(3)?,
        price: r.get(4)?,
        vat_code: r.get(5)?,
        stock: r.get(6)?,
        active: r.get(7)?,
    })
}

pub fn insert_product(conn: &Write, p: &NewProduct, now: &str) -> Result<ProductId> {
    let sku = (!p.sku.is_empty()).then_some(p.sku.as_str());
    let written = conn.execute(
        "INSERT INTO products (name, sku, kind, price, vat_code, stock, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![p.name, sku, p.kind, p.price, p.vat_code, p.stock, now],
    );
    unique(written, "name", "or the SKU is another product's")?;
    Ok(ProductId(conn.last_insert_rowid()))
}

/// Replaces a product's settings (and whether it is sold); `false` when there is none.
pub fn update_product(
    conn: &Write,
    id: ProductId,
    p: &NewProduct,
    active: bool,
    now: &str,
) -> Result<bool> {
    let sku = (!p.sku.is_empty()).then_some(p.sku.as_str());
    let written = conn.execute(
        "UPDATE products SET name = ?2, sku = ?3, kind = ?4, price = ?5, vat_code = ?6, stock = ?7,
                active = ?8, updated_at = ?9 WHERE id = ?1",
        params![
            id, p.name, sku, p.kind, p.price, p.vat_code, p.stock, active, now
        ],
    );
    Ok(unique(written, "name", "or the SKU is another product's")? == 1)
}

pub fn products(conn: &Connection) -> Result<Vec<Product>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PRODUCT} FROM products ORDER BY name COLLATE NOCASE"
    ))?;
    let rows = stmt
        .query_map([], product)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn product_by_id(conn: &Connection, id: ProductId) -> Result<Option<Product>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {PRODUCT} FROM products WHERE id = ?1"))?
        .query_row([id], product)
        .optional()?)
}

/// The active product whose SKU, or else name, is `text` (either case).
pub fn product_named(conn: &Connection, text: &str) -> Result<Option<Product>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {PRODUCT} FROM products WHERE active = 1 AND (sku = ?1 OR name = ?1)
             ORDER BY sku = ?1 DESC LIMIT 1"
        ))?
        .query_row([text.trim()], product)
        .optional()?)
}

/// Takes `n` of a counted product out of its stock (a credit receipt puts them back).
pub fn take_stock(conn: &Write, id: ProductId, n: i64) -> Result<()> {
    conn.execute(
        "UPDATE products SET stock = stock - ?2 WHERE id = ?1 AND stock IS NOT NULL",
        params![id, n],
    )?;
    Ok(())
}

pub fn insert_register(conn: &Write, name: &str, now: &str) -> Result<RegisterId> {
    let written = conn.execute(
        "INSERT INTO registers (name, created_at) VALUES (?1, ?2)",
        params![name, now],
    );
    unique(written, "name", "is the name of another register")?;
    Ok(RegisterId(conn.last_insert_rowid()))
}

const REGISTER: &str = "r.id, r.name, r.next_number, r.grand_sales, r.grand_returns, r.grand_rates,
    (SELECT s.id FROM register_sessions s WHERE s.register_id = r.id AND s.closed_at IS NULL),
    r.training";

fn register(r: &rusqlite::Row) -> rusqlite::Result<Register> {
    let rates: String = r.get(5)?;
    Ok(Register {
        id: r.get(0)?,
        name: r.get(1)?,
        next_number: r.get(2)?,
        grand_totals: GrandTotals {
            sales: r.get(3)?,
            returns: r.get(4)?,
            per_rate: serde_json::from_str(&rates).unwrap_or_default(),
        },
        open_session: r.get(6)?,
        training: r.get(7)?,
    })
}

pub fn registers(conn: &Connection) -> Result<Vec<Register>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {REGISTER} FROM registers r ORDER BY r.name COLLATE NOCASE"
    ))?;
    let rows = stmt
        .query_map([], register)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn register_by_id(conn: &Connection, id: RegisterId) -> Result<Option<Register>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {REGISTER} FROM registers r WHERE r.id = ?1"
        ))?
        .query_row([id], register)
        .optional()?)
}

/// Puts a register's training mode on or off; answers whether that changed it.
pub fn set_training(conn: &Write, id: RegisterId, on: bool) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE registers SET training = ?2 WHERE id = ?1 AND training <> ?2",
        params![id, on],
    )? > 0)
}

/// Gives out a register's next receipt number and keeps its grand totals: in the write that
/// finalizes the receipt, so numbers have no gaps.
pub fn take_number(conn: &Write, id: RegisterId, totals: &GrandTotals) -> Result<i64> {
    let number: i64 = conn.query_row(
        "UPDATE registers SET next_number = next_number + 1, grand_sales = ?2, grand_returns = ?3,
                grand_rates = ?4
         WHERE id = ?1 RETURNING next_number - 1",
        params![
            id,
            totals.sales,
            totals.returns,
            serde_json::to_string(&totals.per_rate).unwrap_or_else(|_| "[]".into())
        ],
        |r| r.get(0),
    )?;
    Ok(number)
}

/// Whether the file has the kassa's tables (a file of an older schema has not).
pub fn has_journal(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal')",
        [],
        |r| r.get(0),
    )?)
}

/// Whether the workspace has money records, which are kept 7 years.
pub fn has_money_records(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM journal)", [], |r| r.get(0))?)
}

/// Keeps what a check of the journals found.
pub fn record_check(conn: &Write, rows: i64, problems: &[String], now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO kassa_checks (at, rows, problems) VALUES (?1, ?2, ?3)",
        params![
            now,
            rows,
            serde_json::to_string(problems).unwrap_or_else(|_| "[]".into())
        ],
    )?;
    Ok(())
}

/// What the last check found: when, how many rows held, the problems.
pub fn last_check(conn: &Connection) -> Result<Option<(String, i64, Vec<String>)>> {
    Ok(conn
        .prepare_cached("SELECT at, rows, problems FROM kassa_checks ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| {
            let problems: String = r.get(2)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                serde_json::from_str(&problems).unwrap_or_default(),
            ))
        })
        .optional()?)
}

/// A gift card: its value and what is left of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GiftCard {
    pub code: String,
    pub value: i64,
    pub balance: i64,
    pub contact_id: Option<crate::domain::ids::ContactId>,
}

pub fn issue_gift_card(
    conn: &Write,
    (code, value): (&str, i64),
    receipt: crate::domain::ids::ReceiptId,
    contact: Option<crate::domain::ids::ContactId>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO gift_cards (code, value, receipt_id, contact_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![code, value, receipt, contact, now],
    )?;
    Ok(())
}

pub fn gift_card(conn: &Connection, code: &str) -> Result<Option<GiftCard>> {
    Ok(conn
        .prepare_cached(
            "SELECT g.code, g.value, g.value + coalesce((SELECT sum(u.amount) FROM gift_card_uses u WHERE u.code = g.code), 0),
                    g.contact_id
             FROM gift_cards g WHERE g.code = ?1",
        )?
        .query_row([code.trim().to_uppercase()], |r| {
            Ok(GiftCard {
                code: r.get(0)?,
                value: r.get(1)?,
                balance: r.get(2)?,
                contact_id: r.get(3)?,
            })
        })
        .optional()?)
}

/// A gift card spent (`amount` below zero) or paid back onto (above) by a receipt.
pub fn use_gift_card(
    conn: &Write,
    code: &str,
    receipt: crate::domain::ids::ReceiptId,
    amount: i64,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO gift_card_uses (code, receipt_id, amount, at) VALUES (?1, ?2, ?3, ?4)",
        params![code, receipt, amount, now],
    )?;
    Ok(())
}

/// The gift cards a receipt issued, in order.
pub fn gift_cards_of(
    conn: &Connection,
    receipt: crate::domain::ids::ReceiptId,
) -> Result<Vec<String>> {
    let rows = conn
        .prepare_cached("SELECT code FROM gift_cards WHERE receipt_id = ?1 ORDER BY rowid")?
        .query_map([receipt], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
