use super::mail::{Automatic, bounced_recipient, parse};
use super::quote::split;
use super::threading::{Clue, clues, reply_address, reply_subject, subject_number, token_in};

fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

#[test]
fn a_plain_mail_gives_its_parties_ids_subject_and_text() {
    let m = parse(&crlf(
        "From: \"Daan de Vries\" <Daan@Example.TEST>\nTo: Salon <info@salon.test>\n\
         Cc: mia@example.test, not-an-address\nSubject: =?utf-8?q?Afspraak_verzetten?=\n\
         Message-ID: <abc@example.test>\nIn-Reply-To: <x1@salon.test>\n\
         References: <x0@salon.test> <x1@salon.test>\nDate: Thu, 03 Dec 2026 10:00:00 +0100\n\n\
         Kan het om 11 uur?\n",
    ))
    .expect("a mail");
    let from = m.from.expect("a sender");
    assert_eq!(
        (from.email.as_str(), from.name.as_str()),
        ("daan@example.test", "Daan de Vries")
    );
    assert_eq!(m.to[0].email, "info@salon.test");
    assert_eq!(m.cc.len(), 1, "{:?}", m.cc);
    assert_eq!(m.subject, "Afspraak verzetten");
    assert_eq!(m.message_id.as_deref(), Some("abc@example.test"));
    assert_eq!(m.in_reply_to, vec!["x1@salon.test"]);
    assert_eq!(m.references, vec!["x0@salon.test", "x1@salon.test"]);
    assert_eq!(m.date.as_deref(), Some("2026-12-03T09:00:00Z"));
    assert!(m.text.contains("Kan het om 11 uur?"));
    assert_eq!((m.html, m.automatic), (None, None));
}

#[test]
fn html_and_attachments_are_read_from_a_multipart_mail() {
    let m = parse(&crlf(
        "From: a@example.test\nSubject: Foto\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\n\
         Content-Type: text/html; charset=utf-8\n\n<p onclick=\"x()\">Zie <b>bijlage</b></p><script>alert(1)</script>\n\
         --b1\nContent-Type: image/PNG\nContent-Disposition: attachment; filename=\"haar.png\"\n\
         Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b1--\n",
    ))
    .expect("a mail");
    assert!(
        m.html
            .as_deref()
            .is_some_and(|h| h.contains("<b>bijlage</b>")),
        "{:?}",
        m.html
    );
    assert!(
        m.text.contains("bijlage"),
        "a text body is made from the HTML: {:?}",
        m.text
    );
    assert_eq!(m.attachments.len(), 1);
    let a = &m.attachments[0];
    assert_eq!(
        (a.name.as_str(), a.content_type.as_str(), a.size),
        ("haar.png", "image/png", 8)
    );
}

#[test]
fn automatic_mail_is_told_by_its_headers() {
    let with = |headers: &str| {
        parse(&crlf(&format!(
            "From: a@example.test\n{headers}\nSubject: x\n\nx\n"
        )))
        .and_then(|m| m.automatic)
    };
    assert_eq!(
        with("Auto-Submitted: auto-replied"),
        Some(Automatic::AutoSubmitted("auto-replied".into()))
    );
    assert_eq!(with("Auto-Submitted: no"), None);
    assert_eq!(
        with("Precedence: Bulk"),
        Some(Automatic::Precedence("bulk".into()))
    );
    assert_eq!(with("Precedence: first-class"), None);
    assert_eq!(
        with("X-Auto-Response-Suppress: All"),
        Some(Automatic::Suppressed)
    );
    assert_eq!(with("List-Id: <news.example.test>"), Some(Automatic::List));
    assert_eq!(with("Return-Path: <>"), Some(Automatic::NullSender));
    assert_eq!(with("Return-Path: <a@example.test>"), None);
    let bounce = parse(&crlf(
        "From: MAILER-DAEMON@example.test\nSubject: Undelivered\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=r\n\n--r\n\
         Content-Type: text/plain\n\nNo such user\n--r\nContent-Type: message/delivery-status\n\n\
         Final-Recipient: rfc822; gone@example.test\nAction: failed\n--r--\n",
    ))
    .expect("a bounce");
    assert_eq!(bounce.automatic, Some(Automatic::DeliveryReport));
    assert!(bounce.is_bounce());
    assert_eq!(
        bounced_recipient(&crlf("Final-Recipient: rfc822; <Gone@Example.test>\n")),
        Some("gone@example.test".into())
    );
    assert_eq!(bounced_recipient(b"Final-Recipient: rfc822; nobody"), None);
}

#[test]
fn malformed_mail_is_read_as_far_as_it_goes_and_headerless_bytes_are_not_mail() {
    // A boundary that never closes, a broken encoded word, no From.
    let m = parse(&crlf(
        "Subject: =?utf-8?b?broken\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\n\
         Content-Type: text/plain\n\nStill here\n",
    ))
    .expect("read as far as it goes");
    assert_eq!(m.from, None);
    assert!(m.text.contains("Still here"), "{:?}", m.text);
    assert!(
        m.attachments.is_empty(),
        "the text is not an attachment too: {:?}",
        m.attachments
    );
    assert_eq!(parse(b""), None);
    assert!(parse(&[0xff, 0xfe, 0x00, 0x13]).is_none_or(|m| m.from.is_none()));
}

#[test]
fn clues_come_in_order_and_tokens_only_from_our_address() {
    let m = parse(&crlf(
        "From: a@example.test\nTo: info+cabcdef1234@salon.test, info+cother@elsewhere.test\n\
         Subject: Re: Kleuren [#42]\nIn-Reply-To: <r2@salon.test>\nReferences: <r1@salon.test> <r2@salon.test>\n\nja\n",
    ))
    .expect("a mail");
    assert_eq!(
        clues(&m, "info@salon.test"),
        vec![
            Clue::MessageId("r2@salon.test".into()),
            Clue::MessageId("r1@salon.test".into()),
            Clue::Token("abcdef1234".into()),
            Clue::Number(42),
        ]
    );
    assert_eq!(
        token_in("INFO+cAbcdef1234@Salon.test", "info@salon.test"),
        Some("abcdef1234".into())
    );
    assert_eq!(token_in("info+cshort@salon.test", "info@salon.test"), None);
    assert_eq!(
        token_in("sales+cabcdef1234@salon.test", "info@salon.test"),
        None
    );
    assert_eq!(
        reply_address("info@salon.test", "abcdef1234"),
        "info+cabcdef1234@salon.test"
    );
    assert_eq!(subject_number("Re: [#7] and [#12]"), Some(12));
    assert_eq!(subject_number("[#] or [#x1] or [#99999999999999]"), None);
    assert_eq!(reply_subject("RE: Aw: Kleuren", 42), "Re: Kleuren [#42]");
    assert_eq!(reply_subject("Re: Kleuren [#42]", 42), "Re: Kleuren [#42]");
}

#[test]
fn quoted_history_is_told_from_the_new_text() {
    let s = split(
        "Prima, tot dan.\n\nOp do 3 dec 2026 om 10:00 schreef Salon Eva\n<info@salon.test>:\n> Kan 11 uur?\n",
    );
    assert_eq!(s.new, "Prima, tot dan.");
    assert!(s.quoted.starts_with("Op do 3 dec"), "{s:?}");
    let s = split("Thanks!\nOn Thu, Dec 3, 2026 at 10:00 AM Eva <eva@salon.test> wrote:\n> hi\n");
    assert_eq!(s.new, "Thanks!");
    let s = split("See below\n\n-----Original Message-----\nFrom: x\n");
    assert_eq!(s.new, "See below");
    let s = split("Yes\n\nVan: Salon Eva <info@salon.test>\nVerzonden: donderdag\nAan: Daan\n");
    assert_eq!(s.new, "Yes");
    // Quotes in between are the writer's own answer style: only a quote to the end is history.
    let s = split("> Can you come at 11?\nYes.\n> And bring the card?\nOf course.\n");
    assert_eq!((s.new.lines().count(), s.quoted.as_str()), (4, ""));
    let s = split("Yes.\n> Can you come at 11?\n>\n> Eva\n");
    assert_eq!((s.new.as_str(), s.quoted.lines().count()), ("Yes.", 3));
    // Nothing but a quote: all of it is shown.
    assert_eq!(split("> only a quote\n").quoted, "");
}
