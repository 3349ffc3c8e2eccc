//! Settings pages, one file each, sharing the tab bar below.

pub mod account;
pub mod catalog;
pub mod mail;
pub mod password;
pub mod tokens;
pub mod users;

use crate::domain::user::Role;
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Account,
    Users,
    Tokens,
    Mail,
    Password,
    Pipelines,
    Labels,
    Fields,
    Automations,
}

const TABS: &[(Tab, &str, &str, Role)] = &[
    (Tab::Account, "Account", "settings/account", Role::Member),
    (Tab::Users, "Users", "settings/users", Role::Admin),
    (Tab::Tokens, "API tokens", "settings/tokens", Role::Member),
    (Tab::Mail, "Mail", "settings/mail", Role::Admin),
    (
        Tab::Pipelines,
        "Pipelines",
        "settings/pipelines",
        Role::Admin,
    ),
    (Tab::Labels, "Labels", "settings/labels", Role::Admin),
    (Tab::Fields, "Custom fields", "settings/fields", Role::Admin),
    (
        Tab::Automations,
        "Automations",
        "settings/automations",
        Role::Admin,
    ),
    (Tab::Password, "You", "settings/password", Role::Member),
];

/// A settings page: the tabs the user's role may open, then the content.
pub fn settings_page(chrome: &Chrome, tab: Tab, title: &str, content: Markup) -> Markup {
    let role = chrome.user.map_or(Role::Member, |u| u.role);
    page(
        chrome,
        title,
        html! {
            h1 { "Settings" }
            nav.tabs aria-label="Settings" {
                @for (t, label, path, _) in TABS.iter().filter(|(_, _, _, needs)| role >= *needs) {
                    a href=(chrome.href(path)) aria-current=[(*t == tab).then_some("page")] { (label) }
                }
            }
            (content)
        },
    )
}
