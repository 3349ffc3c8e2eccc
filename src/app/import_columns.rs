//! Which field each column of a CSV file fills: matched from the header row, or chosen in the
//! browser's mapping form. Custom attributes come in as (key, label) pairs.

use crate::domain::crm::Entity;
pub use crate::domain::import::Target;
use crate::domain::import::header_means;
use crate::domain::words::Lang;
use crate::error::{Error, Result};

/// A header cell as a comparable key: "First Name", "first_name" and "E-mail"/"email" match.
fn header_key(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .collect()
}

/// The entity's field whose name has this key.
fn field_named(entity: Entity, key: &str) -> Option<&'static str> {
    entity
        .fields()
        .iter()
        .find(|f| header_key(f.name) == key)
        .map(|f| f.name)
}

/// Matches header cells to targets; `None` for a column that matches nothing. A column named
/// exactly like a field wins over one that only carries its label (an export has both
/// `owner_id` and `owner`); a field is filled from one column only.
pub fn map_columns(
    entity: Entity,
    header: &[String],
    custom: &[(String, String)],
) -> Vec<Option<Target>> {
    let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    let mut targets: Vec<Option<Target>> = vec![None; header.len()];
    let claim = |i: usize, target: Option<Target>, targets: &mut Vec<Option<Target>>| {
        if target
            .as_ref()
            .is_some_and(|t| !targets.contains(&Some(t.clone())))
        {
            targets[i] = target;
        }
    };
    for (i, key) in keys.iter().enumerate() {
        claim(i, field_named(entity, key).map(Target::Field), &mut targets);
    }
    for (i, key) in keys.iter().enumerate() {
        if targets[i].is_some() || field_named(entity, key).is_some() {
            continue;
        }
        let key = key.strip_prefix("custom.").unwrap_or(key);
        let target = if let Some(f) = entity
            .fields()
            .iter()
            .find(|f| labelled(entity, f.name, key) || header_means(f.name, key))
        {
            Some(Target::Field(f.name))
        } else if !entity.has_labels_and_custom() {
            None
        } else if matches!(key, "labels" | "label" | "tags") {
            Some(Target::Labels)
        } else {
            custom
                .iter()
                .find(|(k, label)| header_key(k) == key || header_key(label) == key)
                .map(|(k, _)| Target::Custom(k.clone()))
        };
        claim(i, target, &mut targets);
    }
    targets
}

/// A header that is a field's label in any language Onebox speaks (a file exported by a
/// Dutch user has "Voornaam").
fn labelled(entity: Entity, field: &str, key: &str) -> bool {
    Lang::ALL
        .iter()
        .any(|lang| header_key(&lang.words().field(entity, field)) == key)
}

/// What a column of `entity` may map to, as (form value, label).
pub fn choices(entity: Entity, custom: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = entity
        .fields()
        .iter()
        .map(|f| (f.name.to_string(), Lang::En.words().field(entity, f.name)))
        .collect();
    if entity.has_labels_and_custom() {
        out.push(("labels".into(), "Labels".into()));
        out.extend(
            custom
                .iter()
                .map(|(k, label)| (format!("custom.{k}"), label.clone())),
        );
    }
    out
}

/// Reads a mapping chosen in a form: one value per column, empty for "ignore".
pub fn from_keys(
    entity: Entity,
    keys: &[&str],
    custom: &[(String, String)],
) -> Result<Vec<Option<Target>>> {
    let mut out = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let target = match *key {
            "" => None,
            "labels" if entity.has_labels_and_custom() => Some(Target::Labels),
            k => match k.strip_prefix("custom.") {
                Some(c)
                    if entity.has_labels_and_custom() && custom.iter().any(|(ck, _)| ck == c) =>
                {
                    Some(Target::Custom(c.to_string()))
                }
                Some(_) => None,
                None => entity.field(k).map(|f| Target::Field(f.name)),
            }
            .map(Some)
            .ok_or_else(|| Error::field(&format!("map.{i}"), format!("{k} is not a field")))?,
        };
        if target.is_some() && out.contains(&target) {
            return Err(Error::field(
                &format!("map.{i}"),
                "two columns cannot fill the same field",
            ));
        }
        out.push(target);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_german_headers_find_their_fields() {
        let header = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let fields = |targets: Vec<Option<Target>>| {
            targets
                .into_iter()
                .map(|t| match t {
                    Some(Target::Field(f)) => f,
                    _ => "-",
                })
                .collect::<Vec<_>>()
        };
        let dutch = header(&[
            "Voornaam",
            "Achternaam",
            "E-mailadres",
            "Telefoon",
            "Bedrijf",
        ]);
        assert_eq!(
            fields(map_columns(Entity::Contact, &dutch, &[])),
            ["first_name", "last_name", "email", "phone", "company_id"]
        );
        let german = header(&[
            "Vorname", "Nachname", "E-Mail", "Telefon", "Firma", "Quelle",
        ]);
        assert_eq!(
            fields(map_columns(Entity::Contact, &german, &[])),
            [
                "first_name",
                "last_name",
                "email",
                "phone",
                "company_id",
                "source"
            ]
        );
        let companies = header(&[
            "Bedrijfsnaam",
            "Website",
            "Branche",
            "Adres",
            "Lievelingskleur",
        ]);
        assert_eq!(
            fields(map_columns(Entity::Company, &companies, &[])),
            ["name", "domain", "industry", "address", "-"]
        );
    }

    #[test]
    fn an_exact_name_wins_over_a_label_and_a_field_fills_once() {
        let header: Vec<String> = ["owner", "owner_id", "Email", "email"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            map_columns(Entity::Contact, &header, &[]),
            vec![
                None,
                Some(Target::Field("owner_id")),
                Some(Target::Field("email")),
                None,
            ]
        );
    }

    #[test]
    fn columns_match_names_labels_custom_keys_and_labels() {
        let header: Vec<String> = [
            "First Name",
            "email",
            "Job title",
            "Tags",
            "custom.shoe_size",
            "Favourite colour",
            "Fax",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let custom = vec![
            ("shoe_size".to_string(), "Shoe size".to_string()),
            ("colour".to_string(), "Favourite colour".to_string()),
        ];
        assert_eq!(
            map_columns(Entity::Contact, &header, &custom),
            vec![
                Some(Target::Field("first_name")),
                Some(Target::Field("email")),
                Some(Target::Field("title")),
                Some(Target::Labels),
                Some(Target::Custom("shoe_size".into())),
                Some(Target::Custom("colour".into())),
                None,
            ]
        );
        // Tasks have neither labels nor custom attributes.
        assert_eq!(
            map_columns(Entity::Task, &header[3..5], &custom),
            vec![None, None]
        );
    }
}
