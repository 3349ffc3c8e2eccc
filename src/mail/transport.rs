//! How mail leaves: SMTP with lettre over rustls (no OpenSSL), synchronous, one connection per
//! batch.

use crate::config::{SmtpConfig, SmtpSecurity};
use crate::domain::outbox::NewMail;
use lettre::message::MessageBuilder;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use std::time::Duration;

/// Why a message did not go out. A permanent failure (a 5xx answer, a malformed address) is
/// not retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    Permanent(String),
    Transient(String),
}

impl SendError {
    pub fn message(&self) -> &str {
        match self {
            SendError::Permanent(m) | SendError::Transient(m) => m,
        }
    }
}

pub struct Sender {
    transport: SmtpTransport,
    from: Mailbox,
}

impl Sender {
    pub fn new(smtp: &SmtpConfig) -> Result<Sender, SendError> {
        if !smtp.is_configured() {
            return Err(SendError::Transient("no SMTP server is configured".into()));
        }
        let from: Mailbox = smtp.from.parse().map_err(|e| {
            SendError::Permanent(format!(
                "the sender address {:?} is invalid: {e}",
                smtp.from
            ))
        })?;
        let builder = match smtp.security {
            SmtpSecurity::None => SmtpTransport::builder_dangerous(&smtp.host),
            SmtpSecurity::Starttls => SmtpTransport::starttls_relay(&smtp.host)
                .map_err(|e| SendError::Permanent(format!("TLS setup for {}: {e}", smtp.host)))?,
            SmtpSecurity::Tls => SmtpTransport::relay(&smtp.host)
                .map_err(|e| SendError::Permanent(format!("TLS setup for {}: {e}", smtp.host)))?,
        };
        let mut builder = builder
            .port(smtp.port)
            .timeout(Some(Duration::from_secs(smtp.timeout_secs)));
        if !smtp.username.is_empty() {
            builder = builder.credentials(Credentials::new(
                smtp.username.clone(),
                smtp.password.clone(),
            ));
        }
        Ok(Sender {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one message and returns the server's answer, e.g. `250 2.0.0 Ok: queued`.
    pub fn send(&self, mail: &NewMail) -> Result<String, SendError> {
        let to: Mailbox = mail.to.parse().map_err(|e| {
            SendError::Permanent(format!("the recipient {:?} is invalid: {e}", mail.to))
        })?;
        let body = MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone());
        let body = match &mail.calendar {
            None => body,
            Some(ics) => MultiPart::mixed()
                .multipart(body)
                .singlepart(invitation(ics)?),
        };
        let message = self
            .headers(mail, to)?
            .subject(&mail.subject)
            .multipart(body)
            .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))?;
        match self.transport.send(&message) {
            Ok(response) => Ok(format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Transient(e.to_string())),
        }
    }
}

impl Sender {
    /// From, To, and for a conversation's reply its sender, ids and copies.
    fn headers(&self, mail: &NewMail, to: Mailbox) -> Result<MessageBuilder, SendError> {
        let builder = Message::builder().to(to);
        let Some(t) = &mail.thread else {
            // Not a person's reply: mail Onebox makes itself, which RFC 3834 marks so that
            // out-of-office replies and other robots do not answer it.
            return Ok(builder
                .from(self.from.clone())
                .header(AutoSubmitted("auto-generated")));
        };
        let address = |what: &str, text: &str| -> Result<Mailbox, SendError> {
            text.parse()
                .map_err(|e| SendError::Permanent(format!("the {what} {text:?} is invalid: {e}")))
        };
        let mut builder = builder
            .from(address("sender", &t.from)?)
            .reply_to(address("reply address", &t.reply_to)?)
            .message_id(Some(format!("<{}>", t.message_id)));
        if let Some(id) = &t.in_reply_to {
            builder = builder.in_reply_to(format!("<{id}>"));
        }
        if !t.references.is_empty() {
            let ids: Vec<String> = t.references.iter().map(|r| format!("<{r}>")).collect();
            builder = builder.references(ids.join(" "));
        }
        for cc in &t.cc {
            builder = builder.cc(address("copy", cc)?);
        }
        if t.auto_replied {
            builder = builder.header(AutoSubmitted("auto-replied"));
        }
        Ok(builder)
    }
}

/// The `Auto-Submitted` header (RFC 3834).
#[derive(Clone)]
struct AutoSubmitted(&'static str);

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        match s.trim() {
            "auto-generated" => Ok(AutoSubmitted("auto-generated")),
            "auto-replied" => Ok(AutoSubmitted("auto-replied")),
            other => Err(format!("not an Auto-Submitted value we send: {other}").into()),
        }
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.to_string())
    }
}

/// An iCalendar text as the attachment calendar apps recognise: `text/calendar` with its
/// METHOD (REQUEST, CANCEL) in the content type, as RFC 6047 asks.
fn invitation(ics: &str) -> Result<lettre::message::SinglePart, SendError> {
    let method = ics
        .lines()
        .find_map(|l| l.strip_prefix("METHOD:"))
        .unwrap_or("PUBLISH")
        .trim();
    let kind = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
        .map_err(|e| SendError::Permanent(format!("cannot name the invitation's type: {e}")))?;
    Ok(Attachment::new("invite.ics".into()).body(ics.to_string(), kind))
}
