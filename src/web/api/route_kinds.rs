//! What a route of the API takes and answers, as `routes` lists them.

use crate::domain::crm::Entity;

pub struct Route {
    pub method: &'static str,
    /// Below `/api/v1`, with `{id}` for an id.
    pub path: String,
    pub summary: String,
    /// The body it takes.
    pub input: Input,
    /// The status of a success, and what comes with it.
    pub status: u16,
    pub output: Output,
    /// The query parameters it reads.
    pub query: Query,
}

/// What a route takes and answers: its body, its success status and answer, its query.
pub type Shape = (Input, u16, Output, Query);

/// A `GET` of one thing.
pub fn one(schema: &'static str) -> Shape {
    (Input::None, 200, Output::One(schema), Query::None)
}

/// A `GET` of a list.
pub fn list(schema: &'static str) -> Shape {
    (Input::None, 200, Output::List(schema), Query::None)
}

/// A `POST` that makes something (201).
pub fn create(input: &'static str, schema: &'static str) -> Shape {
    (Input::Json(input), 201, Output::One(schema), Query::None)
}

/// A change that answers the changed thing.
pub fn change(input: &'static str, schema: &'static str) -> Shape {
    (Input::Json(input), 200, Output::One(schema), Query::None)
}

/// A request body: JSON of a schema (by its name under `components/schemas`), or CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    None,
    Json(&'static str),
    Csv,
}

/// A successful answer's body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    One(&'static str),
    /// `{"data": [...], "total": N, "total_exact": bool, "next": …, "prev": …}` (`api::paged`)
    List(&'static str),
    Empty,
}

/// Which query parameters a route reads; any other is refused (422) or ignored as noted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    None,
    Records(Entity),
    Activities,
    Search,
    Limit,
    Import,
    MoveTo,
    /// `service_id`, `staff_id`, `from`, `to`.
    Availability,
    /// `from`, `to`, `staff_id`, `status`.
    Appointments,
    /// `queue`, `status`, `priority`, `label`, `limit`, `cursor`.
    Conversations,
}

/// The schema of an entity's records.
pub fn schema_of(entity: Entity) -> &'static str {
    match entity {
        Entity::Contact => "Contact",
        Entity::Company => "Company",
        Entity::Deal => "Deal",
        Entity::Task => "Task",
        Entity::Note => "Note",
    }
}
