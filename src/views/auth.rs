//! Sign-in, "forgot password", and the pages behind one-time links (setup, invitation, reset).

use crate::assets::Assets;
use crate::domain::words::{Lang, fill};
use crate::error::FieldError;
use crate::views::components::{Field, csrf, form_error};
use crate::views::layout::{Flash, bare};
use maud::{Markup, html};

pub struct Login<'a> {
    pub account_name: &'a str,
    pub base: &'a str,
    pub csrf: &'a str,
    pub email: &'a str,
    pub next: &'a str,
    pub error: Option<&'a str>,
    pub flash: Option<&'a Flash>,
    pub lang: Lang,
}

pub fn login(assets: &Assets, m: &Login) -> Markup {
    let (lang, w) = (m.lang, m.lang.words());
    bare(
        assets,
        lang,
        &fill(w.sign_in_to, &[("name", m.account_name)]),
        m.flash,
        html! {
            (form_error(m.error.map(|e| w.said(e)).as_deref()))
            form method="post" action={(m.base) "/login"} {
                (csrf(m.csrf))
                input type="hidden" name="next" value=(m.next);
                (Field::new(w.email, "email").kind("email").value(m.email).required().autocomplete("username").render(lang, &[]))
                (Field::new(w.password, "password").kind("password").required().autocomplete("current-password").render(lang, &[]))
                button.primary type="submit" { (w.sign_in) }
            }
            p.muted { a href={(m.base) "/reset"} { (w.forgot_password) } }
            details.muted.small {
                summary { (w.lost_setup_link) }
                p { (w.lost_setup_before) " " code { "onebox user reset-password --tenant <workspace> --email <your email>" } " " (w.lost_setup_after) }
            }
        },
    )
}

pub fn reset_request(
    assets: &Assets,
    lang: Lang,
    base: &str,
    csrf_token: &str,
    sent: bool,
) -> Markup {
    let w = lang.words();
    bare(
        assets,
        lang,
        w.reset_password,
        None,
        html! {
            @if sent {
                div.flash.success role="status" { (w.reset_sent) }
                p { a href={(base) "/login"} { (w.back_to_sign_in) } }
            } @else {
                p.muted { (w.reset_intro) }
                form method="post" action={(base) "/reset"} {
                    (csrf(csrf_token))
                    (Field::new(w.email, "email").kind("email").required().autocomplete("username").render(lang, &[]))
                    button.primary type="submit" { (w.mail_me_link) }
                }
                p.muted { a href={(base) "/login"} { (w.back_to_sign_in) } }
            }
        },
    )
}

pub struct LinkPage<'a> {
    pub heading: &'a str,
    pub intro: String,
    pub action: String,
    pub csrf: &'a str,
    /// Set when the link names the person; otherwise the form asks for the address.
    pub fixed_email: Option<&'a str>,
    pub ask_name: bool,
    pub email: &'a str,
    pub name: &'a str,
    pub errors: &'a [FieldError],
    pub button: &'a str,
    /// On the owner's setup page: the workspace's name, time zone and profile to choose.
    pub workspace: Option<WorkspaceChoice<'a>>,
    pub lang: Lang,
}

/// What the owner's setup page asks about the workspace, as it is or as typed.
pub struct WorkspaceChoice<'a> {
    pub name: &'a str,
    pub time_zone: &'a str,
    pub currency: &'a str,
    pub profile: &'a str,
}

pub fn link_page(assets: &Assets, m: &LinkPage) -> Markup {
    let (lang, w) = (m.lang, m.lang.words());
    let general = if m.errors.is_empty() {
        None
    } else {
        Some(w.correct_fields)
    };
    bare(
        assets,
        lang,
        m.heading,
        None,
        html! {
            p.muted { (m.intro) }
            (form_error(general))
            form method="post" action=(m.action) {
                (csrf(m.csrf))
                @if let Some(email) = m.fixed_email {
                    div.field { span.label { (w.email) } p.static { (email) } }
                } @else {
                    (Field::new(w.email, "email").kind("email").value(m.email).required().autocomplete("username").render(lang, m.errors))
                }
                @if m.ask_name {
                    (Field::new(w.your_name, "name").value(m.name).autocomplete("name").render(lang, m.errors))
                }
                (Field::new(w.password, "password").kind("password").required().autocomplete("new-password")
                    .hint(w.password_hint).render(lang, m.errors))
                (Field::new(w.repeat_password, "confirm").kind("password").required().autocomplete("new-password").render(lang, m.errors))
                @if let Some(choice) = &m.workspace { (workspace_fields(lang, choice, m.errors)) }
                button.primary type="submit" { (m.button) }
            }
        },
    )
}

/// The workspace's name, time zone (the browser's, with JavaScript) and profile.
fn workspace_fields(lang: Lang, c: &WorkspaceChoice, errors: &[FieldError]) -> Markup {
    let w = lang.words();
    html! {
        fieldset.workspace {
            legend { (w.your_workspace) }
            (Field::new(w.workspace_name, "workspace_name").value(c.name).required().render(lang, errors))
            (Field::new(w.time_zone, "time_zone").value(c.time_zone).list("zones").hint(w.time_zone_hint).render(lang, errors))
            (crate::views::components::time_zones("zones"))
            (Field::new(w.currency, "currency").value(c.currency).required().hint(w.currency_hint).render(lang, errors))
            div.field {
                label for="f-profile" { (w.kind_of_business) }
                select #f-profile name="profile" {
                    @for p in crate::domain::capability::Profile::ALL {
                        option value=(p.as_str()) selected[p.as_str() == c.profile] { (p.label(w)) }
                    }
                }
                p.hint { (w.profile_hint) }
            }
        }
    }
}
