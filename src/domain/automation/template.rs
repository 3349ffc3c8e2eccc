//! Mail and task templates: text with `{{root.field}}` placeholders, like
//! `Hello {{contact.first_name}}`. Placeholders are checked when a rule is saved, so a typo is
//! refused then and not found in a customer's inbox.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// A dotted path: `contact.first_name`, `deal.custom.tier`.
    Place(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    pieces: Vec<Piece>,
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 2..];
            let close = after
                .find("}}")
                .ok_or_else(|| "has a {{ without its closing }}".to_string())?;
            let path = after[..close].trim();
            let valid = !path.is_empty()
                && path.split('.').all(|part| {
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                });
            if !valid || !path.contains('.') {
                return Err(format!(
                    "{{{{{path}}}}} is not a placeholder: write {{{{record.field}}}}, like {{{{contact.first_name}}}}"
                ));
            }
            pieces.push(Piece::Place(path.to_string()));
            rest = &after[close + 2..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Ok(Template {
            source: text.to_string(),
            pieces,
        })
    }

    /// The text as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every placeholder, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Place(path) => Some(path.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// The text with each placeholder replaced by its value in `context` (empty when the
    /// record has no value), each value passed through `escape`.
    pub fn render(&self, context: &Value, escape: impl Fn(&str) -> String) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Place(path) => out.push_str(&escape(&display(lookup(context, path)))),
            }
        }
        out
    }
}

/// The value at a dotted path of the context, or `Null`.
pub fn lookup<'a>(context: &'a Value, path: &str) -> &'a Value {
    let mut at = context;
    for part in path.split('.') {
        at = match at.get(part) {
            Some(v) => v,
            None => return &Value::Null,
        };
    }
    at
}

/// A value as a person reads it: text as is, lists joined with commas, nothing for null.
pub fn display(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(display).collect::<Vec<_>>().join(", "),
        Value::Object(_) => String::new(),
    }
}

/// Text made safe for HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fills_placeholders_from_the_context() {
        let t =
            Template::parse("Hi {{contact.first_name}}, {{ deal.title }} is {{deal.custom.tier}}!")
                .expect("valid");
        assert_eq!(
            t.placeholders().collect::<Vec<_>>(),
            ["contact.first_name", "deal.title", "deal.custom.tier"]
        );
        let context =
            json!({"contact": {"first_name": "Ana"}, "deal": {"title": "Roof", "custom": {}}});
        assert_eq!(t.render(&context, str::to_string), "Hi Ana, Roof is !");
    }

    #[test]
    fn escapes_values_but_not_the_template() {
        let t = Template::parse("<p>{{contact.last_name}}</p>").expect("valid");
        let context = json!({"contact": {"last_name": "<script>"}});
        assert_eq!(t.render(&context, escape_html), "<p>&lt;script&gt;</p>");
    }

    #[test]
    fn refuses_broken_placeholders() {
        for bad in [
            "Hi {{contact.first_name",
            "{{}}",
            "{{name}}",
            "{{contact..x}}",
            "{{a b.c}}",
        ] {
            assert!(Template::parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(Template::parse("no placeholders, {single} braces").is_ok());
    }
}
