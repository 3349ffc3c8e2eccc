//! Friendly error pages: what happened, what to do, and the request id to quote.

use crate::assets::Assets;
use crate::domain::words::{Lang, Words};
use crate::views::layout::{Chrome, bare, page};
use maud::{Markup, html};

fn heading(w: &Words, status: u16) -> &'static str {
    match status {
        403 => w.err_403,
        404 => w.err_404,
        413 => w.err_413,
        429 => w.err_429,
        503 => w.err_503,
        507 => w.err_507,
        400..=499 => w.err_4xx,
        _ => w.err_5xx,
    }
}

fn body(w: &Words, status: u16, message: &str, request_id: &str, home: &str) -> Markup {
    html! {
        p { (w.said(message)) }
        @if status == 404 { p.muted { (w.err_404_more) } }
        @if status >= 500 { p.muted { (w.err_5xx_more) } }
        p.muted { (w.request_id) " " code { (request_id) } }
        p { a href=(home) { (w.go_start) } }
    }
}

/// Inside the shell, for a signed-in user.
pub fn in_shell(chrome: &Chrome, status: u16, message: &str, request_id: &str) -> Markup {
    let w = chrome.w();
    page(
        chrome,
        heading(w, status),
        html! { h1 { (heading(w, status)) } (body(w, status, message, request_id, &chrome.href(""))) },
    )
}

/// Outside the shell, for visitors and requests outside a tenant.
pub fn standalone(
    assets: &Assets,
    lang: Lang,
    status: u16,
    message: &str,
    request_id: &str,
    home: &str,
) -> Markup {
    let w = lang.words();
    bare(
        assets,
        lang,
        heading(w, status),
        None,
        body(w, status, message, request_id, home),
    )
}
