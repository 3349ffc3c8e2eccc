//! Embedded static files (CSS, JS, icons), addressed as `/assets/<hash>/<file>`. The hash is
//! part of the address, so a file can be cached for a year and a new build still reaches every
//! browser at once. The pages name them (`url`); `web` serves them (`file`).

use rust_embed::RustEmbed;
use std::collections::HashMap;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Files;

pub struct Assets {
    /// File name → the first 12 hex digits of its SHA-256.
    hashes: HashMap<String, String>,
}

impl Assets {
    pub fn load() -> Assets {
        let hashes = Files::iter()
            .filter_map(|name| {
                let file = Files::get(&name)?;
                let hash = crate::domain::secret::hex(&file.metadata.sha256_hash()[..6]);
                Some((name.to_string(), hash))
            })
            .collect();
        Assets { hashes }
    }

    pub fn url(&self, name: &str) -> String {
        let hash = self.hashes.get(name).map_or("missing", String::as_str);
        format!("/assets/{hash}/{name}")
    }

    /// The content type and bytes of `name`, when `hash` is its current hash.
    pub fn file(&self, hash: &str, name: &str) -> Option<(&'static str, Vec<u8>)> {
        if self.hashes.get(name).is_none_or(|h| h != hash) {
            return None;
        }
        let file = Files::get(name)?;
        Some((content_type(name), file.data.into_owned()))
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}
