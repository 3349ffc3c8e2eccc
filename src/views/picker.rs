//! The start page of a server with several tenants: a list to pick one from.

use crate::store::registry::TenantEntry;
use crate::views::components::empty_state;
use crate::views::layout::bare;
use crate::web::assets::Assets;
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
