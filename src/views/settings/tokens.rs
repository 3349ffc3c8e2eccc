//! Settings → API tokens: create (shown once), list, revoke.

use crate::domain::local_time;
use crate::domain::token::ApiToken;
use crate::error::FieldError;
use crate::views::components::{Field, csrf, empty_state, post_button};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

pub struct TokensPage<'a> {
    pub tokens: &'a [ApiToken],
    pub show_owner: bool,
    /// A token just created: shown this once.
    pub new_token: Option<&'a str>,
    pub errors: &'a [FieldError],
}

pub fn tokens(chrome: &Chrome, m: &TokensPage) -> Markup {
    settings_page(
        chrome,
        Tab::Tokens,
        "API tokens",
        html! {
            @if let Some(token) = m.new_token {
                section.panel.highlight aria-labelledby="new-h" {
                    h2 #new-h { "Your new token" }
                    p { "Copy it now: it is shown only this once. Send it as " code { "Authorization: Bearer …" } "." }
                    div.copy-row {
                        label.visually-hidden for="new-token" { "New API token" }
                        input #new-token.mono type="text" readonly value=(token);
                        button.small type="button" data-copy="new-token" hidden { "Copy" }
                    }
                }
            }
            section.panel aria-labelledby="create-h" {
                h2 #create-h { "Create a token" }
                form.row method="post" action=(chrome.href("settings/tokens")) {
                    (csrf(chrome.csrf))
                    (Field::new("Label", "label").hint("What the token is for, e.g. \"Website form\".").render(m.errors))
                    button.primary type="submit" { "Create token" }
                }
            }
            section.panel aria-labelledby="list-h" {
                h2 #list-h { "Tokens" }
                @if m.tokens.is_empty() {
                    (empty_state("No tokens yet", "Tokens let other programs use the API as you."))
                } @else {
                    div.table-wrap tabindex="0" { table {
                        thead { tr {
                            th scope="col" { "Label" } th scope="col" { "Token" }
                            @if m.show_owner { th scope="col" { "User" } }
                            th scope="col" { "Created" } th scope="col" { "Last used" } th scope="col" { span.visually-hidden { "Actions" } }
                        } }
                        tbody { @for t in m.tokens { tr.revoked[t.revoked_at.is_some()] {
                            td { (t.label) }
                            td { code { (t.prefix) "…" } }
                            @if m.show_owner { td { (t.user_email) } }
                            td { (local_time::day(&t.created_at, chrome.zone)) }
                            td { (t.last_used_at.as_deref().map_or("never".into(), |s| local_time::day(s, chrome.zone))) }
                            td.actions {
                                @if t.revoked_at.is_some() { span.muted { "revoked" } } @else {
                                    (post_button(&chrome.href(&format!("settings/tokens/{}/revoke", t.id)), chrome.csrf, "Revoke", "small danger", Some("Revoke this token? Programs using it stop working.")))
                                }
                            }
                        } } }
                    } }
                }
            }
        },
    )
}
