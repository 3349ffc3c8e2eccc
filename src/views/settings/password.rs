//! Settings → You: your password, your language and your time zone.

use crate::domain::words::{Lang, fill};
use crate::error::FieldError;
use crate::views::components::{Field, csrf, time_zones};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

/// The page, with what went wrong in any form, and the time zone as typed (else as saved).
pub fn password(
    chrome: &Chrome,
    browser: Lang,
    errors: &[FieldError],
    zone_typed: Option<&str>,
) -> Markup {
    let saved = chrome
        .user
        .and_then(|u| u.time_zone.as_deref())
        .unwrap_or("");
    let (lang, w) = (chrome.lang, chrome.w());
    settings_page(
        chrome,
        Tab::Password,
        w.tab_you,
        html! {
            section.panel aria-labelledby="pw-h" {
                h2 #pw-h { (w.change_password) }
                p.muted { (w.other_sessions_end) }
                form.narrow method="post" action=(chrome.href("settings/password")) {
                    (csrf(chrome.csrf))
                    (Field::new(w.current_password, "current_password").kind("password").required().autocomplete("current-password").render(lang, errors))
                    (Field::new(w.new_password, "password").kind("password").required().autocomplete("new-password").hint(w.password_hint).render(lang, errors))
                    (Field::new(w.repeat_new_password, "confirm").kind("password").required().autocomplete("new-password").render(lang, errors))
                    button.primary type="submit" { (w.change_password_button) }
                }
            }
            (language_form(chrome, browser, errors))
            section.panel aria-labelledby="zone-h" {
                h2 #zone-h { (w.your_time_zone) }
                p.muted { (fill(w.zone_explain, &[("zone", chrome.zone.name())])) }
                form.narrow method="post" action=(chrome.href("settings/time-zone")) {
                    (csrf(chrome.csrf))
                    (Field::new(w.time_zone, "time_zone").value(zone_typed.unwrap_or(saved)).list("zones").hint(w.zone_hint).render(lang, errors))
                    (time_zones("zones"))
                    button.primary type="submit" { (w.save_time_zone) }
                }
            }
        },
    )
}

/// The language the user reads in: one of those spoken here, or whatever the browser asks for.
fn language_form(chrome: &Chrome, browser: Lang, errors: &[FieldError]) -> Markup {
    let w = chrome.w();
    let error = crate::views::components::error_for(errors, "language");
    let chosen = chrome.user.and_then(|u| u.chosen_lang());
    html! {
        section.panel aria-labelledby="lang-h" {
            h2 #lang-h { (w.your_language) }
            p.muted { (w.language_explain) }
            form.narrow method="post" action=(chrome.href("settings/language")) {
                (csrf(chrome.csrf))
                div.field {
                    label for="f-language" { (w.language) }
                    select #f-language name="language" aria-describedby=[error.map(|_| "f-language-error")] {
                        option value="" selected[chosen.is_none()] { (fill(w.language_browser, &[("name", browser.name())])) }
                        @for l in Lang::ALL {
                            option value=(l.code()) lang=(l.code()) selected[chosen == Some(l)] { (l.name()) }
                        }
                    }
                    @if let Some(m) = error { p.error #f-language-error { (w.language) " " (w.said(m)) } }
                }
                button.primary type="submit" { (w.save_language) }
            }
        }
    }
}
