//! Settings → Mail: this account's own SMTP server (or the server's), a test message, and the
//! recent outbox.

use crate::config::SmtpSecurity;
use crate::domain::outbox::MailStatus;
use crate::domain::words::{Words, fill};
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
    let (lang, w) = (chrome.lang, chrome.w());
    let general = (!m.errors.is_empty()).then_some(w.correct_fields);
    settings_page(
        chrome,
        Tab::Mail,
        w.mail_settings,
        html! {
            section.panel aria-labelledby="smtp-h" {
                h2 #smtp-h { (w.outgoing_mail) }
                p.muted { (fill(w.server_default_is, &[("server", &m.server_default)])) }
                (form_error(general))
                form method="post" action=(chrome.href("settings/mail")) {
                    (csrf(chrome.csrf))
                    div.check-field {
                        input #f-use_own type="checkbox" name="use_own" value="1" checked[m.use_own];
                        label for="f-use_own" { (w.use_own_smtp) }
                    }
                    div.grid2 {
                        (Field::new(w.smtp_host, "host").value(m.host).render(lang, m.errors))
                        (Field::new(w.port, "port").kind("number").value(&m.port).render(lang, m.errors))
                        div.field {
                            label for="f-security" { (w.security) }
                            select #f-security name="security" {
                                @for s in [SmtpSecurity::Starttls, SmtpSecurity::Tls, SmtpSecurity::None] {
                                    option value=(s.as_str()) selected[s == m.security] { (security_label(w, s)) }
                                }
                            }
                        }
                        (Field::new(w.sender, "from").value(m.from).hint(w.sender_hint).render(lang, m.errors))
                        (Field::new(w.username, "username").value(m.username).autocomplete("off").render(lang, m.errors))
                        (Field::new(w.password, "smtp_password").kind("password").autocomplete("new-password")
                            .hint(if m.has_password { w.smtp_password_kept } else { w.smtp_password_none })
                            .render(lang, m.errors))
                    }
                    button.primary type="submit" { (w.save_mail_settings) }
                }
            }
            section.panel aria-labelledby="test-h" {
                h2 #test-h { (w.send_test_title) }
                form.row method="post" action=(chrome.href("settings/mail/test")) {
                    (csrf(chrome.csrf))
                    (Field::new(w.to, "to").kind("email").value(chrome.user.map_or("", |u| u.email.as_str())).required().render(lang, &[]))
                    button type="submit" { (w.send_test) }
                }
            }
            section.panel aria-labelledby="outbox-h" {
                h2 #outbox-h { (w.recent_mail) }
                @if m.recent.is_empty() { p.muted { (w.no_mail_yet) } } @else {
                    div.table-wrap tabindex="0" { table {
                        thead { tr { th scope="col" { (w.to) } th scope="col" { (w.subject) } th scope="col" { (w.col_status) } th scope="col" { (w.attempts) } th scope="col" { (w.last_error) } } }
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

fn security_label(w: &Words, s: SmtpSecurity) -> &'static str {
    match s {
        SmtpSecurity::Starttls => "STARTTLS (587)",
        SmtpSecurity::Tls => "TLS (465)",
        SmtpSecurity::None => w.security_none,
    }
}
