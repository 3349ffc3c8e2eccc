//! Test support: the app in-process on an ephemeral loopback port with a temporary data
//! directory, a clock the test moves, and a real SMTP receiver; and the real binary for CLI
//! tests.

pub mod acme;
pub mod axe;
pub mod browser;
pub mod dovecot;
pub mod http;
pub mod smtp;
pub mod webhook;

use http::Client;
use onebox::App;
use onebox::clock::ManualClock;
use onebox::config::{RawConfig, RawSmtp};
use onebox::domain::capability::Profile;
use sha2::{Digest, Sha256};
use smtp::SmtpServer;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub smtp: SmtpServer,
    config: onebox::config::Config,
    server: Option<onebox::ServerHandle>,
}

impl TestApp {
    pub fn start() -> TestApp {
        TestApp::start_with(|_| {})
    }

    /// Starts with the test defaults, changed by `adjust`.
    pub fn start_with(adjust: impl FnOnce(&mut RawConfig)) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let smtp = SmtpServer::start();
        let mut raw = RawConfig {
            data: Some(dir.path().join("data")),
            listen: Some("127.0.0.1:0".into()),
            smtp: RawSmtp {
                host: Some("127.0.0.1".into()),
                port: Some(smtp.addr.port()),
                security: Some("none".into()),
                from: Some("Onebox <onebox@test.example>".into()),
                timeout_secs: Some(5),
                ..RawSmtp::default()
            },
            ..RawConfig::default()
        };
        adjust(&mut raw);
        let config =
            onebox::config::load(raw, None, &HashMap::new()).expect("test config is valid");
        let clock = Arc::new(ManualClock::default());
        let app = Arc::new(App::open(config.clone(), clock.clone()).expect("open app"));
        let server = onebox::start(app).expect("start server");
        TestApp {
            dir,
            clock,
            smtp,
            config,
            server: Some(server),
        }
    }

    /// Stops the server cleanly and starts a new one on the same data and clock.
    pub fn restart(&mut self) {
        self.config.listen = self.addr();
        self.stop();
        let app = Arc::new(App::open(self.config.clone(), self.clock.clone()).expect("reopen app"));
        self.server = Some(onebox::start(app).expect("restart server"));
    }

    /// Stops the server cleanly, runs `between` (on the files at rest), and starts a new one
    /// on the same data, address and clock.
    pub fn restart_with(&mut self, between: impl FnOnce(&TestApp)) {
        self.config.listen = self.addr();
        self.stop();
        between(self);
        let app = Arc::new(App::open(self.config.clone(), self.clock.clone()).expect("reopen app"));
        self.server = Some(onebox::start(app).expect("restart server"));
    }

    /// Stops the server, moves the clock by `downtime`, and starts it again on the same data.
    pub fn restart_after(&mut self, downtime: chrono::Duration) {
        self.config.listen = self.addr();
        self.stop();
        self.clock.advance(downtime);
        let app = Arc::new(App::open(self.config.clone(), self.clock.clone()).expect("reopen app"));
        self.server = Some(onebox::start(app).expect("restart server"));
    }

    pub fn app(&self) -> &App {
        &self.server.as_ref().expect("running").app
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.server.as_ref().expect("running").addr
    }

    pub fn data_dir(&self) -> PathBuf {
        self.config.data_dir.clone()
    }

    pub fn client(&self) -> Client {
        Client::new(self.addr())
    }

    /// Stops the server cleanly (as on SIGTERM).
    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().expect("clean shutdown");
        }
    }

    /// Creates tenant `slug` and an owner through the setup link; returns the owner's
    /// signed-in client.
    pub fn tenant_with_owner(&self, slug: &str, profile: Profile, email: &str) -> Client {
        let url = self
            .app()
            .create_tenant(slug, &format!("{slug} Ltd"), profile, None)
            .expect("create tenant");
        let path = path_of(&url);
        let mut client = self.client();
        let done = client.submit(
            &path,
            &path,
            &[
                ("email", email),
                ("name", "Olga Owner"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        );
        assert_eq!(done.status, 303, "setup failed: {}", done.body);
        client
    }

    /// An API client acting as `email` of tenant `slug` (token made in-process).
    pub fn api(&self, slug: &str, email: &str) -> Client {
        let db = self
            .app()
            .store
            .tenant(&onebox::domain::slug::Slug::parse(slug).expect("slug"))
            .expect("tenant");
        let user = self.app().user_by_email(&db, email).expect("user");
        let token = self
            .app()
            .create_api_token(&db, &user, "tests")
            .expect("token");
        Client::bearer(self.addr(), &token)
    }

    /// Adds a user with `role` and the test password.
    pub fn add_user(&self, slug: &str, email: &str, role: onebox::domain::user::Role) {
        let db = self
            .app()
            .store
            .tenant(&onebox::domain::slug::Slug::parse(slug).expect("slug"))
            .expect("tenant");
        self.app()
            .add_user(&db, email, "", role, PASSWORD)
            .expect("add user");
    }

    /// A new API token for `email` in tenant `slug`, made with the real `onebox token create`.
    pub fn cli_token(&self, slug: &str, email: &str) -> String {
        let out = onebox(
            &self.data_dir(),
            &["token", "create", "--tenant", slug, "--email", email],
            &[],
            None,
        );
        assert!(
            out.status.success(),
            "token create failed: {}",
            stderr(&out)
        );
        stdout(&out).trim().to_string()
    }

    /// Runs the mailer's delivery pass now (as its thread would when mail is due).
    pub fn deliver_mail(&self) {
        onebox::mail::mailer::deliver_due(self.app()).expect("delivery pass");
    }

    pub fn tenant_file(&self, slug: &str) -> PathBuf {
        self.data_dir()
            .join("tenants")
            .join(format!("{slug}.sqlite"))
    }

    /// A fingerprint of every row of every table of the tenant (as any reader sees it,
    /// WAL included): equal before and after means no data was written. SQLite's own
    /// statistics are left out: opening a file may refresh them (`PRAGMA optimize`).
    pub fn disk_state(&self, slug: &str) -> String {
        let conn = rusqlite::Connection::open_with_flags(
            self.tenant_file(slug),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open tenant file");
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("tables");
        let mut hash = Sha256::new();
        for table in tables {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM \"{table}\""))
                .expect("select");
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).expect("rows");
            while let Some(row) = rows.next().expect("row") {
                for i in 0..columns {
                    let value: rusqlite::types::Value = row.get(i).expect("value");
                    hash.update(format!("{table}:{value:?};"));
                }
            }
        }
        onebox::domain::secret::hex(&hash.finalize())
    }

    /// Signs in with a fresh client through the login form.
    pub fn login(&self, slug: &str, email: &str, password: &str) -> (Client, http::Response) {
        let mut client = self.client();
        let login = format!("/t/{slug}/login");
        let response = client.submit(&login, &login, &[("email", email), ("password", password)]);
        (client, response)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The path (and query) of an absolute URL.
pub fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/')
        .map_or("/".into(), |at| rest[at..].to_string())
}

/// Runs the real `onebox` binary with only the environment given.
pub fn onebox(data: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onebox"));
    cmd.env_clear().arg("--data").arg(data).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run onebox");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Installs Debian packages with apt (as root), updating the lists first if they are stale.
pub fn apt_install(packages: &[&str]) -> bool {
    let apt = |args: &[&str]| {
        std::process::Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let install: Vec<&str> = ["install", "-y", "-qq"]
        .into_iter()
        .chain(packages.iter().copied())
        .collect();
    apt(&install) || (apt(&["update", "-qq"]) && apt(&install))
}

/// A free loopback port, for a server that takes a port rather than a listener (ChromeDriver,
/// Dovecot). Another process could take it before the server does; on loopback in a test run
/// that has not been seen.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
