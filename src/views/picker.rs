//! The start page of a server with several tenants: a field for the workspace's address, or
//! (when the config allows it) a list to pick one from.

use crate::assets::Assets;
use crate::domain::tenant::TenantEntry;
use crate::domain::words::Lang;
use crate::error::FieldError;
use crate::views::components::{Field, empty_state};
use crate::views::layout::bare;
use maud::{Markup, html};

pub fn picker(assets: &Assets, lang: Lang, tenants: &[TenantEntry]) -> Markup {
    let w = lang.words();
    bare(
        assets,
        lang,
        w.choose_workspace,
        None,
        html! {
            @if tenants.is_empty() {
                (empty_state(w.no_workspace_open, w.ask_admin_address))
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
pub fn ask(assets: &Assets, lang: Lang, typed: &str, error: Option<&str>) -> Markup {
    let w = lang.words();
    let errors: Vec<FieldError> = error
        .map(|message| FieldError {
            field: "workspace".into(),
            message: message.into(),
        })
        .into_iter()
        .collect();
    bare(
        assets,
        lang,
        w.open_workspace,
        None,
        html! {
            form method="get" action="/" {
                (Field::new(w.workspace, "workspace")
                    .value(typed)
                    .required()
                    .hint(w.workspace_hint)
                    .render(lang, &errors))
                button.primary type="submit" { (w.go_on) }
            }
        },
    )
}
