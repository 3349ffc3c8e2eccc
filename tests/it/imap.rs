//! The IMAP client against a real Dovecot on loopback, over TLS: a wrong password and an
//! untrusted certificate refused in words; the mailbox's UIDVALIDITY and UIDNEXT; only the
//! messages after the last UID seen (never the highest again, which `n:*` names); each message
//! byte for byte; a 20 MB message listed by size before it is fetched; and nothing lost or
//! renumbered across a restart of the server.

use crate::support::dovecot::{Dovecot, PASSWORD, USER};
use onebox::mail::imap::{Imap, ImapError, roots};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn mail(n: u32, subject: &str) -> Vec<u8> {
    format!(
        "From: Daan <daan@example.test>\r\nTo: {USER}@salon.test\r\nSubject: {subject}\r\n\
         Message-ID: <{n}@example.test>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0100\r\n\r\nHello {n}\r\n"
    )
    .into_bytes()
}

fn session(d: &Dovecot) -> Imap {
    let trusted = roots(Some(&d.ca_pem())).expect("the test CA");
    let mut imap = Imap::connect("localhost", d.port, trusted, WAIT).expect("connect");
    imap.login(USER, PASSWORD).expect("login");
    imap
}

#[test]
fn new_mail_is_fetched_once_by_uid_across_a_restart_of_the_server() {
    let mut d = Dovecot::start();
    let (one, two) = (mail(1, "First"), mail(2, "Second"));
    d.deliver(&one);
    d.deliver(&two);

    let untrusted = Imap::connect("localhost", d.port, roots(None).expect("roots"), WAIT);
    assert!(
        matches!(untrusted, Err(ImapError::Tls(_)) | Err(ImapError::Io(_))),
        "{:?}",
        untrusted.err()
    );
    let trusted = roots(Some(&d.ca_pem())).expect("the test CA");
    let mut wrong = Imap::connect("localhost", d.port, trusted, WAIT).expect("connect");
    assert!(matches!(
        wrong.login(USER, "guess"),
        Err(ImapError::Refused(_))
    ));

    let mut imap = session(&d);
    let inbox = imap.select("INBOX").expect("select");
    assert_eq!((inbox.exists, inbox.uid_next), (2, 3), "{inbox:?}");
    assert_ne!(inbox.uid_validity, 0);
    let listed = imap.list_after(0).expect("list");
    assert_eq!(listed, vec![(1, one.len() as u64), (2, two.len() as u64)]);
    assert_eq!(imap.fetch(1).expect("fetch").as_deref(), Some(&one[..]));
    assert_eq!(imap.fetch(2).expect("fetch").as_deref(), Some(&two[..]));
    assert_eq!(imap.fetch(9).expect("fetch"), None, "no such message");
    assert_eq!(
        imap.list_after(2).expect("list"),
        vec![],
        "2:* names message 2; it is not new"
    );
    assert!(matches!(imap.select("Nowhere"), Err(ImapError::Refused(_))));
    imap.logout();

    let three = mail(3, "Third");
    d.deliver(&three);
    d.restart();
    let mut imap = session(&d);
    let again = imap.select("INBOX").expect("select");
    assert_eq!(again.uid_validity, inbox.uid_validity, "the same mailbox");
    assert_eq!(
        imap.list_after(2).expect("list"),
        vec![(3, three.len() as u64)]
    );
    assert_eq!(imap.fetch(3).expect("fetch").as_deref(), Some(&three[..]));
    imap.logout();
}

#[test]
fn a_twenty_megabyte_message_is_listed_by_size_and_fetched_whole() {
    let d = Dovecot::start();
    let mut big = format!(
        "From: daan@example.test\r\nTo: {USER}@salon.test\r\nSubject: Scan\r\n\
         Message-ID: <4@example.test>\r\n\r\n"
    )
    .into_bytes();
    while big.len() < 20 * 1024 * 1024 {
        big.extend_from_slice(&[b'A'; 76]);
        big.extend_from_slice(b"\r\n");
    }
    d.deliver(&big);
    let mut imap = session(&d);
    imap.select("INBOX").expect("select");
    assert_eq!(
        imap.list_after(0).expect("list"),
        vec![(1, big.len() as u64)]
    );
    let fetched = imap.fetch(1).expect("fetch").expect("the message");
    assert_eq!(fetched.len(), big.len());
    assert!(fetched == big, "byte for byte");
}
