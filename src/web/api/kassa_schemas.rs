//! The OpenAPI schemas of the kassa: products, registers, sessions with their reports, and
//! receipts, as `api::kassa` reads and answers them.

use super::schemas::kit::*;
use serde_json::{Value, json};

fn rate_totals() -> Value {
    json!({ "type": "array", "items": object(&["code", "basis_points", "net", "vat", "gross"], json!({
        "code": text(), "basis_points": int(), "net": int(), "vat": int(), "gross": int()
    })) })
}

fn grand_totals() -> Value {
    object(
        &["sales", "returns", "per_rate"],
        json!({ "sales": int(), "returns": int(), "per_rate": rate_totals() }),
    )
}

fn discount() -> Value {
    json!({ "type": "object", "additionalProperties": false, "description": "{\"amount\": cents} or {\"percent\": basis points}",
            "properties": { "amount": int(), "percent": int() } })
}

/// Products, registers, sessions, reports and receipts.
pub(super) fn kassa() -> Vec<(&'static str, Value)> {
    let mut all = vec![
        (
            "Product",
            object(
                &[
                    "id", "name", "sku", "kind", "price", "vat_code", "stock", "active",
                ],
                json!({ "id": int(), "name": text(), "sku": opt_text(), "kind": text(), "price": int(),
                        "vat_code": text(), "stock": opt_int(), "active": { "type": "boolean" } }),
            ),
        ),
        (
            "ProductInput",
            input(json!({
                "name": { "type": "string", "description": "required, unique" },
                "sku": { "type": "string", "description": "unique when given" },
                "kind": { "type": "string", "enum": ["retail", "package", "gift_card"] },
                "price": { "type": "integer", "description": "required: cents, VAT included" },
                "vat_code": { "type": "string", "enum": ["high", "low", "zero", "exempt"] },
                "stock": { "type": "integer", "description": "how many are in stock (none: not counted)" },
                "active": { "type": "boolean", "description": "sold (default true)" }
            })),
        ),
        (
            "Session",
            object(
                &[
                    "id",
                    "register_id",
                    "opened_at",
                    "float",
                    "closed_at",
                    "counted",
                    "expected",
                ],
                json!({ "id": int(), "register_id": int(), "opened_at": stamp(), "float": int(),
                        "closed_at": opt_stamp(), "counted": opt_int(), "expected": opt_int() }),
            ),
        ),
        (
            "SessionInput",
            input(
                json!({ "float": { "type": "integer", "description": "required: the cash counted into the drawer, in cents" } }),
            ),
        ),
        (
            "CashMove",
            input(json!({
                "amount": { "type": "integer", "description": "required: cents put in (above zero) or taken out (below)" },
                "reason": { "type": "string", "description": "required" }
            })),
        ),
        ("Nothing", input(json!({}))),
        (
            "SessionClose",
            input(
                json!({ "count": { "type": "object", "additionalProperties": { "type": "integer" },
                "description": "required: how many of each note and coin, by its value in cents (\"5000\": 2)" } }),
            ),
        ),
    ];
    all.extend(reports_and_receipts());
    all.push(gift_card());
    all.extend(vat_rates());
    all.extend(registers());
    all
}

fn registers() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Register",
            object(
                &[
                    "id",
                    "name",
                    "next_number",
                    "grand_totals",
                    "open_session",
                    "training",
                ],
                json!({ "id": int(), "name": text(), "next_number": int(), "grand_totals": grand_totals(),
                        "open_session": opt_int(),
                        "training": { "type": "boolean", "description": "training mode: its checkouts are practice" } }),
            ),
        ),
        (
            "TrainingInput",
            object(
                &["on"],
                json!({ "on": { "type": "boolean", "description": "training mode on (true) or off" } }),
            ),
        ),
        (
            "RegisterInput",
            input(json!({ "name": { "type": "string", "description": "required, unique" } })),
        ),
    ]
}

fn vat_rates() -> Vec<(&'static str, Value)> {
    vec![
        (
            "VatRate",
            object(
                &["code", "basis_points", "valid_from", "valid_until"],
                json!({ "code": text(), "basis_points": int(), "valid_from": text(), "valid_until": opt_text() }),
            ),
        ),
        (
            "VatRateInput",
            input(json!({
                "code": { "type": "string", "enum": ["high", "low", "zero"], "description": "required" },
                "basis_points": { "type": "integer", "description": "required: 2100 is 21 %" },
                "valid_from": { "type": "string", "format": "date", "description": "required: today or later" }
            })),
        ),
    ]
}

fn gift_card() -> (&'static str, Value) {
    (
        "GiftCard",
        object(
            &["code", "value", "balance", "contact_id"],
            json!({ "code": text(), "value": int(), "balance": int(), "contact_id": opt_int() }),
        ),
    )
}

fn reports_and_receipts() -> Vec<(&'static str, Value)> {
    let pair = json!({ "type": "array", "items": { "type": "array", "items": {} } });
    let mut all = vec![
        (
            "Report",
            object(
                &[
                    "float",
                    "receipts",
                    "credit_receipts",
                    "sales",
                    "returns",
                    "per_method",
                    "per_rate",
                    "expected_cash",
                    "grand_totals",
                ],
                json!({
                    "float": int(), "receipts": int(), "credit_receipts": int(), "no_sales": int(),
                    "voided_drafts": int(), "first_number": opt_int(), "last_number": opt_int(),
                    "sales": int(), "returns": int(), "discounts": int(), "tips": int(), "rounding": int(),
                    "per_method": pair, "per_rate": rate_totals(), "cash_in": int(), "cash_out": int(),
                    "expected_cash": int(), "counted_cash": opt_int(), "variance": opt_int(),
                    "grand_totals": grand_totals()
                }),
            ),
        ),
        (
            "Receipt",
            object(
                &[
                    "id",
                    "register_id",
                    "session_id",
                    "number",
                    "status",
                    "total",
                    "lines",
                    "payments",
                ],
                json!({
                    "id": int(), "register_id": int(), "session_id": int(), "number": opt_int(),
                    "status": { "type": "string", "enum": ["draft", "final", "void"] },
                    "credit_of": opt_int(), "contact_id": opt_int(), "appointment_id": opt_int(), "staff_id": opt_int(),
                    "total": int(), "rounding": int(), "change": int(), "per_rate": rate_totals(),
                    "lines": { "type": "array", "items": object(&["kind", "description", "quantity", "unit_price", "gross", "vat"], json!({
                        "kind": { "type": "string", "enum": ["service", "product", "free", "tip"] },
                        "description": text(), "quantity": int(), "unit_price": int(), "vat_code": opt_text(),
                        "vat_rate": opt_int(), "discount": int(), "gross": int(), "vat": int(),
                        "service_id": opt_int(), "product_id": opt_int()
                    })) },
                    "payments": { "type": "array", "items": object(&["method", "amount", "tendered"], json!({
                        "method": { "type": "string", "enum": ["cash", "card", "gift_card", "bank_transfer", "other"] },
                        "amount": int(), "tendered": int(), "reference": text()
                    })) },
                    "gift_cards": { "type": "array", "items": text(), "description": "the codes of the gift cards it issued" },
                    "created_at": stamp(), "finalized_at": opt_stamp(),
                    "training": { "type": "boolean", "description": "a practice receipt (training mode): never numbered, voided once paid" }
                }),
            ),
        ),
    ];
    all.extend(receipt_inputs());
    all
}

/// What the receipt routes take.
fn receipt_inputs() -> Vec<(&'static str, Value)> {
    vec![
        (
            "ReceiptInput",
            input(json!({
                "session_id": { "type": "integer", "description": "required: an open session" },
                "contact_id": { "type": "integer" }, "appointment_id": { "type": "integer" }, "staff_id": { "type": "integer" },
                "discount": discount(),
                "lines": { "type": "array", "description": "required", "items": { "type": "object", "additionalProperties": false, "properties": {
                    "kind": { "type": "string", "enum": ["service", "product", "free", "tip"] },
                    "service_id": int(), "product_id": int(), "description": text(),
                    "quantity": { "type": "integer", "description": "1 to 10000 (default 1)" },
                    "unit_price": { "type": "integer", "description": "cents, VAT included (default: the service's or product's)" },
                    "discount": discount(),
                    "vat_code": { "type": "string", "enum": ["high", "low", "zero", "exempt"] }
                } } }
            })),
        ),
        (
            "ReceiptFinalize",
            input(
                json!({ "payments": { "type": "array", "description": "required", "items": { "type": "object", "properties": {
                "method": { "type": "string", "enum": ["cash", "card", "gift_card", "bank_transfer", "other"] },
                "amount": { "type": "integer", "description": "cents; for cash, what was handed over" },
                "reference": text()
            } } } }),
            ),
        ),
        (
            "ReceiptCredit",
            input(json!({
                "session_id": { "type": "integer", "description": "required: an open session of the same register" },
                "lines": { "type": "array", "description": "required", "items": { "type": "object", "properties": {
                    "position": { "type": "integer", "description": "the line's place on the receipt, from 0" },
                    "quantity": int()
                } } }
            })),
        ),
    ]
}
