//! A real browser for the pages' JavaScript: Debian's Chromium, headless, driven over the W3C
//! WebDriver protocol by ChromeDriver on a loopback port. When they are missing, the first
//! browser test installs both (`apt-get install chromium chromium-driver`, as root, which the
//! suite runs as), so that `cargo test` alone runs every test on a fresh machine. Each
//! `Browser` has its own ChromeDriver and profile directory; dropping it ends the session and
//! stops the driver.

use super::http::Client;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long `wait_for` and `wait_until` wait before they fail.
const PATIENCE: Duration = Duration::from_secs(10);

/// WebDriver's codes for keys that are not characters.
pub mod key {
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const SPACE: &str = " ";
    pub const LEFT: &str = "\u{E012}";
    pub const RIGHT: &str = "\u{E014}";
    pub const DOWN: &str = "\u{E015}";
    pub const CONTROL: &str = "\u{E009}";
}

/// An element of the page, by WebDriver's reference.
#[derive(Debug, Clone)]
pub struct Element(String);

pub struct Browser {
    driver: Child,
    http: Client,
    session: String,
    _profile: tempfile::TempDir,
}

fn installed() -> bool {
    std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists()
}

/// Installs Chromium and ChromeDriver from Debian's packages, once, if they are missing.
fn install() {
    static INSTALLED: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut done = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
    if *done || installed() {
        *done = true;
        return;
    }
    eprintln!("the browser tests drive Debian's Chromium: installing chromium and chromium-driver");
    let ok = super::apt_install(&["chromium", "chromium-driver"]);
    assert!(
        ok && installed(),
        "could not install Chromium: run `apt-get install chromium chromium-driver` as root"
    );
    *done = true;
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium with a window of `width` × `height`.
    pub fn start(width: u32, height: u32) -> Browser {
        install();
        let port = super::free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + PATIENCE;
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--window-size={width},{height}"),
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut http = Client::new(addr);
        let made = http.json(
            "POST",
            "/session",
            &json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
            }}}),
        );
        let session = made.json()["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {}", made.body))
            .to_string();
        let mut browser = Browser {
            driver,
            http,
            session,
            _profile: profile,
        };
        // Headless Chromium starts at least 500 px wide; a phone's width is set afterwards.
        browser.command(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        );
        browser
    }

    /// A WebDriver command of this session; its `value`, or a panic with the driver's error.
    fn command(&mut self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("/session/{}{path}", self.session);
        let answer = if method == "GET" {
            self.http.get(&url)
        } else {
            self.http.json(method, &url, &body)
        };
        let value = answer.json()["value"].clone();
        assert_eq!(answer.status, 200, "{method} {path}: {value}");
        value
    }

    /// Shows pages in dark colours (`prefers-color-scheme: dark`) or light ones.
    pub fn dark(&mut self, on: bool) {
        let scheme = if on { "dark" } else { "light" };
        self.command(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setEmulatedMedia", "params": {
                "features": [{"name": "prefers-color-scheme", "value": scheme}]}}),
        );
    }

    /// Runs pages as if the machine's clock were in `zone` (an IANA name).
    pub fn time_zone(&mut self, zone: &str) {
        self.command(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setTimezoneOverride", "params": {"timezoneId": zone}}),
        );
    }

    /// Sets the window's size (a phone's, a desktop's).
    pub fn resize(&mut self, width: u32, height: u32) {
        self.command(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        );
    }

    pub fn goto(&mut self, url: &str) {
        self.command("POST", "/url", json!({"url": url}));
    }

    pub fn url(&mut self) -> String {
        self.command("GET", "/url", Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page.
    pub fn eval(&mut self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": args}),
        )
    }

    /// The first element matching `css`, if any.
    pub fn find(&mut self, css: &str) -> Option<Element> {
        let url = format!("/session/{}/element", self.session);
        let answer = self.http.json(
            "POST",
            &url,
            &json!({"using": "css selector", "value": css}),
        );
        (answer.status == 200).then(|| {
            let value = answer.json()["value"].clone();
            let reference = value
                .as_object()
                .and_then(|o| o.values().next())
                .and_then(Value::as_str)
                .expect("element reference");
            Element(reference.to_string())
        })
    }

    /// Waits until an element matches `css` and is shown.
    pub fn wait_for(&mut self, css: &str) -> Element {
        let shown = format!(
            "const e = document.querySelector({}); return !!e && e.checkVisibility();",
            json!(css)
        );
        self.wait_until(&format!("{css} shown"), &shown);
        self.find(css).expect("the element just shown")
    }

    /// Waits until `script` (a function body) returns true; `what` says what was awaited.
    pub fn wait_until(&mut self, what: &str, script: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.eval(script, json!([])) != Value::Bool(true) {
            assert!(
                Instant::now() < deadline,
                "{what}: not so on {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn click(&mut self, element: &Element) {
        self.command("POST", &format!("/element/{}/click", element.0), json!({}));
    }

    /// Types `text` into `element` (WebDriver's key codes, see `key`, included).
    pub fn type_into(&mut self, element: &Element, text: &str) {
        self.command(
            "POST",
            &format!("/element/{}/value", element.0),
            json!({"text": text}),
        );
    }

    /// Presses `keys` together (held in order, let go in reverse) where the focus is.
    pub fn press(&mut self, keys: &[&str]) {
        let mut actions: Vec<Value> = keys
            .iter()
            .map(|k| json!({"type": "keyDown", "value": k}))
            .collect();
        actions.extend(
            keys.iter()
                .rev()
                .map(|k| json!({"type": "keyUp", "value": k})),
        );
        self.command(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
    }

    pub fn text(&mut self, element: &Element) -> String {
        self.command("GET", &format!("/element/{}/text", element.0), Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Signs in through the sign-in form at `base` (`http://…/t/slug`).
    pub fn sign_in(&mut self, base: &str, email: &str, password: &str) {
        self.goto(&format!("{base}/login"));
        let field = self.wait_for("input[name=email]");
        self.type_into(&field, email);
        let field = self.wait_for("input[name=password]");
        self.type_into(&field, password);
        let submit = self.wait_for("form button[type=submit]");
        self.click(&submit);
        self.wait_until("signed in", "return !location.pathname.endsWith('/login');");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let url = format!("/session/{}", self.session);
        self.http.request("DELETE", &url, &[], b"");
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
