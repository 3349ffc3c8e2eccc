//! Settings → Account: name, profile and capability switches (owners change them; others see
//! them), plus the recent audit log.

use crate::domain::audit::AuditEntry;
use crate::domain::capability::{Capabilities, Capability, Profile};
use crate::domain::local_time;
use crate::error::FieldError;
use crate::views::components::{Field, csrf, form_error, time_zones};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

pub struct AccountPage<'a> {
    pub name: &'a str,
    pub time_zone: &'a str,
    pub caps: &'a Capabilities,
    pub can_edit: bool,
    pub errors: &'a [FieldError],
    pub audit: &'a [AuditEntry],
}

pub fn account(chrome: &Chrome, m: &AccountPage) -> Markup {
    let general = (!m.errors.is_empty()).then_some("Please correct the fields marked below.");
    settings_page(
        chrome,
        Tab::Account,
        "Account settings",
        html! {
            section.panel aria-labelledby="acct-h" {
                h2 #acct-h { "Account" }
                (form_error(general))
                form method="post" action=(chrome.href("settings/account")) {
                    (csrf(chrome.csrf))
                    fieldset disabled[!m.can_edit] {
                        (Field::new("Account name", "name").value(m.name).required().render(m.errors))
                        (Field::new("Time zone", "time_zone").value(m.time_zone).list("zones").hint("Type to choose, like Europe/Amsterdam: times are shown in it (unless a user chooses their own), and scheduled automations run in it").required().render(m.errors))
                        (time_zones("zones"))
                        div.field {
                            label for="f-profile" { "Profile" }
                            select #f-profile name="profile" aria-describedby="f-profile-hint" {
                                @for p in Profile::ALL {
                                    option value=(p.as_str()) selected[p == m.caps.profile] { (p.label()) }
                                }
                            }
                            p.hint #f-profile-hint { "The profile sets which features start switched on; your switches below override it." }
                        }
                        fieldset.caps {
                            legend { "Features" }
                            @for (c, on) in m.caps.all().filter(|(c, _)| c.is_built()) {
                                (capability_box(c, on, m.caps.profile))
                            }
                        }
                        @if m.can_edit { button.primary type="submit" { "Save account" } }
                    }
                    @if !m.can_edit { p.muted { "Only owners change these settings." } }
                }
            }
            section.panel aria-labelledby="audit-h" {
                h2 #audit-h { "Recent changes" }
                @if m.audit.is_empty() { p.muted { "Nothing yet." } } @else {
                    div.table-wrap tabindex="0" { table {
                        thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Detail" } } }
                        tbody { @for e in m.audit { tr {
                            td { time datetime=(e.at) { (local_time::show(&e.at, chrome.zone)) } }
                            td { (e.actor.as_deref().unwrap_or("system")) }
                            td { code { (e.action) } }
                            td { (e.detail) }
                        } } }
                    } }
                }
            }
        },
    )
}

fn capability_box(c: Capability, on: bool, profile: Profile) -> Markup {
    let id = format!("cap-{}", c.as_str());
    html! {
        div.check-field {
            input type="checkbox" id=(id) name="capability" value=(c.as_str()) checked[on];
            label for=(id) { (c.label()) }
            @if on != profile.default_on(c) { span.badge.neutral { "changed from profile default" } }
        }
    }
}
