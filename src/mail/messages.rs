//! What Onebox sends: one function per message, each with a plain-text and an HTML body.

use crate::domain::outbox::NewMail;
use maud::{DOCTYPE, Markup, html};

pub fn invitation(to: &str, account: &str, inviter: &str, url: &str, days: i64) -> NewMail {
    let subject = format!("{inviter} invited you to {account} on Onebox");
    let lines = [
        format!("{inviter} invited you to join {account} on Onebox."),
        format!("Choose your password to accept. The link works for {days} days."),
    ];
    message(to, subject, &lines, ("Accept the invitation", url))
}

pub fn password_reset(to: &str, account: &str, url: &str, hours: i64) -> NewMail {
    let subject = format!("Reset your Onebox password for {account}");
    let lines = [
        format!("Someone asked to reset the password of {to} for {account} on Onebox."),
        format!(
            "If it was you, choose a new password; the link works for {hours} hours. If not, ignore this mail: nothing changes."
        ),
    ];
    message(to, subject, &lines, ("Choose a new password", url))
}

pub fn test_message(to: &str, account: &str) -> NewMail {
    let subject = format!("Onebox test message for {account}");
    let lines = [
        "This message shows that Onebox can deliver mail with the current settings.".to_string(),
    ];
    NewMail {
        to: to.into(),
        text: lines.join("\n\n") + "\n",
        html: html_body(&subject, &lines, None).into_string(),
        subject,
    }
}

fn message(to: &str, subject: String, lines: &[String], (label, url): (&str, &str)) -> NewMail {
    let text = format!("{}\n\n{label}: {url}\n", lines.join("\n\n"));
    let html = html_body(&subject, lines, Some((label, url))).into_string();
    NewMail {
        to: to.into(),
        subject,
        text,
        html,
    }
}

fn html_body(title: &str, lines: &[String], action: Option<(&str, &str)>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { (title) } }
            body style="font-family: system-ui, sans-serif; color: #1f2933; max-width: 36rem; margin: 2rem auto; line-height: 1.5" {
                @for line in lines { p { (line) } }
                @if let Some((label, url)) = action {
                    p { a href=(url) style="display: inline-block; background: #1d4ed8; color: #fff; padding: .6rem 1rem; border-radius: .4rem; text-decoration: none" { (label) } }
                    p style="color: #52606d; font-size: .9rem" { "Or open this address: " (url) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_the_link_in_both_bodies_and_escape_names() {
        let m = invitation(
            "b@example.com",
            "Acme <Bakery>",
            "Ann",
            "http://x/t/acme/invite/abc",
            7,
        );
        assert!(m.text.contains("http://x/t/acme/invite/abc"));
        assert!(m.html.contains("href=\"http://x/t/acme/invite/abc\""));
        assert!(m.html.contains("Acme &lt;Bakery&gt;"));
        assert!(!m.html.contains("<Bakery>"));
        assert_eq!(m.subject, "Ann invited you to Acme <Bakery> on Onebox");
    }
}
