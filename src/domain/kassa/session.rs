//! A register session's money: the cash counted by denomination, and the report of its
//! receipts (the X report while it is open, the Z report that closes it): sales and returns,
//! per payment method and per VAT rate, discounts, tips, rounding, counts, the cash expected
//! in the drawer against the cash counted, and the register's grand totals.

use super::Method;
use super::receipt::RateTotal;
use crate::error::{Error, FieldError, Result};

/// The euro's notes and coins, in cents, largest first.
pub const DENOMINATIONS: [i64; 15] = [
    50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
];

/// The cash in a drawer from how many of each note and coin were counted.
pub fn counted(counts: &[(i64, i64)]) -> Result<i64> {
    let mut errors = Vec::new();
    let mut total = 0;
    for (denomination, n) in counts {
        if !DENOMINATIONS.contains(denomination) {
            errors.push(FieldError::new(
                &format!("count.{denomination}"),
                "is not a euro note or coin",
            ));
        } else if !(0..=100_000).contains(n) {
            errors.push(FieldError::new(
                &format!("count.{denomination}"),
                "must be from 0 to 100000",
            ));
        } else {
            total += denomination * n;
        }
    }
    match Error::fields(errors) {
        Some(e) => Err(e),
        None => Ok(total),
    }
}

/// A finalized receipt as a report adds it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub number: i64,
    /// A credit receipt (a refund or correction).
    pub credit: bool,
    pub total: i64,
    pub discounts: i64,
    pub tips: i64,
    pub rounding: i64,
    pub per_rate: Vec<RateTotal>,
    pub payments: Vec<(Method, i64)>,
}

/// A register's totals since its first receipt: they only grow.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GrandTotals {
    pub sales: i64,
    /// Below zero: what was paid back.
    pub returns: i64,
    pub per_rate: Vec<RateTotal>,
}

impl GrandTotals {
    /// The totals once `r` is added.
    pub fn add(&mut self, r: &Counted) {
        if r.credit {
            self.returns += r.total;
        } else {
            self.sales += r.total;
        }
        merge(&mut self.per_rate, &r.per_rate);
    }
}

/// Adds `more` into `into`, rate by rate.
fn merge(into: &mut Vec<RateTotal>, more: &[RateTotal]) {
    for m in more {
        match into
            .iter_mut()
            .find(|r| r.code == m.code && r.basis_points == m.basis_points)
        {
            Some(r) => {
                r.net += m.net;
                r.vat += m.vat;
                r.gross += m.gross;
            }
            None => into.push(m.clone()),
        }
    }
    into.sort_by(|a, b| {
        b.basis_points
            .cmp(&a.basis_points)
            .then(a.code.cmp(&b.code))
    });
}

/// The X or Z report of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub float: i64,
    pub receipts: i64,
    pub credit_receipts: i64,
    /// Drawer openings without a sale.
    pub no_sales: i64,
    pub voided_drafts: i64,
    pub first_number: Option<i64>,
    pub last_number: Option<i64>,
    pub sales: i64,
    pub returns: i64,
    pub discounts: i64,
    pub tips: i64,
    pub rounding: i64,
    /// Per payment method (`cash`, `card`, …), what was paid in less what was paid back.
    pub per_method: Vec<(String, i64)>,
    pub per_rate: Vec<RateTotal>,
    pub cash_in: i64,
    pub cash_out: i64,
    /// The float, cash taken less cash paid back, cash put in less taken out.
    pub expected_cash: i64,
    pub counted_cash: Option<i64>,
    /// Counted less expected.
    pub variance: Option<i64>,
    pub grand_totals: GrandTotals,
}

/// What a session's report adds up besides its receipts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawer {
    pub float: i64,
    pub cash_in: i64,
    pub cash_out: i64,
    pub no_sales: i64,
    pub voided_drafts: i64,
    pub counted: Option<i64>,
}

/// The report of a session with `receipts` (in number order), its drawer, and the register's
/// grand totals after them.
pub fn report(receipts: &[Counted], drawer: Drawer, grand_totals: GrandTotals) -> Report {
    let mut r = Report {
        float: drawer.float,
        no_sales: drawer.no_sales,
        voided_drafts: drawer.voided_drafts,
        cash_in: drawer.cash_in,
        cash_out: drawer.cash_out,
        grand_totals,
        ..Report::default()
    };
    let mut methods: Vec<(Method, i64)> = Vec::new();
    for c in receipts {
        if c.credit {
            r.credit_receipts += 1;
            r.returns += c.total;
        } else {
            r.receipts += 1;
            r.sales += c.total;
        }
        r.first_number = Some(r.first_number.map_or(c.number, |n| n.min(c.number)));
        r.last_number = Some(r.last_number.map_or(c.number, |n| n.max(c.number)));
        r.discounts += c.discounts;
        r.tips += c.tips;
        r.rounding += c.rounding;
        merge(&mut r.per_rate, &c.per_rate);
        for (m, amount) in &c.payments {
            match methods.iter_mut().find(|(k, _)| k == m) {
                Some((_, sum)) => *sum += amount,
                None => methods.push((*m, *amount)),
            }
        }
    }
    methods.sort();
    let cash: i64 = methods
        .iter()
        .filter(|(m, _)| *m == Method::Cash)
        .map(|(_, a)| a)
        .sum();
    r.per_method = methods
        .into_iter()
        .map(|(m, a)| (m.as_str().to_string(), a))
        .collect();
    r.expected_cash = drawer.float + cash + drawer.cash_in - drawer.cash_out;
    r.counted_cash = drawer.counted;
    r.variance = drawer.counted.map(|c| c - r.expected_cash);
    r
}
