//! Settings → Password.

use crate::error::FieldError;
use crate::views::components::{Field, csrf};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

pub fn password(chrome: &Chrome, errors: &[FieldError]) -> Markup {
    settings_page(
        chrome,
        Tab::Password,
        "Password",
        html! {
            section.panel aria-labelledby="pw-h" {
                h2 #pw-h { "Change your password" }
                p.muted { "Your other sessions end when you change it." }
                form.narrow method="post" action=(chrome.href("settings/password")) {
                    (csrf(chrome.csrf))
                    (Field::new("Current password", "current_password").kind("password").required().autocomplete("current-password").render(errors))
                    (Field::new("New password", "password").kind("password").required().autocomplete("new-password").hint("At least 10 characters.").render(errors))
                    (Field::new("Repeat the new password", "confirm").kind("password").required().autocomplete("new-password").render(errors))
                    button.primary type="submit" { "Change password" }
                }
            }
        },
    )
}
