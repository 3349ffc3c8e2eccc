//! Settings → Users: the team, their roles, invitations.

use crate::domain::link::Link;
use crate::domain::local_time;
use crate::domain::user::Role;
use crate::domain::user::User;
use crate::error::FieldError;
use crate::views::components::{Field, badge, csrf, form_error, post_button};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

pub struct UsersPage<'a> {
    pub me: &'a User,
    pub users: &'a [User],
    pub invitations: &'a [Link],
    pub invite_email: &'a str,
    pub invite_role: Role,
    pub errors: &'a [FieldError],
    pub error: Option<&'a str>,
    /// A link just made whose mail cannot go out (no mail server), to pass on.
    pub unsent: Option<Unsent<'a>>,
}

/// A link whose mail cannot go out: what it is, for whom, and the link.
pub struct Unsent<'a> {
    pub what: Sent,
    pub email: &'a str,
    pub link: &'a str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Invitation,
    Reset,
}

fn role_select(name: &str, id: &str, current: Role, allow_owner: bool) -> Markup {
    html! {
        select id=(id) name=(name) {
            @for r in Role::ALL.into_iter().filter(|r| allow_owner || *r != Role::Owner || current == Role::Owner) {
                option value=(r.as_str()) selected[r == current] { (r.as_str()) }
            }
        }
    }
}

pub fn users(chrome: &Chrome, m: &UsersPage) -> Markup {
    let is_owner = m.me.role == Role::Owner;
    settings_page(
        chrome,
        Tab::Users,
        "Users",
        html! {
            section.panel aria-labelledby="team-h" {
                h2 #team-h { "Team" }
                div.table-wrap tabindex="0" { table {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Role" } th scope="col" { "Status" } th scope="col" { span.visually-hidden { "Actions" } } } }
                    tbody { @for u in m.users {
                        @let editable = u.id != m.me.id && (is_owner || u.role != Role::Owner);
                        tr {
                            td { (u.display_name()) }
                            td { (u.email) }
                            td {
                                @if editable {
                                    form.inline method="post" action=(chrome.href(&format!("settings/users/{}/role", u.id))) {
                                        (csrf(chrome.csrf))
                                        label.visually-hidden for={"role-" (u.id)} { "Role of " (u.email) }
                                        (role_select("role", &format!("role-{}", u.id), u.role, is_owner))
                                        button.small type="submit" { "Change" }
                                    }
                                } @else { (u.role.as_str()) }
                            }
                            td {
                                @if !u.active { (badge("disabled", "neutral")) }
                                @else if !u.has_password { (badge("set-up pending", "warn")) }
                                @else { (badge("active", "ok")) }
                            }
                            td.actions {
                                @if editable {
                                    @if u.active {
                                        (post_button(&chrome.href(&format!("settings/users/{}/reset", u.id)), chrome.csrf, "Reset password", "small", None))
                                        " "
                                        (post_button(&chrome.href(&format!("settings/users/{}/disable", u.id)), chrome.csrf, "Disable", "small danger", Some("Disable this user? Their sessions end at once.")))
                                    } @else {
                                        (post_button(&chrome.href(&format!("settings/users/{}/enable", u.id)), chrome.csrf, "Enable", "small", None))
                                    }
                                }
                            }
                        }
                    } }
                } }
            }
            @if let Some(u) = &m.unsent { (unsent(chrome, u)) }
            section.panel aria-labelledby="invite-h" {
                h2 #invite-h { "Invite someone" }
                (form_error(m.error))
                form.row method="post" action=(chrome.href("settings/users/invite")) {
                    (csrf(chrome.csrf))
                    (Field::new("Email", "email").kind("email").value(m.invite_email).required().render(m.errors))
                    div.field {
                        label for="f-role" { "Role" }
                        (role_select("role", "f-role", m.invite_role, is_owner))
                    }
                    button.primary type="submit" { "Send invitation" }
                }
                @if !m.invitations.is_empty() {
                    h3 { "Waiting for an answer" }
                    ul.plain { @for inv in m.invitations {
                        li {
                            (inv.email.as_deref().unwrap_or("")) " as " (inv.role.as_str())
                            span.muted { " · expires " (local_time::show(&inv.expires_at, chrome.zone)) " " }
                            (post_button(&chrome.href(&format!("settings/invitations/{}/revoke", inv.id)), chrome.csrf, "Withdraw", "small", None))
                        }
                    } }
                }
            }
        },
    )
}

/// A link whose mail cannot go out: why, and the link to pass on.
fn unsent(chrome: &Chrome, u: &Unsent) -> Markup {
    let (what, lasts, label) = match u.what {
        Sent::Invitation => ("Invitation", "it works once", "Invitation link"),
        Sent::Reset => ("Password reset", "it works once, for 2 hours", "Reset link"),
    };
    html! {
        section.panel.notice role="status" aria-labelledby="unsent-h" {
            h2 #unsent-h { (what) " for " (u.email) ": no mail was sent" }
            p { "This workspace has no mail server set up, so the mail waits in the outbox. Send this link to " (u.email) " yourself (" (lasts) "), or set up mail under " a href=(chrome.href("settings/mail")) { "Settings → Mail" } "." }
            div.field {
                label for="invite-link" { (label) }
                input #invite-link type="text" readonly value=(u.link);
                button.small type="button" data-copy="invite-link" hidden { "Copy" }
            }
        }
    }
}
