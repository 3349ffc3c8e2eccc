//! Settings → Users: the team, their roles, invitations.

use crate::domain::link::Link;
use crate::domain::user::Role;
use crate::domain::user::User;
use crate::domain::words::{Words, fill};
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

/// A role in words: "owner" / "eigenaar".
pub fn role_name(w: &Words, role: Role) -> &'static str {
    match role {
        Role::Owner => w.role_owner,
        Role::Admin => w.role_admin,
        Role::Member => w.role_member,
    }
}

fn role_select(w: &Words, name: &str, id: &str, current: Role, allow_owner: bool) -> Markup {
    html! {
        select id=(id) name=(name) {
            @for r in Role::ALL.into_iter().filter(|r| allow_owner || *r != Role::Owner || current == Role::Owner) {
                option value=(r.as_str()) selected[r == current] { (role_name(w, r)) }
            }
        }
    }
}

pub fn users(chrome: &Chrome, m: &UsersPage) -> Markup {
    let is_owner = m.me.role == Role::Owner;
    let (lang, w) = (chrome.lang, chrome.w());
    settings_page(
        chrome,
        Tab::Users,
        w.tab_users,
        html! {
            section.panel aria-labelledby="team-h" {
                h2 #team-h { (w.team) }
                div.table-wrap tabindex="0" { table {
                    thead { tr { th scope="col" { (w.col_name) } th scope="col" { (w.email) } th scope="col" { (w.role) } th scope="col" { (w.col_status) } th scope="col" { span.visually-hidden { (w.actions) } } } }
                    tbody { @for u in m.users {
                        @let editable = u.id != m.me.id && (is_owner || u.role != Role::Owner);
                        tr {
                            td { (u.display_name()) }
                            td { (u.email) }
                            td {
                                @if editable {
                                    form.inline method="post" action=(chrome.href(&format!("settings/users/{}/role", u.id))) {
                                        (csrf(chrome.csrf))
                                        label.visually-hidden for={"role-" (u.id)} { (fill(w.role_of, &[("email", &u.email)])) }
                                        (role_select(w, "role", &format!("role-{}", u.id), u.role, is_owner))
                                        button.small type="submit" { (w.change) }
                                    }
                                } @else { (role_name(w, u.role)) }
                            }
                            td {
                                @if !u.active { (badge(w.disabled, "neutral")) }
                                @else if !u.has_password { (badge(w.setup_pending, "warn")) }
                                @else { (badge(w.active, "ok")) }
                            }
                            td.actions {
                                @if editable {
                                    @if u.active {
                                        (post_button(&chrome.href(&format!("settings/users/{}/reset", u.id)), chrome.csrf, w.reset_password_button, "small", None))
                                        " "
                                        (post_button(&chrome.href(&format!("settings/users/{}/disable", u.id)), chrome.csrf, w.disable, "small danger", Some(w.disable_confirm)))
                                    } @else {
                                        (post_button(&chrome.href(&format!("settings/users/{}/enable", u.id)), chrome.csrf, w.enable, "small", None))
                                    }
                                }
                            }
                        }
                    } }
                } }
            }
            @if let Some(u) = &m.unsent { (unsent(chrome, u)) }
            section.panel aria-labelledby="invite-h" {
                h2 #invite-h { (w.invite_someone) }
                (form_error(m.error.map(|e| w.said(e)).as_deref()))
                form.row method="post" action=(chrome.href("settings/users/invite")) {
                    (csrf(chrome.csrf))
                    (Field::new(w.email, "email").kind("email").value(m.invite_email).required().render(lang, m.errors))
                    div.field {
                        label for="f-role" { (w.role) }
                        (role_select(w, "role", "f-role", m.invite_role, is_owner))
                    }
                    button.primary type="submit" { (w.send_invitation) }
                }
                @if !m.invitations.is_empty() {
                    h3 { (w.waiting_answer) }
                    ul.plain { @for inv in m.invitations {
                        li {
                            (fill(w.invited_as, &[("email", inv.email.as_deref().unwrap_or("")), ("role", role_name(w, inv.role))]))
                            span.muted { " · " (fill(w.expires, &[("when", &chrome.time(&inv.expires_at))])) " " }
                            (post_button(&chrome.href(&format!("settings/invitations/{}/revoke", inv.id)), chrome.csrf, w.withdraw, "small", None))
                        }
                    } }
                }
            }
        },
    )
}

/// A link whose mail cannot go out: why, and the link to pass on.
fn unsent(chrome: &Chrome, u: &Unsent) -> Markup {
    let w = chrome.w();
    let (what, lasts, label) = match u.what {
        Sent::Invitation => (w.invitation, w.works_once, w.invitation_link),
        Sent::Reset => (w.password_reset, w.works_two_hours, w.reset_link),
    };
    html! {
        section.panel.notice role="status" aria-labelledby="unsent-h" {
            h2 #unsent-h { (fill(w.no_mail_sent, &[("what", what), ("email", u.email)])) }
            p { (fill(w.no_mail_server, &[("email", u.email), ("lasts", lasts)])) " " a href=(chrome.href("settings/mail")) { (w.settings_mail_path) } "." }
            div.field {
                label for="invite-link" { (label) }
                input #invite-link type="text" readonly value=(u.link);
                button.small type="button" data-copy="invite-link" hidden { (w.copy) }
            }
        }
    }
}
