//! A receipt's arithmetic: each line's amount after its discount, the receipt's discount
//! spread over its lines (tips excepted) so that VAT is right per rate, VAT per line and per
//! rate, and the payments settled against the total, with change for cash and Dutch cash
//! rounding on the cash part only. A credit receipt is the same with amounts below zero.
//!
//! VAT per rate is taken from the rate's gross total (`gross × rate / (1 + rate)`, rounded
//! half away from zero), which is what a tax return adds up; a line's own VAT is shown for
//! the line and may differ from its share by a cent.

use super::{Method, round_cash, round_div};
use crate::error::{Error, FieldError, Result};

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Service,
    Product,
    /// Typed in at the counter.
    Free,
    /// A tip: outside VAT, and outside the receipt's discount.
    Tip,
}

impl LineKind {
    pub const ALL: [LineKind; 4] = [
        LineKind::Service,
        LineKind::Product,
        LineKind::Free,
        LineKind::Tip,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Service => "service",
            LineKind::Product => "product",
            LineKind::Free => "free",
            LineKind::Tip => "tip",
        }
    }

    pub fn parse(s: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A discount: an amount off, or a share off (basis points: 1000 is 10 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Discount {
    #[default]
    None,
    Amount(i64),
    Percent(i64),
}

impl Discount {
    /// How much it takes off `of` (never more than all of it).
    fn off(self, of: i64) -> i64 {
        match self {
            Discount::None => 0,
            Discount::Amount(a) => a.min(of.abs()) * of.signum(),
            Discount::Percent(bp) => round_div(of, bp, 10_000),
        }
    }

    fn check(self, field: &str, errors: &mut Vec<FieldError>) {
        match self {
            Discount::Amount(a) if a < 0 => {
                errors.push(FieldError::new(field, "cannot be negative"));
            }
            Discount::Percent(bp) if !(0..=10_000).contains(&bp) => {
                errors.push(FieldError::new(field, "must be from 0 to 100 %"));
            }
            _ => {}
        }
    }
}

/// A line as asked for: what, how many, at what price each (VAT included), its discount, and
/// its VAT rate (none: outside VAT, like a tip).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    pub kind: LineKind,
    pub description: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub discount: Discount,
    /// The rate's code and basis points (`None`: outside VAT).
    pub vat: Option<(String, i64)>,
}

/// A line worked out: its amount after both discounts, and its VAT.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    pub kind: LineKind,
    pub description: String,
    pub quantity: i64,
    pub unit_price: i64,
    /// Taken off by its own discount and its share of the receipt's.
    pub discount: i64,
    pub gross: i64,
    pub vat_code: Option<String>,
    pub vat_rate: Option<i64>,
    pub vat: i64,
}

/// One rate's part of a receipt (or a report): net, VAT and gross.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RateTotal {
    /// The rate's code (`exempt` for what is outside VAT, tips too).
    pub code: String,
    pub basis_points: i64,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
}

/// A payment as offered: for cash, what was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInput {
    pub method: Method,
    pub amount: i64,
    /// A gift card's code, a card terminal's reference.
    pub reference: String,
}

/// A payment as it counts: what it paid of the total (cash: after rounding and change).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Payment {
    pub method: Method,
    pub amount: i64,
    /// Cash handed over (the others: their amount).
    pub tendered: i64,
    pub reference: String,
}

/// A receipt worked out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub lines: Vec<Line>,
    /// What is due: the lines added.
    pub total: i64,
    /// All discounts together.
    pub discounts: i64,
    pub tips: i64,
    pub per_rate: Vec<RateTotal>,
}

/// What the payments came to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Settled {
    pub payments: Vec<Payment>,
    /// What cash rounding added to (or took from) the cash part.
    pub rounding: i64,
    pub change: i64,
}

/// Each line's bounds and the discounts', every refusal by its field.
fn check(lines: &[LineInput], discount: Discount) -> Result<()> {
    let mut errors = Vec::new();
    if lines.is_empty() {
        errors.push(FieldError::new(
            "lines",
            "a receipt needs at least one line",
        ));
    }
    for (i, l) in lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        if l.quantity < 1 || l.quantity > 10_000 {
            errors.push(FieldError::new(&at("quantity"), "must be from 1 to 10000"));
        }
        if l.unit_price < 0 || l.unit_price > 100_000_000 {
            errors.push(FieldError::new(
                &at("unit_price"),
                "must be from 0 to 1000000.00",
            ));
        }
        if l.description.trim().is_empty() || l.description.chars().count() > 200 {
            errors.push(FieldError::new(
                &at("description"),
                "must be 1 to 200 characters",
            ));
        }
        l.discount.check(&at("discount"), &mut errors);
    }
    discount.check("discount", &mut errors);
    match Error::fields(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Works out `lines` with `discount` off the whole (a credit receipt: `sign` −1).
pub fn totals(lines: &[LineInput], discount: Discount, sign: i64) -> Result<Totals> {
    check(lines, discount)?;
    // Each line after its own discount, as it is signed on this receipt.
    let own: Vec<i64> = lines
        .iter()
        .map(|l| {
            let full = sign * l.quantity * l.unit_price;
            full - l.discount.off(full)
        })
        .collect();
    let shared: i64 = lines
        .iter()
        .zip(&own)
        .filter(|(l, _)| l.kind != LineKind::Tip)
        .map(|(_, g)| *g)
        .sum();
    let shares = spread(discount.off(shared), lines, &own);
    let mut out = Vec::new();
    for ((l, g), share) in lines.iter().zip(&own).zip(shares) {
        let gross = g - share;
        let full = sign * l.quantity * l.unit_price;
        let (code, rate) = match (&l.vat, l.kind) {
            (Some((code, bp)), k) if k != LineKind::Tip => (Some(code.clone()), Some(*bp)),
            _ => (None, None),
        };
        out.push(Line {
            kind: l.kind,
            description: l.description.trim().to_string(),
            quantity: l.quantity,
            unit_price: l.unit_price,
            discount: full - gross,
            gross,
            vat_code: code,
            vat_rate: rate,
            vat: rate.map_or(0, |bp| round_div(gross, bp, 10_000 + bp)),
        });
    }
    Ok(Totals {
        total: out.iter().map(|l| l.gross).sum(),
        discounts: out.iter().map(|l| l.discount).sum(),
        tips: out
            .iter()
            .filter(|l| l.kind == LineKind::Tip)
            .map(|l| l.gross)
            .sum(),
        per_rate: per_rate(&out),
        lines: out,
    })
}

/// `off` spread over the lines that share the receipt's discount, in proportion to their
/// amounts, the cents left over going to the largest remainders (so the shares add up).
fn spread(off: i64, lines: &[LineInput], own: &[i64]) -> Vec<i64> {
    // Worked out on sizes; a credit receipt's shares are below zero like its lines.
    let sign = off.signum();
    let off = off.abs();
    let base: i64 = lines
        .iter()
        .zip(own)
        .filter(|(l, _)| l.kind != LineKind::Tip)
        .map(|(_, g)| g.abs())
        .sum();
    if off == 0 || base == 0 {
        return vec![0; lines.len()];
    }
    let mut shares: Vec<(i64, i128, usize)> = Vec::new();
    for (i, (l, g)) in lines.iter().zip(own).enumerate() {
        if l.kind == LineKind::Tip {
            continue;
        }
        let exact = i128::from(off) * i128::from(g.abs());
        let floor = exact.div_euclid(i128::from(base));
        shares.push((floor as i64, exact.rem_euclid(i128::from(base)), i));
    }
    let mut left = off - shares.iter().map(|s| s.0).sum::<i64>();
    shares.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let mut out = vec![0; lines.len()];
    for (floor, _, i) in &shares {
        let extra = i64::from(left > 0);
        left -= extra;
        out[*i] = (floor + extra) * sign;
    }
    out
}

/// The lines' totals per rate, from each rate's gross (outside VAT as `exempt`).
fn per_rate(lines: &[Line]) -> Vec<RateTotal> {
    let mut out: Vec<RateTotal> = Vec::new();
    for l in lines {
        let (code, bp) = match (&l.vat_code, l.vat_rate) {
            (Some(c), Some(bp)) => (c.clone(), bp),
            _ => ("exempt".to_string(), 0),
        };
        match out
            .iter_mut()
            .find(|r| r.code == code && r.basis_points == bp)
        {
            Some(r) => r.gross += l.gross,
            None => out.push(RateTotal {
                code,
                basis_points: bp,
                gross: l.gross,
                ..RateTotal::default()
            }),
        }
    }
    for r in &mut out {
        r.vat = round_div(r.gross, r.basis_points, 10_000 + r.basis_points);
        r.net = r.gross - r.vat;
    }
    out.sort_by(|a, b| {
        b.basis_points
            .cmp(&a.basis_points)
            .then(a.code.cmp(&b.code))
    });
    out
}

/// Settles `total` with `offered`: the other methods first, cash for the rest (rounded to
/// 5 cents, with change). A credit receipt (a total below zero) is paid back the same way.
pub fn settle(total: i64, offered: &[PaymentInput]) -> Result<Settled> {
    let sign = if total < 0 { -1 } else { 1 };
    let due = total * sign;
    let mut errors = Vec::new();
    for (i, p) in offered.iter().enumerate() {
        if p.amount <= 0 {
            errors.push(FieldError::new(
                &format!("payments[{i}].amount"),
                "must be more than zero",
            ));
        }
    }
    if offered.iter().filter(|p| p.method == Method::Cash).count() > 1 {
        errors.push(FieldError::new("payments", "take cash as one payment"));
    }
    if let Some(e) = Error::fields(errors) {
        return Err(e);
    }
    let others: i64 = offered
        .iter()
        .filter(|p| p.method != Method::Cash)
        .map(|p| p.amount)
        .sum();
    if others > due {
        return Err(Error::field(
            "payments",
            "the payments other than cash are more than the total",
        ));
    }
    let mut payments: Vec<Payment> = offered
        .iter()
        .filter(|p| p.method != Method::Cash)
        .map(|p| Payment {
            method: p.method,
            amount: p.amount * sign,
            tendered: p.amount * sign,
            // Gift card codes are upper case, however they are typed.
            reference: match p.method {
                Method::GiftCard => p.reference.trim().to_uppercase(),
                _ => p.reference.trim().to_string(),
            },
        })
        .collect();
    let cash_due = due - others;
    let (rounding, change) = match offered.iter().find(|p| p.method == Method::Cash) {
        Some(cash) => {
            let rounded = round_cash(cash_due);
            if cash.amount < rounded {
                return Err(Error::field(
                    "payments",
                    format!(
                        "do not cover the total: {} more in cash is due",
                        rounded - cash.amount
                    ),
                ));
            }
            payments.push(Payment {
                method: Method::Cash,
                amount: rounded * sign,
                tendered: cash.amount * sign,
                reference: String::new(),
            });
            ((rounded - cash_due) * sign, (cash.amount - rounded) * sign)
        }
        None if cash_due != 0 => {
            return Err(Error::field(
                "payments",
                format!("do not cover the total: {cash_due} more is due"),
            ));
        }
        None => (0, 0),
    };
    Ok(Settled {
        payments,
        rounding,
        change,
    })
}
