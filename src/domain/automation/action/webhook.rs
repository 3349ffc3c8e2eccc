//! `webhook`: POSTs the run's context as signed JSON. The engine sends it outside any
//! transaction (it may take seconds) and retries it on failures worth retrying; this module
//! says what is sent and what an answer means.

use super::{BuilderInput, Effects, Kind, Shape, StepError, input};
use crate::clock::stamp;
use crate::domain::automation::duration::Span;
use crate::domain::automation::reader::{Reader, Subject};
use crate::domain::ids::{RuleId, RunId};
use crate::domain::secret::{hex, hmac_sha256};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// Longest a webhook may take, and most attempts after the first.
pub const WEBHOOK_MAX_TIMEOUT_SECS: i64 = 60;
pub const WEBHOOK_MAX_RETRIES: u32 = 10;
const DEFAULT_TIMEOUT: &str = "10s";
const DEFAULT_RETRIES: u32 = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub url: String,
    pub secret: String,
    pub timeout: Span,
    pub retries: u32,
}

/// A signed POST, ready to send.
pub struct WebhookRequest {
    pub url: String,
    pub timeout: std::time::Duration,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// What a run tells a webhook about itself.
pub struct Delivery<'a> {
    pub event: &'a str,
    pub rule_id: RuleId,
    pub rule_name: &'a str,
    pub run_id: RunId,
    /// The same on every attempt of the step, for the receiver to drop repeats.
    pub key: &'a str,
    pub now: DateTime<Utc>,
    pub context: &'a Value,
}

impl Webhook {
    pub fn request(&self, delivery: &Delivery) -> WebhookRequest {
        let body = json!({
            "event": delivery.event,
            "rule": {"id": delivery.rule_id, "name": delivery.rule_name},
            "run": delivery.run_id,
            "idempotency_key": delivery.key,
            "sent_at": stamp(delivery.now),
            "data": delivery.context,
        })
        .to_string();
        let signature = format!(
            "sha256={}",
            hex(&hmac_sha256(self.secret.as_bytes(), body.as_bytes()))
        );
        WebhookRequest {
            url: self.url.clone(),
            timeout: self.timeout.duration.to_std().unwrap_or_default(),
            headers: vec![
                ("Content-Type", "application/json".into()),
                ("X-Onebox-Signature", signature),
                ("X-Onebox-Event", delivery.event.into()),
                ("Idempotency-Key", delivery.key.into()),
            ],
            body,
        }
    }

    /// What the receiver's status means: done, worth retrying, or given up (410 Gone).
    pub fn outcome(&self, status: u16, line: &str) -> Result<String, StepError> {
        let url = &self.url;
        if (200..300).contains(&status) {
            Ok(format!("{url} answered {line}"))
        } else if status == 410 {
            Err(StepError::Permanent(format!("{url} answered {line}: gone")))
        } else {
            Err(StepError::Transient(format!("{url} answered {line}")))
        }
    }
}

fn read_timeout(reader: &mut Reader, obj: &Map<String, Value>, at: &str) -> Option<Span> {
    let text = reader
        .optional_text(obj, "timeout", at)
        .unwrap_or_else(|| DEFAULT_TIMEOUT.into());
    match Span::parse(&text) {
        Ok(t)
            if t.duration > chrono::Duration::zero()
                && t.duration <= chrono::Duration::seconds(WEBHOOK_MAX_TIMEOUT_SECS) =>
        {
            Some(t)
        }
        Ok(_) => {
            reader.fail(
                format!("{at}.timeout"),
                format!("must be between 1s and {WEBHOOK_MAX_TIMEOUT_SECS}s"),
            );
            None
        }
        Err(e) => {
            reader.fail(format!("{at}.timeout"), e);
            None
        }
    }
}

fn read_retries(reader: &mut Reader, obj: &Map<String, Value>, at: &str) -> Option<u32> {
    match obj.get("retries") {
        None | Some(Value::Null) => Some(DEFAULT_RETRIES),
        Some(v) => match v.as_u64().filter(|n| *n <= u64::from(WEBHOOK_MAX_RETRIES)) {
            Some(n) => Some(n as u32),
            None => {
                reader.fail(
                    format!("{at}.retries"),
                    format!("must be a whole number from 0 to {WEBHOOK_MAX_RETRIES}"),
                );
                None
            }
        },
    }
}

impl Kind for Webhook {
    const KIND: &'static str = "webhook";
    const LABEL: &'static str = "Call a webhook";
    const INPUTS: &'static [BuilderInput] = &[
        input("url", "URL", None),
        input(
            "secret",
            "Signing secret",
            Some("Signs the body: X-Onebox-Signature: sha256=HMAC"),
        ),
        input("timeout", "Timeout", Some("Default 10s")),
        BuilderInput {
            name: "retries",
            label: "Retries",
            hint: Some("Default 3"),
            shape: Shape::Number,
        },
    ];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        _subject: Subject,
    ) -> Option<Webhook> {
        let url = reader.text(obj, "url", at);
        let secret = reader.text(obj, "secret", at);
        if let Some(u) = &url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            reader.fail(format!("{at}.url"), "must start with https:// or http://");
        }
        let timeout = read_timeout(reader, obj, at);
        let retries = read_retries(reader, obj, at);
        Some(Webhook {
            url: url?,
            secret: secret?,
            timeout: timeout?,
            retries: retries?,
        })
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        obj.insert("url".into(), self.url.clone().into());
        obj.insert("secret".into(), self.secret.clone().into());
        obj.insert("timeout".into(), self.timeout.text.clone().into());
        obj.insert("retries".into(), self.retries.into());
    }

    fn describe(&self, _context: &Value) -> String {
        format!("POST the record as signed JSON to {}", self.url)
    }

    fn perform(&self, _effects: &mut dyn Effects) -> Result<String, StepError> {
        Err(StepError::Permanent("not done inside a transaction".into()))
    }
}
