//! The one error type of the application and its one mapping to HTTP status codes.
//!
//! Handlers, the store and the domain all return `Error`; `web::respond` turns it into an HTML
//! page or a JSON body. Users see the message (and a request id), never internals: `Internal`
//! carries its detail only for the log.

use std::fmt;

/// A message about one input field, shown next to that field in a form and listed under
/// `fields` in a JSON error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: &str) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The error as a sentence about the field called `label`: "Lost reason is required."
    /// (`message` is this error's message, maybe in another language.)
    pub fn sentence(&self, label: &str, message: &str) -> String {
        format!("{label} {}.", message.trim_end_matches('.'))
    }
}

/// A field's name as words for a sentence: `lost_reason` → "Lost reason", `custom.shoe_size`
/// → "Shoe size", and a rule builder's numbered rows (`c0_field`, `a1_value`) → "Condition 1
/// field", "Action 2 value".
pub fn field_in_words(name: &str) -> String {
    let name = name.rsplit('.').next().unwrap_or(name);
    let numbered = name.split_once('_').and_then(|(head, rest)| {
        let (kind, n) = head.split_at(1.min(head.len()));
        let n: usize = n.parse().ok()?;
        let kind = match kind {
            "c" => "condition",
            "a" => "action",
            _ => return None,
        };
        Some(format!("{kind} {} {rest}", n + 1))
    });
    let words = numbered
        .unwrap_or_else(|| name.to_string())
        .replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    /// Input that cannot even be read (malformed JSON, wrong content type).
    #[error("{0}")]
    BadRequest(String),
    /// A record that would repeat a unique value of another (a contact's email).
    #[error("{message}")]
    Duplicate {
        field: String,
        message: String,
        existing: (crate::domain::crm::Entity, i64),
    },
    #[error("sign in required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("request body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// A workspace whose file cannot be opened or read now. The detail is for the log and
    /// the CLI; people see `public_message`.
    #[error("{0}")]
    Unavailable(String),
    /// The disk is full: nothing of the write was saved.
    #[error("The server's disk is full; nothing was saved. Tell your administrator.")]
    DiskFull,
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An invalid input with one field to blame.
    pub fn field(field: &str, message: impl Into<String>) -> Error {
        let message = message.into();
        Error::Invalid {
            message: format!("{field}: {message}"),
            fields: vec![FieldError {
                field: field.to_string(),
                message,
            }],
        }
    }

    /// Several field errors at once; `None` when the list is empty.
    /// Input refused as a whole, not for one field: `message` is a sentence for people.
    pub fn refused(message: impl Into<String>) -> Error {
        Error::Invalid {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn fields(fields: Vec<FieldError>) -> Option<Error> {
        if fields.is_empty() {
            return None;
        }
        let message = match fields.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields are invalid", many.len()),
        };
        Some(Error::Invalid { message, fields })
    }

    pub fn internal(context: &str, cause: impl fmt::Display) -> Error {
        Error::Internal(format!("{context}: {cause}"))
    }

    pub fn status(&self) -> u16 {
        match self {
            Error::NotFound => 404,
            Error::BadRequest(_) => 400,
            Error::Duplicate { .. } => 409,
            Error::Unauthorized => 401,
            Error::Forbidden(_) => 403,
            Error::Invalid { .. } => 422,
            Error::Conflict(_) => 409,
            Error::TooManyRequests(_) => 429,
            Error::TooLarge { .. } => 413,
            Error::Unavailable(_) => 503,
            Error::DiskFull => 507,
            Error::Internal(_) => 500,
        }
    }

    /// The stable machine-readable code of the JSON error body.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::BadRequest(_) => "bad_request",
            Error::Duplicate { .. } => "duplicate",
            Error::Unauthorized => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::Invalid { .. } => "invalid",
            Error::Conflict(_) => "conflict",
            Error::TooManyRequests(_) => "too_many_requests",
            Error::TooLarge { .. } => "too_large",
            Error::Unavailable(_) => "unavailable",
            Error::DiskFull => "disk_full",
            Error::Internal(_) => "internal",
        }
    }

    /// What a user may read: everything but the detail of an internal error.
    pub fn public_message(&self) -> String {
        match self {
            Error::Internal(_) => "Something went wrong on our side.".to_string(),
            Error::Unavailable(_) => "This workspace is unavailable right now. The administrator \
                has been told; try again in a few minutes."
                .to_string(),
            other => other.to_string(),
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Invalid { fields, .. } => fields,
            _ => &[],
        }
    }
}

/// A pool hands out no connection when none can be opened: the file is gone bad (or the disk
/// is full), which makes the workspace unavailable, not the request wrong.
impl From<r2d2::Error> for Error {
    fn from(e: r2d2::Error) -> Error {
        let text = e.to_string();
        if text.contains("database or disk is full") {
            return Error::DiskFull;
        }
        Error::Unavailable(format!("database pool: {text}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        if e.kind() == std::io::ErrorKind::StorageFull {
            return Error::DiskFull;
        }
        Error::Internal(format!("io: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_for_pages_name_fields_in_words() {
        assert_eq!(field_in_words("lost_reason"), "Lost reason");
        assert_eq!(field_in_words("custom.shoe_size"), "Shoe size");
        assert_eq!(field_in_words("c0_field"), "Condition 1 field");
        assert_eq!(field_in_words("a1_value"), "Action 2 value");
        assert_eq!(field_in_words("cx_field"), "Cx field");
    }

    #[test]
    fn failures_map_to_what_they_mean() {
        assert_eq!(Error::DiskFull.status(), 507);
        assert_eq!(Error::Unavailable(String::new()).status(), 503);
        let io = std::io::Error::from_raw_os_error(28);
        assert!(matches!(Error::from(io), Error::DiskFull));
    }
}
