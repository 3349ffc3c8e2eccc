//! Settings → Mail: this account's own SMTP server (or the server's), a test message, and the
//! recent outbox.

use crate::config::SmtpSecurity;
use crate::domain::outbox::MailStatus;
use crate::error::FieldError;
use crate::views::components::{Field, badge, csrf, form_error};
use crate::views::layout::Chrome;
use crate::views::settings::{Tab, settings_page};
use maud::{Markup, html};

pub struct MailPage<'a> {
    pub use_own: bool,
    pub host: &'a str,
    pub port: String,
    pub security: SmtpSecurity,
    pub username: &'a str,
    pub has_password: bool,
    pub from: &'a str,
    pub server_default: String,
    pub errors: &'a [FieldError],
    pub recent: &'a [MailStatus],
}

pub fn mail(chrome: &Chrome, m: &MailPage) -> Markup {
    let general = (!m.errors.is_empty()).then_some("Please correct the fields marked below.");
    settings_page(
        chrome,
        Tab::Mail,
        "Mail settings",
        html! {
            section.panel aria-labelledby="smtp-h" {
                h2 #smtp-h { "Outgoing mail" }
                p.muted { "Without settings of its own, this account sends through the server's: " (m.server_default) "." }
                (form_error(general))
                form method="post" action=(chrome.href("settings/mail")) {
                    (csrf(chrome.csrf))
                    div.check-field {
                        input #f-use_own type="checkbox" name="use_own" value="1" checked[m.use_own];
                        label for="f-use_own" { "Use this account's own SMTP server" }
                    }
                    div.grid2 {
                        (Field::new("SMTP host", "host").value(m.host).render(m.errors))
                        (Field::new("Port", "port").kind("number").value(&m.port).render(m.errors))
                        div.field {
                            label for="f-security" { "Security" }
                            select #f-security name="security" {
                                @for s in [SmtpSecurity::Starttls, SmtpSecurity::Tls, SmtpSecurity::None] {
                                    option value=(s.as_str()) selected[s == m.security] { (security_label(s)) }
                                }
                            }
                        }
                        (Field::new("Sender", "from").value(m.from).hint("Like: Acme Bakery <hello@acme.example>").render(m.errors))
                        (Field::new("Username", "username").value(m.username).autocomplete("off").render(m.errors))
                        (Field::new("Password", "smtp_password").kind("password").autocomplete("new-password")
                            .hint(if m.has_password { "A password is saved; leave empty to keep it." } else { "Leave empty if the server needs none." })
                            .render(m.errors))
                    }
                    button.primary type="submit" { "Save mail settings" }
                }
            }
            section.panel aria-labelledby="test-h" {
                h2 #test-h { "Send a test message" }
                form.row method="post" action=(chrome.href("settings/mail/test")) {
                    (csrf(chrome.csrf))
                    (Field::new("To", "to").kind("email").value(chrome.user.map_or("", |u| u.email.as_str())).required().render(&[]))
                    button type="submit" { "Send test" }
                }
            }
            section.panel aria-labelledby="outbox-h" {
                h2 #outbox-h { "Recent mail" }
                @if m.recent.is_empty() { p.muted { "No mail sent yet." } } @else {
                    div.table-wrap tabindex="0" { table {
                        thead { tr { th scope="col" { "To" } th scope="col" { "Subject" } th scope="col" { "Status" } th scope="col" { "Attempts" } th scope="col" { "Last error" } } }
                        tbody { @for mail in m.recent { tr {
                            td { (mail.to) } td { (mail.subject) }
                            td { (badge(&mail.status, match mail.status.as_str() { "sent" => "ok", "failed" => "danger", _ => "warn" })) }
                            td { (mail.attempts) }
                            td.muted { (mail.last_error.as_deref().unwrap_or("")) }
                        } } }
                    } }
                }
            }
        },
    )
}

fn security_label(s: SmtpSecurity) -> &'static str {
    match s {
        SmtpSecurity::Starttls => "STARTTLS (port 587)",
        SmtpSecurity::Tls => "TLS (port 465)",
        SmtpSecurity::None => "None (local relay only)",
    }
}
