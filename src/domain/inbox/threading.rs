//! Which conversation an incoming mail belongs to, by clues in a fixed order: the ids it
//! answers (`In-Reply-To`, then `References` newest first) against every Message-ID stored or
//! sent; the conversation's token in the address it was sent to (we send from
//! `inbox+c<token>@domain`, so replies come back to it); and `[#123]` in the subject. A mail
//! with none starts a new conversation, even from a sender who has one open: a new subject is a
//! new question.

use super::mail::Incoming;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clue {
    MessageId(String),
    Token(String),
    /// A display number; the app takes it only if the sender is in that conversation, so a
    /// stranger cannot write into someone else's by guessing numbers.
    Number(i64),
}

/// `mail`'s clues, strongest first (see the module).
pub fn clues(mail: &Incoming, inbox_address: &str) -> Vec<Clue> {
    let mut out: Vec<Clue> = Vec::new();
    let mut push = |c: Clue| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    for id in mail.in_reply_to.iter().chain(mail.references.iter().rev()) {
        push(Clue::MessageId(id.clone()));
    }
    for to in mail.to.iter().chain(&mail.cc) {
        if let Some(t) = token_in(&to.email, inbox_address) {
            push(Clue::Token(t));
        }
    }
    if let Some(n) = subject_number(&mail.subject) {
        push(Clue::Number(n));
    }
    out
}

/// The last `[#123]` in a subject.
pub fn subject_number(subject: &str) -> Option<i64> {
    subject.rmatch_indices("[#").find_map(|(at, _)| {
        let rest = &subject[at + 2..];
        let end = rest.find(']')?;
        let digits = &rest[..end];
        (!digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

/// The conversation token in `address` if it is `inbox_address` with `+c<token>` added.
pub fn token_in(address: &str, inbox_address: &str) -> Option<String> {
    let (local, domain) = address.rsplit_once('@')?;
    let (inbox_local, inbox_domain) = inbox_address.rsplit_once('@')?;
    if !domain.eq_ignore_ascii_case(inbox_domain) {
        return None;
    }
    let (base, tag) = local.split_once('+')?;
    let token = tag.strip_prefix('c')?;
    (base.eq_ignore_ascii_case(inbox_local)
        && (8..=40).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_alphanumeric()))
    .then(|| token.to_ascii_lowercase())
}

/// The address replies to a conversation come back to.
pub fn reply_address(inbox_address: &str, token: &str) -> String {
    match inbox_address.rsplit_once('@') {
        Some((local, domain)) => format!("{local}+c{token}@{domain}"),
        None => inbox_address.to_string(),
    }
}

/// The subject of our reply: `Re: ` once, and the conversation's number once.
pub fn reply_subject(subject: &str, number: i64) -> String {
    let mut s = subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        match ["re:", "aw:", "antw:", "fw:", "fwd:"]
            .iter()
            .find(|p| lower.starts_with(*p))
        {
            Some(p) => s = s[p.len()..].trim_start(),
            None => break,
        }
    }
    let tag = format!("[#{number}]");
    if s.contains(&tag) {
        format!("Re: {s}")
    } else if s.is_empty() {
        format!("Re: {tag}")
    } else {
        format!("Re: {s} {tag}")
    }
}
