//! The accountant's export of a period: every line of every finalized receipt with its VAT,
//! and every Z report, as CSV. Amounts are euros with a dot (`12.95`), times the workspace's
//! wall times; the columns are the header rows below (README, "Kassa").

use crate::app::catalog::admin;
use crate::app::{App, Tenant};
use crate::clock::{parse_stamp, stamp};
use crate::domain::capability::Capability;
use crate::domain::csv::write_row;
use crate::domain::kassa::Revenue;
use crate::domain::kassa::session::Report;
use crate::domain::local_time::start_of;
use crate::error::{Error, Result};
use crate::store::kassa::{reports, sessions};
use crate::store::users::User;
use chrono::NaiveDate;

/// The lines' columns, in order.
pub const LINE_COLUMNS: [&str; 16] = [
    "register",
    "receipt",
    "finalized_at",
    "type",
    "credits_receipt",
    "contact",
    "kind",
    "description",
    "quantity",
    "unit_price",
    "discount",
    "gross",
    "vat_code",
    "vat_rate",
    "vat",
    "net",
];

/// The Z reports' columns, in order.
pub const Z_COLUMNS: [&str; 22] = [
    "register",
    "session",
    "closed_at",
    "first_receipt",
    "last_receipt",
    "receipts",
    "credit_receipts",
    "sales",
    "returns",
    "discounts",
    "tips",
    "rounding",
    "cash",
    "card",
    "other_methods",
    "vat_high",
    "vat_low",
    "vat_zero_and_exempt_gross",
    "expected_cash",
    "counted_cash",
    "variance",
    "grand_sales",
];

/// Cents as euros with a dot: `-12.95`.
fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

impl App {
    /// The CSV of the period's receipt lines (`what` = `lines`) or Z reports (`z`).
    pub fn kassa_export(
        &self,
        tenant: &Tenant,
        actor: &User,
        (from, to): (NaiveDate, NaiveDate),
        what: &str,
    ) -> Result<String> {
        tenant.require(Capability::Kassa)?;
        admin(actor)?;
        if to < from || (to - from).num_days() > 366 {
            return Err(Error::field(
                "to",
                "must be on or after from, at most a year later",
            ));
        }
        let zone = tenant.zone_of(None);
        let window = (
            stamp(start_of(from, zone)),
            stamp(start_of(to.succ_opt().unwrap_or(to), zone)),
        );
        let window = (window.0.as_str(), window.1.as_str());
        let wall = |s: &str| {
            parse_stamp(s)
                .map(|t| {
                    t.with_timezone(&zone)
                        .format("%Y-%m-%d %H:%M:%S")
                        .to_string()
                })
                .unwrap_or_default()
        };
        let conn = tenant.db.conn()?;
        let mut out = String::new();
        match what {
            "lines" => {
                write_row(&mut out, &LINE_COLUMNS);
                for l in reports::export_lines(&conn, window)? {
                    let rate = l.vat_rate.map(|bp| format!("{}.{:02}", bp / 100, bp % 100));
                    write_row(
                        &mut out,
                        &[
                            l.register,
                            l.number.to_string(),
                            wall(&l.finalized_at),
                            if l.credit_of.is_some() {
                                "credit"
                            } else {
                                "sale"
                            }
                            .into(),
                            l.credit_of.map(|n| n.to_string()).unwrap_or_default(),
                            l.contact,
                            l.kind,
                            l.description,
                            l.quantity.to_string(),
                            euros(l.unit_price),
                            euros(l.discount),
                            euros(l.gross),
                            l.vat_code.unwrap_or_else(|| "exempt".into()),
                            rate.unwrap_or_default(),
                            euros(l.vat),
                            euros(l.gross - l.vat),
                        ],
                    );
                }
            }
            "z" => {
                write_row(&mut out, &Z_COLUMNS);
                for (register, session, at, report) in sessions::z_reports_between(&conn, window)? {
                    let z: Report = serde_json::from_str(&report)
                        .map_err(|e| Error::Internal(format!("a Z report: {e}")))?;
                    write_row(&mut out, &z_row(&register, session.0, &wall(&at), &z));
                }
            }
            _ => return Err(Error::field("what", "must be lines or z")),
        }
        Ok(out)
    }
}

fn z_row(register: &str, session: i64, at: &str, z: &Report) -> Vec<String> {
    let method = |m: &str| {
        z.per_method
            .iter()
            .filter(|(k, _)| k == m)
            .map(|(_, a)| a)
            .sum::<i64>()
    };
    let others: i64 = z
        .per_method
        .iter()
        .filter(|(k, _)| k != "cash" && k != "card")
        .map(|(_, a)| a)
        .sum();
    let rate = |code: &str| {
        z.per_rate
            .iter()
            .find(|r| r.code == code)
            .map(|r| format!("{}/{}/{}", euros(r.net), euros(r.vat), euros(r.gross)))
            .unwrap_or_default()
    };
    let untaxed: i64 = z
        .per_rate
        .iter()
        .filter(|r| r.code == "zero" || r.code == "exempt")
        .map(|r| r.gross)
        .sum();
    let opt = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    vec![
        register.to_string(),
        session.to_string(),
        at.to_string(),
        opt(z.first_number),
        opt(z.last_number),
        z.receipts.to_string(),
        z.credit_receipts.to_string(),
        euros(z.sales),
        euros(z.returns),
        euros(z.discounts),
        euros(z.tips),
        euros(z.rounding),
        euros(method("cash")),
        euros(method("card")),
        euros(others),
        rate("high"),
        rate("low"),
        euros(untaxed),
        euros(z.expected_cash),
        z.counted_cash.map(euros).unwrap_or_default(),
        z.variance.map(euros).unwrap_or_default(),
        euros(z.grand_totals.sales),
    ]
}

impl App {
    /// The revenue of the days `[from, to]` (at most 92): owners and admins.
    pub fn kassa_revenue(
        &self,
        tenant: &Tenant,
        actor: &User,
        (from, to): (NaiveDate, NaiveDate),
    ) -> Result<Revenue> {
        tenant.require(Capability::Kassa)?;
        admin(actor)?;
        if to < from || (to - from).num_days() > 92 {
            return Err(Error::field(
                "to",
                "must be on or after from, at most 92 days later",
            ));
        }
        let zone = tenant.zone_of(None);
        let (start, end) = (
            stamp(start_of(from, zone)),
            stamp(start_of(to.succ_opt().unwrap_or(to), zone)),
        );
        let r = reports::revenue(&*tenant.db.conn()?, (&start, &end))?;
        let mut per_day: Vec<(NaiveDate, i64, i64)> = Vec::new();
        for (at, total) in r.receipts {
            let Some(day) = parse_stamp(&at).map(|t| crate::domain::local_time::today(t, zone))
            else {
                continue;
            };
            match per_day.last_mut() {
                Some((d, n, sum)) if *d == day => {
                    *n += 1;
                    *sum += total;
                }
                _ => per_day.push((day, 1, total)),
            }
        }
        Ok(Revenue {
            per_day,
            per_staff: r.per_staff,
            per_service: r.per_service,
            per_product: r.per_product,
        })
    }
}
