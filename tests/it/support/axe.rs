//! axe-core, the accessibility checker (from the npm registry), for the browser tests to run
//! in a page: installed once under `target/axe` with the machine's npm.

use std::path::PathBuf;
use std::process::{Command, Stdio};

const VERSION: &str = "4.14.1";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/axe")
}

/// The source of `axe.min.js`, installing it first if it is not there yet.
pub fn source() -> String {
    static INSTALLED: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _once = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
    let file = dir().join("node_modules/axe-core/axe.min.js");
    if !file.exists() {
        if Command::new("npm")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_err()
        {
            assert!(
                super::apt_install(&["nodejs", "npm"]),
                "could not install npm: run `apt-get install nodejs npm` as root"
            );
        }
        let installed = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
            .arg(dir())
            .arg(format!("axe-core@{VERSION}"))
            .status()
            .is_ok_and(|s| s.success());
        assert!(installed, "could not install axe-core {VERSION} with npm");
    }
    std::fs::read_to_string(&file).expect("axe.min.js")
}

/// Runs axe-core (its `source`) in the browser's page: the serious and critical problems it
/// finds, each as "rule (impact): where".
pub fn serious_problems(browser: &mut super::browser::Browser, source: &str) -> serde_json::Value {
    browser.eval(source, serde_json::json!([]));
    browser.eval(
        "return axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
           .filter(v => v.impact === 'serious' || v.impact === 'critical')
           .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', ')));",
        serde_json::json!([]),
    )
}

/// Every page of `pages` at each of `sizes` (width, height): no serious accessibility problem,
/// and nothing wider than the window.
pub fn pages_pass(browser: &mut super::browser::Browser, pages: &[String], sizes: &[(u32, u32)]) {
    let axe = source();
    for &(width, height) in sizes {
        browser.resize(width, height);
        for page in pages {
            browser.goto(page);
            browser.wait_for("#main");
            let found = serious_problems(browser, &axe);
            assert_eq!(found, serde_json::json!([]), "{page} at {width} px");
            let wide = browser.eval(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1;",
                serde_json::json!([]),
            );
            assert_eq!(wide, serde_json::json!(true), "{page} fits {width} px");
        }
    }
}
