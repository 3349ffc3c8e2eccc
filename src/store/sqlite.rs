//! Where SQLite meets the rest: what its errors mean to the product, and how the domain's
//! newtype ids go in and out of columns.

use crate::domain::ids::{
    ActivityId, AppointmentId, CompanyId, ContactId, ConversationId, ConversationMessageId, DealId,
    FieldId, InboxId, LabelId, LinkId, MailId, PipelineId, ProductId, ReceiptId, RegisterId,
    RegisterSessionId, ResourceId, RuleId, RunId, SeriesId, ServiceId, SessionId, StageId, TaskId,
    TeamId, TokenId, UserId, ViewId,
};
use crate::error::Error;
use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, ValueRef};

/// A read handle on a workspace's or the registry's file, as the store's functions take it.
pub use rusqlite::Connection;

/// A failed statement says where it was: `?` passes the location of the store function's
/// line on (`database at store/crm/records.rs:184: …`), so the log names the operation.
impl From<rusqlite::Error> for Error {
    #[track_caller]
    fn from(e: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode::{DatabaseCorrupt, DiskFull, NotADatabase};
        let at = std::panic::Location::caller();
        let file = at.file().trim_start_matches("src/");
        let detail = format!("database at {file}:{}: {e}", at.line());
        match e.sqlite_error_code() {
            Some(DiskFull) => Error::DiskFull,
            Some(DatabaseCorrupt | NotADatabase) => Error::Unavailable(detail),
            _ => Error::Internal(detail),
        }
    }
}

macro_rules! id_columns {
    ($($name:ident),* $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    )*};
}

id_columns!(
    UserId,
    SessionId,
    TokenId,
    LinkId,
    MailId,
    PipelineId,
    StageId,
    LabelId,
    FieldId,
    ActivityId,
    RuleId,
    RunId,
    ViewId,
    ContactId,
    CompanyId,
    DealId,
    TaskId,
    ServiceId,
    AppointmentId,
    ResourceId,
    SeriesId,
    ProductId,
    RegisterId,
    RegisterSessionId,
    ReceiptId,
    InboxId,
    ConversationId,
    ConversationMessageId,
    TeamId,
);

/// Words the domain keeps as text columns (`open`, `urgent`).
macro_rules! word_columns {
    ($($name:ty),* $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                <$name>::parse(text).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(format!("not a known word: {text}").into())
                })
            }
        }
    )*};
}

word_columns!(crate::domain::inbox::Status, crate::domain::inbox::Priority);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_failures_map_to_what_they_mean() {
        let code = |c: i32| {
            Error::from(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(c),
                None,
            ))
        };
        assert!(matches!(code(rusqlite::ffi::SQLITE_FULL), Error::DiskFull));
        assert!(matches!(
            code(rusqlite::ffi::SQLITE_CORRUPT),
            Error::Unavailable(_)
        ));
        assert!(matches!(
            code(rusqlite::ffi::SQLITE_NOTADB),
            Error::Unavailable(_)
        ));
        assert!(matches!(
            code(rusqlite::ffi::SQLITE_ERROR),
            Error::Internal(_)
        ));
    }

    #[test]
    fn a_failed_statement_names_where_it_ran() {
        fn fails() -> crate::error::Result<i64> {
            let conn = Connection::open_in_memory()?;
            Ok(conn.query_row("SELECT x FROM missing", [], |r| r.get(0))?)
        }
        let Err(Error::Internal(detail)) = fails() else {
            panic!("a query of a missing table must fail");
        };
        assert!(
            detail.starts_with("database at store/sqlite.rs:"),
            "{detail}"
        );
        assert!(detail.contains("no such table: missing"), "{detail}");
    }
}
