//! The kassa's routes (404 while the workspace's `kassa` capability is off), for `routes`.

use super::route_kinds::{Shape, change, create, list, one};

pub(super) fn kassa(add: &mut impl FnMut(&'static str, &str, &str, Shape)) {
    add(
        "GET",
        "/vat_rates",
        "List the VAT rates with the days they hold",
        list("VatRate"),
    );
    add(
        "POST",
        "/vat_rates",
        "A new VAT rate from a day on (today or later; the old one ends then)",
        create("VatRateInput", "VatRate"),
    );
    add("GET", "/products", "List products", list("Product"));
    add(
        "POST",
        "/products",
        "Create a product",
        create("ProductInput", "Product"),
    );
    add(
        "PUT",
        "/products/{id}",
        "Replace a product (a new price or VAT goes into every register's journal)",
        change("ProductInput", "Product"),
    );
    registers(add);
}

fn registers(add: &mut impl FnMut(&'static str, &str, &str, Shape)) {
    add("GET", "/registers", "List registers", list("Register"));
    add(
        "POST",
        "/registers",
        "Create a register (it starts its own journal)",
        create("RegisterInput", "Register"),
    );
    add(
        "GET",
        "/registers/{id}",
        "A register: its next receipt number and grand totals",
        one("Register"),
    );
    add(
        "POST",
        "/registers/{id}/training",
        "Training mode on or off (owners and admins): practice receipts, never numbered or counted",
        change("TrainingInput", "Register"),
    );
    add(
        "POST",
        "/registers/{id}/sessions",
        "Open a session with the float counted into the drawer",
        create("SessionInput", "Session"),
    );
    add(
        "GET",
        "/sessions/{id}",
        "A register session",
        one("Session"),
    );
    add(
        "POST",
        "/sessions/{id}/cash",
        "Put cash in or take it out, with why",
        change("CashMove", "Session"),
    );
    add(
        "POST",
        "/sessions/{id}/drawer",
        "Open the drawer without a sale (counted on the Z report)",
        change("Nothing", "Session"),
    );
    add(
        "GET",
        "/sessions/{id}/x_report",
        "The X report of an open session (changes nothing)",
        one("Report"),
    );
    add(
        "POST",
        "/sessions/{id}/close",
        "Close a session with the blind count: the Z report",
        change("SessionClose", "Report"),
    );
    add(
        "GET",
        "/sessions/{id}/z_report",
        "The Z report that closed a session",
        one("Report"),
    );
    receipts(add);
}

fn receipts(add: &mut impl FnMut(&'static str, &str, &str, Shape)) {
    add(
        "GET",
        "/gift_cards/{code}",
        "A gift card: its value and what is left of it",
        one("GiftCard"),
    );
    add(
        "POST",
        "/receipts",
        "A draft receipt in an open session",
        create("ReceiptInput", "Receipt"),
    );
    add("GET", "/receipts/{id}", "A receipt", one("Receipt"));
    add(
        "POST",
        "/receipts/{id}/finalize",
        "Finalize a draft with its payments: numbered, journaled, never changed",
        change("ReceiptFinalize", "Receipt"),
    );
    add(
        "POST",
        "/receipts/{id}/void",
        "Void a draft (a journal event)",
        change("Nothing", "Receipt"),
    );
    add(
        "POST",
        "/receipts/{id}/credit",
        "A draft credit receipt paying back lines of a finalized one",
        create("ReceiptCredit", "Receipt"),
    );
}
