//! Mail HTML made safe to show (with `ammonia`, a well-kept allowlist sanitizer): scripts,
//! event handlers, styles, forms and frames go; links keep http, https and mailto only and get
//! `rel="noopener noreferrer nofollow"`; remote images are left out until the reader asks for
//! them (they tell the sender when and where a mail is read), and the answer says whether any
//! were.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The cleaned HTML, and whether it had remote images that were left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clean {
    pub html: String,
    pub images_blocked: bool,
}

pub fn clean(html: &str, show_remote_images: bool) -> Clean {
    let blocked = Arc::new(AtomicBool::new(false));
    let seen = blocked.clone();
    let cleaned = ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(move |element, attribute, value| {
            let remote = value.starts_with("http:")
                || value.starts_with("https:")
                || value.starts_with("//");
            if element == "img" && attribute == "src" && remote && !show_remote_images {
                seen.store(true, Ordering::Relaxed);
                return None;
            }
            Some(Cow::Borrowed(value))
        })
        .clean(html)
        .to_string();
    Clean {
        html: cleaned,
        images_blocked: blocked.load(Ordering::Relaxed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_bad_links_are_made_inert() {
        let c = clean(
            r#"<p onclick="steal()">Hi <b>Daan</b></p><script>alert(1)</script>
               <img src="x" onerror="alert(2)"><a href="javascript:alert(3)">x</a>
               <a href="https://example.test/offer">offer</a><iframe src="https://evil.test"></iframe>
               <form action="https://evil.test"><input name="pw"></form><style>body{display:none}</style>"#,
            false,
        );
        let h = &c.html;
        for gone in [
            "script",
            "onclick",
            "onerror",
            "javascript:",
            "iframe",
            "<form",
            "<input",
            "<style",
            "alert(",
        ] {
            assert!(!h.contains(gone), "{gone} in {h}");
        }
        assert!(h.contains("<b>Daan</b>"), "{h}");
        assert!(
            h.contains(r#"<a href="https://example.test/offer" rel="noopener noreferrer nofollow">offer</a>"#),
            "{h}"
        );
    }

    #[test]
    fn remote_images_wait_until_asked_for() {
        let mail = r#"<p>Logo</p><img src="https://tracker.test/pixel.gif?who=daan" alt="logo">"#;
        let blocked = clean(mail, false);
        assert!(blocked.images_blocked);
        assert!(!blocked.html.contains("tracker.test"), "{}", blocked.html);
        assert!(blocked.html.contains(r#"alt="logo""#), "{}", blocked.html);
        let shown = clean(mail, true);
        assert!(!shown.images_blocked);
        assert!(
            shown.html.contains("https://tracker.test/pixel.gif"),
            "{}",
            shown.html
        );
        assert!(!clean("<p>no images</p>", false).images_blocked);
    }
}
