//! Settings pages, one file each, sharing the tab bar below.

pub mod account;
pub mod catalog;
pub mod mail;
pub mod password;
pub mod tokens;
pub mod users;

use crate::domain::user::Role;
use crate::domain::words::Words;
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
    Scheduling,
}

/// A tab's words in the reader's language.
type Label = fn(&Words) -> &'static str;

const TABS: &[(Tab, Label, &str, Role)] = &[
    (
        Tab::Account,
        |w| w.tab_account,
        "settings/account",
        Role::Member,
    ),
    (Tab::Users, |w| w.tab_users, "settings/users", Role::Admin),
    (
        Tab::Tokens,
        |w| w.tab_tokens,
        "settings/tokens",
        Role::Member,
    ),
    (Tab::Mail, |w| w.tab_mail, "settings/mail", Role::Admin),
    (
        Tab::Pipelines,
        |w| w.tab_pipelines,
        "settings/pipelines",
        Role::Admin,
    ),
    (
        Tab::Labels,
        |w| w.tab_labels,
        "settings/labels",
        Role::Admin,
    ),
    (
        Tab::Fields,
        |w| w.tab_fields,
        "settings/fields",
        Role::Admin,
    ),
    (
        Tab::Automations,
        |w| w.tab_automations,
        "settings/automations",
        Role::Admin,
    ),
    (
        Tab::Scheduling,
        |w| w.set_scheduling,
        "settings/scheduling",
        Role::Member,
    ),
    (
        Tab::Password,
        |w| w.tab_you,
        "settings/password",
        Role::Member,
    ),
];

/// A settings page: the tabs the user's role may open, then the content.
pub fn settings_page(chrome: &Chrome, tab: Tab, title: &str, content: Markup) -> Markup {
    let role = chrome.user.map_or(Role::Member, |u| u.role);
    let scheduling = chrome
        .caps
        .allows(crate::domain::capability::Capability::Scheduling);
    let w = chrome.w();
    page(
        chrome,
        title,
        html! {
            h1 { (w.nav_settings) }
            nav.tabs aria-label=(w.nav_settings) {
                @for (t, label, path, _) in TABS.iter().filter(|(t, _, _, needs)| role >= *needs && (*t != Tab::Scheduling || scheduling)) {
                    a href=(chrome.href(path)) aria-current=[(*t == tab).then_some("page")] { (label(w)) }
                }
            }
            (content)
        },
    )
}
