//! The kassa's arithmetic against figures worked out by hand (written out in the comments).

use super::journal::{GENESIS, Row, canonical, chain, verify};
use super::receipt::{Discount, LineInput, LineKind, PaymentInput, settle, totals};
use super::session::{Counted, Drawer, GrandTotals, counted, report};
use super::{Method, round_cash, round_div};
use serde_json::json;

fn line(
    kind: LineKind,
    what: &str,
    (q, unit): (i64, i64),
    discount: Discount,
    vat: Option<i64>,
) -> LineInput {
    LineInput {
        kind,
        description: what.into(),
        quantity: q,
        unit_price: unit,
        discount,
        vat: vat.map(|bp| (if bp == 900 { "low" } else { "high" }.to_string(), bp)),
    }
}

fn pay(method: Method, amount: i64) -> PaymentInput {
    PaymentInput {
        method,
        amount,
        reference: String::new(),
    }
}

/// Cut 45.00 (21 %); 2 × shampoo 12.95 (21 %) less 10 %; a tip of 5.00.
fn first_sale() -> super::receipt::Totals {
    totals(
        &[
            line(
                LineKind::Service,
                "Cut",
                (1, 4500),
                Discount::None,
                Some(2100),
            ),
            line(
                LineKind::Product,
                "Shampoo",
                (2, 1295),
                Discount::Percent(1000),
                Some(2100),
            ),
            line(LineKind::Tip, "Tip", (1, 500), Discount::None, None),
        ],
        Discount::None,
        1,
    )
    .expect("first")
}

/// Colour 80.00 (21 %) and a book 19.99 (9 %), 10.00 off the whole.
fn second_sale() -> super::receipt::Totals {
    totals(
        &[
            line(
                LineKind::Service,
                "Colour",
                (1, 8000),
                Discount::None,
                Some(2100),
            ),
            line(
                LineKind::Product,
                "Book",
                (1, 1999),
                Discount::None,
                Some(900),
            ),
        ],
        Discount::Amount(1000),
        1,
    )
    .expect("second")
}

#[test]
fn rounding_is_half_away_from_zero_and_cash_goes_to_five_cents() {
    assert_eq!(round_div(1295, 1000, 10_000), 130, "129.5 up");
    assert_eq!(
        round_div(-1295, 1000, 10_000),
        -130,
        "a refund rounds as its sale"
    );
    assert_eq!(round_div(6831, 2100, 12_100), 1186, "1185.55");
    let cash: Vec<i64> = (0..=10).map(|c| round_cash(1000 + c)).collect();
    assert_eq!(
        cash,
        [
            1000, 1000, 1000, 1005, 1005, 1005, 1005, 1005, 1010, 1010, 1010
        ]
    );
    assert_eq!(round_cash(-1003), -1005);
}

#[test]
fn a_receipt_with_a_line_discount_and_a_tip_paid_by_card_and_cash() {
    // Cut 45.00 (21 %); 2 × shampoo 12.95 (21 %) less 10 % = 25.90 − 2.59 = 23.31; tip 5.00.
    let t = first_sale();
    assert_eq!((t.total, t.discounts, t.tips), (7331, 259, 500));
    // 21 %: gross 68.31, VAT 68.31 × 21/121 = 11.855… → 11.86, net 56.45; the tip outside VAT.
    let high = &t.per_rate[0];
    assert_eq!(
        (high.code.as_str(), high.gross, high.vat, high.net),
        ("high", 6831, 1186, 5645)
    );
    let exempt = &t.per_rate[1];
    assert_eq!(
        (exempt.code.as_str(), exempt.gross, exempt.vat),
        ("exempt", 500, 0)
    );
    // Card 50.00, then 30.00 in cash for the 23.31 left: 23.30 after rounding, 6.70 back.
    let s = settle(t.total, &[pay(Method::Card, 5000), pay(Method::Cash, 3000)]).expect("paid");
    assert_eq!((s.rounding, s.change), (-1, 670));
    assert_eq!(s.payments[1].amount, 2330);
    assert_eq!(s.payments[1].tendered, 3000);
}

#[test]
fn a_receipt_discount_is_spread_over_the_rates_to_the_cent() {
    // Colour 80.00 (21 %) and a book 19.99 (9 %), 10.00 off the whole: 800.08… and 199.92…
    // cents; the cent left over goes to the larger remainder (the book): 8.00 and 2.00 off.
    let t = second_sale();
    assert_eq!(t.lines[0].gross, 7200);
    assert_eq!(t.lines[1].gross, 1799);
    assert_eq!((t.total, t.discounts), (8999, 1000));
    // 72.00 × 21/121 = 12.495… → 12.50; 17.99 × 9/109 = 1.485… → 1.49.
    assert_eq!((t.per_rate[0].vat, t.per_rate[0].net), (1250, 5950));
    assert_eq!((t.per_rate[1].vat, t.per_rate[1].net), (149, 1650));
    // 90.00 in cash for 89.99: rounded up to 90.00, nothing back.
    let s = settle(t.total, &[pay(Method::Cash, 9000)]).expect("paid");
    assert_eq!((s.rounding, s.change), (1, 0));
}

#[test]
fn payments_that_do_not_cover_the_total_or_pass_it_are_refused() {
    assert!(settle(1000, &[pay(Method::Card, 900)]).is_err());
    assert!(settle(1000, &[pay(Method::Card, 1100)]).is_err());
    assert!(
        settle(1003, &[pay(Method::Cash, 1000)]).is_err(),
        "10.05 is due in cash"
    );
    assert!(
        settle(1002, &[pay(Method::Cash, 1000)]).is_ok(),
        "10.00 is due in cash"
    );
    assert!(settle(1000, &[pay(Method::Card, 0)]).is_err());
    let bad = totals(
        &[line(
            LineKind::Product,
            "X",
            (-1, 100),
            Discount::None,
            Some(2100),
        )],
        Discount::None,
        1,
    );
    assert!(bad.is_err(), "a negative quantity");
}

/// The day's receipts as a report counts them: the two sales above and a shampoo back.
fn day_receipts() -> [Counted; 3] {
    let (first, second) = (first_sale(), second_sale());
    // One shampoo back: −12.95 less its 10 % (−1.295 → −1.30) = −11.65, paid back in cash.
    let back = totals(
        &[line(
            LineKind::Product,
            "Shampoo",
            (1, 1295),
            Discount::Percent(1000),
            Some(2100),
        )],
        Discount::None,
        -1,
    )
    .expect("credit");
    assert_eq!(back.total, -1165);
    assert_eq!((back.per_rate[0].vat, back.per_rate[0].net), (-202, -963));
    let refund = settle(back.total, &[pay(Method::Cash, 1165)]).expect("paid back");
    assert_eq!(refund.payments[0].amount, -1165);
    let counted_of =
        |number, credit, t: &super::receipt::Totals, paid: Vec<(Method, i64)>, rounding| Counted {
            number,
            credit,
            total: t.total,
            discounts: t.discounts,
            tips: t.tips,
            rounding,
            per_rate: t.per_rate.clone(),
            payments: paid,
        };
    [
        counted_of(
            1,
            false,
            &first,
            vec![(Method::Card, 5000), (Method::Cash, 2330)],
            -1,
        ),
        counted_of(2, false, &second, vec![(Method::Cash, 9000)], 1),
        counted_of(3, true, &back, vec![(Method::Cash, -1165)], 0),
    ]
}

#[test]
fn a_session_report_adds_up_to_the_hand_calculation() {
    let receipts = day_receipts();
    let mut grand = GrandTotals::default();
    for r in &receipts {
        grand.add(r);
    }
    // A float of 100.00, 20.00 put in, 50.00 to the safe; 171.60 counted.
    let drawer = Drawer {
        float: 10_000,
        cash_in: 2_000,
        cash_out: 5_000,
        no_sales: 1,
        voided_drafts: 0,
        counted: Some(
            counted(&[
                (10_000, 1),
                (5_000, 1),
                (2_000, 1),
                (100, 1),
                (50, 1),
                (10, 1),
            ])
            .expect("count"),
        ),
    };
    let z = report(&receipts, drawer, grand.clone());
    assert_eq!(
        (z.receipts, z.credit_receipts, z.first_number, z.last_number),
        (2, 1, Some(1), Some(3))
    );
    assert_eq!(
        (z.sales, z.returns, z.discounts, z.tips, z.rounding),
        (16_330, -1_165, 1_129, 500, 0)
    );
    assert_eq!(
        z.per_method,
        [("cash".to_string(), 10_165), ("card".to_string(), 5_000)]
    );
    // 21 %: 68.31 + 72.00 − 11.65 = 128.66 gross, 11.86 + 12.50 − 2.02 = 22.34 VAT, 106.32 net.
    let high = &z.per_rate[0];
    assert_eq!((high.gross, high.vat, high.net), (12_866, 2_234, 10_632));
    let low = &z.per_rate[1];
    assert_eq!((low.gross, low.vat, low.net), (1_799, 149, 1_650));
    // Expected: 100.00 + (23.30 + 90.00 − 11.65) + 20.00 − 50.00 = 171.65; counted 171.60.
    assert_eq!(
        (z.expected_cash, z.counted_cash, z.variance),
        (17_165, Some(17_160), Some(-5))
    );
    assert_eq!((grand.sales, grand.returns), (16_330, -1_165));
}

#[test]
fn the_journal_names_the_first_row_that_was_changed_removed_or_reordered() {
    let events = [
        json!({"b": 1, "a": "open"}),
        json!({"receipt": 1}),
        json!({"receipt": 2}),
    ];
    let mut rows = Vec::new();
    let mut previous = GENESIS.to_string();
    for (i, e) in events.iter().enumerate() {
        let event = canonical(e);
        let hash = chain(&previous, &event);
        rows.push(Row {
            seq: i as i64 + 1,
            previous: previous.clone(),
            hash: hash.clone(),
            event,
        });
        previous = hash;
    }
    assert_eq!(rows[0].event, r#"{"a":"open","b":1}"#);
    assert_eq!(verify(&rows), Ok(3));
    let mut changed = rows.clone();
    changed[1].event = r#"{"receipt":9}"#.into();
    assert_eq!(verify(&changed).map_err(|b| b.seq), Err(2));
    let mut gone = rows.clone();
    gone.remove(1);
    let broken = verify(&gone).expect_err("a gap");
    assert_eq!(broken.seq, 2);
    assert!(broken.why.contains("missing"));
}
