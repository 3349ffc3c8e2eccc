//! A sentence kept as a catalogue key and its blanks rather than as text, so whoever reads it
//! later reads it in their own language: the timeline's "Lifecycle of Ann: lead → customer"
//! is `tl_lifecycle` with `title` Ann, `was` the choice lead and `now` the choice customer.

use crate::domain::format;
use crate::domain::words::{Lang, fill};
use serde_json::{Map, Value, json};

/// What fills one blank.
#[derive(Debug, Clone, PartialEq)]
pub enum Blank {
    /// Text as it is: a name, a title.
    Text(String),
    /// A stored choice of a field (`lifecycle`, `lead`), in the reader's words.
    Choice(&'static str, String),
    /// An amount in minor units and its currency, in the reader's number format.
    Money(i64, String),
    /// Another entry of the catalogue (`tl_nobody`).
    Word(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Said {
    pub key: &'static str,
    pub blanks: Vec<(&'static str, Blank)>,
}

impl Said {
    pub fn new(key: &'static str) -> Said {
        Said {
            key,
            blanks: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, blank: Blank) -> Said {
        self.blanks.push((name, blank));
        self
    }

    pub fn text(self, name: &'static str, value: &str) -> Said {
        self.with(name, Blank::Text(value.to_string()))
    }

    /// As stored: `{"key": "…", "blanks": {"title": "Ann", "was": {"choice": [f, v]}, …}}`.
    pub fn to_json(&self) -> String {
        let blanks: Map<String, Value> = self
            .blanks
            .iter()
            .map(|(name, blank)| {
                let value = match blank {
                    Blank::Text(t) => json!(t),
                    Blank::Choice(field, v) => json!({ "choice": [field, v] }),
                    Blank::Money(minor, currency) => json!({ "money": [minor, currency] }),
                    Blank::Word(key) => json!({ "word": key }),
                };
                (name.to_string(), value)
            })
            .collect();
        json!({ "key": self.key, "blanks": blanks }).to_string()
    }

    /// The sentence in `lang`.
    pub fn read(&self, lang: Lang) -> String {
        read_json(&self.to_json(), lang).unwrap_or_default()
    }
}

/// A stored sentence in `lang`; `None` if the text is not one or names no key of the
/// catalogue (the caller then shows the English summary kept beside it).
pub fn read_json(stored: &str, lang: Lang) -> Option<String> {
    let value: Value = serde_json::from_str(stored).ok()?;
    let w = lang.words();
    let template = w.named(value.get("key")?.as_str()?)?;
    let blanks: Vec<(String, String)> = value
        .get("blanks")
        .and_then(Value::as_object)
        .map(|blanks| {
            blanks
                .iter()
                .map(|(name, v)| (name.clone(), blank_text(v, lang)))
                .collect()
        })
        .unwrap_or_default();
    let pairs: Vec<(&str, &str)> = blanks
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Some(fill(template, &pairs))
}

fn blank_text(v: &Value, lang: Lang) -> String {
    let w = lang.words();
    let pair = |name: &str| v.get(name).and_then(Value::as_array).cloned();
    if let Some(text) = v.as_str() {
        text.to_string()
    } else if let Some([field, value]) = pair("choice").as_deref() {
        let (field, value) = (field.as_str().unwrap_or(""), value.as_str().unwrap_or(""));
        w.choice(field, value).to_string()
    } else if let Some([minor, currency]) = pair("money").as_deref() {
        let currency = currency.as_str().unwrap_or("EUR");
        format::money(lang, minor.as_i64().unwrap_or(0), currency)
    } else if let Some(key) = v.get("word").and_then(Value::as_str) {
        w.named(key).unwrap_or(key).to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_reads_in_each_language_with_its_blanks_in_that_language() {
        let said = Said::new("tl_lifecycle")
            .text("title", "Ann Smith")
            .with("was", Blank::Choice("lifecycle", "lead".into()))
            .with("now", Blank::Choice("lifecycle", "customer".into()));
        assert_eq!(
            said.read(Lang::En),
            "Lifecycle of Ann Smith: Lead → Customer"
        );
        assert_eq!(
            said.read(Lang::Nl),
            "Levensfase van Ann Smith: Lead → Klant"
        );
        let amount = Said::new("tl_amount")
            .text("title", "Big deal")
            .with("was", Blank::Word("tl_none"))
            .with("now", Blank::Money(123_456, "EUR".into()));
        assert_eq!(
            amount.read(Lang::Nl),
            "Bedrag van Big deal: geen → €\u{a0}1.234,56"
        );
        assert_eq!(
            read_json(&amount.to_json(), Lang::En).as_deref(),
            Some("Amount of Big deal: none → €1,234.56")
        );
        assert_eq!(read_json("not json", Lang::En), None);
        assert_eq!(read_json(r#"{"key":"no_such_key"}"#, Lang::En), None);
    }
}
