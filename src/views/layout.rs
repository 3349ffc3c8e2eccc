//! The page shell: head, skip link, header with the account and user, capability-gated
//! navigation, flash message, main content.

use crate::assets::Assets;
use crate::domain::capability::{Capabilities, Capability};
use crate::domain::crm::Entity;
use crate::domain::user::User;
use crate::domain::words::{Lang, Words, fill};
use crate::views::components::icon;
use maud::{DOCTYPE, Markup, html};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Record(Entity),
    MyTasks,
    Calendar,
    Kassa,
    Inbox,
    Notifications,
    Search,
    Trash,
    Settings,
    /// Sign-in and link pages, outside the navigation.
    Public,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Success,
    Error,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub tone: Tone,
    pub message: String,
}

impl Flash {
    pub fn success(message: impl Into<String>) -> Flash {
        Flash {
            tone: Tone::Success,
            message: message.into(),
        }
    }

    pub fn error(message: impl Into<String>) -> Flash {
        Flash {
            tone: Tone::Error,
            message: message.into(),
        }
    }

    pub fn info(message: impl Into<String>) -> Flash {
        Flash {
            tone: Tone::Info,
            message: message.into(),
        }
    }

    pub fn encode(&self) -> String {
        let tone = match self.tone {
            Tone::Success => 's',
            Tone::Error => 'e',
            Tone::Info => 'i',
        };
        format!("{tone}:{}", self.message)
    }

    pub fn decode(text: &str) -> Option<Flash> {
        let (tone, message) = text.split_once(':')?;
        let tone = match tone {
            "s" => Tone::Success,
            "e" => Tone::Error,
            "i" => Tone::Info,
            _ => return None,
        };
        Some(Flash {
            tone,
            message: message.chars().take(300).collect(),
        })
    }
}

/// What every page of a tenant shows around its content.
pub struct Chrome<'a> {
    /// `/t/<slug>`
    pub base: String,
    pub account_name: &'a str,
    pub user: Option<&'a User>,
    pub caps: &'a Capabilities,
    pub csrf: &'a str,
    pub flash: Option<&'a Flash>,
    pub assets: &'a Assets,
    pub section: Section,
    /// Saved list views this user sees: (name, address).
    pub views: &'a [(String, String)],
    /// Unread notifications, when the workspace has the inbox: the bell shows them.
    pub bell: Option<i64>,
    /// The viewer's time zone: every time shown or typed is in it.
    pub zone: chrono_tz::Tz,
    /// When the page is made, for times that read relative to it ("in 2 days").
    pub now: chrono::DateTime<chrono::Utc>,
    /// The viewer's language: every word and number on the page is in it.
    pub lang: Lang,
}

impl Chrome<'_> {
    pub fn href(&self, rest: &str) -> String {
        format!("{}/{rest}", self.base)
    }

    /// The words of the viewer's language.
    pub fn w(&self) -> &'static Words {
        self.lang.words()
    }

    /// A stamp as the viewer reads it: in their zone and language.
    pub fn time(&self, stamp: &str) -> String {
        crate::domain::local_time::show(stamp, self.zone, self.lang)
    }

    /// The day of a stamp (or a date) as the viewer reads it.
    pub fn day(&self, stamp: &str) -> String {
        crate::domain::local_time::day(stamp, self.zone, self.lang)
    }

    /// A count in the viewer's language: `12,345` or `12.345`.
    pub fn count(&self, n: i64) -> String {
        crate::domain::format::count(self.lang, n)
    }

    pub fn money(&self, minor: i64, currency: &str) -> String {
        crate::domain::format::money(self.lang, minor, currency)
    }
}

/// The main navigation. An entry with a capability shows only when the account has it.
struct NavEntry {
    label: fn(&Words) -> &'static str,
    /// Its icon in `assets/icons.svg`.
    icon: &'static str,
    path: &'static str,
    capability: Option<Capability>,
    section: Section,
}

const NAV: &[NavEntry] = &[
    NavEntry {
        label: |w| w.nav_home,
        icon: "home",
        path: "",
        capability: None,
        section: Section::Home,
    },
    NavEntry {
        label: |w| w.contacts,
        icon: "contacts",
        path: "contacts",
        capability: None,
        section: Section::Record(Entity::Contact),
    },
    NavEntry {
        label: |w| w.companies,
        icon: "companies",
        path: "companies",
        capability: None,
        section: Section::Record(Entity::Company),
    },
    NavEntry {
        label: |w| w.deals,
        icon: "deals",
        path: "deals/board",
        capability: Some(Capability::Deals),
        section: Section::Record(Entity::Deal),
    },
    NavEntry {
        label: |w| w.nav_inbox,
        icon: "inbox",
        path: "inbox",
        capability: Some(Capability::Inbox),
        section: Section::Inbox,
    },
    NavEntry {
        label: |w| w.nav_calendar,
        icon: "calendar",
        path: "calendar",
        capability: Some(Capability::Scheduling),
        section: Section::Calendar,
    },
    NavEntry {
        label: |w| w.nav_kassa,
        icon: "kassa",
        path: "kassa",
        capability: Some(Capability::Kassa),
        section: Section::Kassa,
    },
    NavEntry {
        label: |w| w.nav_my_tasks,
        icon: "my-tasks",
        path: "tasks/mine",
        capability: Some(Capability::Tasks),
        section: Section::MyTasks,
    },
    NavEntry {
        label: |w| w.nav_all_tasks,
        icon: "tasks",
        path: "tasks",
        capability: Some(Capability::Tasks),
        section: Section::Record(Entity::Task),
    },
];

pub fn head(assets: &Assets, title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="color-scheme" content="light dark";
            title { (title) " · Onebox" }
            link rel="stylesheet" href=(assets.url("app.css"));
            link rel="icon" href=(assets.url("icon.svg")) type="image/svg+xml";
            script src=(assets.url("app.js")) defer {}
        }
    }
}

/// A page for a signed-in user.
pub fn page(chrome: &Chrome, title: &str, content: Markup) -> Markup {
    let w = chrome.w();
    html! {
        (DOCTYPE)
        html lang=(chrome.lang.code()) {
            (head(chrome.assets, title))
            body data-words=(script_words(w)) {
                a.skip href="#main" { (w.skip_to_content) }
                header.topbar {
                    a.brand href=(chrome.href("")) { span.logo aria-hidden="true" { "◧" } (chrome.account_name) }
                    form.topsearch method="get" action=(chrome.href("search")) role="search" {
                        label.visually-hidden for="top-q" { (w.search) }
                        input #top-q type="search" name="q" placeholder=(w.search_hint) autocomplete="off";
                    }
                    @if let Some(unread) = chrome.bell {
                        a.bell href=(chrome.href("notifications")) aria-current=[(chrome.section == Section::Notifications).then_some("page")] {
                            (icon(chrome.assets, "bell"))
                            span.visually-hidden { (w.notifications) }
                            @if unread > 0 { span.unread { (chrome.count(unread)) } span.visually-hidden { " " (fill(w.unread_n, &[("n", &chrome.count(unread))])) } }
                        }
                    }
                    @if let Some(user) = chrome.user {
                        div.who {
                            span.muted { (user.display_name()) }
                            form method="post" action=(chrome.href("logout")) {
                                input type="hidden" name="csrf" value=(chrome.csrf);
                                button.link type="submit" { (w.sign_out) }
                            }
                        }
                    }
                }
                div.shell {
                    nav.sidenav aria-label=(w.nav_main) {
                        ul {
                            @for entry in NAV.iter().filter(|e| e.capability.is_none_or(|c| chrome.caps.allows(c))) {
                                li { a href=(chrome.href(entry.path)) aria-current=[(entry.section == chrome.section).then_some("page")] { (icon(chrome.assets, entry.icon)) ((entry.label)(w)) } }
                            }
                        }
                        @if !chrome.views.is_empty() {
                            p.nav-heading { (w.nav_views) }
                            ul.views { @for (name, href) in chrome.views { li { a href=(href) { (name) } } } }
                        }
                        ul.bottom {
                            li { a href=(chrome.href("trash")) aria-current=[(chrome.section == Section::Trash).then_some("page")] { (icon(chrome.assets, "trash")) (w.nav_trash) } }
                            li { a href=(chrome.href("settings")) aria-current=[(chrome.section == Section::Settings).then_some("page")] { (icon(chrome.assets, "settings")) (w.nav_settings) } }
                        }
                    }
                    main #main tabindex="-1" {
                        @if let Some(flash) = chrome.flash { (crate::views::components::flash(flash)) }
                        (content)
                        p.zone-note.muted { (fill(w.times_are_in, &[("zone", chrome.zone.name())])) " " a href=(chrome.href("settings/password#zone-h")) { (w.change) } }
                    }
                }
                (palette(chrome))
            }
        }
    }
}

/// The words the page's script shows (the catalogue's `js_…` entries), as JSON for
/// `data-words`.
fn script_words(w: &Words) -> String {
    let entries: serde_json::Map<String, serde_json::Value> = w
        .entries()
        .into_iter()
        .filter(|(key, _)| key.starts_with("js_"))
        .map(|(key, text)| (key.to_string(), text.into()))
        .collect();
    serde_json::Value::Object(entries).to_string()
}

/// The places and actions the command palette offers, as (label, path): the navigation
/// this tenant has, and "New …" for the records it may create.
pub fn palette_commands(chrome: &Chrome) -> Vec<(String, String)> {
    let w = chrome.w();
    let go = |place: &str| fill(w.go_to, &[("place", place)]);
    let mut out: Vec<(String, String)> = NAV
        .iter()
        .filter(|e| e.capability.is_none_or(|c| chrome.caps.allows(c)))
        .map(|e| (go((e.label)(w)), chrome.href(e.path)))
        .collect();
    for e in [Entity::Contact, Entity::Company, Entity::Deal, Entity::Task] {
        if e.capability().is_none_or(|c| chrome.caps.allows(c)) {
            out.push((
                w.new_record(e).to_string(),
                chrome.href(&format!("{}/new", e.table())),
            ));
        }
    }
    out.push((go(w.nav_settings), chrome.href("settings")));
    out.push((go(w.nav_trash), chrome.href("trash")));
    out
}

/// The command palette (Ctrl/Cmd+K): a dialog the script opens, with its commands as a hidden
/// list the script reads.
fn palette(chrome: &Chrome) -> Markup {
    let w = chrome.w();
    html! {
        dialog #palette aria-label=(w.palette) data-search=(chrome.href("api/v1/search")) data-base=(chrome.base) {
            div.palette-box {
                label.visually-hidden for="palette-input" { (w.palette_label) }
                input #palette-input type="text" role="combobox" aria-expanded="true" aria-controls="palette-list"
                    aria-autocomplete="list" autocomplete="off" placeholder=(w.palette_hint);
                ul #palette-list role="listbox" aria-label=(w.palette_results) {}
                p.muted.small { (w.palette_keys) }
            }
        }
        ul #palette-commands hidden { @for (label, href) in palette_commands(chrome) { li data-href=(href) { (label) } } }
    }
}

/// A page outside the signed-in shell: sign-in, links, errors for visitors.
pub fn bare(
    assets: &Assets,
    lang: Lang,
    heading: &str,
    flash: Option<&Flash>,
    content: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(assets, heading))
            body.bare {
                main #main.card-page {
                    div.card {
                        p.brand { span.logo aria-hidden="true" { "◧" } "Onebox" }
                        h1 { (heading) }
                        @if let Some(flash) = flash { (crate::views::components::flash(flash)) }
                        (content)
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_round_trips_and_rejects_garbage() {
        let f = Flash::success("Saved: all of it");
        assert_eq!(Flash::decode(&f.encode()), Some(f));
        assert_eq!(Flash::decode("x:nope"), None);
        assert_eq!(Flash::decode("nope"), None);
    }
}
