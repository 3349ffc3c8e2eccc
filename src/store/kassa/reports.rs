//! What reports and the accountant's export read: a period's receipt lines, and its revenue
//! per person, service and product.

use crate::error::Result;
use rusqlite::{Connection, params};

/// A finalized receipt's line as the accountant's export lists it.
pub struct ExportLine {
    pub register: String,
    pub number: i64,
    pub finalized_at: String,
    pub credit_of: Option<i64>,
    pub contact: String,
    pub kind: String,
    pub description: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub discount: i64,
    pub gross: i64,
    pub vat_code: Option<String>,
    pub vat_rate: Option<i64>,
    pub vat: i64,
}

/// The lines of the receipts finalized in `[from, to)` (UTC stamps), by register and number.
pub fn export_lines(conn: &Connection, (from, to): (&str, &str)) -> Result<Vec<ExportLine>> {
    let rows = conn
        .prepare_cached(
            "SELECT g.name, r.number, r.finalized_at, o.number,
                    coalesce(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), ''),
                    l.kind, l.description, l.quantity, l.unit_price, l.discount, l.gross, l.vat_code,
                    l.vat_rate, l.vat
             FROM receipts r JOIN registers g ON g.id = r.register_id
             JOIN receipt_lines l ON l.receipt_id = r.id
             LEFT JOIN receipts o ON o.id = r.credit_of
             LEFT JOIN contacts c ON c.id = r.contact_id
             WHERE r.status = 'final' AND r.finalized_at >= ?1 AND r.finalized_at < ?2
             ORDER BY g.name, r.number, l.position",
        )?
        .query_map(params![from, to], |r| {
            Ok(ExportLine {
                register: r.get(0)?,
                number: r.get(1)?,
                finalized_at: r.get(2)?,
                credit_of: r.get(3)?,
                contact: r.get(4)?,
                kind: r.get(5)?,
                description: r.get(6)?,
                quantity: r.get(7)?,
                unit_price: r.get(8)?,
                discount: r.get(9)?,
                gross: r.get(10)?,
                vat_code: r.get(11)?,
                vat_rate: r.get(12)?,
                vat: r.get(13)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What a period's finalized receipts came to: each receipt's time and total, and totals per
/// person, per service and per product (name, how many, amount), largest first.
pub struct Revenue {
    pub receipts: Vec<(String, i64)>,
    pub per_staff: Vec<(String, i64, i64)>,
    pub per_service: Vec<(String, i64, i64)>,
    pub per_product: Vec<(String, i64, i64)>,
}

/// What a period's lines of `kind` came to per `by` (a service or product): name, how many,
/// gross.
fn per_line_kind(kind: &str, by: &str) -> String {
    format!(
        "SELECT l.description, sum(l.quantity), sum(l.gross)
         FROM receipts r INDEXED BY receipts_by_time JOIN receipt_lines l ON l.receipt_id = r.id
         WHERE r.status = 'final' AND r.finalized_at >= ?1 AND r.finalized_at < ?2 AND l.kind = '{kind}'
         GROUP BY l.{by} ORDER BY 3 DESC"
    )
}

pub fn revenue(conn: &Connection, (from, to): (&str, &str)) -> Result<Revenue> {
    let receipts = conn
        .prepare_cached(
            "SELECT finalized_at, total FROM receipts INDEXED BY receipts_by_time
             WHERE status = 'final' AND finalized_at >= ?1 AND finalized_at < ?2 ORDER BY finalized_at",
        )?
        .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let grouped = |sql: &str| -> Result<Vec<(String, i64, i64)>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?)
    };
    Ok(Revenue {
        receipts,
        per_staff: grouped(
            "SELECT coalesce(nullif(u.name, ''), u.email, '—'), count(*), sum(r.total)
             FROM receipts r INDEXED BY receipts_by_time LEFT JOIN users u ON u.id = r.staff_id
             WHERE r.status = 'final' AND r.finalized_at >= ?1 AND r.finalized_at < ?2
             GROUP BY r.staff_id ORDER BY 3 DESC",
        )?,
        per_service: grouped(&per_line_kind("service", "service_id"))?,
        per_product: grouped(&per_line_kind("product", "product_id"))?,
    })
}

/// A contact's last `limit` finalized receipts and their gift cards with balances.
pub fn purchases_of(
    conn: &Connection,
    contact: crate::domain::ids::ContactId,
    limit: i64,
) -> Result<crate::domain::kassa::Purchases> {
    let receipts = conn
        .prepare_cached(
            "SELECT id, register_id || '-' || number, finalized_at, total FROM receipts
             WHERE contact_id = ?1 AND status = 'final' ORDER BY finalized_at DESC LIMIT ?2",
        )?
        .query_map(params![contact, limit], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let gift_cards = conn
        .prepare_cached(
            "SELECT g.code, g.value + coalesce((SELECT sum(u.amount) FROM gift_card_uses u WHERE u.code = g.code), 0)
             FROM gift_cards g WHERE g.contact_id = ?1 ORDER BY g.created_at DESC LIMIT ?2",
        )?
        .query_map(params![contact, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(crate::domain::kassa::Purchases {
        receipts,
        gift_cards,
        currency: String::new(),
    })
}
