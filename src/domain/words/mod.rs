//! The words of the product in each language it speaks: one catalogue per language (`en`,
//! `nl`), both the same `Words` type, so a key that one catalogue lacks or adds does not
//! compile. Pages and mails take their text from `lang.words()`; a text with a blank to fill
//! (`{n} contacts`) goes through `fill`.

/// `catalogue! { key: "text", … }` makes `Words` with one field per key, the English
/// catalogue `EN`, and the ways to list and look up a catalogue's entries by key.
macro_rules! catalogue {
    ($($key:ident: $text:literal,)*) => {
        /// Every text of the product, in one language.
        pub struct Words { $(pub $key: &'static str,)* }

        pub const EN: Words = Words { $($key: $text,)* };

        impl Words {
            /// Every (key, text), in the catalogue's order.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key),)*]
            }

            /// The text of a key made at run time (`contact_email`), for the field tables.
            pub fn named(&self, key: &str) -> Option<&'static str> {
                match key {
                    $(stringify!($key) => Some(self.$key),)*
                    _ => None,
                }
            }
        }
    };
}

mod blanks;
mod en;
mod nl;

use blanks::matches;
pub use blanks::{blanks, fill};

use crate::domain::crm::Entity;
pub use en::Words;

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &en::EN,
            Lang::Nl => &nl::NL,
        }
    }

    /// The language's code, as in `lang="…"` and as stored: `en`, `nl`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// The language's name in itself, for the language picker.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language a browser asks for first among those spoken here (`Accept-Language:
    /// nl-NL,nl;q=0.9,en;q=0.8` → Dutch); English when it names none of them.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut asked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim().to_ascii_lowercase();
                let primary = tag.split('-').next()?;
                let lang = Lang::from_code(primary)?;
                let q = pieces
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        // A stable sort keeps the header's order among equal weights.
        asked.sort_by(|a, b| b.0.total_cmp(&a.0));
        asked.first().map_or(Lang::En, |(_, lang)| *lang)
    }
}

impl Words {
    /// A kind of record, as a list's title: "Contacts".
    pub fn records(&self, entity: Entity) -> &'static str {
        match entity {
            Entity::Contact => self.contacts,
            Entity::Company => self.companies,
            Entity::Deal => self.deals,
            Entity::Task => self.tasks,
            Entity::Note => self.notes,
        }
    }

    /// One record of a kind, inside a sentence: "contact".
    pub fn record(&self, entity: Entity) -> &'static str {
        match entity {
            Entity::Contact => self.contact,
            Entity::Company => self.company,
            Entity::Deal => self.deal,
            Entity::Task => self.task,
            Entity::Note => self.note,
        }
    }

    /// The button that makes a record of a kind: "New contact".
    pub fn new_record(&self, entity: Entity) -> &'static str {
        match entity {
            Entity::Contact => self.new_contact,
            Entity::Company => self.new_company,
            Entity::Deal => self.new_deal,
            Entity::Task => self.new_task,
            Entity::Note => self.new_note,
        }
    }

    /// A field's label (`contact_first_name` → "First name"); the name itself in words if the
    /// catalogue has none (a test sees that every field of the tables has one).
    pub fn field(&self, entity: Entity, name: &str) -> String {
        let key = format!("{}_{name}", self.key_of(entity));
        self.named(&key)
            .map_or_else(|| crate::error::field_in_words(name), str::to_string)
    }

    /// A choice as it reads (`lifecycle` `customer` → "Customer"); the stored value if the
    /// catalogue has no word for it.
    pub fn choice<'a>(&self, field: &str, value: &'a str) -> &'a str {
        self.named(&format!("{field}_{value}")).unwrap_or(value)
    }

    /// A message of the application (written in English where it is made, like "is
    /// required") in this language: the catalogue's `msg_…` entry whose English text it is,
    /// else the message as it is.
    /// A message with blanks (`is longer than {n} characters`) matches with what fills them.
    pub fn said(&self, english: &str) -> String {
        en::EN
            .entries()
            .into_iter()
            .filter(|(key, _)| key.starts_with("msg_"))
            .find_map(|(key, template)| {
                let values = matches(template, english)?;
                let pairs: Vec<(&str, &str)> =
                    values.iter().map(|(k, v)| (*k, v.as_str())).collect();
                Some(fill(self.named(key)?, &pairs))
            })
            .unwrap_or_else(|| english.to_string())
    }

    /// What went wrong, in words for people: each refused field by its label (of `entity`'s
    /// table where it has one), its message in this language; other errors as they read.
    pub fn error(&self, e: &crate::error::Error, entity: Option<Entity>) -> String {
        let fields = e.field_errors();
        if fields.is_empty() {
            return self.said(&e.public_message());
        }
        let sentences: Vec<String> = fields
            .iter()
            .map(|f| {
                let label = match entity.and_then(|en| en.field(&f.field).map(|_| en)) {
                    Some(en) => self.field(en, &f.field),
                    None => match self.named(&format!("fieldname_{}", f.field)) {
                        Some(label) => label.to_string(),
                        None => crate::error::field_in_words(&f.field),
                    },
                };
                f.sentence(&label, &self.said(&f.message))
            })
            .collect();
        sentences.join(" ")
    }

    fn key_of(&self, entity: Entity) -> &'static str {
        match entity {
            Entity::Contact => "contact",
            Entity::Company => "company",
            Entity::Deal => "deal",
            Entity::Task => "task",
            Entity::Note => "note",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys_and_blanks() {
        let english = Lang::En.words().entries();
        let dutch = Lang::Nl.words().entries();
        fn keys(entries: &[(&'static str, &'static str)]) -> Vec<&'static str> {
            entries.iter().map(|(k, _)| *k).collect()
        }
        assert_eq!(keys(&english), keys(&dutch));
        for ((key, en), (_, nl)) in english.iter().zip(&dutch) {
            assert!(
                !en.trim().is_empty() && !nl.trim().is_empty(),
                "{key} is empty"
            );
            let (mut a, mut b) = (blanks(en), blanks(nl));
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{key}: the blanks differ between English and Dutch");
        }
    }

    #[test]
    fn every_field_and_choice_has_words_in_each_language() {
        for lang in Lang::ALL {
            let w = lang.words();
            for entity in Entity::ALL {
                for f in entity.fields() {
                    let key = format!("{}_{}", w.key_of(entity), f.name);
                    assert!(w.named(&key).is_some(), "{} lacks {key}", lang.code());
                    if let crate::domain::fields::Kind::Choice(values) = f.kind {
                        for v in values {
                            let key = format!("{}_{v}", f.name);
                            assert!(w.named(&key).is_some(), "{} lacks {key}", lang.code());
                        }
                    }
                }
            }
        }
        assert_eq!(
            Lang::Nl.words().field(Entity::Contact, "first_name"),
            "Voornaam"
        );
        assert_eq!(Lang::Nl.words().choice("lifecycle", "customer"), "Klant");
        assert_eq!(Lang::En.words().choice("lifecycle", "unheard"), "unheard");
    }

    #[test]
    fn the_browser_names_the_language() {
        assert_eq!(
            Lang::from_accept_language("nl-NL,nl;q=0.9,en;q=0.8"),
            Lang::Nl
        );
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,de;q=0.9,nl;q=0.5"),
            Lang::Nl
        );
        assert_eq!(
            Lang::from_accept_language("fr, en;q=0.2, nl;q=0.7"),
            Lang::Nl
        );
        assert_eq!(Lang::from_accept_language("nl;q=0, en"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("*"), Lang::En);
    }

    #[test]
    fn blanks_are_filled_by_name() {
        assert_eq!(
            fill("{n} of {total}", &[("n", "3"), ("total", "9")]),
            "3 of 9"
        );
        assert_eq!(fill("{n} {n}", &[("n", "a")]), "a a");
        assert_eq!(fill("{missing} and {", &[("n", "a")]), "{missing} and {");
        assert_eq!(blanks("Moved {n} to {place}."), ["n", "place"]);
    }

    #[test]
    fn errors_name_fields_by_their_labels_in_the_readers_language() {
        use crate::error::{Error, FieldError};
        let error = |field: &str, message: &str| FieldError {
            field: field.into(),
            message: message.into(),
        };
        let refused = Error::fields(vec![
            error("lost_reason", "is required when a deal is lost"),
            error("stage_id", "belongs to another pipeline"),
            error("c0_field", "is unknown"),
        ])
        .expect("an error");
        assert_eq!(
            Lang::En.words().error(&refused, Some(Entity::Deal)),
            "Reason lost is required when a deal is lost. Stage belongs to another pipeline. \
             Condition 1 field is unknown."
        );
        assert_eq!(
            Lang::Nl.words().error(&refused, Some(Entity::Deal)),
            "Reden verloren is verplicht als een deal verloren is. Fase hoort bij een andere \
             pijplijn. Condition 1 field is unknown."
        );
        assert_eq!(
            Lang::Nl.words().error(&Error::NotFound, None),
            "niet gevonden"
        );
    }

    #[test]
    fn messages_made_in_english_read_in_dutch_with_their_blanks() {
        let w = Lang::Nl.words();
        assert_eq!(w.said("is required"), "is verplicht");
        assert_eq!(
            w.said("is longer than 120 characters"),
            "is langer dan 120 tekens"
        );
        assert_eq!(
            w.said("a contact with the email ann@x.test already exists"),
            "er is al een contact met het e-mailadres ann@x.test"
        );
        assert_eq!(
            w.said("Too many failed sign-ins for this email. Try again in 3 minutes."),
            "Te veel mislukte aanmeldingen voor dit e-mailadres. Probeer het over 3 minuten opnieuw."
        );
        assert_eq!(
            w.said("Too many failed sign-ins for this email. Try again in 1 minute."),
            "Te veel mislukte aanmeldingen voor dit e-mailadres. Probeer het over 1 minuut opnieuw."
        );
        assert_eq!(
            w.said("something nobody wrote down"),
            "something nobody wrote down"
        );
        assert_eq!(Lang::En.words().said("is required"), "is required");
        assert_eq!(
            matches("{n} of {total}", "3 of 9"),
            Some(vec![("n", "3".into()), ("total", "9".into())])
        );
        assert_eq!(matches("{n} rows", " rows"), None);
        assert_eq!(matches("a {x} b", "a  c"), None);
    }
}
