//! Settings → You: your password and your time zone.

use crate::error::FieldError;
use crate::views::components::{Field, csrf, time_zones};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

/// The page, with what went wrong in either form, and the time zone as typed (else as saved).
pub fn password(chrome: &Chrome, errors: &[FieldError], zone_typed: Option<&str>) -> Markup {
    let saved = chrome
        .user
        .and_then(|u| u.time_zone.as_deref())
        .unwrap_or("");
    settings_page(
        chrome,
        Tab::Password,
        "You",
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
            section.panel aria-labelledby="zone-h" {
                h2 #zone-h { "Your time zone" }
                p.muted { "Times are shown, and read as you type them, in " strong { (chrome.zone.name()) } ". Leave it empty to use the workspace's." }
                form.narrow method="post" action=(chrome.href("settings/time-zone")) {
                    (csrf(chrome.csrf))
                    (Field::new("Time zone", "time_zone").value(zone_typed.unwrap_or(saved)).list("zones").hint("Type to choose, like Europe/Amsterdam.").render(errors))
                    (time_zones("zones"))
                    button.primary type="submit" { "Save time zone" }
                }
            }
        },
    )
}
