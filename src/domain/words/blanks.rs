//! Texts with blanks: `{n} rows` filled in, and read back (what fills the blanks of an
//! English message, so it can be said again in another language).

/// `template` with each `{name}` replaced by its value: `fill("{n} rows", &[("n", "3")])`.
/// A blank without a value stays as it is, so a slip shows on the page instead of vanishing.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if values.iter().any(|(k, _)| *k == name) => {
                let value = values.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
                out.push_str(value.unwrap_or_default());
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What fills each blank if `text` is `template` filled in: `matches("{n} rows", "3 rows")`
/// is `[("n", "3")]`; `None` if it is not. A blank takes the shortest text that lets the rest
/// match, and never nothing.
pub(super) fn matches<'t>(template: &'t str, text: &str) -> Option<Vec<(&'t str, String)>> {
    let names = blanks(template);
    if names.is_empty() {
        return (template == text).then(Vec::new);
    }
    // The literal pieces between the blanks: one more than there are blanks.
    let mut pieces = Vec::new();
    let mut rest = template;
    for name in &names {
        let at = rest.find(&format!("{{{name}}}"))?;
        pieces.push(&rest[..at]);
        rest = &rest[at + name.len() + 2..];
    }
    pieces.push(rest);
    let mut left = text.strip_prefix(pieces[0])?;
    let mut values = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let next = pieces[i + 1];
        let last = i + 1 == names.len();
        let end = if last {
            left.strip_suffix(next).map(str::len)?
        } else if next.is_empty() {
            return None;
        } else {
            left.get(1..)?.find(next)? + 1
        };
        if end == 0 {
            return None;
        }
        values.push((*name, left[..end].to_string()));
        left = &left[end + next.len()..];
        if last && !left.is_empty() {
            return None;
        }
    }
    Some(values)
}

/// The blanks of a template, in order: `"{n} of {total}"` → `["n", "total"]`.
pub fn blanks(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|piece| piece.split_once('}').map(|(name, _)| name))
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .collect()
}
