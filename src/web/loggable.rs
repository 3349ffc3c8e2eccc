//! What of a request's path may be written to the log: never the tokens of private links.

/// The path as it may be logged: empty segments dropped as the router drops them, the tokens
/// of one-time links cut off whatever the path's shape, and control characters escaped.
pub fn loggable_path(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let shown = match segments.as_slice() {
        ["t", slug, kind @ ("setup" | "invite" | "reset"), _token, ..] => {
            format!("/t/{slug}/{kind}/…")
        }
        ["t", slug, "book", kind @ ("details" | "manage"), _token, ..] => {
            format!("/t/{slug}/book/{kind}/…")
        }
        ["t", slug, "calendar", file] if file.ends_with(".ics") => {
            format!("/t/{slug}/calendar/….ics")
        }
        _ => {
            let mut joined = format!("/{}", segments.join("/"));
            if path.ends_with('/') && !segments.is_empty() {
                joined.push('/');
            }
            joined
        }
    };
    crate::log::escape(&shown).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tokens_never_reach_the_log() {
        assert_eq!(loggable_path("/t/acme/reset/0123abcd"), "/t/acme/reset/…");
        assert_eq!(loggable_path("/t/acme/invite/0123abcd"), "/t/acme/invite/…");
        assert_eq!(loggable_path("/t/acme/reset"), "/t/acme/reset");
        assert_eq!(
            loggable_path("/t/acme/book/manage/ab12/move"),
            "/t/acme/book/manage/…"
        );
        assert_eq!(
            loggable_path("/t/acme/book/details/ab12"),
            "/t/acme/book/details/…"
        );
        assert_eq!(
            loggable_path("/t/acme/calendar/ab12.ics"),
            "/t/acme/calendar/….ics"
        );
        assert_eq!(loggable_path("/t/acme/book"), "/t/acme/book");
        assert_eq!(loggable_path("/t/acme/settings"), "/t/acme/settings");
        assert_eq!(loggable_path("/t/acme/"), "/t/acme/");
        assert_eq!(loggable_path("/"), "/");
    }

    #[test]
    fn every_path_shape_that_reaches_a_link_handler_is_cut_and_controls_are_escaped() {
        assert_eq!(loggable_path("/t/beta//reset/0123abcd"), "/t/beta/reset/…");
        assert_eq!(loggable_path("//t/beta/reset/0123abcd/"), "/t/beta/reset/…");
        assert_eq!(loggable_path("/t//beta///setup//tok"), "/t/beta/setup/…");
        assert_eq!(
            loggable_path("/x\n2026 ERROR forged\0"),
            "/x\\n2026 ERROR forged\\x00"
        );
    }
}
