//! Where text messages (SMS) go: an HTTP gateway that takes one message per POST. The body is
//! a template with `{to}` and `{text}`, filled in (and escaped for its content type) by
//! `domain::sms`. Without a URL, rules cannot send text messages.

use serde::Deserialize;

/// The body most gateways take, JSON with the number and the text.
pub const DEFAULT_BODY: &str = r#"{"to": "{to}", "text": "{text}"}"#;

/// One layer of the `[sms]` settings.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSms {
    pub url: Option<String>,
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub authorization: Option<String>,
    pub timeout_secs: Option<u64>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct SmsConfig {
    /// Empty: no gateway.
    pub url: String,
    pub body: String,
    pub content_type: String,
    /// The `Authorization` header's value (empty: none). Never logged.
    pub authorization: String,
    pub timeout_secs: u64,
}

impl SmsConfig {
    pub fn is_configured(&self) -> bool {
        !self.url.is_empty()
    }
}

impl std::fmt::Debug for SmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsConfig")
            .field("url", &self.url)
            .field("content_type", &self.content_type)
            .field("authorization", &"(hidden)")
            .field("timeout_secs", &self.timeout_secs)
            .finish()
    }
}

/// The content types whose bodies `domain::sms` knows how to fill.
pub const CONTENT_TYPES: [&str; 3] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
];

pub fn validate_sms(raw: RawSms) -> Result<SmsConfig, String> {
    let url = raw.url.unwrap_or_default().trim().to_string();
    if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!(
            "sms.url = {url:?} must start with http:// or https://"
        ));
    }
    let body = raw.body.unwrap_or_else(|| DEFAULT_BODY.into());
    if !body.contains("{to}") || !body.contains("{text}") {
        return Err("sms.body must contain {to} and {text}".into());
    }
    let content_type = raw
        .content_type
        .unwrap_or_else(|| CONTENT_TYPES[0].into())
        .trim()
        .to_ascii_lowercase();
    if !CONTENT_TYPES.contains(&content_type.as_str()) {
        return Err(format!(
            "sms.content_type = {content_type:?} must be one of {}",
            CONTENT_TYPES.join(", ")
        ));
    }
    let timeout_secs = raw.timeout_secs.unwrap_or(10);
    if !(1..=60).contains(&timeout_secs) {
        return Err("sms.timeout_secs must be between 1 and 60".into());
    }
    Ok(SmsConfig {
        url,
        body,
        content_type,
        authorization: raw.authorization.unwrap_or_default().trim().to_string(),
        timeout_secs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sms_gateway_is_checked_when_read() {
        let none = validate_sms(RawSms::default()).expect("no gateway is fine");
        assert!(!none.is_configured());
        assert_eq!(none.body, DEFAULT_BODY);
        let bad_url = RawSms {
            url: Some("ftp://sms".into()),
            ..RawSms::default()
        };
        assert!(validate_sms(bad_url).is_err());
        let no_text = RawSms {
            url: Some("https://sms.example".into()),
            body: Some("to={to}".into()),
            ..RawSms::default()
        };
        assert!(
            validate_sms(no_text)
                .expect_err("no {text}")
                .contains("{text}")
        );
        let secret = RawSms {
            url: Some("https://sms.example".into()),
            authorization: Some("Bearer s3cret".into()),
            ..RawSms::default()
        };
        let shown = format!("{:?}", validate_sms(secret).expect("valid"));
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
