//! Settings → API tokens: create (shown once), list, revoke.

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
    let (lang, w) = (chrome.lang, chrome.w());
    settings_page(
        chrome,
        Tab::Tokens,
        w.tab_tokens,
        html! {
            @if let Some(token) = m.new_token {
                section.panel.highlight aria-labelledby="new-h" {
                    h2 #new-h { (w.your_new_token) }
                    p { (w.copy_now) " " code { "Authorization: Bearer …" } "." }
                    div.copy-row {
                        label.visually-hidden for="new-token" { (w.new_api_token) }
                        input #new-token.mono type="text" readonly value=(token);
                        button.small type="button" data-copy="new-token" hidden { (w.copy) }
                    }
                }
            }
            section.panel aria-labelledby="create-h" {
                h2 #create-h { (w.create_token_title) }
                form.row method="post" action=(chrome.href("settings/tokens")) {
                    (csrf(chrome.csrf))
                    (Field::new(w.label, "label").hint(w.token_label_hint).render(lang, m.errors))
                    button.primary type="submit" { (w.create_token) }
                }
            }
            section.panel aria-labelledby="list-h" {
                h2 #list-h { (w.tokens_title) }
                @if m.tokens.is_empty() {
                    (empty_state(w.no_tokens, w.tokens_explain))
                } @else {
                    div.table-wrap tabindex="0" { table {
                        thead { tr {
                            th scope="col" { (w.label) } th scope="col" { (w.token) }
                            @if m.show_owner { th scope="col" { (w.user) } }
                            th scope="col" { (w.created) } th scope="col" { (w.last_used) } th scope="col" { span.visually-hidden { (w.actions) } }
                        } }
                        tbody { @for t in m.tokens { tr.revoked[t.revoked_at.is_some()] {
                            td { (t.label) }
                            td { code { (t.prefix) "…" } }
                            @if m.show_owner { td { (t.user_email) } }
                            td { (chrome.day(&t.created_at)) }
                            td { (t.last_used_at.as_deref().map_or(w.never.into(), |s| chrome.day(s))) }
                            td.actions {
                                @if t.revoked_at.is_some() { span.muted { (w.revoked) } } @else {
                                    (post_button(&chrome.href(&format!("settings/tokens/{}/revoke", t.id)), chrome.csrf, w.revoke, "small danger", Some(w.revoke_confirm)))
                                }
                            }
                        } } }
                    } }
                }
            }
        },
    )
}
