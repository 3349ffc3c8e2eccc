//! Where and how mail is delivered: the server's SMTP settings (one layer of them, and
//! validated), and an account's own server as typed into its settings form.

use lettre::message::Mailbox;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or a test server.
    None,
}

impl SmtpSecurity {
    pub fn parse(s: &str) -> Option<SmtpSecurity> {
        match s {
            "starttls" => Some(SmtpSecurity::Starttls),
            "tls" => Some(SmtpSecurity::Tls),
            "none" => Some(SmtpSecurity::None),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SmtpSecurity::Starttls => "starttls",
            SmtpSecurity::Tls => "tls",
            SmtpSecurity::None => "none",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        }
    }
}

/// Where and how to deliver mail. An empty `host` means mail stays queued until one is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: String,
    pub from: String,
    pub timeout_secs: u64,
}

impl SmtpConfig {
    pub fn is_configured(&self) -> bool {
        !self.host.is_empty()
    }

    /// An account's own SMTP server as typed into its settings form.
    pub fn from_fields(
        host: &str,
        port: &str,
        security: &str,
        username: &str,
        password: &str,
        from: &str,
        timeout_secs: u64,
    ) -> Result<SmtpConfig, crate::error::Error> {
        use crate::error::{Error, FieldError};
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: &str| {
            errors.push(FieldError {
                field: field.into(),
                message: message.into(),
            })
        };
        let host = host.trim();
        if host.is_empty()
            || host.len() > 253
            || host.contains(|c: char| c.is_whitespace() || c == '/')
        {
            fail("host", "must be a host name like smtp.example.com");
        }
        let security = SmtpSecurity::parse(security).unwrap_or_else(|| {
            fail("security", "must be starttls, tls or none");
            SmtpSecurity::Starttls
        });
        let port = match port.trim() {
            "" => security.default_port(),
            text => text
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .unwrap_or_else(|| {
                    fail("port", "must be a number from 1 to 65535");
                    0
                }),
        };
        if from.trim().parse::<Mailbox>().is_err() {
            fail("from", "must be an address like Acme <hello@acme.example>");
        }
        if let Some(e) = Error::fields(errors) {
            return Err(e);
        }
        Ok(SmtpConfig {
            host: host.to_string(),
            port,
            security,
            username: username.trim().to_string(),
            password: password.to_string(),
            from: from.trim().to_string(),
            timeout_secs,
        })
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSmtp {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub security: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: Option<String>,
    pub timeout_secs: Option<u64>,
}

pub(super) fn validate_smtp(raw: RawSmtp) -> Result<SmtpConfig, String> {
    let security_text = raw.security.unwrap_or_else(|| "starttls".into());
    let security = SmtpSecurity::parse(security_text.trim())
        .ok_or_else(|| format!("smtp.security = {security_text:?}: use starttls, tls or none"))?;
    let from = raw
        .from
        .unwrap_or_else(|| "Onebox <onebox@localhost>".into());
    from.parse::<Mailbox>()
        .map_err(|e| format!("smtp.from = {from:?} is not a mail address: {e}"))?;
    Ok(SmtpConfig {
        host: raw.host.unwrap_or_default().trim().to_string(),
        port: raw.port.unwrap_or(security.default_port()),
        security,
        username: raw.username.unwrap_or_default(),
        password: raw.password.unwrap_or_default(),
        from,
        timeout_secs: raw.timeout_secs.unwrap_or(15),
    })
}
