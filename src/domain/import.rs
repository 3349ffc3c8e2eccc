//! What a CSV import is about: where columns go, what it did, and a browser import's state.

use crate::domain::csv;

/// Where a column's cells go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Field(&'static str),
    Custom(String),
    Labels,
}

impl Target {
    /// The form value: a field's name, `custom.<key>`, or `labels`.
    pub fn key(&self) -> String {
        match self {
            Target::Field(name) => (*name).to_string(),
            Target::Custom(key) => format!("custom.{key}"),
            Target::Labels => "labels".into(),
        }
    }
}

/// A refused row: its line in the file, why, and its cells as they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
    pub cells: Vec<String>,
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub failed: Vec<RowError>,
    /// Header cells that matched no field.
    pub ignored_columns: Vec<String>,
    pub header: Vec<String>,
}

impl ImportReport {
    /// The refused rows as CSV, to fix and import again: line, reason, then the row's cells.
    pub fn error_csv(&self) -> String {
        let mut out = String::new();
        let mut head = vec!["line".to_string(), "error".to_string()];
        head.extend(self.header.iter().cloned());
        csv::write_row(&mut out, &head);
        for e in &self.failed {
            let mut row = vec![e.line.to_string(), e.message.clone()];
            row.extend(e.cells.iter().cloned());
            csv::write_row(&mut out, &row);
        }
        out
    }
}

/// What an import will do with a file, before it runs: the header, how each column maps, the
/// first rows, and the choices a column may map to.
#[derive(Debug)]
pub struct Preview {
    pub header: Vec<String>,
    pub targets: Vec<Option<Target>>,
    pub samples: Vec<Vec<String>>,
    pub rows: usize,
    /// Each choice's form value and its label.
    pub choices: Vec<(String, String)>,
}

pub enum ImportState {
    /// Uploaded; waiting for its mapping.
    Waiting(Vec<u8>),
    Running {
        done: usize,
        total: usize,
    },
    Finished(ImportReport),
    Failed(String),
}

/// Other words a CSV file's header may use for a field, in English, Dutch and German, as header
/// keys (lower case, letters and digits only). A field's own name and label match as well.
const HEADER_WORDS: &[(&str, &[&str])] = &[
    (
        "first_name",
        &["firstname", "givenname", "voornaam", "roepnaam", "vorname"],
    ),
    (
        "last_name",
        &[
            "lastname",
            "surname",
            "familyname",
            "achternaam",
            "nachname",
            "familienname",
        ],
    ),
    (
        "email",
        &["emailaddress", "mail", "emailadres", "emailadresse"],
    ),
    (
        "phone",
        &[
            "telephone",
            "tel",
            "mobile",
            "telefoon",
            "telefoonnummer",
            "mobiel",
            "telefon",
            "telefonnummer",
            "handy",
            "mobil",
        ],
    ),
    ("title", &["jobtitle", "position", "functie", "titel"]),
    (
        "company_id",
        &[
            "company",
            "organization",
            "organisation",
            "bedrijf",
            "bedrijfsnaam",
            "organisatie",
            "firma",
            "unternehmen",
            "firmenname",
        ],
    ),
    (
        "name",
        &["companyname", "bedrijfsnaam", "naam", "firmenname", "firma"],
    ),
    ("source", &["bron", "quelle", "herkunft"]),
    ("domain", &["website", "web", "domein", "webseite"]),
    ("industry", &["sector", "branche"]),
    (
        "size",
        &[
            "employees",
            "grootte",
            "medewerkers",
            "mitarbeiter",
            "größe",
        ],
    ),
    (
        "address",
        &["adres", "adresse", "street", "straat", "straße"],
    ),
    ("amount", &["value", "waarde", "bedrag", "betrag", "wert"]),
    (
        "due_at",
        &["duedate", "deadline", "vervaldatum", "fällig", "fälligkeit"],
    ),
    (
        "notes",
        &["note", "notities", "opmerkingen", "notizen", "bemerkungen"],
    ),
    ("lifecycle", &["fase", "levensfase", "phase"]),
    ("owner_id", &["eigenaar", "besitzer"]),
];

/// Whether a header key is another word for the field called `field` (see `HEADER_WORDS`).
pub fn header_means(field: &str, key: &str) -> bool {
    HEADER_WORDS
        .iter()
        .any(|(name, words)| *name == field && words.contains(&key))
}
