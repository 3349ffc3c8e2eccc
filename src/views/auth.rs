//! Sign-in, "forgot password", and the pages behind one-time links (setup, invitation, reset).

use crate::assets::Assets;
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
}

pub fn login(assets: &Assets, m: &Login) -> Markup {
    bare(
        assets,
        &format!("Sign in to {}", m.account_name),
        m.flash,
        html! {
            (form_error(m.error))
            form method="post" action={(m.base) "/login"} {
                (csrf(m.csrf))
                input type="hidden" name="next" value=(m.next);
                (Field::new("Email", "email").kind("email").value(m.email).required().autocomplete("username").render(&[]))
                (Field::new("Password", "password").kind("password").required().autocomplete("current-password").render(&[]))
                button.primary type="submit" { "Sign in" }
            }
            p.muted { a href={(m.base) "/reset"} { "Forgot your password?" } }
            details.muted.small {
                summary { "Lost the link to set up your account?" }
                p { "Whoever runs this server can make a new one: " code { "onebox user reset-password --tenant <workspace> --email <your email>" } " prints a link that lets you choose a password." }
            }
        },
    )
}

pub fn reset_request(assets: &Assets, base: &str, csrf_token: &str, sent: bool) -> Markup {
    bare(
        assets,
        "Reset your password",
        None,
        html! {
            @if sent {
                div.flash.success role="status" {
                    "If that address has an account here, a mail with a reset link is on its way. The link works for two hours."
                }
                p { a href={(base) "/login"} { "Back to sign in" } }
            } @else {
                p.muted { "Enter the address you sign in with; we will mail you a link to choose a new password." }
                form method="post" action={(base) "/reset"} {
                    (csrf(csrf_token))
                    (Field::new("Email", "email").kind("email").required().autocomplete("username").render(&[]))
                    button.primary type="submit" { "Mail me a link" }
                }
                p.muted { a href={(base) "/login"} { "Back to sign in" } }
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
}

/// What the owner's setup page asks about the workspace, as it is or as typed.
pub struct WorkspaceChoice<'a> {
    pub name: &'a str,
    pub time_zone: &'a str,
    pub profile: &'a str,
}

pub fn link_page(assets: &Assets, m: &LinkPage) -> Markup {
    let general = if m.errors.is_empty() {
        None
    } else {
        Some("Please correct the fields marked below.")
    };
    bare(
        assets,
        m.heading,
        None,
        html! {
            p.muted { (m.intro) }
            (form_error(general))
            form method="post" action=(m.action) {
                (csrf(m.csrf))
                @if let Some(email) = m.fixed_email {
                    div.field { span.label { "Email" } p.static { (email) } }
                } @else {
                    (Field::new("Email", "email").kind("email").value(m.email).required().autocomplete("username").render(m.errors))
                }
                @if m.ask_name {
                    (Field::new("Your name", "name").value(m.name).autocomplete("name").render(m.errors))
                }
                (Field::new("Password", "password").kind("password").required().autocomplete("new-password")
                    .hint("At least 10 characters.").render(m.errors))
                (Field::new("Repeat the password", "confirm").kind("password").required().autocomplete("new-password").render(m.errors))
                @if let Some(w) = &m.workspace { (workspace_fields(w, m.errors)) }
                button.primary type="submit" { (m.button) }
            }
        },
    )
}

/// The workspace's name, time zone (the browser's, with JavaScript) and profile.
fn workspace_fields(w: &WorkspaceChoice, errors: &[FieldError]) -> Markup {
    html! {
        fieldset.workspace {
            legend { "Your workspace" }
            (Field::new("Workspace name", "workspace_name").value(w.name).required().render(errors))
            (Field::new("Time zone", "time_zone").value(w.time_zone).list("zones").hint("Where you work: times are shown in it.").render(errors))
            (crate::views::components::time_zones("zones"))
            div.field {
                label for="f-profile" { "Kind of business" }
                select #f-profile name="profile" {
                    @for p in crate::domain::capability::Profile::ALL {
                        option value=(p.as_str()) selected[p.as_str() == w.profile] { (p.label()) }
                    }
                }
                p.hint { "It sets which features start switched on; Settings can change them later." }
            }
        }
    }
}
