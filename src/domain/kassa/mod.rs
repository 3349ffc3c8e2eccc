//! The kassa (capability `kassa`): receipts with their lines, discounts, VAT and payments
//! (`receipt`), the tamper-evident journal every register event goes into (`journal`), and
//! the cash count and reports of a register session (`session`). Amounts are minor units
//! (cents), VAT included; rates are basis points (2100 is 21 %).

pub mod device;
pub mod journal;
pub mod receipt;
pub mod session;

#[cfg(test)]
mod tests;

/// How a payment is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Cash,
    Card,
    GiftCard,
    BankTransfer,
    Other,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Cash,
        Method::Card,
        Method::GiftCard,
        Method::BankTransfer,
        Method::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Cash => "cash",
            Method::Card => "card",
            Method::GiftCard => "gift_card",
            Method::BankTransfer => "bank_transfer",
            Method::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// A payment method's name in the reader's language.
pub fn method_word(w: &crate::domain::words::Words, method: &str) -> &'static str {
    match method {
        "cash" => w.kassa_m_cash,
        "card" => w.kassa_m_card,
        "gift_card" => w.kassa_m_gift_card,
        "bank_transfer" => w.kassa_m_bank_transfer,
        _ => w.kassa_m_other,
    }
}

/// A VAT rate as people read it: `21 %`, or outside VAT.
pub fn rate_word(w: &crate::domain::words::Words, code: &str, basis_points: i64) -> String {
    if code == "exempt" {
        return w.kassa_outside_vat.to_string();
    }
    let whole = basis_points / 100;
    match basis_points % 100 {
        0 => format!("{whole} %"),
        part => format!("{whole},{part:02} %"),
    }
}

/// A VAT rate as the settings hold it: its code (`high`, `low`, `zero`, `exempt`), its basis
/// points, and the days it holds (`until` exclusive, none: still).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VatRate {
    pub code: String,
    pub basis_points: i64,
    pub valid_from: String,
    pub valid_until: Option<String>,
}

/// The rate of `code` on `day` (`YYYY-MM-DD`) among `rates`, if one holds then.
pub fn rate_on<'a>(rates: &'a [VatRate], code: &str, day: &str) -> Option<&'a VatRate> {
    rates.iter().find(|r| {
        r.code == code
            && r.valid_from.as_str() <= day
            && r.valid_until.as_deref().is_none_or(|u| day < u)
    })
}

/// `n × numerator / denominator` rounded to the nearest whole number, halves away from zero
/// (so a refund rounds as its sale did).
pub fn round_div(n: i64, numerator: i64, denominator: i64) -> i64 {
    let product = i128::from(n) * i128::from(numerator);
    let d = i128::from(denominator);
    let q = product / d;
    let r = product % d;
    let adjust = if 2 * r.abs() >= d.abs() {
        if (product < 0) != (d < 0) { -1 } else { 1 }
    } else {
        0
    };
    (q + adjust) as i64
}

/// Dutch cash rounding: an amount paid in cash is rounded to 5 cents (1, 2 down to 0; 3, 4
/// up to 5; 6, 7 down to 5; 8, 9 up to 10), on the cash part only.
pub fn round_cash(amount: i64) -> i64 {
    round_div(amount, 1, 5) * 5
}

use crate::domain::ids::{
    AppointmentId, ContactId, ProductId, ReceiptId, RegisterId, RegisterSessionId, UserId,
};
use receipt::{Discount, LineKind, Payment, RateTotal};
use session::GrandTotals;

/// Something sold over the counter beside the services.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub sku: Option<String>,
    /// `retail`, `package` or `gift_card` (each one sold issues a card of its price).
    pub kind: String,
    pub price: i64,
    pub vat_code: String,
    /// How many are in stock, when counted.
    pub stock: Option<i64>,
    pub active: bool,
}

/// A product as typed, checked before it is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewProduct {
    pub name: String,
    pub sku: String,
    pub kind: String,
    pub price: i64,
    pub vat_code: String,
    pub stock: Option<i64>,
}

impl NewProduct {
    pub fn checked(mut self) -> crate::error::Result<NewProduct> {
        use crate::error::{Error, FieldError};
        self.name = self.name.trim().to_string();
        self.sku = self.sku.trim().to_string();
        if self.kind.is_empty() {
            self.kind = "retail".into();
        }
        if self.vat_code.is_empty() {
            self.vat_code = "high".into();
        }
        let mut errors = Vec::new();
        if self.name.is_empty() || self.name.chars().count() > 120 {
            errors.push(FieldError::new("name", "must be 1 to 120 characters"));
        }
        if self.sku.chars().count() > 60 {
            errors.push(FieldError::new("sku", "must be at most 60 characters"));
        }
        if !matches!(self.kind.as_str(), "retail" | "package" | "gift_card") {
            errors.push(FieldError::new(
                "kind",
                "must be retail, package or gift_card",
            ));
        }
        // A gift card is a voucher for anything: VAT is due when it is spent, not sold.
        if self.kind == "gift_card" {
            self.vat_code = "exempt".into();
        }
        if !(0..=100_000_000).contains(&self.price) {
            errors.push(FieldError::new("price", "must be from 0 to 1000000.00"));
        }
        if !matches!(self.vat_code.as_str(), "high" | "low" | "zero" | "exempt") {
            errors.push(FieldError::new(
                "vat_code",
                "must be high, low, zero or exempt",
            ));
        }
        if self.stock.is_some_and(|s| s < 0) {
            errors.push(FieldError::new("stock", "cannot be negative"));
        }
        match Error::fields(errors) {
            Some(e) => Err(e),
            None => Ok(self),
        }
    }
}

/// A register: its next receipt number and its grand totals.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Register {
    pub id: RegisterId,
    pub name: String,
    pub next_number: i64,
    pub grand_totals: GrandTotals,
    /// Its open session, if one is open.
    pub open_session: Option<RegisterSessionId>,
    /// Whether its checkouts are practice (training mode).
    pub training: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegisterSession {
    pub id: RegisterSessionId,
    pub register_id: RegisterId,
    pub opened_at: String,
    pub float: i64,
    pub closed_at: Option<String>,
    pub counted: Option<i64>,
    pub expected: Option<i64>,
}

/// A receipt as a session's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReceiptRow {
    pub id: ReceiptId,
    pub number: Option<i64>,
    pub status: String,
    pub total: i64,
}

/// Where a receipt is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    Draft,
    Final,
    Void,
}

impl ReceiptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptStatus::Draft => "draft",
            ReceiptStatus::Final => "final",
            ReceiptStatus::Void => "void",
        }
    }

    pub fn parse(s: &str) -> Option<ReceiptStatus> {
        [
            ReceiptStatus::Draft,
            ReceiptStatus::Final,
            ReceiptStatus::Void,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// A line as stored: what was asked (`input`), what it came to once finalized.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReceiptLine {
    pub kind: LineKind,
    pub description: String,
    pub quantity: i64,
    pub unit_price: i64,
    #[serde(skip)]
    pub line_discount: Discount,
    pub vat_code: Option<String>,
    pub vat_rate: Option<i64>,
    pub discount: i64,
    pub gross: i64,
    pub vat: i64,
    pub service_id: Option<i64>,
    pub product_id: Option<ProductId>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Receipt {
    pub id: ReceiptId,
    pub register_id: RegisterId,
    pub session_id: RegisterSessionId,
    pub number: Option<i64>,
    pub status: ReceiptStatus,
    pub credit_of: Option<ReceiptId>,
    pub contact_id: Option<ContactId>,
    pub appointment_id: Option<AppointmentId>,
    pub staff_id: Option<UserId>,
    #[serde(skip)]
    pub discount: Discount,
    pub total: i64,
    pub rounding: i64,
    pub change: i64,
    pub per_rate: Vec<RateTotal>,
    pub lines: Vec<ReceiptLine>,
    pub payments: Vec<Payment>,
    /// The codes of the gift cards it issued.
    pub gift_cards: Vec<String>,
    pub created_at: String,
    pub finalized_at: Option<String>,
    /// A practice receipt, made in training mode: never numbered, never counted.
    pub training: bool,
}

impl Receipt {
    /// The short code that finds a finalized receipt: its register and number (`1-42`).
    pub fn code(&self) -> Option<String> {
        self.number.map(|n| format!("{}-{n}", self.register_id))
    }

    /// What the journal holds of a finalized receipt, and what `onebox check` compares its
    /// rows with: every figure that counts, nothing that may change later.
    pub fn journal_form(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "number": self.number,
            "register_id": self.register_id,
            "session_id": self.session_id,
            "credit_of": self.credit_of,
            "contact_id": self.contact_id,
            "appointment_id": self.appointment_id,
            "staff_id": self.staff_id,
            "total": self.total,
            "rounding": self.rounding,
            "change": self.change,
            "per_rate": self.per_rate,
            "lines": self.lines,
            "payments": self.payments,
            "finalized_at": self.finalized_at,
        })
    }
}

/// A period's revenue: per day of the workspace (receipts, amount), and per person, service
/// and product (name, how many, amount).
pub struct Revenue {
    pub per_day: Vec<(chrono::NaiveDate, i64, i64)>,
    pub per_staff: Vec<(String, i64, i64)>,
    pub per_service: Vec<(String, i64, i64)>,
    pub per_product: Vec<(String, i64, i64)>,
}

/// A receipt's short code read back: (register, number).
pub fn parse_code(text: &str) -> Option<(RegisterId, i64)> {
    let (register, number) = text.trim().split_once('-')?;
    Some((
        RegisterId(register.trim().parse().ok()?),
        number.trim().parse().ok()?,
    ))
}

/// A contact's purchases as their 360 view shows them: their last receipts (id, code, when,
/// total) and their gift cards (code, balance).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purchases {
    pub receipts: Vec<(ReceiptId, String, String, i64)>,
    pub gift_cards: Vec<(String, i64)>,
    pub currency: String,
}
