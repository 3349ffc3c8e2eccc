//! The start page after signing in: what the account can do and what is left to set up.

use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

pub struct Home<'a> {
    pub user_name: &'a str,
    pub profile_label: &'a str,
    pub enabled: Vec<&'static str>,
    /// Set-up steps: label, where to do it, done.
    pub steps: Vec<(&'static str, String, bool)>,
}

pub fn home(chrome: &Chrome, m: &Home) -> Markup {
    page(
        chrome,
        "Home",
        html! {
            h1 { "Welcome, " (m.user_name) }
            section.panel aria-labelledby="setup-h" {
                h2 #setup-h { "Set up your workspace" }
                ol.checklist {
                    @for (label, href, done) in &m.steps {
                        li.done[*done] {
                            span.check aria-hidden="true" { @if *done { "✓" } @else { "○" } }
                            a href=(href) { (label) }
                            @if *done { span.visually-hidden { " (done)" } }
                        }
                    }
                }
            }
            section.panel aria-labelledby="account-h" {
                h2 #account-h { "This workspace" }
                p { "Profile: " strong { (m.profile_label) } }
                p { "Switched on: " (m.enabled.join(", ")) }
            }
        },
    )
}
