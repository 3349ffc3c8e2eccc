//! Settings → Account: name, profile and capability switches (owners change them; others see
//! them), plus the recent audit log.

use crate::domain::audit::AuditEntry;
use crate::domain::capability::{Capabilities, Capability, Profile};
use crate::domain::words::Words;
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
    let (lang, w) = (chrome.lang, chrome.w());
    let general = (!m.errors.is_empty()).then_some(w.correct_fields);
    settings_page(
        chrome,
        Tab::Account,
        w.account_settings,
        html! {
            section.panel aria-labelledby="acct-h" {
                h2 #acct-h { (w.account) }
                (form_error(general))
                form method="post" action=(chrome.href("settings/account")) {
                    (csrf(chrome.csrf))
                    fieldset disabled[!m.can_edit] {
                        (Field::new(w.account_name, "name").value(m.name).required().render(lang, m.errors))
                        (Field::new(w.time_zone, "time_zone").value(m.time_zone).list("zones").hint(w.account_zone_hint).required().render(lang, m.errors))
                        (time_zones("zones"))
                        div.field {
                            label for="f-profile" { (w.profile) }
                            select #f-profile name="profile" aria-describedby="f-profile-hint" {
                                @for p in Profile::ALL {
                                    option value=(p.as_str()) selected[p == m.caps.profile] { (p.label(w)) }
                                }
                            }
                            p.hint #f-profile-hint { (w.profile_switch_hint) }
                        }
                        fieldset.caps {
                            legend { (w.features) }
                            @for (c, on) in m.caps.all() {
                                (capability_box(w, c, on, m.caps.profile))
                            }
                        }
                        @if m.can_edit { button.primary type="submit" { (w.save_account) } }
                    }
                    @if !m.can_edit { p.muted { (w.only_owners) } }
                }
            }
            section.panel aria-labelledby="audit-h" {
                h2 #audit-h { (w.recent_changes) }
                @if m.audit.is_empty() { p.muted { (w.nothing_yet) } } @else {
                    div.table-wrap tabindex="0" { table {
                        thead { tr { th scope="col" { (w.when) } th scope="col" { (w.who) } th scope="col" { (w.what) } th scope="col" { (w.detail) } } }
                        tbody { @for e in m.audit { tr {
                            td { time datetime=(e.at) { (chrome.time(&e.at)) } }
                            td { (e.actor.as_deref().unwrap_or(w.system)) }
                            td { code { (e.action) } }
                            td { (e.detail) }
                        } } }
                    } }
                }
            }
        },
    )
}

fn capability_box(w: &Words, c: Capability, on: bool, profile: Profile) -> Markup {
    let id = format!("cap-{}", c.as_str());
    html! {
        div.check-field {
            input type="checkbox" id=(id) name="capability" value=(c.as_str()) checked[on];
            label for=(id) { (c.label(w)) }
            @if on != profile.default_on(c) { span.badge.neutral { (w.changed_from_default) } }
        }
    }
}
