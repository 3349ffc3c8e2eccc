//! Friendly error pages: what happened, what to do, and the request id to quote.

use crate::assets::Assets;
use crate::views::layout::{Chrome, bare, page};
use maud::{Markup, html};

fn heading(status: u16) -> &'static str {
    match status {
        403 => "Not allowed",
        404 => "Page not found",
        413 => "Too large",
        429 => "Slow down",
        503 => "Temporarily unavailable",
        507 => "Nothing was saved",
        400..=499 => "That did not work",
        _ => "Something went wrong",
    }
}

fn body(status: u16, message: &str, request_id: &str, home: &str) -> Markup {
    html! {
        p { (message) }
        @if status == 404 { p.muted { "The address may be mistyped, or the page was moved or switched off." } }
        @if status >= 500 { p.muted { "The error was logged. If it happens again, give this id to your administrator." } }
        p.muted { "Request id: " code { (request_id) } }
        p { a href=(home) { "Go to the start page" } }
    }
}

/// Inside the shell, for a signed-in user.
pub fn in_shell(chrome: &Chrome, status: u16, message: &str, request_id: &str) -> Markup {
    page(
        chrome,
        heading(status),
        html! { h1 { (heading(status)) } (body(status, message, request_id, &chrome.href(""))) },
    )
}

/// Outside the shell, for visitors and requests outside a tenant.
pub fn standalone(
    assets: &Assets,
    status: u16,
    message: &str,
    request_id: &str,
    home: &str,
) -> Markup {
    bare(
        assets,
        heading(status),
        None,
        body(status, message, request_id, home),
    )
}
