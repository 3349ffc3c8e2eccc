//! The start page of a server with several tenants: a field for the workspace's address, or
//! (when the config allows it) a list to pick one from.

use crate::assets::Assets;
use crate::domain::tenant::TenantEntry;
use crate::error::FieldError;
use crate::views::components::{Field, empty_state};
use crate::views::layout::bare;
use maud::{Markup, html};

pub fn picker(assets: &Assets, tenants: &[TenantEntry]) -> Markup {
    bare(
        assets,
        "Choose your workspace",
        None,
        html! {
            @if tenants.is_empty() {
                (empty_state("No workspace is open", "Ask your administrator for your workspace's address."))
            } @else {
                ul.picker {
                    @for t in tenants {
                        li { a href={"/t/" (t.slug) "/login"} { strong { (t.name) } span.muted { "/t/" (t.slug) } } }
                    }
                }
            }
        },
    )
}

/// Asks for the workspace's name, as in its address `/t/<name>/`.
pub fn ask(assets: &Assets, typed: &str, error: Option<&str>) -> Markup {
    let errors: Vec<FieldError> = error
        .map(|message| FieldError {
            field: "workspace".into(),
            message: message.into(),
        })
        .into_iter()
        .collect();
    bare(
        assets,
        "Open your workspace",
        None,
        html! {
            form method="get" action="/" {
                (Field::new("Workspace", "workspace")
                    .value(typed)
                    .required()
                    .hint("The name in your workspace's address: /t/name/")
                    .render(&errors))
                button.primary type="submit" { "Continue" }
            }
        },
    )
}
