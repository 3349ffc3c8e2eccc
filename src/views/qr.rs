//! A QR code as inline SVG: one path of unit squares, the dark modules, inside the four-module
//! quiet zone readers need. Black on white whatever the theme, so it scans on screen and paper.

use maud::{Markup, html};
use qrcodegen::{QrCode, QrCodeEcc};

/// The quiet zone around the symbol, in modules (the standard's minimum).
const QUIET: i32 = 4;

/// The SVG path of `code`'s dark modules, each a unit square offset by the quiet zone.
fn path(code: &QrCode) -> String {
    let mut d = String::new();
    for y in 0..code.size() {
        for x in 0..code.size() {
            if code.get_module(x, y) {
                d.push_str(&format!("M{} {}h1v1h-1z", x + QUIET, y + QUIET));
            }
        }
    }
    d
}

/// `text` as a QR code `label` names for screen readers; empty if it is too long for one.
pub fn qr(text: &str, label: &str) -> Markup {
    let Ok(code) = QrCode::encode_text(text, QrCodeEcc::Medium) else {
        return html! {};
    };
    let side = code.size() + 2 * QUIET;
    html! {
        svg.qr xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (side) " " (side) } role="img"
            aria-label=(label) shape-rendering="crispEdges" {
            rect width=(side) height=(side) fill="#fff" {}
            path d=(path(&code)) fill="#000" {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dark_module_is_one_square_inside_the_quiet_zone() {
        let code = QrCode::encode_text(
            "https://crm.example/t/salon/kassa/find?code=1-42",
            QrCodeEcc::Medium,
        )
        .expect("fits");
        let dark = (0..code.size())
            .flat_map(|y| (0..code.size()).map(move |x| (x, y)))
            .filter(|&(x, y)| code.get_module(x, y))
            .count();
        let d = path(&code);
        assert_eq!(d.matches('M').count(), dark);
        // The finder pattern's corner is the first module drawn, at the quiet zone's edge.
        assert!(d.starts_with("M4 4h1v1h-1z"), "{}", &d[..20]);
        let svg = qr("1-42", "code").into_string();
        assert!(
            svg.contains(r#"aria-label="code""#) && svg.contains("viewBox=\"0 0 29 29\""),
            "{svg}"
        );
    }

    #[test]
    fn text_too_long_for_a_code_gives_nothing() {
        assert_eq!(qr(&"x".repeat(5000), "code").into_string(), "");
    }
}
