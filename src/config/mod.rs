//! Configuration: raw layers (defaults, file, environment, flags) merged into a validated
//! `Config`. Precedence: flag > environment > file > default. `onebox serve` with nothing
//! set works: data in `./onebox-data`, listening on `127.0.0.1:8080`.

mod sms;
mod smtp;

pub use sms::{RawSms, SmsConfig};
pub use smtp::{RawSmtp, SmtpConfig, SmtpSecurity};

use serde::Deserialize;
use sms::validate_sms;
use smtp::validate_smtp;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// The address people use to reach this server; links in mails start with it.
    pub base_url: String,
    pub secure_cookies: bool,
    pub max_open_tenants: usize,
    pub max_body_bytes: usize,
    pub http_workers: usize,
    /// Open client connections at most; past it the longest-idle one is closed, or, when
    /// none is idle, the new one is refused with 503.
    pub max_connections: usize,
    /// How long a client may take to send a request's head, pause in its body or while
    /// reading the answer, and how long an idle keep-alive connection stays open.
    pub client_timeout: std::time::Duration,
    /// Whether `/` lists the workspaces when there are several (off: it asks for the address).
    pub list_workspaces: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for throttling by address).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where the daily backups of every tenant go (`<dir>/<slug>/`).
    pub backup_dir: PathBuf,
    /// Daily backups kept per tenant; 0 turns them off.
    pub backup_keep: u32,
    /// The most mail (raw, attachments in it) a workspace's inboxes keep, in bytes; past it a
    /// mail is noted by sender, subject and size, not taken whole.
    pub inbox_storage_bytes: u64,
    pub smtp: SmtpConfig,
    /// The gateway text messages go through, if any.
    pub sms: SmsConfig,
}

/// One layer of settings; `None` leaves the value to a lower layer.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub data: Option<PathBuf>,
    pub listen: Option<String>,
    pub base_url: Option<String>,
    pub secure_cookies: Option<bool>,
    pub max_open_tenants: Option<usize>,
    pub max_body_bytes: Option<usize>,
    pub http_workers: Option<usize>,
    pub max_connections: Option<usize>,
    pub client_timeout_secs: Option<u64>,
    pub list_workspaces: Option<bool>,
    pub trusted_proxies: Option<Vec<String>>,
    pub backup_dir: Option<PathBuf>,
    pub backup_keep: Option<u32>,
    pub inbox_storage_mb: Option<u64>,
    #[serde(default)]
    pub smtp: RawSmtp,
    #[serde(default)]
    pub sms: RawSms,
}

macro_rules! overlay {
    ($base:expr, $top:expr, $($field:ident),*) => {$(
        if $top.$field.is_some() { $base.$field = $top.$field; }
    )*};
}

impl RawConfig {
    /// `top` wins wherever it has a value.
    pub fn overlay(mut self, top: RawConfig) -> RawConfig {
        overlay!(
            self,
            top,
            data,
            listen,
            base_url,
            secure_cookies,
            max_open_tenants,
            max_body_bytes,
            http_workers,
            max_connections,
            client_timeout_secs,
            list_workspaces,
            trusted_proxies,
            backup_dir,
            backup_keep,
            inbox_storage_mb
        );
        overlay!(
            self.smtp,
            top.smtp,
            host,
            port,
            security,
            username,
            password,
            from,
            timeout_secs
        );
        overlay!(
            self.sms,
            top.sms,
            url,
            body,
            content_type,
            authorization,
            timeout_secs
        );
        self
    }

    pub fn from_file(path: &Path) -> Result<RawConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))
    }

    /// Reads the `ONEBOX_*` variables out of `env`.
    pub fn from_env(env: &HashMap<String, String>) -> Result<RawConfig, String> {
        let text = |key: &str| env.get(key).cloned();
        fn number<T: std::str::FromStr>(
            env: &HashMap<String, String>,
            key: &str,
        ) -> Result<Option<T>, String> {
            env.get(key)
                .map(|v| {
                    v.trim()
                        .parse()
                        .map_err(|_| format!("{key}={v:?} is not a valid number"))
                })
                .transpose()
        }
        let flag = |key: &str| {
            env.get(key)
                .map(|v| parse_bool(v).ok_or_else(|| format!("{key}={v:?}: use true or false")))
                .transpose()
        };
        Ok(RawConfig {
            data: text("ONEBOX_DATA").map(PathBuf::from),
            listen: text("ONEBOX_LISTEN"),
            base_url: text("ONEBOX_BASE_URL"),
            secure_cookies: flag("ONEBOX_SECURE_COOKIES")?,
            max_open_tenants: number(env, "ONEBOX_MAX_OPEN_TENANTS")?,
            max_body_bytes: number(env, "ONEBOX_MAX_BODY_BYTES")?,
            http_workers: number(env, "ONEBOX_HTTP_WORKERS")?,
            max_connections: number(env, "ONEBOX_MAX_CONNECTIONS")?,
            client_timeout_secs: number(env, "ONEBOX_CLIENT_TIMEOUT_SECS")?,
            list_workspaces: flag("ONEBOX_LIST_WORKSPACES")?,
            trusted_proxies: text("ONEBOX_TRUSTED_PROXIES").map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }),
            backup_dir: text("ONEBOX_BACKUP_DIR").map(PathBuf::from),
            backup_keep: number(env, "ONEBOX_BACKUP_KEEP")?,
            inbox_storage_mb: number(env, "ONEBOX_INBOX_STORAGE_MB")?,
            smtp: RawSmtp {
                host: text("ONEBOX_SMTP_HOST"),
                port: number(env, "ONEBOX_SMTP_PORT")?,
                security: text("ONEBOX_SMTP_SECURITY"),
                username: text("ONEBOX_SMTP_USERNAME"),
                password: text("ONEBOX_SMTP_PASSWORD"),
                from: text("ONEBOX_SMTP_FROM"),
                timeout_secs: number(env, "ONEBOX_SMTP_TIMEOUT_SECS")?,
            },
            sms: RawSms {
                url: text("ONEBOX_SMS_URL"),
                body: text("ONEBOX_SMS_BODY"),
                content_type: text("ONEBOX_SMS_CONTENT_TYPE"),
                authorization: text("ONEBOX_SMS_AUTHORIZATION"),
                timeout_secs: number(env, "ONEBOX_SMS_TIMEOUT_SECS")?,
            },
        })
    }

    pub fn validate(self) -> Result<Config, String> {
        let listen_text = self.listen.unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen: SocketAddr = listen_text.trim().parse().map_err(|_| {
            format!("listen = {listen_text:?} is not an address like 127.0.0.1:8080")
        })?;
        let base_url = match self.base_url {
            Some(url) => {
                let url = url.trim().trim_end_matches('/').to_string();
                if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 10 {
                    return Err(format!(
                        "base_url = {url:?} must start with http:// or https://"
                    ));
                }
                url
            }
            None => format!("http://{listen}"),
        };
        let max_open_tenants = self.max_open_tenants.unwrap_or(256);
        if max_open_tenants == 0 {
            return Err("max_open_tenants must be at least 1".into());
        }
        let max_body_bytes = self.max_body_bytes.unwrap_or(32 * 1024 * 1024);
        if max_body_bytes < 1024 {
            return Err("max_body_bytes must be at least 1024".into());
        }
        let http_workers = self.http_workers.unwrap_or(4);
        if !(1..=256).contains(&http_workers) {
            return Err("http_workers must be between 1 and 256".into());
        }
        let max_connections = self.max_connections.unwrap_or(1024);
        if !(16..=65536).contains(&max_connections) {
            return Err("max_connections must be between 16 and 65536".into());
        }
        let client_timeout_secs = self.client_timeout_secs.unwrap_or(10);
        if !(1..=300).contains(&client_timeout_secs) {
            return Err("client_timeout_secs must be between 1 and 300".into());
        }
        let trusted_proxies = self
            .trusted_proxies
            .unwrap_or_default()
            .iter()
            .map(|p| {
                p.trim().parse().map_err(|_| {
                    format!("trusted_proxies: {p:?} is not an IP address like 127.0.0.1")
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let data_dir = self.data.unwrap_or_else(|| PathBuf::from("onebox-data"));
        let backup_keep = self.backup_keep.unwrap_or(7);
        if backup_keep > 365 {
            return Err("backup_keep must be at most 365 (days)".into());
        }
        let inbox_storage_mb = self.inbox_storage_mb.unwrap_or(5120);
        if !(1..=1_048_576).contains(&inbox_storage_mb) {
            return Err("inbox_storage_mb must be from 1 to 1048576 (1 TB)".into());
        }
        Ok(Config {
            inbox_storage_bytes: inbox_storage_mb << 20,
            backup_dir: self.backup_dir.unwrap_or_else(|| data_dir.join("backups")),
            backup_keep,
            data_dir,
            listen,
            base_url,
            secure_cookies: self.secure_cookies.unwrap_or(false),
            max_open_tenants,
            max_body_bytes,
            http_workers,
            max_connections,
            client_timeout: std::time::Duration::from_secs(client_timeout_secs),
            list_workspaces: self.list_workspaces.unwrap_or(false),
            trusted_proxies,
            smtp: validate_smtp(self.smtp)?,
            sms: validate_sms(self.sms)?,
        })
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Builds the configuration from its layers. `file` is the `--config` flag; without it,
/// `ONEBOX_CONFIG` may name a file; without either, no file is read.
pub fn load(
    flags: RawConfig,
    file: Option<&Path>,
    env: &HashMap<String, String>,
) -> Result<Config, String> {
    let file_path = file
        .map(Path::to_path_buf)
        .or_else(|| env.get("ONEBOX_CONFIG").map(PathBuf::from));
    let from_file = match file_path {
        Some(path) => RawConfig::from_file(&path)?,
        None => RawConfig::default(),
    };
    from_file
        .overlay(RawConfig::from_env(env)?)
        .overlay(flags)
        .validate()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn nothing_set_gives_the_documented_defaults() {
        let c = load(RawConfig::default(), None, &env(&[])).expect("defaults are valid");
        assert_eq!(c.data_dir, PathBuf::from("onebox-data"));
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        assert_eq!(c.max_open_tenants, 256);
        assert_eq!(c.smtp.security, SmtpSecurity::Starttls);
        assert_eq!(c.smtp.port, 587);
        assert!(!c.smtp.is_configured());
    }

    #[test]
    fn flag_beats_env_beats_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("onebox.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:1000\"\ndata = \"/from/file\"\nmax_open_tenants = 7\n[smtp]\nhost = \"file.example\"\nsecurity = \"none\"\n")
            .expect("write");
        let e = env(&[
            ("ONEBOX_LISTEN", "127.0.0.1:2000"),
            ("ONEBOX_DATA", "/from/env"),
            ("ONEBOX_SMTP_HOST", "env.example"),
        ]);
        let flags = RawConfig {
            data: Some("/from/flag".into()),
            ..RawConfig::default()
        };
        let c = load(flags, Some(&file), &e).expect("valid");
        assert_eq!(c.data_dir, PathBuf::from("/from/flag"));
        assert_eq!(c.listen.port(), 2000);
        assert_eq!(c.max_open_tenants, 7);
        assert_eq!(c.smtp.host, "env.example");
        assert_eq!((c.smtp.security, c.smtp.port), (SmtpSecurity::None, 25));
    }

    #[test]
    fn bad_values_are_named() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("ONEBOX_LISTEN", "nowhere")], "listen"),
            (&[("ONEBOX_SMTP_SECURITY", "ssl")], "smtp.security"),
            (&[("ONEBOX_SMTP_PORT", "lots")], "ONEBOX_SMTP_PORT"),
            (&[("ONEBOX_SMTP_FROM", "not an address")], "smtp.from"),
            (&[("ONEBOX_MAX_OPEN_TENANTS", "0")], "max_open_tenants"),
            (&[("ONEBOX_BASE_URL", "example.com")], "base_url"),
            (&[("ONEBOX_MAX_CONNECTIONS", "3")], "max_connections"),
            (
                &[("ONEBOX_CLIENT_TIMEOUT_SECS", "0")],
                "client_timeout_secs",
            ),
            (
                &[("ONEBOX_LIST_WORKSPACES", "maybe")],
                "ONEBOX_LIST_WORKSPACES",
            ),
            (
                &[("ONEBOX_TRUSTED_PROXIES", "10.0.0.1, proxy")],
                "trusted_proxies",
            ),
        ];
        for (pairs, needle) in cases {
            let err = load(RawConfig::default(), None, &env(pairs)).expect_err("must be refused");
            assert!(err.contains(needle), "{err:?} should name {needle}");
        }
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("onebox.toml");
        std::fs::write(&file, "lisen = \"127.0.0.1:1\"\n").expect("write");
        let err =
            load(RawConfig::default(), Some(&file), &env(&[])).expect_err("typo must be refused");
        assert!(err.contains("lisen"), "{err}");
    }

    #[test]
    fn the_example_file_is_valid_and_matches_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
        let from_example =
            load(RawConfig::default(), Some(&path), &env(&[])).expect("example parses");
        let defaults = load(RawConfig::default(), None, &env(&[])).expect("defaults");
        assert_eq!(format!("{from_example:?}"), format!("{defaults:?}"));
    }
}
