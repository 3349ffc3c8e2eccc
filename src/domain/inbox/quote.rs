//! A mail's new text told from the history it quotes, so a conversation shows each message's
//! own words with the quote folded away (the message itself is kept whole). The history starts
//! at the first of: an attribution line ("On … wrote:", "Op … schreef …:", "Am … schrieb …:",
//! "Le … a écrit :"), possibly wrapped over two lines; a forwarded-message rule
//! ("-----Original Message-----", "-----Oorspronkelijk bericht-----", Outlook's line of
//! underscores); a "From:"/"Van:" header block; or `>` lines that run to the end.

/// The new text, and the quoted history after it (empty: none found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub new: String,
    pub quoted: String,
}

/// The verbs of attribution lines, which end with a colon ("… wrote:", "… schreef X <x@y>:").
const WROTE: [&str; 5] = ["wrote", "schreef", "schrieb", "écrit", "escribió"];
const RULES: [&str; 4] = [
    "-----original message-----",
    "-----oorspronkelijk bericht-----",
    "-----ursprüngliche nachricht-----",
    "________________________________",
];

fn attribution(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    let opens = ["On ", "Op ", "Am ", "Le ", "El "]
        .iter()
        .any(|p| line.starts_with(p));
    let said = |l: &str| WROTE.iter().any(|w| l.contains(w));
    let ends = |l: &str| l.trim_end().ends_with(':');
    let next = lines.get(i + 1).copied().unwrap_or("");
    opens && ((said(line) && ends(line)) || ((said(line) || said(next)) && ends(next)))
}

fn header_block(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim_start();
    (line.starts_with("From:") || line.starts_with("Van:"))
        && lines[i + 1..].iter().take(4).any(|l| {
            let l = l.trim_start();
            l.starts_with("Sent:") || l.starts_with("Verzonden:") || l.starts_with("Date:")
        })
}

/// Whether every non-blank line from `i` on is quoted with `>`.
fn quoted_to_end(lines: &[&str], i: usize) -> bool {
    lines[i].trim_start().starts_with('>')
        && lines[i..]
            .iter()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('>'))
}

pub fn split(text: &str) -> Split {
    let lines: Vec<&str> = text.lines().collect();
    let start = (0..lines.len()).find(|&i| {
        let lower = lines[i].trim().to_lowercase();
        attribution(&lines, i)
            || RULES.iter().any(|r| lower.starts_with(r))
            || header_block(&lines, i)
            || quoted_to_end(&lines, i)
    });
    match start {
        Some(i) if lines[..i].iter().any(|l| !l.trim().is_empty()) => Split {
            new: lines[..i].join("\n").trim_end().to_string(),
            quoted: lines[i..].join("\n"),
        },
        // Nothing before the quote (or no quote): all of it is the message.
        _ => Split {
            new: text.trim_end().to_string(),
            quoted: String::new(),
        },
    }
}
