//! A real IMAP server for the tests: Debian's Dovecot on a loopback port with implicit TLS,
//! a throwaway configuration, certificate (made with the `openssl` command) and Maildir in a
//! temp dir, one user. Mail is delivered the way a local delivery agent does it, by writing a
//! file into the Maildir's `new/`. It stops when dropped, and can be restarted on its port.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const DOVECOT: &str = "/usr/sbin/dovecot";
pub const USER: &str = "anna";
pub const PASSWORD: &str = "open sesame";

pub struct Dovecot {
    dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
    /// Who owns the mail: the `dovecot` user when the tests run as root, else the tests' own.
    owner: (u32, u32),
}

/// Installs Dovecot's IMAP server if it is missing (CI installs it up front).
fn install() {
    if Path::new(DOVECOT).exists() {
        return;
    }
    let ok = Command::new("apt-get")
        .args(["install", "-y", "-qq", "dovecot-imapd"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok && Path::new(DOVECOT).exists(),
        "could not install Dovecot: run `apt-get install dovecot-imapd` as root"
    );
}

fn output(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().expect(cmd);
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A throwaway CA (`ca.pem`) and the server's certificate it signed (`cert.pem`, `key.pem`),
/// for `localhost` and 127.0.0.1.
fn make_certificates(d: &Path) {
    let at = |f: &str| d.join(f).to_string_lossy().into_owned();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let ca = [
        &["req", "-x509"][..],
        &ec,
        &["-days", "2", "-subj", "/CN=Onebox test CA"],
    ]
    .concat();
    let ca_key = at("ca.key");
    let ca_pem = at("ca.pem");
    output(
        "openssl",
        &[&ca[..], &["-keyout", &ca_key, "-out", &ca_pem]].concat(),
    );
    let (key, csr, cert, ext) = (
        at("key.pem"),
        at("server.csr"),
        at("cert.pem"),
        at("ext.cnf"),
    );
    output(
        "openssl",
        &[
            &["req"][..],
            &ec,
            &["-subj", "/CN=localhost", "-keyout", &key, "-out", &csr],
        ]
        .concat(),
    );
    std::fs::write(
        &ext,
        "basicConstraints = CA:FALSE\nsubjectAltName = DNS:localhost, IP:127.0.0.1\n",
    )
    .expect("extensions");
    output(
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &ca_pem,
            "-CAkey",
            &ca_key,
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            &ext,
            "-out",
            &cert,
        ],
    );
}

impl Dovecot {
    pub fn start() -> Dovecot {
        install();
        let dir = tempfile::tempdir().expect("dovecot dir");
        let root = output("id", &["-u"]) == "0";
        let who = if root {
            "dovecot".to_string()
        } else {
            output("id", &["-un"])
        };
        let owner = (
            output("id", &["-u", &who]).parse().expect("a uid"),
            output("id", &["-g", &who]).parse().expect("a gid"),
        );
        let d = dir.path();
        make_certificates(d);
        let port = super::free_port();
        for sub in ["run", "state", "home"] {
            std::fs::create_dir_all(d.join(sub)).expect("dirs");
        }
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(d.join("home/Maildir").join(sub)).expect("maildir");
        }
        std::fs::write(d.join("users"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).expect("users");
        let internal = if root {
            String::new()
        } else {
            format!("default_internal_user = {who}\ndefault_login_user = {who}\n")
        };
        let config = format!(
            "base_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\n{internal}\
             protocols = imap\nlisten = 127.0.0.1\nssl = required\n\
             ssl_cert = <{d}/cert.pem\nssl_key = <{d}/key.pem\nauth_mechanisms = plain login\n\
             passdb {{\n driver = passwd-file\n args = scheme=PLAIN username_format=%u {d}/users\n}}\n\
             userdb {{\n driver = static\n args = uid={} gid={} home={d}/home\n}}\n\
             mail_location = maildir:~/Maildir\nfirst_valid_uid = 1\nfirst_valid_gid = 1\n\
             service imap-login {{\n chroot =\n inet_listener imap {{\n port = 0\n }}\n \
             inet_listener imaps {{\n port = {port}\n ssl = yes\n }}\n}}\n\
             service anvil {{\n chroot =\n}}\n",
            owner.0,
            owner.1,
            d = d.display()
        );
        std::fs::write(d.join("dovecot.conf"), config).expect("config");
        let mut dovecot = Dovecot {
            dir,
            port,
            child: None,
            owner,
        };
        dovecot.chown_all();
        dovecot.run();
        dovecot
    }

    /// The CA that signed the server's certificate (PEM), for the clients to trust.
    pub fn ca_pem(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("ca.pem")).expect("the CA")
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("home/Maildir")
    }

    fn chown_all(&self) {
        let home = self.dir.path().join("home");
        let spec = format!("{}:{}", self.owner.0, self.owner.1);
        output("chown", &["-R", &spec, &home.to_string_lossy()]);
        // Dovecot reads its config and users as root, and the mail as the mail's owner.
        output("chmod", &["755", &self.dir.path().to_string_lossy()]);
    }

    fn run(&mut self) {
        let _ = std::fs::remove_file(self.dir.path().join("run/master.pid"));
        let child = Command::new(DOVECOT)
            .args(["-F", "-c"])
            .arg(self.dir.path().join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dovecot");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "dovecot did not listen: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server (its master takes its processes with it) and starts it again.
    pub fn restart(&mut self) {
        self.stop();
        self.run();
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Delivers `raw` (a whole message) into the mailbox.
    /// The settings of an inbox "Support" (support@acme.test) fetched from this server.
    pub fn inbox_input(&self) -> onebox::app::inbox::InboxInput {
        onebox::app::inbox::InboxInput {
            name: "Support".into(),
            address: "support@acme.test".into(),
            imap_host: "localhost".into(),
            imap_port: self.port,
            imap_user: USER.into(),
            imap_password: PASSWORD.into(),
            imap_mailbox: "INBOX".into(),
            imap_ca: Some(self.ca_pem()),
        }
    }

    pub fn deliver(&self, raw: &[u8]) {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "{}.M{}P{}.onebox-test",
            chrono::Utc::now().timestamp(),
            N.fetch_add(1, Ordering::SeqCst),
            std::process::id()
        );
        let tmp = self.maildir().join("tmp").join(&name);
        std::fs::write(&tmp, raw).expect("write mail");
        let spec = format!("{}:{}", self.owner.0, self.owner.1);
        output("chown", &[&spec, &tmp.to_string_lossy()]);
        std::fs::rename(&tmp, self.maildir().join("new").join(&name)).expect("deliver");
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}
