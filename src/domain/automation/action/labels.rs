//! `add_label` and `remove_label`: the two sides of one thing, a label on the rule's contact,
//! company or deal.

use super::{BuilderInput, Effects, Kind, StepError, input, record_of};
use crate::domain::automation::reader::{Reader, Subject};
use crate::domain::input::Input;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct AddLabel {
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemoveLabel {
    pub label: String,
}

const INPUTS: &[BuilderInput] = &[input("label", "Label", None)];

/// Reads the label of an action of `kind`, checking the rule is about labelled records.
fn read_label(
    reader: &mut Reader,
    obj: &Map<String, Value>,
    at: &str,
    subject: Subject,
    kind: &str,
) -> Option<String> {
    let label = reader.text(obj, "label", at)?;
    let labelled = matches!(subject, Subject::Labelled | Subject::Appointment)
        || matches!(subject, Subject::Record(e) if e.has_labels_and_custom());
    if !labelled {
        reader.needs(
            format!("{at}.type"),
            kind,
            "a rule about contacts, companies, deals or appointments",
        );
        return None;
    }
    if !reader.known.has(&reader.known.labels, &label) {
        reader.fail(
            format!("{at}.label"),
            format!("no label is named {label:?}"),
        );
        return None;
    }
    Some(label)
}

/// Puts `label` on the run's record, or takes it off.
fn set_label(
    effects: &mut dyn Effects,
    kind: &str,
    label: &str,
    adding: bool,
) -> Result<String, StepError> {
    let (entity, id) = record_of(effects, kind)?;
    let mut labels: Vec<String> = effects
        .labels_of(entity, id)?
        .into_iter()
        .filter(|l| !l.eq_ignore_ascii_case(label))
        .collect();
    if adding {
        labels.push(label.to_string());
    }
    let input = Input {
        labels: Some(labels),
        ..Input::default()
    };
    effects.save(entity, Some(id), input)?;
    Ok(format!(
        "label {label} {} {} #{id}",
        if adding { "added to" } else { "removed from" },
        entity.singular()
    ))
}

/// The two label actions differ only in their names and whether they add.
macro_rules! label_action {
    ($name:ident, $kind:literal, $label:literal, $verb:literal, $adding:literal) => {
        impl Kind for $name {
            const KIND: &'static str = $kind;
            const LABEL: &'static str = $label;
            const INPUTS: &'static [BuilderInput] = INPUTS;

            fn read(
                reader: &mut Reader,
                obj: &Map<String, Value>,
                at: &str,
                subject: Subject,
            ) -> Option<$name> {
                read_label(reader, obj, at, subject, Self::KIND).map(|label| $name { label })
            }

            fn write(&self, obj: &mut Map<String, Value>) {
                obj.insert("label".into(), self.label.clone().into());
            }

            fn describe(&self, _context: &Value) -> String {
                format!("{} the label {}", $verb, self.label)
            }

            fn perform(&self, effects: &mut dyn Effects) -> Result<String, StepError> {
                set_label(effects, Self::KIND, &self.label, $adding)
            }
        }
    };
}

label_action!(AddLabel, "add_label", "Add a label", "Add", true);
label_action!(
    RemoveLabel,
    "remove_label",
    "Remove a label",
    "Remove",
    false
);
