//! Charts as server-rendered SVG: they need no JavaScript, and each carries its numbers as a
//! table for screen readers.

use maud::{Markup, html};

/// A bar per (label, value); `shown` formats a value for the labels above the bars; `none`
/// says there is nothing to draw.
pub fn bars(
    none: &str,
    id: &str,
    title: &str,
    data: &[(String, i64)],
    shown: impl Fn(i64) -> String,
) -> Markup {
    let (width, height, top, bottom) = (640.0_f64, 220.0_f64, 22.0_f64, 28.0_f64);
    let max = data.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let slot = width / data.len().max(1) as f64;
    let bar = (slot * 0.6).min(56.0);
    html! {
        figure.chart {
            figcaption id={(id) "-title"} { (title) }
            @if data.is_empty() { p.muted { (none) } } @else {
                svg viewBox={"0 0 " (width) " " (height)} role="img" aria-labelledby={(id) "-title"} preserveAspectRatio="xMidYMid meet" {
                    line.axis x1="0" y1=(height - bottom) x2=(width) y2=(height - bottom) {}
                    @for (i, (label, value)) in data.iter().enumerate() {
                        @let h = (*value as f64 / max) * (height - top - bottom);
                        @let x = slot * i as f64 + (slot - bar) / 2.0;
                        @let y = height - bottom - h;
                        rect.bar x=(format!("{x:.1}")) y=(format!("{y:.1}")) width=(format!("{bar:.1}")) height=(format!("{h:.1}")) rx="3" {}
                        text.value x=(format!("{:.1}", x + bar / 2.0)) y=(format!("{:.1}", y - 6.0)) text-anchor="middle" { (shown(*value)) }
                        text.label x=(format!("{:.1}", x + bar / 2.0)) y=(format!("{:.1}", height - 9.0)) text-anchor="middle" { (label) }
                    }
                }
                table.visually-hidden {
                    caption { (title) }
                    tbody { @for (label, value) in data { tr { th scope="row" { (label) } td { (shown(*value)) } } } }
                }
            }
        }
    }
}
