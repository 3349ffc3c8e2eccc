//! An incoming mail as the inbox needs it, read from its raw bytes with `mail-parser`: who
//! sent it and to whom, the ids that thread it, its subject, text and HTML (still unsanitized:
//! views clean it), its attachments by name, type and size, and whether it is automatic (an
//! out-of-office reply, a list, a bounce), which must never be answered automatically.

use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders};

/// A sender or recipient: the address in lower case, and the name if the mail gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub email: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub size: usize,
}

/// Why a mail is automatic (RFC 3834 and the conventions before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Automatic {
    /// `Auto-Submitted` other than `no` (an auto-reply, an auto-generated notice).
    AutoSubmitted(String),
    /// `Precedence: bulk`, `list` or `junk`.
    Precedence(String),
    /// `X-Auto-Response-Suppress` (Exchange's own loop guard).
    Suppressed,
    /// A mailing list (`List-Id`).
    List,
    /// An empty `Return-Path` (`<>`): mail from a mail system itself.
    NullSender,
    /// A delivery-status report: a bounce.
    DeliveryReport,
}

impl Automatic {
    /// The word kept with the message.
    pub fn as_str(&self) -> &'static str {
        match self {
            Automatic::AutoSubmitted(_) => "auto_submitted",
            Automatic::Precedence(_) => "bulk",
            Automatic::Suppressed => "auto_response_suppressed",
            Automatic::List => "list",
            Automatic::NullSender => "from_mail_system",
            Automatic::DeliveryReport => "bounce",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// Without the angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    /// Oldest first, as the header lists them.
    pub references: Vec<String>,
    pub from: Option<Party>,
    pub reply_to: Option<Party>,
    pub to: Vec<Party>,
    pub cc: Vec<Party>,
    pub subject: String,
    /// When it was written (its `Date`), as a UTC stamp, if it has a readable one.
    pub date: Option<String>,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    pub automatic: Option<Automatic>,
}

impl Incoming {
    /// Whether it is a bounce: a delivery report, or mail from the mail system itself.
    pub fn is_bounce(&self) -> bool {
        matches!(
            self.automatic,
            Some(Automatic::DeliveryReport | Automatic::NullSender)
        )
    }
}

/// `raw` read as a mail; `None` if nothing in it reads as one (no header at all).
pub fn parse(raw: &[u8]) -> Option<Incoming> {
    let m = MessageParser::default().parse(raw)?;
    if m.headers().is_empty() {
        return None;
    }
    let lost_text = lost_text(&m);
    Some(Incoming {
        message_id: m.message_id().map(bare),
        in_reply_to: ids(m.in_reply_to()),
        references: ids(m.references()),
        from: m.from().and_then(first),
        reply_to: m.reply_to().and_then(first),
        to: parties(m.to()),
        cc: parties(m.cc()),
        subject: m.subject().unwrap_or_default().trim().to_string(),
        date: m.date().map(|d| {
            chrono::DateTime::from_timestamp(d.to_timestamp(), 0)
                .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default()
        }),
        text: text_of(&m, lost_text),
        // An HTML part the mail has (the parser also offers HTML made from plain text).
        html: m
            .html_bodies()
            .find(|p| p.is_text_html())
            .and_then(|p| p.text_contents())
            .map(str::to_string),
        attachments: attachments_of(&m, lost_text).map(described).collect(),
        automatic: automatic(&m),
    })
}

/// The mail's attachments, in order (not the text a broken mail left outside its body).
fn attachments_of<'a>(
    m: &'a Message,
    lost_text: Option<&'a mail_parser::MessagePart<'a>>,
) -> impl Iterator<Item = &'a mail_parser::MessagePart<'a>> {
    m.attachments()
        .filter(move |a| !lost_text.is_some_and(|t| std::ptr::eq(*a, t)))
}

fn described(a: &mail_parser::MessagePart) -> Attachment {
    Attachment {
        name: a.attachment_name().unwrap_or("attachment").to_string(),
        content_type: a
            .content_type()
            .map(|c| match c.subtype() {
                Some(sub) => format!("{}/{sub}", c.ctype()),
                None => c.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into())
            .to_ascii_lowercase(),
        size: a.len(),
    }
}

/// Attachment `position` (from 0) of a raw mail: what it is, and its decoded bytes.
pub fn attachment(raw: &[u8], position: usize) -> Option<(Attachment, Vec<u8>)> {
    let m = MessageParser::default().parse(raw)?;
    let part = attachments_of(&m, lost_text(&m)).nth(position)?;
    Some((described(part), part.contents().to_vec()))
}

/// In a mail whose MIME structure is broken (a boundary never closed, say), the parser may
/// leave its text as an unnamed part outside the body: that part.
fn lost_text<'a>(m: &'a Message) -> Option<&'a mail_parser::MessagePart<'a>> {
    if m.text_body_count() > 0 || m.html_body_count() > 0 {
        return None;
    }
    m.parts
        .iter()
        .find(|p| p.is_text() && p.attachment_name().is_none())
}

fn text_of(m: &Message, lost: Option<&mail_parser::MessagePart>) -> String {
    match lost {
        Some(p) => p.text_contents().unwrap_or_default().to_string(),
        None => m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
    }
}

fn bare(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

fn ids(v: &HeaderValue) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![bare(t)],
        HeaderValue::TextList(l) => l.iter().map(|t| bare(t)).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|id| !id.is_empty())
    .collect()
}

fn party(a: &mail_parser::Addr) -> Option<Party> {
    let email = a.address()?.trim().to_ascii_lowercase();
    (email.contains('@')).then(|| Party {
        email,
        name: a.name().unwrap_or_default().trim().to_string(),
    })
}

fn first(a: &Address) -> Option<Party> {
    a.iter().find_map(party)
}

fn parties(a: Option<&Address>) -> Vec<Party> {
    a.map(|a| a.iter().filter_map(party).collect())
        .unwrap_or_default()
}

fn header_text<'a>(m: &'a Message<'a>, name: &'a str) -> Option<&'a str> {
    m.header_raw(name).map(str::trim)
}

fn automatic(m: &Message) -> Option<Automatic> {
    if let Some(v) = header_text(m, "Auto-Submitted")
        && !v.eq_ignore_ascii_case("no")
    {
        return Some(Automatic::AutoSubmitted(v.to_ascii_lowercase()));
    }
    if let Some(v) = header_text(m, "Precedence") {
        let v = v.to_ascii_lowercase();
        if ["bulk", "list", "junk"].contains(&v.as_str()) {
            return Some(Automatic::Precedence(v));
        }
    }
    if m.header_raw("X-Auto-Response-Suppress").is_some() {
        return Some(Automatic::Suppressed);
    }
    let report = m.content_type().is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case("multipart")
            && c.subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && c.attribute("report-type")
                .is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"))
    });
    if report {
        return Some(Automatic::DeliveryReport);
    }
    if header_text(m, "Return-Path").is_some_and(|v| v.trim_matches(['<', '>', ' ']).is_empty()) {
        return Some(Automatic::NullSender);
    }
    if m.header_raw("List-Id").is_some() {
        return Some(Automatic::List);
    }
    None
}

/// The address a bounce reports as failed (its delivery report's `Final-Recipient`).
pub fn bounced_recipient(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    text.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        if !name.trim().eq_ignore_ascii_case("final-recipient") {
            return None;
        }
        let address = value.rsplit(';').next()?.trim().trim_matches(['<', '>']);
        address.contains('@').then(|| address.to_ascii_lowercase())
    })
}
