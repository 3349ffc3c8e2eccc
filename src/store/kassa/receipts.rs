//! Receipts: a draft with its lines as asked, then, in the write that finalizes it, its
//! number, figures and payments; never changed after that.

use crate::domain::ids::{
    AppointmentId, ContactId, ReceiptId, RegisterId, RegisterSessionId, UserId,
};
use crate::domain::kassa::receipt::{Discount, LineKind, Payment, Settled, Totals};
use crate::domain::kassa::session::Counted;
use crate::domain::kassa::{Method, Receipt, ReceiptLine, ReceiptRow, ReceiptStatus};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

/// A draft to store: where, for whom, its discount and lines.
pub struct NewDraft<'a> {
    pub register_id: RegisterId,
    pub session_id: RegisterSessionId,
    pub credit_of: Option<ReceiptId>,
    pub contact_id: Option<ContactId>,
    pub appointment_id: Option<AppointmentId>,
    pub staff_id: Option<UserId>,
    pub discount: Discount,
    pub lines: &'a [ReceiptLine],
    pub created_by: UserId,
    pub training: bool,
}

fn discount_columns(d: Discount) -> (&'static str, i64) {
    match d {
        Discount::None => ("none", 0),
        Discount::Amount(a) => ("amount", a),
        Discount::Percent(p) => ("percent", p),
    }
}

fn discount_of(kind: &str, value: i64) -> Discount {
    match kind {
        "amount" => Discount::Amount(value),
        "percent" => Discount::Percent(value),
        _ => Discount::None,
    }
}

pub fn insert_draft(conn: &Write, d: &NewDraft, now: &str) -> Result<ReceiptId> {
    let (kind, value) = discount_columns(d.discount);
    conn.execute(
        "INSERT INTO receipts (register_id, session_id, credit_of, contact_id, appointment_id, staff_id,
                               discount_kind, discount, created_by, created_at, training)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![d.register_id, d.session_id, d.credit_of, d.contact_id, d.appointment_id, d.staff_id,
                kind, value, d.created_by, now, d.training],
    )?;
    let id = ReceiptId(conn.last_insert_rowid());
    insert_lines(conn, id, d.lines)?;
    Ok(id)
}

fn insert_lines(conn: &Write, id: ReceiptId, lines: &[ReceiptLine]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO receipt_lines (receipt_id, position, kind, description, quantity, unit_price,
                                    discount_kind, discount_value, vat_code, vat_rate, service_id, product_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (i, l) in lines.iter().enumerate() {
        let (kind, value) = discount_columns(l.line_discount);
        stmt.execute(params![
            id,
            i as i64,
            l.kind.as_str(),
            l.description,
            l.quantity,
            l.unit_price,
            kind,
            value,
            l.vat_code,
            l.vat_rate,
            l.service_id,
            l.product_id
        ])?;
    }
    Ok(())
}

fn line(r: &rusqlite::Row) -> rusqlite::Result<ReceiptLine> {
    let kind: String = r.get(0)?;
    let dk: String = r.get(4)?;
    Ok(ReceiptLine {
        kind: LineKind::parse(&kind).unwrap_or(LineKind::Free),
        description: r.get(1)?,
        quantity: r.get(2)?,
        unit_price: r.get(3)?,
        line_discount: discount_of(&dk, r.get(5)?),
        vat_code: r.get(6)?,
        vat_rate: r.get(7)?,
        discount: r.get(8)?,
        gross: r.get(9)?,
        vat: r.get(10)?,
        service_id: r.get(11)?,
        product_id: r.get(12)?,
    })
}

pub fn receipt(conn: &Connection, id: ReceiptId) -> Result<Option<Receipt>> {
    let head = conn
        .prepare_cached(
            "SELECT id, register_id, session_id, number, status, credit_of, contact_id, appointment_id,
                    staff_id, discount_kind, discount, total, rounding, change, per_rate, created_at,
                    finalized_at, training
             FROM receipts WHERE id = ?1",
        )?
        .query_row([id], |r| {
            let status: String = r.get(4)?;
            let dk: String = r.get(9)?;
            let rates: String = r.get(14)?;
            Ok(Receipt {
                id: r.get(0)?,
                register_id: r.get(1)?,
                session_id: r.get(2)?,
                number: r.get(3)?,
                status: ReceiptStatus::parse(&status).unwrap_or(ReceiptStatus::Draft),
                credit_of: r.get(5)?,
                contact_id: r.get(6)?,
                appointment_id: r.get(7)?,
                staff_id: r.get(8)?,
                discount: discount_of(&dk, r.get(10)?),
                total: r.get(11)?,
                rounding: r.get(12)?,
                change: r.get(13)?,
                per_rate: serde_json::from_str(&rates).unwrap_or_default(),
                lines: Vec::new(),
                payments: Vec::new(),
                gift_cards: Vec::new(),
                created_at: r.get(15)?,
                finalized_at: r.get(16)?,
                training: r.get(17)?,
            })
        })
        .optional()?;
    let Some(mut receipt) = head else {
        return Ok(None);
    };
    receipt.lines = conn
        .prepare_cached(
            "SELECT kind, description, quantity, unit_price, discount_kind, discount_value, vat_code,
                    vat_rate, discount, gross, vat, service_id, product_id
             FROM receipt_lines WHERE receipt_id = ?1 ORDER BY position",
        )?
        .query_map([id], line)?
        .collect::<rusqlite::Result<_>>()?;
    receipt.payments = conn
        .prepare_cached(
            "SELECT method, amount, tendered, reference FROM receipt_payments
             WHERE receipt_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            let method: String = r.get(0)?;
            Ok(Payment {
                method: Method::parse(&method).unwrap_or(Method::Other),
                amount: r.get(1)?,
                tendered: r.get(2)?,
                reference: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    receipt.gift_cards = super::gift_cards_of(conn, id)?;
    Ok(Some(receipt))
}

/// Replaces a draft's lines (a receipt that is not a draft keeps them: the triggers refuse).
pub fn replace_lines(conn: &Write, id: ReceiptId, lines: &[ReceiptLine]) -> Result<()> {
    conn.execute("DELETE FROM receipt_lines WHERE receipt_id = ?1", [id])?;
    insert_lines(conn, id, lines)
}

/// Sets a draft's discount on the whole.
pub fn set_discount(conn: &Write, id: ReceiptId, d: Discount) -> Result<()> {
    let (kind, value) = discount_columns(d);
    conn.execute(
        "UPDATE receipts SET discount_kind = ?2, discount = ?3 WHERE id = ?1 AND status = 'draft'",
        params![id, kind, value],
    )?;
    Ok(())
}

/// The finalized receipt of a register with that number.
pub fn by_number(
    conn: &Connection,
    register: RegisterId,
    number: i64,
) -> Result<Option<ReceiptId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM receipts WHERE register_id = ?1 AND number = ?2")?
        .query_row(params![register, number], |r| r.get(0))
        .optional()?)
}

/// A session's receipts, newest first, at most `limit`.
pub fn of_session(
    conn: &Connection,
    session: RegisterSessionId,
    limit: i64,
) -> Result<Vec<ReceiptRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, number, iif(training AND status = 'void', 'training', status), total
             FROM receipts WHERE session_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?
        .query_map(params![session, limit], |r| {
            Ok(ReceiptRow {
                id: r.get(0)?,
                number: r.get(1)?,
                status: r.get(2)?,
                total: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Stores a draft's worked-out figures and payments, and ends it: finalized with `number`, or
/// (none: a training receipt) voided, numberless, with its figures kept.
pub fn finalize(
    conn: &Write,
    id: ReceiptId,
    number: Option<i64>,
    (totals, settled): (&Totals, &Settled),
    now: &str,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE receipt_lines SET discount = ?3, gross = ?4, vat = ?5 WHERE receipt_id = ?1 AND position = ?2",
    )?;
    for (i, l) in totals.lines.iter().enumerate() {
        stmt.execute(params![id, i as i64, l.discount, l.gross, l.vat])?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO receipt_payments (receipt_id, position, method, amount, tendered, reference)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, p) in settled.payments.iter().enumerate() {
        stmt.execute(params![
            id,
            i as i64,
            p.method.as_str(),
            p.amount,
            p.tendered,
            p.reference
        ])?;
    }
    conn.execute(
        "UPDATE receipts SET number = ?2, status = iif(?2 IS NULL, 'void', 'final'), total = ?3,
                rounding = ?4, change = ?5, per_rate = ?6, finalized_at = ?7
         WHERE id = ?1 AND status = 'draft'",
        params![
            id,
            number,
            totals.total,
            settled.rounding,
            settled.change,
            serde_json::to_string(&totals.per_rate).unwrap_or_else(|_| "[]".into()),
            now
        ],
    )?;
    Ok(())
}

pub fn void(conn: &Write, id: ReceiptId) -> Result<()> {
    conn.execute(
        "UPDATE receipts SET status = 'void' WHERE id = ?1 AND status = 'draft'",
        [id],
    )?;
    Ok(())
}

/// A session's finalized receipts, as its report adds them up, in number order: three
/// queries, whatever the number of receipts.
pub fn counted(conn: &Connection, session: RegisterSessionId) -> Result<Vec<Counted>> {
    let mut out: Vec<Counted> = conn
        .prepare_cached(
            "SELECT r.id, r.number, r.credit_of IS NOT NULL, r.total, r.rounding, r.per_rate,
                    coalesce(sum(l.discount), 0), coalesce(sum(CASE WHEN l.kind = 'tip' THEN l.gross END), 0)
             FROM receipts r LEFT JOIN receipt_lines l ON l.receipt_id = r.id
             WHERE r.session_id = ?1 AND r.status = 'final' GROUP BY r.id ORDER BY r.number",
        )?
        .query_map([session], |r| {
            let rates: String = r.get(5)?;
            Ok(Counted {
                number: r.get(1)?,
                credit: r.get(2)?,
                total: r.get(3)?,
                rounding: r.get(4)?,
                per_rate: serde_json::from_str(&rates).unwrap_or_default(),
                discounts: r.get(6)?,
                tips: r.get(7)?,
                payments: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut payments = conn.prepare_cached(
        "SELECT r.number, p.method, p.amount FROM receipts r JOIN receipt_payments p ON p.receipt_id = r.id
         WHERE r.session_id = ?1 AND r.status = 'final' ORDER BY r.number, p.position",
    )?;
    let rows = payments.query_map([session], |r| {
        let method: String = r.get(1)?;
        Ok((r.get::<_, i64>(0)?, method, r.get::<_, i64>(2)?))
    })?;
    for row in rows {
        let (number, method, amount) = row?;
        // `out` is in number order.
        if let Ok(i) = out.binary_search_by_key(&number, |c| c.number) {
            out[i]
                .payments
                .push((Method::parse(&method).unwrap_or(Method::Other), amount));
        }
    }
    Ok(out)
}

/// How many drafts of a session were voided.
pub fn voided(conn: &Connection, session: RegisterSessionId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM receipts WHERE session_id = ?1 AND status = 'void' AND NOT training",
        [session],
        |r| r.get(0),
    )?)
}

/// The finalized receipts of a register, in number order (for `onebox check`).
pub fn final_ids(conn: &Connection, register: RegisterId) -> Result<Vec<(ReceiptId, i64)>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, number FROM receipts WHERE register_id = ?1 AND status = 'final' ORDER BY number",
        )?
        .query_map([register], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// How many of `product` a credit receipt already gave back of receipt `of` (per line).
pub fn returned_of(conn: &Connection, of: ReceiptId) -> Result<Vec<(String, i64)>> {
    let rows = conn
        .prepare_cached(
            "SELECT l.description, sum(l.quantity) FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id
             WHERE r.credit_of = ?1 AND r.status = 'final' GROUP BY l.description",
        )?
        .query_map([of], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
