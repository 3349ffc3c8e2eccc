//! What Onebox sends: one function per message, each with a plain-text and an HTML body.

use crate::domain::outbox::NewMail;
use crate::domain::words::{Lang, fill};
use maud::{DOCTYPE, Markup, html};

/// An invitation to join `account`, in the language of whoever invites.
pub fn invitation(
    lang: Lang,
    to: &str,
    account: &str,
    inviter: &str,
    url: &str,
    days: i64,
) -> NewMail {
    let w = lang.words();
    let blanks = [("inviter", inviter), ("account", account)];
    let subject = fill(w.mail_invite_subject, &blanks);
    let lines = [
        fill(w.mail_invite_line, &blanks),
        fill(w.mail_invite_choose, &[("days", &days.to_string())]),
    ];
    message(lang, to, subject, &lines, (w.mail_invite_button, url))
}

/// A link to choose a new password, in the language of the account's user.
pub fn password_reset(lang: Lang, to: &str, account: &str, url: &str, hours: i64) -> NewMail {
    let w = lang.words();
    let subject = fill(w.mail_reset_subject, &[("account", account)]);
    let lines = [
        fill(w.mail_reset_line, &[("email", to), ("account", account)]),
        fill(w.mail_reset_if, &[("hours", &hours.to_string())]),
    ];
    message(lang, to, subject, &lines, (w.mail_reset_button, url))
}

pub fn test_message(lang: Lang, to: &str, account: &str) -> NewMail {
    let w = lang.words();
    let subject = fill(w.mail_test_subject, &[("account", account)]);
    let lines = [w.mail_test_line.to_string()];
    NewMail {
        to: to.into(),
        text: lines.join("\n\n") + "\n",
        html: html_body(lang, &subject, &lines, None).into_string(),
        subject,
        calendar: None,
        thread: None,
    }
}

/// Which news an appointment mail brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    Confirmed,
    /// Booked online, waiting for the business to confirm it.
    Requested,
    Moved,
    Cancelled,
    Reminder,
}

/// What an appointment mail says: whose business, when (as the client reads it), what and
/// with whom, and the private link to change it (or to book again, once cancelled).
pub struct VisitMail<'a> {
    pub account: &'a str,
    pub when: &'a str,
    pub services: &'a str,
    pub with: &'a str,
    pub link: &'a str,
    /// The invitation (or its cancellation) to attach.
    pub calendar: Option<String>,
}

/// A mail to a client about their appointment, in the language they booked in.
pub fn appointment(lang: Lang, to: &str, news: Visit, v: VisitMail) -> NewMail {
    let w = lang.words();
    let blanks = [("account", v.account), ("when", v.when)];
    let (subject, first) = match news {
        Visit::Confirmed => (w.mail_appt_confirmed_subject, w.mail_appt_confirmed_line),
        Visit::Requested => (w.mail_appt_requested_subject, w.mail_appt_requested_line),
        Visit::Moved => (w.mail_appt_moved_subject, w.mail_appt_moved_line),
        Visit::Cancelled => (w.mail_appt_cancelled_subject, w.mail_appt_cancelled_line),
        Visit::Reminder => (w.mail_appt_reminder_subject, w.mail_appt_reminder_line),
    };
    let mut lines = vec![
        fill(first, &blanks),
        fill(
            w.mail_appt_line,
            &[("services", v.services), ("name", v.with), ("when", v.when)],
        ),
    ];
    if v.calendar.is_some() {
        lines.push(w.mail_appt_calendar_line.to_string());
    }
    let button = if news == Visit::Cancelled {
        w.mail_appt_book_again
    } else {
        w.mail_appt_manage
    };
    let mut mail = message(lang, to, fill(subject, &blanks), &lines, (button, v.link));
    mail.calendar = v.calendar;
    mail
}

/// What a mail to someone on the waitlist says: whose business, the day and service a time
/// opened up for, the booking page to take it.
pub struct Opened<'a> {
    pub account: &'a str,
    pub name: &'a str,
    pub day: &'a str,
    pub service: &'a str,
    pub link: &'a str,
}

/// A time opened up on the day someone waits for.
pub fn time_opened(lang: Lang, to: &str, o: Opened) -> NewMail {
    let w = lang.words();
    let subject = fill(w.mail_opened_subject, &[("account", o.account)]);
    let lines = [fill(
        w.mail_opened_line,
        &[("name", o.name), ("day", o.day), ("service", o.service)],
    )];
    message(lang, to, subject, &lines, (w.mail_opened_button, o.link))
}

/// What a receipt mail lists: its lines and figures as the client reads them.
pub struct ReceiptMail<'a> {
    pub account: &'a str,
    pub number: i64,
    pub when: &'a str,
    /// Description, quantity, amount (formatted).
    pub lines: Vec<(String, i64, String)>,
    /// Label and amount (formatted): total, each payment, change, VAT per rate.
    pub figures: Vec<(String, String)>,
}

/// A receipt to its client, in their language.
pub fn receipt(lang: Lang, to: &str, r: &ReceiptMail) -> NewMail {
    let w = lang.words();
    let number = r.number.to_string();
    let subject = fill(
        w.mail_receipt_subject,
        &[("number", &number), ("account", r.account)],
    );
    let first = fill(w.mail_receipt_line, &[("when", r.when)]);
    let mut text = format!("{first}\n\n");
    for (what, n, amount) in &r.lines {
        text.push_str(&format!("{n} × {what}  {amount}\n"));
    }
    text.push('\n');
    for (label, amount) in &r.figures {
        text.push_str(&format!("{label}: {amount}\n"));
    }
    let html = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head { meta charset="utf-8"; title { (subject) } }
            body style="font-family: system-ui, sans-serif; color: #1f2933; max-width: 36rem; margin: 2rem auto; line-height: 1.5" {
                p { (first) }
                table style="border-collapse: collapse; width: 100%" {
                    @for (what, n, amount) in &r.lines {
                        tr { td { (n) " × " (what) } td style="text-align: right" { (amount) } }
                    }
                }
                table style="border-collapse: collapse; width: 100%; margin-top: 1rem" {
                    @for (label, amount) in &r.figures {
                        tr { th style="text-align: left" { (label) } td style="text-align: right" { (amount) } }
                    }
                }
            }
        }
    }
    .into_string();
    NewMail {
        to: to.into(),
        subject,
        text,
        html,
        calendar: None,
        thread: None,
    }
}

/// Someone mentioned `to` in a note of a conversation, or gave it to them.
pub fn conversation_notice(
    lang: Lang,
    to: &str,
    (mentioned, actor): (bool, &str),
    (number, subject): (i64, &str),
    url: &str,
) -> NewMail {
    let w = lang.words();
    let blanks = [
        ("actor", actor),
        ("number", &number.to_string()),
        ("subject", subject),
    ];
    let (title, line) = match mentioned {
        true => (w.mail_mention_subject, w.mail_mention_line),
        false => (w.mail_assigned_subject, w.mail_assigned_line),
    };
    let lines = [fill(line, &blanks)];
    message(
        lang,
        to,
        fill(title, &blanks),
        &lines,
        (w.mail_open_conversation, url),
    )
}

fn message(
    lang: Lang,
    to: &str,
    subject: String,
    lines: &[String],
    (label, url): (&str, &str),
) -> NewMail {
    let text = format!("{}\n\n{label}: {url}\n", lines.join("\n\n"));
    let html = html_body(lang, &subject, lines, Some((label, url))).into_string();
    NewMail {
        to: to.into(),
        subject,
        text,
        html,
        calendar: None,
        thread: None,
    }
}

fn html_body(lang: Lang, title: &str, lines: &[String], action: Option<(&str, &str)>) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head { meta charset="utf-8"; title { (title) } }
            body style="font-family: system-ui, sans-serif; color: #1f2933; max-width: 36rem; margin: 2rem auto; line-height: 1.5" {
                @for line in lines { p { (line) } }
                @if let Some((label, url)) = action {
                    p { a href=(url) style="display: inline-block; background: #1d4ed8; color: #fff; padding: .6rem 1rem; border-radius: .4rem; text-decoration: none" { (label) } }
                    p style="color: #52606d; font-size: .9rem" { (lang.words().mail_or_open) " " (url) }
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
            Lang::En,
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

    #[test]
    fn a_dutch_reader_gets_the_mail_in_dutch() {
        let m = password_reset(Lang::Nl, "b@example.com", "Salon Lotte", "http://x/r", 2);
        assert_eq!(
            m.subject,
            "Stel je Onebox-wachtwoord voor Salon Lotte opnieuw in"
        );
        assert!(m.text.contains("de link werkt 2 uur"), "{}", m.text);
        assert!(m.text.contains("Kies een nieuw wachtwoord: http://x/r"));
        assert!(m.html.contains("<html lang=\"nl\">"));
    }
}
